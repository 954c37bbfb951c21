"""Finding candidate invoices in SQL: the spellings of numbers in remittance text."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgerdesk.receivables.services.candidates import (
    gather,
    number_keys,
    number_variants,
    reference_variants,
    rf_variants,
)
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


def test_a_creditor_reference_is_compared_compact_in_upper_case():
    assert reference_variants("rf18 5390 0754 7034") == ["RF18539007547034"]
    assert reference_variants("RF18 539O 0754 7O34") == ["RF18539O07547O34", "RF18539007547034"]


@given(body=st.text(alphabet="0123456789ABCDEFGHJKMNPQRTUVWXY", min_size=1, max_size=21))
def test_an_rf_reference_written_in_groups_in_the_text_is_among_the_variants(body):
    reference = f"RF47{body}"  # check digits play no part in finding candidates
    grouped = " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))
    assert reference in rf_variants(f"Payment {grouped} thank you")


@pytest.mark.django_db
def test_a_payment_reference_is_found_however_it_is_spaced_and_cased(
    django_assert_max_num_queries,
):
    acme = customer()
    spaced = ar_invoice(acme, "INV-1", "10.00", payment_reference="rf18 5390 0754 7034")
    plain = ar_invoice(acme, "INV-2", "20.00", payment_reference="RF71254101000000123456")
    lines = [
        make_line("9.00", remittance="", creditor_reference="RF18539007547034"),
        make_line("8.00", remittance="RF71 2541 0100 0000 1234 56 thanks"),
        make_line("7.00", remittance="our ref rf18 5390 0754 7034"),
    ]
    for line in lines:
        line.counterparty_account = line.counterparty_name = ""

    found = gather(lines, "EUR")

    assert found[lines[0].pk].why == {spaced.pk: ["payment reference given by the payer"]}
    assert found[lines[1].pk].why == {plain.pk: ["RF reference in the remittance"]}
    assert found[lines[2].pk].why == {spaced.pk: ["RF reference in the remittance"]}


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


@pytest.mark.django_db
@pytest.mark.parametrize("n", [5, 50])
def test_the_candidate_search_takes_the_same_queries_for_more_lines(
    n, django_assert_max_num_queries
):
    acme = customer()
    lines = []
    for k in range(n):
        ar_invoice(acme, f"INV-2026-{k:06d}", "10.00", payment_reference=f"RF47{k:012d}")
        reference = " ".join(f"RF47{k:012d}"[i : i + 4] for i in range(0, 16, 4))
        lines.append(make_line("10.00", remittance=f"INV-2026-{k:06d} {reference}"))

    # numbers, references, the payer's name, open-invoice counts per payer, their invoices
    with django_assert_max_num_queries(5):
        found = gather(lines, "EUR")

    assert all(len(found[line.pk].why) == n for line in lines)


def test_numbers_are_keyed_as_the_engine_reads_them():
    keys = number_keys("SI-261005 -0625, SI26I005-0626")
    assert keys["5126100506 25".replace(" ", "")] == "SI-261005 -0625"
    assert "5126100506 26".replace(" ", "") in keys
    assert number_keys("thank you") == {}


@pytest.mark.django_db
def test_for_a_customer_too_big_to_hand_over_a_number_written_apart_is_found(monkeypatch):
    """The engine sees only some of a big customer's open invoices: a number written with a
    space, without its dash or with letters for digits must be found in SQL."""
    from ledgerdesk.receivables.services import candidates

    monkeypatch.setattr(candidates, "PARTY_CAP", 2)
    acme = customer()
    for n in range(4):
        ar_invoice(acme, f"SI-261001-{n:04d}", "12.00")
    spaced = ar_invoice(acme, "SI-261005-0625", "1411.43")
    slipped = ar_invoice(acme, "SI-261005-0626", "275.19")
    line = make_line("1686.62", remittance="SI-261005 -0625, SI26I005-0626")
    line.counterparty_account = ""

    found = gather([line], "EUR")

    why = found[line.pk].why
    assert "number in the remittance (written SI-261005 -0625)" in why[spaced.pk]
    assert "number in the remittance (written SI26I005-0626)" in why[slipped.pk]


@given(
    number=numbers,
    splits=st.lists(st.sampled_from(["", " ", "-", " -", "/"]), min_size=3, max_size=3),
)
def test_a_number_written_apart_is_keyed_as_the_invoice_number_is(number, splits):
    from ledgerdesk.receivables.services.candidates import _number_key

    groups = [g for g in re.split(r"[-/.]", number) if g]
    written = "".join(g + (splits[i] if i < len(splits) else "") for i, g in enumerate(groups))
    assert _number_key(number) in number_keys(f"paid {written.strip(' -/')} thanks")
