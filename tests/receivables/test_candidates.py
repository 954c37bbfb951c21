"""Finding candidate invoices in SQL: the spellings of numbers in remittance text."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgerdesk.receivables.services.candidates import gather, number_variants, reference_variants
from tests.receivables.cash import ar_invoice, customer
from tests.receivables.test_line_page import make_line

numbers = st.builds(
    lambda prefix, year, n, sep: f"{prefix}{sep}{year}{sep}{n:06d}",
    st.sampled_from(["INV", "AR", "RE", "F"]),
    st.integers(2000, 2099),
    st.integers(0, 999_999),
    st.sampled_from(["-", "/", ".", ""]),
)
ONE_WEEK = dt.timedelta(days=7)
words = st.text(alphabet="abcdefghij klmnop,;:", max_size=30)


@given(number=numbers, before=words, after=words)
def test_a_number_in_the_text_is_among_the_variants(number, before, after):
    assert number in number_variants(f"{before} {number} {after}")


@given(number=numbers)
def test_letters_read_for_digits_are_put_right(number):
    prefix_end = next(i for i, c in enumerate(number) if c.isdigit())
    slipped = number[:prefix_end] + number[prefix_end:].replace("0", "O").replace("1", "I")
    assert number in number_variants(f"payment {slipped}")


def test_words_without_digits_are_not_numbers():
    assert number_variants("thank you for your business") == {}


def test_a_creditor_reference_is_tried_compact_and_grouped():
    assert reference_variants("rf18 5390 0754 7034") == [
        "RF18539007547034",
        "RF18 5390 0754 7034",
        "rf18 5390 0754 7034",
    ]


@pytest.mark.django_db
def test_it_finds_candidates_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    acme = customer()
    named = ar_invoice(acme, "INV-2026-000042", "10.00")
    other = ar_invoice(acme, "INV-2026-000043", "99.00")
    stranger = ar_invoice(customer("Zeta Ltd", "DE89370400440532013000"), "INV-9", "10.00")
    lines = [
        make_line("10.00", remittance="inv 2026 000042 and INV-2026-000042"),
        make_line("5.00", remittance="", counterparty_name="ACME RETAIL B.V."),
        make_line("7.00", remittance="nothing", counterparty_name="Nobody"),
    ]
    for line in lines:
        line.counterparty_account = ""

    # numbers, references (none given: no query), payer names, open-invoice counts per
    # payer, the payers' invoices
    with django_assert_max_num_queries(4):
        found = gather(lines, "EUR")

    assert "number in the remittance" in found[lines[0].pk].why[named.pk]
    assert set(found[lines[1].pk].why) == {named.pk, other.pk}
    assert found[lines[2].pk].why == {}
    assert stranger.pk not in found[lines[0].pk].why
    assert Decimal("10.00") == named.amount_open


@pytest.mark.django_db
def test_for_a_big_customer_the_invoice_of_what_is_paid_beyond_the_named_one_is_a_candidate(
    monkeypatch,
):
    """A customer with more open invoices than are handed over pays two, the second number
    mistyped beyond reading: the invoice of exactly the amount beyond the named one is among
    the candidates, so the engine sees the sum instead of taking the rest as an overpayment."""
    from ledgerdesk.receivables.services import candidates

    monkeypatch.setattr(candidates, "PARTY_CAP", 2)
    acme = customer()
    named = ar_invoice(acme, "INV-2026-000042", "100.00")
    other = ar_invoice(acme, "INV-2026-000077", "39.50", due_date=named.due_date)
    for n in range(4):  # due first, but of other amounts: not the one paid
        ar_invoice(acme, f"INV-2026-00010{n}", "12.00", due_date=named.due_date - ONE_WEEK)
    line = make_line("139.50", remittance="INV-2026-000042 INV 2O26 OOO7?")
    found = gather([line], "EUR")
    assert named.pk in found[line.pk].why
    assert other.pk in found[line.pk].why
