"""Duplicate vendor invoices: OCR slips, retyped numbers, same amount and day; never one key."""

import datetime as dt
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from ledgerdesk.payables.duplicates import Bill, normalise, suspects

DAY = dt.date(2026, 10, 1)


def bill(key, number, amount="1520.00", party=1, day=DAY, currency="EUR"):
    return Bill(key, party, number, D(amount), currency, day)


def test_normalise_undoes_ocr_slips_case_separators_and_leading_zeros():
    assert normalise("INV-0042") == normalise("inv 42") == normalise("lNV-OO42") == "1NV42"
    assert normalise("2026/001 5") == normalise("2026-0015")


def test_the_same_number_retyped_is_suspected_with_its_reason():
    (found,) = suspects(bill(2, "INV-OO42"), [bill(1, "INV-0042")])
    assert found.key == 1
    assert found.reasons[0] == "number INV-OO42 reads as INV-0042"
    assert found.score >= 0.9


def test_one_keystroke_apart_with_the_same_amount():
    (found,) = suspects(bill(2, "INV-2026-1043"), [bill(1, "INV-2026-1034")])
    assert "one keystroke" in found.reasons[0]


def test_one_keystroke_apart_with_another_amount_is_a_different_invoice():
    assert suspects(bill(2, "INV-2026-1043", "99.00"), [bill(1, "INV-2026-1034")]) == []


def test_same_amount_within_days_and_shared_serial_is_suspected():
    (found,) = suspects(bill(2, "R-88123", day=DAY + dt.timedelta(days=2)), [bill(1, "88123/A")])
    assert "issued 2 days apart" in found.reasons


def test_never_by_one_key_only():
    # Same amount, same day, nothing else in common: a vendor bills the same fee every month.
    assert suspects(bill(2, "INV-7001"), [bill(1, "INV-6990")]) == []
    # Another vendor, another currency, or long ago: not the same bill.
    assert suspects(bill(2, "INV-42"), [bill(1, "INV-42", party=2)]) == []
    assert suspects(bill(2, "INV-42", currency="USD"), [bill(1, "INV-42")]) == []
    assert suspects(bill(2, "INV-42"), [bill(1, "INV-42", day=DAY - dt.timedelta(days=200))]) == []


SLIPS = {"0": "OQD", "1": "Il", "5": "S", "8": "B", "2": "Z", "6": "G"}


@st.composite
def slipped(draw):
    """An invoice number and a variant a scanner or a hurried clerk could have produced."""
    prefix = draw(st.sampled_from(["INV", "RE", "FA", "", "BILL"]))
    serial = draw(st.integers(min_value=1, max_value=99_999_999))
    number = f"{prefix}-{serial:08d}" if prefix else f"{serial:08d}"
    out = []
    for ch in number:
        if ch in SLIPS and draw(st.booleans()):
            out.append(draw(st.sampled_from(SLIPS[ch])))
        elif ch == "-" and draw(st.booleans()):
            out.append(draw(st.sampled_from(["", " ", "/", "."])))
        else:
            out.append(draw(st.sampled_from([ch, ch.lower()])))
    variant = "".join(out)
    if draw(st.booleans()):
        variant = variant.lstrip("0") or variant
    return number, variant


@given(slipped())
def test_any_ocr_slip_variant_of_a_number_is_caught(pair):
    number, variant = pair
    found = suspects(bill(2, variant), [bill(1, number)])
    assert [s.key for s in found] == [1]
