"""The general rules added after heldout-v16 for accuracy, follow-up and critical needs,
each tried on wordings of its own (not the labelled replies'): a date said of the
reader's next payment, unit prices set against another figure or named as another
document's, a due date the reader may "treat as" another, a number an invoice was reissued
under (wherever the reply names it again); what happened told as a device that timed out,
an automatic step that missed it, a reference cut short, a document made from an old
source, a figure typed instead of another; a fix already attached as a credit note; a
prevention only asked of the customer; a step waiting on a third party "until I hear from
them"; and as nothing left to date: a due date moved for the reader, a credit memo posted
today, "Done.", no further reminders, how to quote the reference, a payment not to make."""

import pytest

from tests.coach import helpers

INVOICE = {"number": "KL-2026-0311", "amount": "4380.00", "currency": "EUR",
           "due_date": "2026-05-12", "status": "open"}  # fmt: skip
CLOSING = "Thank you for your business.\n\nKind regards,\nTomas"


def categories(body, invoices=(INVOICE,), **context):
    return helpers.categories(body, closing=CLOSING, invoices=list(invoices), **context)


# ---------------------------------------------------------------- accuracy


@pytest.mark.parametrize(
    "sentence",
    ["The EUR 40.00 left open can simply go with your next payment, due by 20 June.",
     "The only open point was the unit price: EUR 8.20 per crate on your invoice against "
     "EUR 7.95 on our purchase order.",
     "Invoice KL-2026-0311 stopped on price, EUR 8.20 invoiced vs EUR 7.95 in the quote.",
     "As it reached you late, please treat the due date of KL-2026-0311 as 30 June.",
     "I have cancelled KL-2026-0311 and reissued it to your new address as KL-2026-0347. "
     "Please pay against KL-2026-0347 only.",
     "It was reposted to the Leeds entity, new number KL-2026-0347."],
)  # fmt: skip
def test_figures_of_another_document_or_date_are_not_slips(sentence):
    assert "accuracy" not in categories(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["Invoice KL-2026-0311 is due on 20 June.",
     "It goes in our next payment run, and invoice KL-2026-0311 is due on 20 June.",
     "Invoice KL-2026-0311 for EUR 4,830.00 is approved.",
     "Please pay invoice KL-2026-0347 by Friday 15 May."],
)  # fmt: skip
def test_the_case_invoice_misstated_is_still_a_slip(sentence):
    assert "accuracy" in categories(sentence)


# ---------------------------------------------------------------- critical needs

FIX = "I refunded the second charge today; it will be back on your card by Friday 12 June."
PREVENTION = "From now on a second person checks every manual payment before it is released."


@pytest.mark.parametrize(
    "what",
    ["The card reader at our front desk timed out, so the payment went through twice.",
     "Our bank dropped part of your reference, and our automatic matching missed it.",
     "The bank truncated your reference on the way to us.",
     "The invoice was raised from the original order for 500 units, later cut to 300.",
     "I typed EUR 3,480.00 instead of EUR 4,380.00 when I set up the payment."],
)  # fmt: skip
def test_what_happened_in_other_words(what):
    assert "critical_needs" not in categories(f"I am sorry. {what}\n\n{FIX} {PREVENTION}",
                                              incident=True)  # fmt: skip


def test_an_apology_alone_does_not_say_what_happened():
    assert "critical_needs" in categories(f"I am sorry about this.\n\n{FIX} {PREVENTION}",
                                          incident=True)  # fmt: skip


def test_a_credit_note_already_attached_is_the_fix():
    what = "Your account had not been moved to the 2026 price list, so the old price was used."
    for fix in ("I've attached a credit note for EUR 500.00 cancelling the difference.",
                "The credit note for EUR 500.00 is attached."):  # fmt: skip
        assert "critical_needs" not in categories(f"{what} {fix} {PREVENTION}", incident=True)


def test_a_prevention_only_asked_of_the_customer_is_none():
    what = "The reference on your transfer did not match, which is why it was not linked."
    done = "I have allocated it by hand today and your account is clear."
    asked = "To avoid this in future, please always quote the invoice number on transfers."
    assert "critical_needs" in categories(f"{what} {done} {asked}", incident=True)
    ours = "To avoid this in future, we now check unmatched payments every morning."
    assert "critical_needs" not in categories(f"{what} {done} {ours}", incident=True)


# ---------------------------------------------------------------- follow-up


def test_waiting_on_a_third_party_sets_no_time():
    body = ("Invoice KL-2026-0311 has been on hold since 3 May. I have asked our site team "
            "what is missing and will get back to you as soon as I hear from them.")  # fmt: skip
    assert "follow_up" in categories(body)
    dated = body + " You will have an answer from me by Thursday 14 May."
    assert "follow_up" not in categories(dated)


@pytest.mark.parametrize(
    "body",
    ["The invoice reached the wrong inbox, so I have moved the due date to 30 June for you.",
     "I've posted a credit memo for EUR 380.00 today; EUR 4,000.00 remains open.",
     "Done. The invoice has been reversed and reposted to your Leeds entity.",
     "The invoice is closed, and no further reminders will be sent.",
     "Our bank details are on the attached invoice. Please quote KL-2026-0311 as the "
     "reference so the payment is matched.",
     "The new invoice is attached. Please do not pay the cancelled one."],
)  # fmt: skip
def test_nothing_left_to_date(body):
    assert "follow_up" not in categories(body)


def test_a_step_still_to_come_still_needs_its_date():
    assert "follow_up" in categories("We will look at the price list and come back to you.")
    held = ("I have put the invoice on hold so no more reminders will be sent, and asked our "
            "crew to go back and finish the job.")  # fmt: skip
    assert "follow_up" in categories(held)
