"""Finance figures on the hand-made ledger (see `finance_data` in conftest.py)."""

import dataclasses
from decimal import Decimal

import pytest

from ledgerdesk.insights import metrics


@pytest.fixture
def f(period, finance_data):
    return period


def test_invoice_cycle_time(f):
    assert metrics.invoice_cycle(f) == [
        # received→approved: 0.5, 2 and 6 days
        {"stage": "Received → approved", "median_days": 2.0, "p90_days": 6.0, "invoices": 3},
        # approved→paid: 4 and 8 days
        {"stage": "Approved → paid", "median_days": 4.0, "p90_days": 8.0, "invoices": 2},
        {"stage": "Received → paid", "median_days": 4.5, "p90_days": 10.0, "invoices": 2},
    ]


def test_on_time_payment(f):
    rows = {r["side"]: r for r in metrics.on_time_payment(f)}
    vendors = rows["We paid vendors"]
    assert (vendors["invoices_due"], vendors["paid_on_time"], vendors["on_time_pct"]) == (
        3,
        1,
        33.3,
    )
    assert vendors["status"] == "below target"
    customers = rows["Customers paid us"]
    # R1 paid on its due date, R2 marked paid before it (no allocations); R3 and A10 open.
    assert (customers["invoices_due"], customers["paid_on_time"], customers["on_time_pct"]) == (
        4,
        2,
        50.0,
    )


def test_ar_aging_buckets(f):
    rows = {r["currency"]: r for r in metrics.ar_aging(f)}
    assert rows["EUR"] == {
        "currency": "EUR",
        "current": Decimal("100.00"),
        "1-30": Decimal("1200.00"),
        "31-60": Decimal("300.00"),
        "61-90": Decimal("400.00"),
        "90+": Decimal("500.00"),
        "total": Decimal("2500.00"),
    }
    assert rows["USD"]["current"] == Decimal("50.00")
    assert rows["USD"]["total"] == Decimal("50.00")


def test_dso(f):
    rows = {r["currency"]: r for r in metrics.dso(f)}
    assert rows["EUR"] == {
        "currency": "EUR",
        "open_receivables": Decimal("2500.00"),
        "invoiced_in_period": Decimal("2000.00"),  # R2 and R3; R1 is dated before the period
        "days_in_period": 14,
        "dso_days": Decimal("17.5"),  # 2500 / 2000 × 14
    }
    assert rows["USD"]["dso_days"] is None  # nothing invoiced in USD in the period


def test_discounts_captured_and_missed(f):
    assert metrics.discounts(f) == [
        {
            "side": "From vendors",
            "currency": "EUR",
            "offered": 3,
            "captured": 1,  # I2, paid on 7 Nov, discount until 8 Nov
            "missed": 2,  # I1 paid on 12 Nov after 11 Nov; I3 not paid
            "amount_captured": Decimal("20.00"),
            "amount_missed": Decimal("40.00"),
            "captured_pct": 33.3,
        },
        {
            "side": "To customers",
            "currency": "EUR",
            "offered": 1,
            "captured": 1,
            "missed": 0,
            "amount_captured": Decimal("10.00"),
            "amount_missed": Decimal("0.00"),
            "captured_pct": 100.0,
        },
    ]


def test_cash_applied_automatically_or_by_hand(f):
    assert metrics.cash_application(f) == [
        {
            "currency": "EUR",
            "lines_automatic": 2,
            "amount_automatic": Decimal("1200.00"),
            "lines_by_hand": 1,
            "amount_by_hand": Decimal("300.00"),
            "automatic_pct": 66.7,
        }
    ]


def test_team_filter_keeps_its_side_of_the_ledger(f, ap_team, ar_team):
    ap = dataclasses.replace(f, team=ap_team)
    assert metrics.ar_aging(ap) == []
    assert metrics.cash_application(ap) == []
    assert [r["invoices_due"] for r in metrics.on_time_payment(ap)] == [3, 0]
    ar = dataclasses.replace(f, team=ar_team)
    assert all(r["invoices"] == 0 for r in metrics.invoice_cycle(ar))
    assert [r["invoices_due"] for r in metrics.on_time_payment(ar)] == [0, 4]


def test_party_type_filter(f):
    vendors = dataclasses.replace(f, party_type="vendor")
    assert metrics.ar_aging(vendors) == []
    assert [r["side"] for r in metrics.discounts(vendors)] == ["From vendors"]
    assert metrics.invoice_cycle(vendors)[0]["invoices"] == 3
