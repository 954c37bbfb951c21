"""The general rules added after heldout-v19 for accuracy, each tried on wordings of its own
(not the labelled replies'), by the rules alone.

Claims of the ledger's facts: a due date said of an invoice not named by number ("the
hosting invoice is due ...") when all the case's invoices fall due on one day; a line of
prose after a listed breakdown is no longer a line of it; what is "outstanding" on several
invoices with the digits of their total reordered; an invoice number of digits and
separators one slip away from a case's ("2026-4418" for "2026-4481").

Not the invoice's figures: a figure of another document named before it ("the quote was",
"our purchase order (EUR 4.10)", "the unit price (EUR 4.20)"), the figure an invoice is
changed to ("will be reduced to"), an amount paid at intervals ("a fortnight", "every two
weeks", "monthly"), a payment in another currency that the sentence says was converted or
that the customer says they sent in it, and goods "due at our depot" or "due to arrive".
"""

import pytest

from tests.coach.helpers import RULES_ALONE, findings

ONE = {"number": "KT-5520", "amount": "2100.00", "currency": "EUR", "due_date": "2026-06-12",
       "status": "open"}  # fmt: skip
SAME_DAY = [
    {"number": "HX-7101", "amount": "900.00", "currency": "EUR", "due_date": "2026-07-10",
     "status": "open"},
    {"number": "HX-7102", "amount": "450.00", "currency": "EUR", "due_date": "2026-07-10",
     "status": "open"},
]  # fmt: skip
TWO_DAYS = [SAME_DAY[0], {**SAME_DAY[1], "due_date": "2026-08-03"}]
PAIR = [
    {"number": "AC-310", "amount": "1250.00", "currency": "EUR", "due_date": "2026-05-29",
     "status": "overdue"},
    {"number": "AC-344", "amount": "1375.00", "currency": "EUR", "due_date": "2026-06-26",
     "status": "overdue"},
]  # fmt: skip
DASHED = {"number": "2026-4481", "amount": "760.00", "currency": "EUR", "due_date": "2026-06-30",
          "status": "paid"}  # fmt: skip


def accuracy(body, invoices=(ONE,), **context):
    found = findings(body, "accuracy", rules=RULES_ALONE, invoices=list(invoices), **context)
    return [f.rule for f in found]


# ---------------------------------------------------------------- due dates


@pytest.mark.parametrize(
    "body",
    ["The hosting invoice is due on 3 August, and the support one a week later.",
     "The smaller of the two is payable by 31 July.",
     "There are two invoices:\n\n- HX-7101: hosting\n- HX-7102: support\n\n"
     "The support invoice is due on 3 August."],
)  # fmt: skip
def test_a_due_date_of_an_unnamed_invoice_when_all_fall_due_on_one_day(body):
    assert accuracy(body, SAME_DAY) == ["Accuracy.DueDate"]


@pytest.mark.parametrize(
    ("body", "invoices"),
    [("The hosting invoice is due on 10 July, and so is the support one.", SAME_DAY),
     ("The support invoice is due on 3 August.", TWO_DAYS),
     ("We'll pay it as follows:\n\n- EUR 450.00 due 3 August\n- EUR 450.00 due 3 September",
      SAME_DAY)],
)  # fmt: skip
def test_no_due_date_claim_to_check(body, invoices):
    assert accuracy(body, invoices) == []


@pytest.mark.parametrize(
    "body",
    ["The pallets for KT-5520 are due at our Rotterdam depot on Tuesday 2 June.",
     "The spare parts are due to arrive on 2 June, and KT-5520 will be paid after that.",
     "The cabinets are due for installation on 2 June.",
     "The order is due at the warehouse on 2 June."],
)  # fmt: skip
def test_goods_due_somewhere_are_a_delivery_not_the_invoice(body):
    assert accuracy(body) == []


@pytest.mark.parametrize(
    "body",
    ["KT-5520 is due on 2 June.",
     "KT-5520 is due at the end of the week, on 2 June."],
)  # fmt: skip
def test_the_invoice_itself_said_to_be_due(body):
    assert accuracy(body) == ["Accuracy.DueDate"]


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    "body",
    ["We can take EUR 300 a fortnight against KT-5520 from 5 June.",
     "Paying KT-5520 at EUR 350 every two weeks is fine with us.",
     "We'll collect EUR 700.00 monthly on KT-5520 until it is cleared.",
     "For KT-5520 the quote was EUR 1,800.00, so I have asked for it to be checked.",
     "On KT-5520 the unit price (EUR 4.20) differs from our purchase order (EUR 4.10).",
     "Invoice KT-5520 matches the estimate of EUR 2,000.00 plus the extra visit.",
     "Invoice KT-5520 will be reduced to EUR 1,800.00 and a new copy sent on Friday.",
     "We have corrected the invoice to EUR 1,950.00 and cancelled the old KT-5520."],
)  # fmt: skip
def test_figures_the_reply_does_not_state_as_the_invoice_amount(body):
    assert accuracy(body) == []


@pytest.mark.parametrize(
    "body",
    ["Invoice KT-5520 was EUR 1,800.00.",
     "Invoice KT-5520 comes to EUR 1,800.00 in all.",
     "Invoice KT-5520 for EUR 300.00 is approved for payment."],
)  # fmt: skip
def test_an_amount_stated_as_the_invoices(body):
    assert accuracy(body) == ["Accuracy.Amount"]


@pytest.mark.parametrize(
    ("body", "message"),
    [("We received GBP 1,820.00 for KT-5520, which our bank converted to EUR 2,093.40.", ""),
     ("Thanks, we received GBP 1,820.00 for KT-5520 on 4 June.",
      "Our treasury paid KT-5520 in pounds by mistake, sorry!")],
)  # fmt: skip
def test_a_payment_in_another_currency_is_no_wrong_currency(body, message):
    assert accuracy(body, customer_message=message) == []


@pytest.mark.parametrize(
    "body",
    ["Thanks, we received GBP 1,820.00 for KT-5520 on 4 June.",
     "Invoice KT-5520 (GBP 2,100.00) is approved."],
)  # fmt: skip
def test_another_currency_neither_converted_nor_sent_by_the_customer(body):
    assert accuracy(body, customer_message="Has KT-5520 been paid?") == ["Accuracy.Amount"]


@pytest.mark.parametrize(
    "body",
    ["Outstanding is EUR 2,652.00: AC-310 for EUR 1,250.00 and AC-344 for EUR 1,375.00.",
     "The account has EUR 2,265.00 overdue across AC-310 and AC-344."],
)  # fmt: skip
def test_what_is_owed_with_the_total_digits_reordered(body):
    assert accuracy(body, PAIR) == ["Accuracy.Amount"]


@pytest.mark.parametrize(
    "body",
    ["Outstanding is EUR 2,625.00: AC-310 for EUR 1,250.00 and AC-344 for EUR 1,375.00.",
     "After your EUR 100.00 on Monday, the balance open on AC-310 and AC-344 is EUR 2,525.00."],
)  # fmt: skip
def test_what_is_owed_adds_up(body):
    assert accuracy(body, PAIR) == []


# ---------------------------------------------------------------- invoice numbers


@pytest.mark.parametrize(
    "body",
    ["The EUR 760.00 covers 2026-4418 and is now closed on our side.",
     "Your payment cleared 2026-4581 in full."],
)  # fmt: skip
def test_a_dashed_number_one_slip_from_the_cases(body):
    assert accuracy(body, [DASHED]) == ["Accuracy.InvoiceNumber"]


@pytest.mark.parametrize(
    "body",
    ["The EUR 760.00 covers 2026-4481 and is now closed on our side.",
     "Your payment of 2026-06-18 cleared it in full.",
     "Your reference 2025-0093 was on the transfer, so it matched easily."],
)  # fmt: skip
def test_a_dashed_number_that_is_no_slip(body):
    assert accuracy(body, [DASHED]) == []
