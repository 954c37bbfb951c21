"""Quoted customer text is never judged as the agent's words."""

from ledgerdesk.coach import review
from ledgerdesk.coach.document import Document, mask_quotes

REPLY = "Hi Anna,\n\nThank you. Invoice 4411 will be paid on 7 May.\n\nBest regards,\nMarta\n"


def categories(text, context=None):
    return review(text, context or {"contact_name": "Anna"}).categories


def test_it_blanks_quoted_lines_but_keeps_offsets():
    text = "Hello\n> that's not our policy\nBye"
    masked, spans = mask_quotes(text)
    assert len(masked) == len(text)
    assert masked.splitlines()[1].strip() == ""
    assert spans == [(6, 29)]


def test_it_ignores_blame_and_threats_in_lines_starting_with_a_chevron():
    text = REPLY + "> As per my last e-mail, we will take legal action.\n> Our system is down!!\n"
    context = {"contact_name": "Anna", "reminder_level": 0}
    assert categories(text, context) == set()


def test_it_ignores_everything_after_on_date_name_wrote():
    text = (
        REPLY
        + "\nOn Mon, 4 May 2026 at 09:12, Anna Kowalska <anna@example.com> wrote:\n"
        + "Please be advised that this is not my department!!! Pay or we go to court.\n"
    )
    assert categories(text, {"contact_name": "Anna", "reminder_level": 0}) == set()


def test_it_handles_a_wrapped_wrote_line():
    text = (
        REPLY
        + "\nOn 5 May 2026, at 14:02, Claire Dubois <claire@example.fr>\n"
        + "wrote:\nTHIS IS UNACCEPTABLE\n"
    )
    assert categories(text) == set()


def test_it_ignores_an_outlook_original_message_block():
    text = REPLY + "\n-----Original Message-----\nFrom: Anna\nSent: 4 May\n\nPLEASE BE ADVISED!!\n"
    assert categories(text) == set()


def test_it_ignores_quoted_text_that_repeats_the_customer_message():
    customer = "It is not my job to chase you. Our system is having issues."
    text = REPLY.replace(
        "Thank you.", 'Thank you. I read "It is not my job to chase you" and I understand.'
    )
    assert categories(text, {"contact_name": "Anna", "customer_message": customer}) == set()


def test_it_ignores_text_introduced_as_what_the_customer_wrote():
    text = REPLY.replace(
        "Thank you.", 'Thank you. You wrote "that is not our policy", fair enough.'
    )
    assert categories(text) == set()


def test_it_still_judges_the_agents_own_quotation_marks():
    text = REPLY.replace("Thank you.", 'Thank you. Please be advised "approved" means paid soon.')
    assert "blame" in categories(text)


def test_findings_never_point_into_quoted_text():
    text = "> recieved your invoce!!\nHi Anna,\nWe recieved it.\n"
    result = review(text, {"contact_name": "Anna"})
    doc = Document(text)
    assert result.findings
    assert all(not doc.is_quoted(f.start) for f in result.findings)
