"""Accuracy: invoice numbers, amounts and due dates against the case's invoices."""

from datetime import date
from decimal import Decimal

import pytest

from ledgerdesk.coach import review
from ledgerdesk.coach.checks.accuracy import format_date_like, format_like, near_miss
from ledgerdesk.coach.extract import (
    find_dates,
    find_invoice_refs,
    find_money,
    parse_number_text,
    same_invoice_number,
)

ONE = {
    "contact_name": "Anna",
    "invoices": [
        {"number": "4411", "amount": "1520.00", "currency": "EUR", "due_date": "2026-05-03"}
    ],
}
TWO = {
    "contact_name": "Anna",
    "invoices": [
        {
            "number": "INV-2026-0042",
            "amount": "860.50",
            "currency": "EUR",
            "due_date": "2026-04-30",
        },
        {
            "number": "INV-2026-0057",
            "amount": "2300.00",
            "currency": "EUR",
            "due_date": "2026-05-15",
        },
    ],
}
FRAME = "Hi Anna,\n\nThank you. {} I'll send the remittance on 7 May.\n\nRegards,\nMarta"


def accuracy(sentence, context=ONE):
    text = FRAME.format(sentence)
    result = review(text, context)
    return {(f.rule, text[f.start : f.end], f.suggestion) for f in result.findings
            if f.category == "accuracy"}  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1,250.00", "1250.00"), ("1.250,00", "1250.00"), ("1 250,00", "1250.00"),
     ("1'250.50", "1250.50"), ("1250", "1250"), ("1,250", "1250"), ("12,5", "12.5"),
     ("1,250,000.50", "1250000.50"), ("abc", None)],
)  # fmt: skip
def test_it_reads_amounts_in_european_and_english_forms(raw, value):
    assert parse_number_text(raw) == (Decimal(value) if value else None)


def test_it_finds_money_with_symbols_codes_or_two_decimals_only():
    text = "EUR 1,250 and €1.520,00 and 300.00 USD and 30 days and at 10.30 and 2.50%"
    found = [(m.text, m.amount, m.currency) for m in find_money(text)]
    assert found == [
        ("EUR 1,250", Decimal("1250"), "EUR"),
        ("€1.520,00", Decimal("1520.00"), "EUR"),
        ("300.00 USD", Decimal("300.00"), "USD"),
    ]


def test_it_finds_dates_in_iso_and_written_forms():
    text = "2026-05-03, 3 May 2026, May 3rd, 2026, 3rd of May, 03/05/2026 and 3.5.2026"
    readings = [d.readings for d in find_dates(text)]
    assert readings[:4] == [((2026, 5, 3),), ((2026, 5, 3),), ((2026, 5, 3),), ((None, 5, 3),)]
    assert (2026, 5, 3) in readings[4] and (2026, 3, 5) in readings[4]
    assert len(readings) == 6


def test_a_full_stop_after_a_month_name_is_not_part_of_the_date():
    assert [d.text for d in find_dates("It is due on 15 June. Or 3 Jun. 2026.")] == [
        "15 June",
        "3 Jun. 2026",
    ]


def test_it_finds_invoice_numbers_and_lists_of_them():
    refs = [r.number for r in find_invoice_refs("invoices 12, 13 and INV-14; invoice no. 4411")]
    assert refs == ["12", "13", "INV-14", "4411"]
    assert find_invoice_refs("an invoice for 1,250.00") == []


def test_invoice_numbers_match_with_or_without_prefix_and_zeros():
    assert same_invoice_number("4411", "INV-4411")
    assert same_invoice_number("INV-004411", "INV4411")
    assert not same_invoice_number("CN-4411", "INV-4411")


def test_it_flags_the_issues_example():
    assert accuracy("Invoice 4411 for 1,250.00 is approved.") == {
        ("Accuracy.Amount", "1,250.00", "1,520.00")
    }


@pytest.mark.parametrize(
    "sentence",
    ["Invoice 4411 for 1,520.00 is approved.", "Invoice 4411 for 1.520,00 EUR is approved.",
     "Invoice 4411 (EUR 1,520) is approved.", "Invoice 4411 for €1,520.00 is approved.",
     "The amount of 1 520,00 EUR for invoice 4411 is approved.",
     "We received a part payment of EUR 500.00 for invoice 4411.",
     "The remaining balance of EUR 1,320.00 on invoice 4411 is open."],
)  # fmt: skip
def test_it_accepts_correct_amounts_in_any_form_and_partial_amounts(sentence):
    assert accuracy(sentence) == set()


def test_it_keeps_the_writers_format_in_the_suggestion():
    assert accuracy("Invoice 4411 for EUR 1.250,00 is approved.") == {
        ("Accuracy.Amount", "EUR 1.250,00", "EUR 1.520,00")
    }
    assert format_like("€1,250", Decimal("1520.00")) == "€1,520"


def test_it_flags_a_slip_of_the_amount_even_without_the_invoice_number():
    assert accuracy("The amount of 1,250.00 EUR is approved.") == {
        ("Accuracy.Amount", "1,250.00 EUR", "1,520.00 EUR")
    }
    assert near_miss(Decimal("152.00"), Decimal("1520.00"))
    assert not near_miss(Decimal("1320.00"), Decimal("1520.00"), swapped_only=True)


def test_it_flags_the_wrong_currency():
    assert {r for r, *_ in accuracy("Invoice 4411 (USD 1,520.00) is approved.")} == {
        "Accuracy.Amount"
    }


def test_it_flags_an_invoice_number_not_on_the_case():
    found = accuracy("Invoice 4414 is approved.")
    assert found == {("Accuracy.InvoiceNumber", "4414", "4411")}


def test_it_recognises_numbers_shaped_like_the_cases_invoices():
    found = accuracy("I have released INV-2026-0024 for payment.", TWO)
    assert {(r, s) for r, s, _ in found} == {("Accuracy.InvoiceNumber", "INV-2026-0024")}


def test_it_ties_each_amount_to_its_own_invoice():
    sentence = (
        "Invoice INV-2026-0042 (860.50 EUR) and invoice INV-2026-0057 (2,300.00 EUR) are due."
    )
    assert accuracy(sentence, TWO) == set()
    swapped = "Invoice INV-2026-0042 (2,300.00 EUR) and invoice INV-2026-0057 (860.50 EUR) are due."
    assert len(accuracy(swapped, TWO)) == 2


def test_the_total_of_the_cases_invoices_is_accepted():
    assert accuracy("Together, invoices INV-2026-0042 and INV-2026-0057 come to 3,160.50 EUR.",
                    TWO) == set()  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "suggestion"),
    [("Invoice 4411 is due on 5 May 2026.", "3 May 2026"),
     ("Invoice 4411, due on 2026-05-30, is approved.", "2026-05-03"),
     ("Invoice 4411 was due on May 13.", "May 3"),
     ("Invoice 4411 is due on 03/06/2026.", "03/05/2026")],
)  # fmt: skip
def test_it_flags_a_wrong_due_date(sentence, suggestion):
    found = accuracy(sentence)
    assert {(r, s) for r, _, s in found} == {("Accuracy.DueDate", suggestion)}


@pytest.mark.parametrize(
    "sentence",
    ["Invoice 4411 is due on 3 May.", "Invoice 4411 was due on 03/05/2026.",
     "Invoice 4411 was due on 5/3/2026.", "Invoice 4411 fell due on 3rd May 2026.",
     "Invoice 4411 was due on 3 May and paid on 5 May.",
     "The remaining balance is due by 20 May."],
)  # fmt: skip
def test_it_accepts_the_right_due_date_and_other_dates(sentence):
    assert accuracy(sentence) == set()


def test_it_skips_accuracy_when_the_invoices_are_unknown():
    text = FRAME.format("Invoice 9999 for 1.00 EUR was due on 1 January.")
    assert "accuracy" not in review(text, {"contact_name": "Anna"}).categories


def test_date_suggestions_follow_the_written_form():
    due = date(2026, 5, 3)
    assert format_date_like("5 May", due) == "3 May"
    assert format_date_like("May 5, 2026", due) == "May 3, 2026"
    assert format_date_like("05.06.2026", due) == "03.05.2026"


@pytest.mark.parametrize(
    "sentence",
    ["We will net the credit off your next invoice, which falls due on 9 June.",
     "Your upcoming bill of EUR 2,100.00 is due on 30 June.",
     "Invoice 4411 is settled; the other invoice on your account is due on 28 May.",
     "I'll deduct it from future invoices, starting with the one due on 1 July.",
     "Could you send a credit note for the 3 damaged units (EUR 380.00) by Friday?",
     "Please send us a corrected invoice for EUR 1,250.00, the price on our order."],
)  # fmt: skip
def test_dates_and_amounts_of_another_invoice_are_not_the_cases(sentence):
    assert accuracy(sentence) == set()


@pytest.mark.parametrize(
    "sentence",
    ["Invoice 4411 is due on 9 June, like the next one.",
     "The next step: invoice 4411 is due on 9 June."],
)  # fmt: skip
def test_a_qualifier_that_does_not_name_another_invoice_changes_nothing(sentence):
    assert {r for r, *_ in accuracy(sentence)} == {"Accuracy.DueDate"}


@pytest.mark.parametrize(
    "sentence",
    ["Your new invoice 5502 will reach you next week.",
     "We paid invoice 4410 instead of 4411 by mistake.",
     "The transfer went to invoice 9120 rather than yours."],
)  # fmt: skip
def test_a_number_the_reply_sets_apart_is_not_a_slip(sentence):
    assert accuracy(sentence) == set()


def test_a_number_not_set_apart_is_still_flagged():
    assert accuracy("The next step for invoice 4414 is approval.") == {
        ("Accuracy.InvoiceNumber", "4414", "4411")
    }


@pytest.mark.parametrize(
    "sentence",
    ["Invoice 4411 covers 40 hours at EUR 38.00 an hour.",
     "Invoice 4411 lists 8 licences at EUR 190.00 each.",
     "Invoice 4411 bills the storage at EUR 12.50/day.",
     "Invoice 4411 charges EUR 15.20 per pallet."],
)  # fmt: skip
def test_a_price_per_unit_is_not_the_invoice_amount(sentence):
    assert accuracy(sentence) == set()


def test_per_our_agreement_is_not_a_unit_price():
    found = accuracy("Invoice 4411 for EUR 1,250.00 per our agreement is approved.")
    assert {r for r, *_ in found} == {"Accuracy.Amount"}


@pytest.mark.parametrize(
    "sentence",
    ["Invoice 4411 is approved; EUR 152.00 of VAT is included.",
     "Of the EUR 1,520.00 on invoice 4411, EUR 1,300.00 is for goods and EUR 220.00 for freight.",
     "We received part of invoice 4411 on 2 May, so EUR 420.00 is still open.",
     "Invoice 4411 came out EUR 0.05 too high because of rounding."],
)  # fmt: skip
def test_lines_of_a_breakdown_and_amounts_in_a_later_clause_are_not_the_total(sentence):
    assert accuracy(sentence) == set()


def test_a_slip_of_the_amount_in_a_later_clause_is_still_flagged():
    found = accuracy("Invoice 4411 is approved, and EUR 1,530.00 will go out on 7 May.")
    assert {(r, s) for r, _, s in found} == {("Accuracy.Amount", "EUR 1,520.00")}


def test_a_relative_clause_still_speaks_of_the_invoice():
    found = accuracy("Invoice 4411, which totals EUR 1,900.00, is approved.")
    assert {(r, s) for r, _, s in found} == {("Accuracy.Amount", "EUR 1,520.00")}


@pytest.mark.parametrize(
    "sentence",
    ["The EUR 75.00 was withheld from invoice 4411 for the damaged carton.",
     "The EUR 75.00 that was missing from our payment of invoice 4411 goes out today.",
     "We have issued a CN for EUR 75.00 against invoice 4411."],
)  # fmt: skip
def test_an_amount_the_sentence_calls_a_deduction_or_a_credit_is_not_the_total(sentence):
    assert accuracy(sentence) == set()


def test_a_wrong_total_followed_by_a_passive_is_still_flagged():
    # Tricky negative: "was approved" says nothing about a part of the invoice.
    found = accuracy("The EUR 1,250.00 was approved for invoice 4411 yesterday.")
    assert {(r, s) for r, _, s in found} == {("Accuracy.Amount", "EUR 1,520.00")}


# The role an amount plays in its sentence decides whether it is claimed to be the
# invoice's amount (heldout-v6): a correction, a difference, a part of a plan, a figure
# that adds up with another to the invoice total, or what arrived is not the total.
PLAN = {
    "contact_name": "Anna",
    "invoices": [
        {"number": "AB-700", "amount": "4800.00", "currency": "USD", "due_date": "2026-05-10"},
        {"number": "AB-731", "amount": "1400.00", "currency": "USD", "due_date": "2026-06-01"},
    ],
}


@pytest.mark.parametrize(
    "sentence",
    [
        # A correction set against the invoice: "X, not Y as billed".
        "The price in the contract is EUR 1,250.00, not EUR 1,520.00 as billed on invoice 4411.",
        "Our buyer confirmed the revised price of EUR 1,420.00, so a credit note follows.",
        # A difference named as such, before or after the amount.
        "The EUR 120.00 gap on 4411 is the freight we had agreed to waive.",
        "There is a discrepancy of EUR 152.00 between our order and invoice 4411.",
        "The EUR 20.00 deducted from invoice 4411 was the bank's fee.",
        # What arrived, set beside the ledger amount.
        "Your bank forwarded EUR 1,502.00 to us, while invoice 4411 is for EUR 1,520.00.",
        "Only EUR 1,510.00 came in for invoice 4411.",
    ],
)
def test_an_amount_with_another_role_than_the_total_is_not_flagged(sentence):
    assert accuracy(sentence) == set()


def test_figures_that_add_up_to_the_invoice_are_its_parts():
    # 1,250.00 and 270.00 make 1,520.00: a price less a credit, not a slip of the total.
    sentence = "You pay EUR 1,250.00 after the credit note of EUR 270.00 we are raising."
    assert accuracy(sentence) == set()
    # Two equal instalments of the 4,800.00 invoice, one digit off the other invoice.
    text = (
        "Hi Anna,\n\nThank you. We can spread AB-700 over two payments:\n\n"
        "- $2,400.00 on June 2\n- $2,400.00 on June 16\n\nRegards,\nMarta"
    )
    assert not [f for f in review(text, PLAN).findings if f.category == "accuracy"]


def test_a_plan_line_after_a_colon_is_a_part():
    text = (
        "Hi Anna,\n\nThank you. The schedule for AB-700 is as follows:\n\n"
        "1. $1,300.00 by June 2\n\nRegards,\nMarta"
    )
    assert not [f for f in review(text, PLAN).findings if f.category == "accuracy"]


def test_a_figure_the_customer_wrote_is_not_a_slip():
    context = {**ONE, "customer_message": "We were quoted EUR 1,250.00 for this order."}
    sentence = "I have asked sales to confirm EUR 1,250.00 by Tuesday."
    assert accuracy(sentence, context) == set()
    # Tricky negative: without the customer's figure it still reads as a slip.
    assert {r for r, _, _ in accuracy(sentence)} == {"Accuracy.Amount"}


def test_a_stated_total_is_still_checked_whatever_else_adds_up():
    # Tricky negative: 1,250.00 + 270.00 = 1,520.00, but "invoice 4411 for" claims the total.
    found = accuracy("Invoice 4411 for EUR 1,250.00 is approved; EUR 270.00 is freight.")
    assert ("Accuracy.Amount", "EUR 1,250.00", "EUR 1,520.00") in found
    # Tricky negative: a refund of the full amount with swapped digits is still a slip.
    found = accuracy("I have arranged a refund of EUR 1,502.00 for the double debit.")
    assert {r for r, _, _ in found} == {"Accuracy.Amount"}


def test_a_due_date_said_of_it_belongs_to_the_invoice_named_before():
    found = accuracy("Thanks for AB-731. It's approved, and it falls due on 5 June.", PLAN)
    assert {(r, s) for r, _, s in found} == {("Accuracy.DueDate", "1 June")}
    # The exact amount in the sentence names the invoice too.
    found = accuracy("We'll pay the $1,400.00 on its due date, 9 June.", PLAN)
    assert {(r, s) for r, _, s in found} == {("Accuracy.DueDate", "1 June")}
    # Tricky negative: the right date for the invoice it speaks of is not flagged.
    assert accuracy("Thanks for AB-731. It's approved, and it falls due on 1 June.", PLAN) == set()


def test_the_correct_amount_stated_as_the_invoices_is_still_checked():
    # Tricky negative: "the correct amount is" claims the invoice's amount; it is not a
    # correction set against it.
    found = accuracy("The correct amount of invoice 4411 is EUR 1,250.00.")
    assert ("Accuracy.Amount", "EUR 1,250.00", "EUR 1,520.00") in found
    found = accuracy("The EUR 1,250.00 total on 4411 is approved.")
    assert ("Accuracy.Amount", "EUR 1,250.00", "EUR 1,520.00") in found


def test_year_first_dates_with_slashes_or_dots_are_read():
    found = [(d.text, d.readings) for d in find_dates("due 2026/05/03, or 2026.05.04")]
    assert found == [("2026/05/03", ((2026, 5, 3),)), ("2026.05.04", ((2026, 5, 4),))]


@pytest.mark.parametrize(
    "sentence",
    [
        # heldout-v7: the date of another event after a due date in brackets, a
        # schedule of instalment dates, a count of parts (whatever they are called,
        # even misspelt), and an amount on a credit memo written "CM".
        "Your payment for invoice 4411 (due 2026/05/03) reached us on 9 May.",
        "Invoice 4411 was due in May and was paid on 12 May.",
        "We can take invoice 4411 in two parts, due on 15 May and 15 June.",
        "Invoice 4411 can be paid in four instalmments of EUR 380.00.",
        "We agreed 2 x EUR 760.00 for invoice 4411.",
        "I have issued a CM for EUR 152.00 against invoice 4411.",
    ],
)
def test_dates_and_amounts_of_other_events_and_parts_are_not_the_invoices(sentence):
    assert accuracy(sentence) == set()


def test_a_wrong_due_date_in_year_first_form_is_still_flagged():
    # Tricky negatives: the due date itself, and the first of two dates that are not a list.
    found = accuracy("Invoice 4411 (due 2026/05/13) is still open.")
    assert {(r, s) for r, _, s in found} == {("Accuracy.DueDate", "2026/05/03")}
    found = accuracy("Invoice 4411 was due on 13 May, not later.")
    assert {r for r, _, _ in found} == {"Accuracy.DueDate"}


@pytest.mark.parametrize(
    "sentence",
    [
        # General coverage: amounts that are not the invoice total by their role in the
        # sentence (a fee or an allowance, a threshold, the same sum in another
        # currency, an earlier invoice's) and a due date moved by agreement.
        "For invoice 4411 we also refunded the EUR 25.00 bank charge.",
        "Invoice 4411 qualifies for a rebate of EUR 152.00.",
        "Invoices above EUR 1,000.00, like 4411, need a second approval.",
        "Invoice 4411 for EUR 1,520.00 (about USD 1,650.00) is approved.",
        "Your previous invoice for EUR 1,250.00 was paid in April.",
        "We have moved the due date of invoice 4411 to 20 May.",
        "Invoice 4411's due date has been extended to 31 May.",
    ],
)
def test_amounts_and_dates_in_other_roles_are_not_the_invoices(sentence):
    assert accuracy(sentence) == set()


def test_the_same_words_around_a_wrong_total_still_flag_it():
    # Tricky negatives: a fee word elsewhere does not excuse a wrong total, nor does
    # "invoice 4411 over" (a claim of its amount).
    found = accuracy("Invoice 4411 for EUR 1,250.00 has no bank charge.")
    assert {r for r, _, _ in found} == {"Accuracy.Amount"}
    found = accuracy("Invoice 4411 over EUR 1,250.00 is still open.")
    assert {r for r, _, _ in found} == {"Accuracy.Amount"}
    found = accuracy("Invoice 4411 is due on 13 May.")
    assert {r for r, _, _ in found} == {"Accuracy.DueDate"}
