"""The general rules added after the heldout-v14 freeze for greeting, jargon, clarity,
spelling and closing, each tried on wordings of its own (not the labelled replies'): the
name a customer signs with, accountants' clipped words (opex, true-up, recon, CAM), a
"which is one of ..." clause that ranks a term without explaining it, a comment set off
by ", which" read as a clause of its own, clipped words in notes, and sign-offs in more
languages."""

import pytest

from ledgerdesk.coach import review
from ledgerdesk.coach.document import Document
from tests.coach.helpers import writer

_, findings, _ = writer("Mira Holm", "Hi Mira,", "Best wishes,\nOskar")


BODY = "I have checked invoice 73310 and it will be paid on Friday 12 June."

# ---------------------------------------------------------------- greeting


@pytest.mark.parametrize(
    ("contact", "message", "greeting"),
    [("Robert Mills", "Can you tell me when 73310 will be paid? Thanks, Bob", "Hi Bob,"),
     ("Elizabeth Tran", "When is the next payment run?\nLiz", "Dear Liz,"),
     ("Alexander Roth", "Invoice 73310 is still open. Regards,\nAlex Roth", "Hello Alex,")],
)  # fmt: skip
def test_the_name_the_customer_signs_with_is_their_name(contact, message, greeting):
    text = f"{greeting}\n\n{BODY}\n\nBest wishes,\nOskar"
    result = review(text, {"contact_name": contact, "customer_message": message})
    assert "greeting" not in result.categories


@pytest.mark.parametrize(
    ("message", "greeting"),
    [("Can you tell me when 73310 will be paid? Thanks, Robert", "Hi Bob,"),
     ("Can you tell me when 73310 will be paid?", "Hi Bob,"),
     ("Can you tell me when 73310 will be paid? Bobby", "Hi Bob,")],
)  # fmt: skip
def test_another_name_than_the_signed_one_is_still_flagged(message, greeting):
    text = f"{greeting}\n\n{BODY}\n\nBest wishes,\nOskar"
    result = review(text, {"contact_name": "Robert Mills", "customer_message": message})
    assert "greeting" in result.categories


# ---------------------------------------------------------------- jargon


@pytest.mark.parametrize(
    "body",
    ["Our opex ran over plan, so the quarterly charge went up.",
     "This line is the annual true-up of the service charge.",
     "The figure comes from last year's recon.",
     "Your share of the CAM costs is billed every quarter.",
     "The capex budget for the site is already spent."],
)  # fmt: skip
def test_accountants_clipped_words_are_jargon(body):
    assert findings(body, "jargon")


@pytest.mark.parametrize(
    "body",
    ["Our running costs came in over plan, so the quarterly charge went up.",
     "The balancing charge is worked out once the actual costs are known.",
     "I will call you about the camera you ordered.",
     "The true cost of the repair was lower than we thought."],
)  # fmt: skip
def test_the_plain_words_are_not_jargon(body):
    assert not findings(body, "jargon")


@pytest.mark.parametrize(
    "body",
    ["The change would lower our DSO, which is one of the figures our board reviews.",
     "It affects our DPO, which is important to our finance director.",
     "The GRN, which is why the invoice waited, arrived on Monday."],
)  # fmt: skip
def test_a_clause_that_only_ranks_a_term_does_not_explain_it(body):
    assert findings(body, "jargon")


@pytest.mark.parametrize(
    "body",
    ["The change would lower our DSO, which is how long customers take on average to pay.",
     "We are waiting for the GRN, which means our record that the goods arrived."],
)  # fmt: skip
def test_a_clause_that_says_what_it_is_still_explains_it(body):
    assert not findings(body, "jargon")


# ---------------------------------------------------------------- clarity


def test_a_comment_after_which_reads_as_a_clause_of_its_own():
    body = (
        "Moving your account to weekly billing would change how our collections team plans "
        "its month, which is something our controller reviews every quarter, so I need to "
        "check it with her first."
    )
    assert not findings(body, "clarity")


def test_a_long_sentence_without_a_break_is_still_too_long():
    body = (
        "Moving your account to weekly billing would change how our collections team plans "
        "its month and the way our controller reviews the figures every quarter and the "
        "dates on which the statements go out to you and your colleagues in the regional "
        "offices."
    )
    assert findings(body, "clarity")


# ---------------------------------------------------------------- spelling


@pytest.mark.parametrize(
    "body",
    ["Note for file: pmt posted to the wrong cust acct, moved back today.",
     "Our dup check now compares the supplier, the amount and the invoice number."],
)  # fmt: skip
def test_clipped_words_of_notes_are_not_typos(body):
    assert not findings(body, "spelling")


def test_a_real_typo_beside_them_is_still_found():
    assert findings("Our dup check did not recieve the invoice number.", "spelling")


# ---------------------------------------------------------------- sign-offs


@pytest.mark.parametrize(
    "line",
    ["Med vänlig hälsning,", "Vänliga hälsningar,", "Hälsningar,", "Mvh,",
     "Viele Grüße,", "Beste Grüße,", "Z poważaniem,", "S pozdravem,"],
)  # fmt: skip
def test_sign_offs_in_other_languages_are_recognised(line):
    doc = Document(f"Hi Mira,\n\n{BODY}\n\n{line}\nOskar Berg\nCredit Control")
    assert doc.sign_off is not None
    assert doc.active[doc.sign_off[0] : doc.sign_off[1]].strip().rstrip(",") == line.rstrip(",")
