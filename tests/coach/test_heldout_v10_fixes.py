"""The general rules added after the heldout-v10 freeze, each tried on wordings of its own
(not the labelled replies'): next steps dated anywhere in the reply and matters closed by
what was done, incident answers in the passive, under numbered headings or as a noun
phrase, brush-offs and soft threats built from a subject, a verb family and an object,
plain enquiries that score negative, shares and thresholds beside the invoice amount,
foreign salutations, typos inside thanks, and codes named by what they classify."""

import pytest

from ledgerdesk.coach import review
from ledgerdesk.coach.context import parse_context
from ledgerdesk.coach.document import Document
from ledgerdesk.coach.engine import run_rules
from ledgerdesk.coach.ruleset import load_rules
from tests.coach.helpers import writer

OPEN = {"number": "61200", "amount": "480.00", "currency": "EUR", "due_date": "2026-07-10",
        "status": "open"}  # fmt: skip
PAID = {**OPEN, "status": "paid"}
OVERDUE = {**OPEN, "status": "overdue"}


categories, findings, _ = writer("Rosa Lind", "Hi Rosa,", "Thanks for your help,\nIvo")


# ---------------------------------------------------------------- follow-up


@pytest.mark.parametrize(
    "body",
    ["Please settle the EUR 480.00 no later than 20 July.",
     "Kindly transfer the balance by Monday 13 July.",
     "The full amount is payable by 31 July.",
     "With the early-payment terms you may deduct 3% if the money is with us by 17 July.",
     "Cancellations are refunded within 7 business days.",
     "The transfer leaves our bank on Thursday 9 July, and it usually lands in 2-3 days.",
     "Invoice 61200 sits in the proposal for 16.07. The money goes out on that date."],
)  # fmt: skip
def test_a_step_dated_anywhere_in_the_reply_is_a_next_step(body):
    assert "follow_up" not in categories(body, invoices=[OPEN])


@pytest.mark.parametrize(
    "body",
    ["Your transfer of EUR 480.00 clears invoice 61200 in full.",
     "We confirm the amount was received, and no further balance remains outstanding.",
     "Nothing is outstanding on your account now."],
)  # fmt: skip
def test_a_debt_settled_closes_the_matter(body):
    assert "follow_up" not in categories(body, invoices=[PAID])


def test_a_plain_answer_to_the_customers_question_closes_it():
    body = "Confirmed: the EUR 480.00 that came in on 2 July belongs to invoice 61200."
    message = "Hello, which invoice is the EUR 480.00 from 2 July for?"
    assert "follow_up" not in categories(body, invoices=[PAID], customer_message=message)


def test_an_answer_does_not_excuse_an_undated_step_of_ours():
    body = "Yes, the refund is fine. We'll sort it out."
    message = "Can you refund the second payment?"
    assert "follow_up" in categories(body, invoices=[PAID], customer_message=message)


def test_a_past_date_beside_an_undated_request_is_no_time_frame():
    body = (
        "Invoice 61200, which fell due for payment on 10 June, is open, and we would be "
        "grateful if you could arrange payment at your earliest convenience."
    )
    assert "follow_up" in categories(body, invoices=[OVERDUE])


def test_a_delivery_with_a_request_still_needs_its_date():
    body = "The inspection notes are attached; please read them and come back to me."
    assert "follow_up" in categories(body, invoices=[PAID])


def test_a_dated_threat_alone_is_no_next_step():
    # The rules' judgement: since the heldout-v11 retraining the learned layer vetoes
    # this follow-up finding (reported to the lead).
    body = "Invoice 61200 was due on 10 June. Failure to pay by 20 July may hurt your rating."
    text = f"Hi Rosa,\n\n{body}\n\nThanks for your help,\nIvo"
    ctx = parse_context({"contact_name": "Rosa Lind", "invoices": [OVERDUE]})
    found = run_rules(Document(text), ctx, load_rules("en"))
    assert "follow_up" in {f.category for f in found}


def test_a_misspelt_attachment_still_delivers():
    body = "Please find atached the copy of invoice 61200 you asked for."
    message = "Could you send me a copy of invoice 61200?"
    assert "follow_up" not in categories(body, invoices=[OPEN], customer_message=message)


# ---------------------------------------------------------------- critical needs

INCIDENT = {"incident": True, "invoices": [OPEN]}


@pytest.mark.parametrize(
    "body",
    ["1. What happened: the VAT flag was not switched on in your record.\n"
     "2. Fix: the corrected invoice will reach you by 8 July.\n"
     "3. Prevention: the flag is now checked on every new record.",
     "The short payment came from a rounding setting that was never set up for EUR. The "
     "missing EUR 4.80 goes out today. Our payment system now rejects an unrounded total.",
     "We entered 61200 as EUR 48.00 instead of EUR 480.00. I've sent the remaining EUR "
     "432.00 today. From this week every keyed amount is compared with the PDF.",
     "The credit was posted by our billing team without checking the reference. A replacement "
     "credit note, with the right reference on it, will follow by 9 July. What changes: from "
     "Monday every credit is reviewed against the order."],
)  # fmt: skip
def test_incident_answers_in_other_words(body):
    assert not findings(body, "critical_needs", **INCIDENT)


def test_a_colleague_missing_the_agents_inbox_is_not_what_happened():
    body = (
        "Sorry for the wait; my colleague didn't pick up my inbox while I was away. The payment "
        "bounced, and I have updated your bank details. The EUR 480.00 will go out on 8 July."
    )
    assert findings(body, "critical_needs", **INCIDENT)


# ---------------------------------------------------------------- blame


@pytest.mark.parametrize(
    "body",
    ["Refund requests are dealt with by the returns desk, not by accounts payable. "
     "I'll copy them in today.",
     "I'm honestly not the right contact for VAT questions. Write to tax@example.com today.",
     "There is really nothing I can do about the approval queue. It is paid on 3 July.",
     "No order number, no payment: that is our policy and our team can't make exceptions. "
     "Please send the number by 3 July.",
     "As per my message of 12 June, the fee stands. I'll send the breakdown by 3 July.",
     "I've been juggling childcare and a house move this month. It is paid on 3 July.",
     "Your mail server might well have been compromised. I'll resend the details by 3 July.",
     "Our vendor self-service site is playing up, which is why it bounced. Try again on 3 July."],
)  # fmt: skip
def test_brush_offs_in_new_wordings(body):
    assert "blame" in categories(body)


def test_naming_the_team_that_helps_is_not_a_brush_off():
    body = "Refunds are handled by our returns desk, and I've asked them to pay you by 3 July."
    assert "blame" not in categories(body)


# ---------------------------------------------------------------- threat

FIRST = {"reminder_level": 0, "invoices": [OVERDUE]}


@pytest.mark.parametrize(
    "body",
    ["If it stays unpaid, we will have to deactivate your school's portal login.",
     "We may need to place the clinic's bookings on hold until it is paid.",
     "Our system blocks new orders for customers with overdue invoices.",
     "Renewals can only be processed for accounts without open balances.",
     "A late fee of 2.5% a month will be added from 15 July.",
     "Debts older than 60 days are reported to the credit register."],
)  # fmt: skip
def test_soft_threats_in_a_first_reminder(body):
    assert "threat" in categories(f"{body} Could you pay by 10 July?", **FIRST)


def test_a_friendly_first_reminder_is_no_threat():
    body = "Invoice 61200 is open on our side. Could you let me know by 10 July when it's planned?"
    assert "threat" not in categories(body, **FIRST)


# ---------------------------------------------------------------- empathy


def test_a_plain_enquiry_with_no_in_it_is_not_frustration():
    message = "Hi, a payment of EUR 480.00 came in but no advice with it. Which invoice is it?"
    body = "It pays invoice 61200 in full; the advice is attached."
    assert "empathy" not in categories(body, invoices=[PAID], customer_message=message)


def test_a_reproachful_question_is_still_frustration():
    message = (
        "Why has nobody paid invoice 61200 yet? It is a month late and I have had to delay "
        "paying my own staff because of this."
    )
    body = "Invoice 61200 is paid on 3 July."
    assert "empathy" in categories(body, invoices=[OPEN], customer_message=message)


@pytest.mark.parametrize(
    "message",
    ["I have e-mailed the form four times now and it's frankly exhausting.",
     "Is anybody even reading these? I've chased this twice already."],
)  # fmt: skip
def test_worn_out_customers_are_frustrated(message):
    body = "Invoice 61200 is paid on 3 July."
    assert "empathy" in categories(body, invoices=[OPEN], customer_message=message)


# ---------------------------------------------------------------- accuracy


def test_a_stated_share_of_the_invoice_checks_out():
    body = "We kept back 10% (EUR 48.00) of invoice 61200 and will pay it on 3 July."
    assert "accuracy" not in categories(body, invoices=[OPEN])


def test_a_wrong_share_is_still_checked():
    body = "Invoice 61200 for EUR 840.00 is paid on 3 July."
    assert "accuracy" in categories(body, invoices=[OPEN])


def test_a_threshold_and_a_dotted_date_are_not_amounts():
    body = (
        "Invoice 61200 is in the run for 10.07. From now on any invoice over EUR 5,000 "
        "gets a second check."
    )
    assert "accuracy" not in categories(body, invoices=[OPEN])


# ---------------------------------------------------------------- greeting, thanks, words


@pytest.mark.parametrize(
    "greeting", ["Sehr geehrte Frau Lind,", "Estimada Rosa,", "Dear Lind-san,"]
)  # fmt: skip
def test_greetings_in_the_readers_language_or_with_an_honorific(greeting):
    assert "greeting" not in categories("It is paid on 3 July.", greeting=greeting)


def test_the_name_spoken_to_in_the_opening_sentence_greets():
    text = "Thanks for the reminder, Rosa!\n\nIt is paid on 3 July.\n\nIvo"
    assert "greeting" not in set(review(text, {"contact_name": "Rosa Lind"}).categories)


def test_thanks_with_a_typo_still_thanks():
    closing = "We realy apreciate your business.\n\nIvo"
    assert "closing" not in categories("It is paid on 3 July.", closing=closing)


def test_a_typo_in_a_closing_line_of_thanks_is_reported():
    closing = "Thank you for your pateince,\nIvo"
    assert "spelling" in categories("It is paid on 3 July.", closing=closing)


def test_foreign_sign_offs_and_payment_slips_are_words():
    closing = "Med vennlig hilsen,\nIvo"
    body = "I can resend the boleto today, and it is paid on 3 July."
    assert "spelling" not in categories(body, closing=closing)


def test_a_term_named_after_its_description_is_explained():
    body = (
        'The invoice is waiting for a matching purchase order; we call this a "PO hold". '
        "It is paid on 3 July."
    )
    assert "jargon" not in categories(body)


@pytest.mark.parametrize(
    "body",
    ["The copy was printed from doc type F5, and it is paid on 3 July.",
     "It went out with pmt method Q on 3 July."],
)  # fmt: skip
def test_codes_named_by_what_they_classify_are_jargon(body):
    found = categories(body)
    assert "jargon" in found and "spelling" not in found


def test_a_date_named_as_the_due_date_after_it_is_checked():
    body = "Invoice 61200 is in the run for 14 July (its due date)."
    assert "accuracy" in categories(body, invoices=[OPEN])
    body = "Invoice 61200 is in the run for 10 July (its due date)."
    assert "accuracy" not in categories(body, invoices=[OPEN])


def test_a_glossary_term_after_its_full_name_is_explained():
    body = "EUR 24.00 is withholding tax (WHT), paid to the tax office. It is paid on 3 July."
    assert "jargon" not in categories(body)


def test_an_acronym_with_an_apposition_naming_it_is_explained():
    body = "It went by BLIK, the Polish mobile payment system, on 3 July."
    assert "jargon" not in categories(body)
