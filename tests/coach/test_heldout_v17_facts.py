"""The general rules added after heldout-v17 for accuracy, follow-up and critical needs,
each tried on wordings of its own (not the labelled replies'): a share of an invoice
worked out from a rate said anywhere in the conversation (or "half"), the new total of a
corrected invoice after a figure taken off, a list or unit price, and a refund of a charge
taken twice one digit off it; a step not dated by a routine of ownership ("personally
from now on"), a step already taken "this morning", a statement "as at" a date, nothing
needed from the reader "for now", a record matched and "sent for approval", an old bank
account "closed", evidence attached while the answer is still open, a standard "you
should get"; dated by "at which point" after a date, and an open phrase only quoted; a fix
"scheduled for payment", "still" paid, arriving "in your account", set out under a heading
with its dates or headed as done; a prevention for a class of payments "now reviewed", a
class of suppliers "now asked"; the cause "because their ..." and the reader's own
chasing "twice" not taken for what happened."""

import pytest

from tests.coach.helpers import RULES_ALONE, categories

INVOICE = {"number": "KL-2026-0311", "amount": "4380.00", "currency": "EUR",
           "due_date": "2026-06-20", "status": "open"}  # fmt: skip
CLOSING = "Thank you for your business.\n\nKind regards,\nTomas"


def found(body, invoices=(INVOICE,), **context):
    return categories(body, closing=CLOSING, rules=RULES_ALONE, invoices=list(invoices), **context)


# ---------------------------------------------------------------- accuracy


@pytest.mark.parametrize(
    ("message", "sentence"),
    [("We have paid KL-2026-0311 less the 5% tax we must withhold.",
      "The EUR 219.00 for KL-2026-0311 stays open until your tax certificate reaches us."),
     ("Could we split it?",
      "Of course: half of KL-2026-0311 now (EUR 2,190.00) and half by 30 June."),
     ("This invoice is our 50% deposit for the whole order.",
      "We will pay the full EUR 8,760.00 for KL-2026-0311 on delivery instead."),
     ("Why is there a delivery charge?",
      "I have taken off the EUR 80.00 delivery charge. A corrected invoice KL-2026-0311 for "
      "EUR 4,300.00 will follow by Friday 15 May."),
     ("The unit price is wrong.",
      "Invoice KL-2026-0311 used our list price of EUR 146.00 by mistake.")],
)  # fmt: skip
def test_figures_the_conversation_explains_are_not_slips(message, sentence):
    assert "accuracy" not in found(sentence, customer_message=message)


@pytest.mark.parametrize(
    ("message", "sentence"),
    [("Hello.", "A corrected invoice KL-2026-0311 for EUR 4,830.00 will follow by Friday."),
     ("You took EUR 4,380.00 from our account twice.",
      "I have refunded EUR 4,330.00 for the second debit on KL-2026-0311 today.")],
)  # fmt: skip
def test_a_corrected_invoice_or_refund_misstated_is_still_a_slip(message, sentence):
    assert "accuracy" in found(sentence, customer_message=message)


# ---------------------------------------------------------------- follow-up


@pytest.mark.parametrize(
    "body",
    ["I've chased the warehouse this morning, and they will send the proof of delivery once "
     "it has been scanned.",
     "I will look after your account personally from now on, and I'll update you when the "
     "credit note is raised.",
     "That is not the answer you should get from us. The buyers will confirm the new price "
     "as soon as they can.",
     "I have asked our ledger team for a statement as at 30 April; they will send it once it "
     "is ready.",
     "Nothing is needed from you for now. Our buyer will ring you to confirm the new details.",
     "I have now matched the payment to the order and sent it for approval. It will then go "
     "in a payment run.",
     "As your old account is closed, the bank will return the money to us and we will pay "
     "it again.",
     "The carrier's damage report is attached. We will decide on the credit after we have "
     "spoken to them."],
)  # fmt: skip
def test_steps_left_without_a_date_of_their_own(body):
    assert "follow_up" in found(
        body, customer_message="Why has invoice KL-2026-0311 not been paid?"
    )


@pytest.mark.parametrize(
    ("message", "body"),
    [("Where is the proof of delivery?",
      "I've chased the warehouse, and they will send the proof of delivery this afternoon."),
     ("Please send a statement.",
      "Our ledger team will send you a statement as at 30 April by Friday 8 May."),
     ("Could you send us a copy of KL-2026-0311?", "Copy of KL-2026-0311 attached as requested."),
     ("When will it be paid?",
      "KL-2026-0311 stays on hold until its net due date of 20 June, at which point it will "
      "be paid automatically."),
     ("I was told three times that you are looking into it.",
      'You were told "we\'ll look into it" three times. I\'ve looked into it myself this '
      "morning.\n\nI will call you on Thursday 14 May with what I found.")],
)  # fmt: skip
def test_steps_dated_or_matters_closed_need_no_date(message, body):
    assert "follow_up" not in found(body, customer_message=message)


# ---------------------------------------------------------------- critical needs

WHAT = "Our clerk keyed the payment to the wrong supplier."
FIX = "I have arranged an urgent payment to your account; it will be with you by Friday 15 May."
PREVENTION = "From now on a second person checks every bank change before it is used."


@pytest.mark.parametrize(
    "fix",
    ["The EUR 4,380.00 is scheduled for payment on Friday 15 May.",
     "We will still pay you the full amount again today, to the account you gave us.",
     "The refund should reach your account by Thursday 14 May.",
     "What we are doing:\n1. KL-2026-0311 at the contract rate, by Friday 15 May.\n2. A call "
     "from me on Monday 18 May to go through it.",
     "What I've done: a credit for the full amount on KL-2026-0311, and no late charges."],
)  # fmt: skip
def test_fix_worded_as_a_schedule_an_arrival_or_a_heading(fix):
    assert "critical_needs" not in found(f"{WHAT}\n\n{fix}\n\n{PREVENTION}", incident=True)


@pytest.mark.parametrize(
    "prevention",
    ["Payments that do not match an open invoice are now reviewed by hand.",
     "We have now asked all suppliers to send bank changes to our accounts team only."],
)  # fmt: skip
def test_prevention_for_a_class_of_payments_or_people(prevention):
    assert "critical_needs" not in found(f"{WHAT} {FIX} {prevention}", incident=True)


def test_prevention_not_said_is_still_missing():
    body = f"{WHAT} {FIX} Payments are released once they are approved."
    assert "critical_needs" in found(body, incident=True)


def test_cause_named_with_their_is_what_happened():
    what = "The money came back to us because their bank was merging its systems."
    assert "critical_needs" not in found(f"{what} {FIX} {PREVENTION}", incident=True)


@pytest.mark.parametrize(
    "chasing", ["I'm sorry you had to write to us twice.", "I'm sorry you called twice."]
)
def test_the_readers_own_chasing_is_not_what_happened(chasing):
    assert "critical_needs" in found(f"{chasing} {FIX} {PREVENTION}", incident=True)


def test_a_document_received_twice_is_what_happened():
    what = "Your invoice reached us twice and both copies were paid."
    assert "critical_needs" not in found(f"{what} {FIX} {PREVENTION}", incident=True)
