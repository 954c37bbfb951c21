"""The general rules added after heldout-v18 for accuracy, each tried on wordings of its own
(not the labelled replies'), by the rules alone.

A figure is judged as the invoice's only when the reply states it as such. Not the invoice's:
an instalment's date in a plan set out as a list or said of a part ("EUR 700.00 due 15
July"), a date counted from the due date ("ten days after its due date, which is ..."), a new
date the reader may "treat it as due" on, a count after "invoices" ("we pay invoices 45 days
after receipt"), a unit price "against" another one in a one-letter currency ("R 96.00"), an
amount bound by "on"/"for" to the case's other invoice named after it, what "we deducted from"
an invoice, a dollar amount in any dollar currency. Claims of it: the "original" invoice a
correction replaces, a total of the invoices the reply itself lists, the payment date "as in
our agreement", and amounts in Indian grouping without a currency code (4,27,000.00).
"""

import pytest

from tests.coach.helpers import RULES_ALONE, findings

ONE = {"number": "KT-5520", "amount": "2100.00", "currency": "EUR", "due_date": "2026-06-12",
       "status": "open"}  # fmt: skip
TWO = [
    {"number": "KT-5520", "amount": "2100.00", "currency": "EUR", "due_date": "2026-06-12",
     "status": "open"},
    {"number": "KT-5577", "amount": "1900.00", "currency": "EUR", "due_date": "2026-07-10",
     "status": "open"},
]  # fmt: skip


def accuracy(body, invoices=(ONE,), **context):
    found = findings(body, "accuracy", rules=RULES_ALONE, invoices=list(invoices), **context)
    return [f.rule for f in found]


# ---------------------------------------------------------------- due dates


@pytest.mark.parametrize(
    "body",
    [
        "As we agreed on the phone, KT-5520 will be paid as follows:\n\n"
        "- EUR 700.00 paid 10 June 2026\n- EUR 700.00 due Friday 10 July 2026\n"
        "- EUR 700.00 due Monday 10 August 2026",
        "For KT-5520, the EUR 1,050.00 still open is now due on 26 June.",
        "Our terms let us stop deliveries ten days after the due date, which for KT-5520 would be "
        "22 June.",
        "Interest starts thirty days past its due date, which for KT-5520 falls on 12 July.",
        "Since the copy only reached you today, please treat it as due on Friday 3 July.",
        "KT-5520 can be paid as if it were issued today, so consider it due 30 days from today, "
        "on 24 July.",
    ],
)
def test_a_date_of_a_part_or_counted_from_the_due_date_is_not_the_due_date(body):
    assert accuracy(body) == []


@pytest.mark.parametrize(
    "body",
    [
        "KT-5520 for EUR 2,100.00 is due on 21 June.",
        "The payment date for KT-5520 is 12 July 2026, as set out in our contract.",
        "Please note that the EUR 2,100.00 of KT-5520 is due on 12 July.",
    ],
)
def test_a_wrong_due_date_of_the_invoice_is_still_flagged(body):
    assert accuracy(body) == ["Accuracy.DueDate"]


@pytest.mark.parametrize("amount", ["EUR 2,010.00", "EUR 2,200.00", "EUR 210.00"])
def test_the_invoices_amount_misstated_still_has_the_invoices_due_date(amount):
    # A slip in the amount is no instalment of its own: both slips are reported.
    body = f"KT-5520 for {amount} falls due on 21 June."
    assert sorted(accuracy(body)) == ["Accuracy.Amount", "Accuracy.DueDate"]


def test_a_part_left_one_digit_off_the_invoice_keeps_its_own_date():
    assert accuracy("For KT-5520, the EUR 1,100.00 still open is now due on 26 June.") == []


def test_a_payment_date_without_the_contract_is_our_own_plan():
    assert accuracy("The payment date for KT-5520 is 19 June, in our Friday run.") == []


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    "body",
    [
        "KT-5520 is on hold: the valves are invoiced at R 96.00 against R 91.00 on our order.",
        "KT-5520 is settled, which leaves EUR 300.00 open plus EUR 1,900.00 on KT-5577.",
        "The EUR 210.00 we deducted from KT-5520 was a credit note you had already given us.",
        "KT-5520 was paid in part, $1,050.00 of $2,100.00, and the rest follows on Friday.",
    ],
)
def test_a_figure_set_beside_the_invoice_or_bound_to_another_is_not_flagged(body):
    invoices = TWO if "KT-5577" in body else [{**ONE, "currency": "TTD"}] if "$" in body else [ONE]
    assert accuracy(body, invoices) == []


def test_what_we_withheld_as_a_clause_with_an_object_is_still_the_invoice_amount():
    body = "On KT-5520 for EUR 2,010.00 we withheld 5% tax, as the law requires."
    assert accuracy(body) == ["Accuracy.Amount"]


@pytest.mark.parametrize(
    "body",
    [
        "I've attached a corrected invoice replacing the original EUR 2,190.00 one.",
        "The credit note cancels the original invoice of EUR 2,010.00 in full.",
    ],
)
def test_the_original_invoice_a_correction_replaces_is_the_ledgers(body):
    assert accuracy(body) == ["Accuracy.Amount"]


def test_the_original_amount_right_is_not_flagged():
    body = "I've attached a corrected invoice replacing the original EUR 2,100.00 one."
    assert accuracy(body) == []


def test_a_total_of_the_listed_invoices_one_digit_off_is_a_slip():
    body = "Open are KT-5520 (EUR 2,100.00) and KT-5577 (EUR 1,900.00), EUR 4,100.00 in total."
    assert accuracy(body, TWO) == ["Accuracy.Amount"]
    right = "Open are KT-5520 (EUR 2,100.00) and KT-5577 (EUR 1,900.00), EUR 4,000.00 in total."
    assert accuracy(right, TWO) == []


def test_an_amount_in_indian_grouping_is_read():
    lakh = {"number": "KT-5520", "amount": "385000.00", "currency": "INR",
            "due_date": "2026-06-12", "status": "open"}  # fmt: skip
    assert accuracy("Invoice KT-5520 for Rs 3,58,000.00 is still open.", [lakh]) == [
        "Accuracy.Amount"
    ]
    assert accuracy("Invoice KT-5520 for Rs 3,85,000.00 is still open.", [lakh]) == []


# ---------------------------------------------------------------- invoice numbers


@pytest.mark.parametrize(
    "body",
    [
        "We pay invoices 45 days after we receive them, so KT-5520 goes out on 12 June.",
        "Invoices 10% above the order need the buyer's approval; KT-5520 is within it.",
    ],
)
def test_a_count_after_invoices_is_no_invoice_number(body):
    assert accuracy(body) == []


def test_an_unknown_invoice_number_is_still_flagged():
    assert accuracy("Invoice 5530 is approved for payment.") == ["Accuracy.InvoiceNumber"]


# ---------------------------------------------------------------- older parts, same classes


@pytest.mark.parametrize(
    "body",
    [
        "KT-5520 is held because it exceeds the purchase order by EUR 120.00.",
        "From now on any manually entered supplier invoice over EUR 5,000.00 is checked twice.",
    ],
)
def test_a_difference_by_or_a_threshold_is_not_the_invoice_amount(body):
    assert accuracy(body) == []


def test_a_total_of_some_invoices_with_digits_reordered_is_a_slip():
    three = [*TWO, {"number": "KT-5601", "amount": "650.00", "currency": "EUR",
                    "due_date": "2026-07-31", "status": "open"}]  # fmt: skip
    body = ("KT-5520 (EUR 2,100.00) is paid; KT-5577 (EUR 1,900.00) and KT-5601 (EUR 650.00) "
            "are open.\n\nTotal outstanding: EUR 2,505.00.")  # fmt: skip
    assert accuracy(body, three) == ["Accuracy.Amount"]
    assert accuracy(body.replace("2,505.00", "2,550.00"), three) == []


def test_a_balance_made_up_of_the_listed_invoices_is_their_total():
    body = "The balance is EUR 4,100.00, made up of KT-5520 (EUR 2,100.00) and KT-5577 (1,900.00)."
    assert accuracy(body, TWO) == ["Accuracy.Amount"]
    assert accuracy(body.replace("4,100.00", "4,000.00"), TWO) == []


def test_a_full_refund_gives_back_the_invoice_amount():
    body = "You are entitled to a full refund, so I have refunded EUR 2,010.00 for KT-5520."
    assert accuracy(body) == ["Accuracy.Amount"]
    assert accuracy("I have refunded EUR 210.00 for KT-5520, the unused month.") == []


def test_due_and_paid_on_one_date_claims_the_due_date():
    assert accuracy("KT-5520 (EUR 2,100.00) was due and paid 19 June.") == ["Accuracy.DueDate"]
    assert accuracy("KT-5520 (EUR 2,100.00) was due 12 June and paid 19 June.") == []
