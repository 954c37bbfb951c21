"""The general rules added after the heldout-v11 freeze, each tried on wordings of its own
(not the labelled replies'): frustration read from plain questions and customers' own
apologies versus outright annoyance, "thank you for your patience" no longer taken as an
acknowledgement, brush-offs that push the task or the fault elsewhere, incident answers
in more words, foreign phrases, abbreviations and signed names left to the writer, terms
the customer used or explained between dashes, amounts in rand, working days in short
and documents handed over in a few words."""

import pytest

from ledgerdesk.coach.checks.conversation import FRUSTRATION_MARKERS
from ledgerdesk.coach.context import parse_context
from ledgerdesk.coach.document import Document
from ledgerdesk.coach.engine import run_rules
from ledgerdesk.coach.ruleset import load_rules
from tests.coach.helpers import frustrated, writer

OPEN = {"number": "73310", "amount": "2640.00", "currency": "EUR", "due_date": "2026-07-20",
        "status": "open"}  # fmt: skip


categories, findings, _ = writer("Mira Holm", "Hi Mira,", "Best wishes,\nOskar")


# ---------------------------------------------------------------- empathy


@pytest.mark.parametrize(
    "message",
    ["We think invoice 73310 was billed at the wrong rate. Could you take a look?",
     "Our remittance shows a missing credit note. Can you explain the difference?",
     "Why is invoice 73310 still not settled? Is there anything you need from us?"],
)  # fmt: skip
def test_plain_questions_with_negative_words_are_not_frustration(message):
    assert not frustrated(message)


@pytest.mark.parametrize(
    "message",
    ["Apologies, we paid the wrong invoice by accident last week. Can we offset it?",
     "Sorry - our new clerk missed your due date. We will pay on Friday."],
)  # fmt: skip
def test_a_customer_apologising_first_is_not_angry(message):
    assert not frustrated(message)


@pytest.mark.parametrize(
    "message",
    ["You refunded only half of the deposit and nobody explained why. This is really annoying.",
     "Is this some kind of joke? We were paid a tenth of the invoice.",
     "You billed us for the whole quarter even though I cancelled in May. Fix this.",
     "The refund never arrived. It went to the account we closed and told you about."],
)  # fmt: skip
def test_annoyance_said_outright_is_frustration(message):
    assert frustrated(message)


def test_a_reproachful_question_that_scores_negative_still_counts():
    assert frustrated("Why has no one paid this yet? I have had to delay paying my own rent.")


def test_thanks_for_patience_alone_does_not_acknowledge_an_angry_customer():
    angry = "This is the fourth time I have written. Nobody answers and I am fed up."
    body = "Invoice 73310 will be paid on Tuesday 21 July.\n\nThank you for your patience."
    assert "empathy" in categories(body, customer_message=angry, invoices=[OPEN])
    sorry = "I'm sorry you have had to write so often, and I'll see this through myself. " + body
    assert "empathy" not in categories(sorry, customer_message=angry, invoices=[OPEN])


# ---------------------------------------------------------------- blame


@pytest.mark.parametrize(
    "body",
    ["Refund requests are handled by customer service, not by accounts receivable, so hurrying "
     "it is beyond what I can do.",
     "Chasing the warehouse isn't something our team does; please ask them yourself.",
     "Rebates are set by the pricing desk, so that's a question for your buyer rather than for us.",
     "Discount terms aren't handled by finance; the commercial team owns them.",
     "The hold is really down to the auditors, not our team.",
     "The duplicate came from the courier, who works for a subcontractor rather than for us.",
     "It was a bank fault, not something credit control could have prevented.",
     "Our department has no control over it, I'm afraid."],
)  # fmt: skip
def test_work_or_fault_pushed_elsewhere_is_a_brush_off(body):
    assert "blame" in categories(body)


@pytest.mark.parametrize(
    "body",
    ["The credit sat unmatched, and your accounts team really needs to quote our reference.",
     "It would really help if your staff added the PO number.",
     "The form came back half filled in, so please check with your office how it was completed.",
     "A clearer scan would have prevented the misreading.",
     "The payment bounced because your bank entered the wrong IBAN."],
)  # fmt: skip
def test_the_readers_side_told_to_do_better_is_blame(body):
    assert "blame" in categories(body)


@pytest.mark.parametrize(
    "body",
    ["As mentioned in my last two e-mails, invoice 73310 is overdue.",
     "I was holding off until I had the final figures before writing back to you.",
     "My work laptop has been broken all week, so this took longer."],
)  # fmt: skip
def test_reprimands_silences_and_dead_machines(body):
    assert "blame" in categories(body)


@pytest.mark.parametrize(
    "body",
    ["Our policy allows a refund here, so I have refunded the fee today.",
     "I will ask our payments team to release it, and I'll confirm to you by Friday 24 July.",
     "Your bank details were updated on 2 July, so the payment will reach you on 21 July."],
)  # fmt: skip
def test_owning_the_step_is_not_blame(body):
    assert "blame" not in categories(body)


# ---------------------------------------------------------------- critical needs


INCIDENT = {"incident": True, "invoices": [OPEN]}


@pytest.mark.parametrize(
    "body",
    ["What happened: our export to the bank timed out and no one noticed. I have resent the "
     "payment today. We now check every export for a confirmation within the hour.",
     "What happened: the scanner misread your total. I have corrected it today. From now on "
     "totals over EUR 10,000 are checked by a second person.",
     "Our vendor record held the old rate instead of the new one. The refund has been raised "
     "and will reach you by Friday 24 July. Vendor changes are now checked by a second person.",
     "The clerk booked the wrong tax code, which triggered the deduction. I'll post a credit "
     "for EUR 264.00 and pay it on Tuesday 21 July. To prevent a repeat, new codes now need "
     "a second approval."],
)  # fmt: skip
def test_incident_answers_in_other_words(body):
    assert "critical_needs" not in categories(body, **INCIDENT)


@pytest.mark.parametrize(
    "body",
    ["Could it happen again? No: refunds are now held automatically until a colleague checks "
     "them. What happened: the refund went out twice by mistake. I have reversed the second one "
     "today.",
     "The fee was applied by our billing partner in error. I have removed it today. We've asked "
     "the partner to add a manual check on every fee.",
     "The charge came from a wrong meter reading. I have removed it today. Our staff now take "
     "a photo on every visit before a charge is billed."],
)  # fmt: skip
def test_prevention_in_other_words(body):
    assert "critical_needs" not in categories(body, **INCIDENT)


def test_a_fix_to_the_setting_is_not_the_customers_fix():
    """The rules ask for a date for the customer's money; "the setting has been fixed so it
    won't happen again" is the prevention, not that fix."""
    body = (
        "Our record had the wrong currency setting, so the payment was short. We will pay the "
        "difference in a later run, and the setting has been fixed so it won't happen again."
    )
    text = f"Hi Mira,\n\n{body}\n\nOskar"
    ctx = parse_context({"contact_name": "Mira Holm", **INCIDENT})
    found = run_rules(Document(text), ctx, load_rules("en"))
    assert "CriticalNeeds.Fix" in {f.rule for f in found}


# ---------------------------------------------------------------- spelling


@pytest.mark.parametrize(
    "body",
    ["Line 3 has a qty difference against the delivery note.",
     "Please send it to purch. org 2000 for approval, dept 14."],
)  # fmt: skip
def test_business_abbreviations_are_not_typos(body):
    assert "spelling" not in categories(body)


@pytest.mark.parametrize(
    "greeting, closing",
    [("Kia ora Mira,", "Ngā mihi nui,\nOskar"),
     ("Hi Mira,", "Muchas gracias por todo,\nOskar"),
     ("Cześć Mira,", "Best wishes,\nOskar")],
)  # fmt: skip
def test_phrases_in_another_language_are_not_typos(greeting, closing):
    body = "Invoice 73310 will be paid on Tuesday 21 July."
    assert not findings(body, "spelling", greeting=greeting, closing=closing, invoices=[OPEN])


def test_typos_in_an_english_sentence_are_still_found():
    body = "Your reciept is atached. Invoice 73310 will be paid on Tuesday 21 July."
    assert "spelling" in categories(body, invoices=[OPEN])


def test_a_signed_name_under_thanks_is_not_a_typo():
    body = "Invoice 73310 will be paid on Tuesday 21 July."
    closing = "Thank you for your business.\n\nJoost de Bruin"
    assert not findings(body, "spelling", closing=closing, invoices=[OPEN])


# ---------------------------------------------------------------- jargon


def test_an_acronym_the_customer_used_is_theirs():
    message = "Could you send the GST summary for June?"
    body = "The GST summary for June is attached."
    assert "jargon" not in categories(body, customer_message=message)


def test_a_term_explained_between_dashes():
    body = (
        "Your new bank details are in our vendor master file - the central record we keep of "
        "each supplier - and payments use them from Tuesday 21 July."
    )
    assert not findings(body, "jargon")


def test_a_rand_amount_is_not_a_return_code():
    body = "Invoice 73310 for R12,400.00 is due on 20 July. Could you pay by then?"
    assert not findings(body, "jargon")


# ---------------------------------------------------------------- follow-up


@pytest.mark.parametrize(
    "body",
    ["Remittance advice for the 30 June run attached.",
     "Credit note CN-118 attached as requested.",
     "Here is the copy again, attached."],
)  # fmt: skip
def test_a_document_handed_over_in_a_few_words_closes_the_matter(body):
    message = "Could you send me the document, please?"
    assert "follow_up" not in categories(body, customer_message=message)


def test_working_days_in_short_are_a_time_frame():
    body = "I will set up the new account within 5 WD and confirm it to you."
    assert "follow_up" not in categories(body)


def test_a_corrected_account_needs_no_next_step():
    body = "The payment had gone to another account. It has been corrected, and the account now "
    body += "shows paid. The reminder can be disregarded."
    assert "follow_up" not in categories(body, invoices=[OPEN])


def test_markers_list_is_still_exported():
    assert any("annoying" in marker for marker in FRUSTRATION_MARKERS)


# ---------------------------------------------------------------- greeting, threat, closing


@pytest.mark.parametrize(
    "greeting", ["Goedemorgen Mira,", "Buongiorno Mira,", "Hyvää päivää Mira,"]
)
def test_a_foreign_greeting_ending_on_the_name_greets(greeting):
    body = "Invoice 73310 will be paid on Tuesday 21 July."
    assert not findings(body, "greeting", greeting=greeting, invoices=[OPEN])


@pytest.mark.parametrize(
    "body",
    ["Further deliveries to your warehouse will be put on hold until it is paid.",
     "Any more delay could lead to your account being frozen.",
     "Otherwise we will have to stop weekly pick-ups from your site until the balance is paid."],
)  # fmt: skip
def test_soft_threats_in_a_first_reminder(body):
    assert "threat" in categories(body, reminder_level=0, invoices=[OPEN])


def test_naming_who_wrote_an_earlier_letter_is_no_threat():
    body = (
        "I'm sorry about that letter: it was sent by our collections team by mistake. Could you "
        "let me know by Friday 24 July when invoice 73310 will be paid?"
    )
    assert "threat" not in categories(body, reminder_level=0, invoices=[OPEN])


def test_thanks_without_a_subject_is_still_thanks():
    body = "Invoice 73310 will be paid on Tuesday 21 July."
    closing = "Really appreciate your help with the audit.\n\nOskar"
    assert "closing" not in categories(body, closing=closing, invoices=[OPEN])


def test_a_chain_of_short_clauses_joined_by_and_a_subject_is_not_too_long():
    body = (
        "What we have changed: every refund request is now logged on the day it arrives and "
        "checked against the original booking within one working day, and a second colleague "
        "approves the amount before any refund leaves our account."
    )
    assert not [f for f in findings(body, "clarity") if f.rule == "Clarity.LongSentence"]
