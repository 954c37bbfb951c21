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
