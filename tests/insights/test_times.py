"""The invoice-times read model: backfilled, then kept in step incrementally."""

import datetime as dt
from decimal import Decimal

from ledgerdesk.insights import tasks, times
from ledgerdesk.insights.models import InvoiceTimes
from ledgerdesk.ledger.models import Direction, Invoice, InvoiceStatusChange
from tests.factories import PartyFactory
from tests.insights.conftest import at, history, invoice, pay


def test_it_records_the_first_moment_of_each_status(db):
    S = Invoice.Status
    vendor = PartyFactory()
    inv = invoice(
        vendor,
        Direction.PAYABLE,
        "T1",
        issued=dt.date(2026, 11, 2),
        due=dt.date(2026, 11, 20),
        status=S.PAID,
        open_="0",
    )
    history(
        inv,
        (S.RECEIVED, at(2)),
        (S.ON_HOLD, at(3)),
        (S.RECEIVED, at(4)),
        (S.APPROVED, at(5)),
        (S.PAID, at(9)),
    )
    pay(inv, dt.date(2026, 11, 9), "1000.00")
    assert times.refresh() == 1
    row = InvoiceTimes.objects.get(invoice=inv)
    assert (row.received_at, row.approved_at, row.paid_at) == (at(2), at(5), at(9))
    assert row.paid_on == dt.date(2026, 11, 9)
    assert (row.direction, row.issue_date, row.due_date) == ("ap", inv.issue_date, inv.due_date)


def test_a_second_run_only_takes_invoices_updated_since(db):
    vendor = PartyFactory()
    first = invoice(
        vendor, Direction.PAYABLE, "T2", issued=dt.date(2026, 11, 2), due=dt.date(2026, 11, 20)
    )
    invoice(vendor, Direction.PAYABLE, "T3", issued=dt.date(2026, 11, 2), due=dt.date(2026, 11, 20))
    assert times.refresh() == 2
    assert times.refresh() == 0  # nothing changed
    InvoiceStatusChange.objects.create(invoice=first, status="approved", at=at(6))
    first.status = Invoice.Status.APPROVED
    first.save()  # a status change always updates the invoice row
    assert times.refresh() == 1
    assert InvoiceTimes.objects.get(invoice=first).approved_at == at(6)


def test_paid_on_falls_back_to_the_day_the_status_became_paid(db):
    customer = PartyFactory(is_vendor=False, is_customer=True)
    inv = invoice(
        customer,
        Direction.RECEIVABLE,
        "T4",
        issued=dt.date(2026, 11, 2),
        due=dt.date(2026, 11, 20),
        status=Invoice.Status.PAID,
        open_="0",
    )
    Invoice.objects.filter(pk=inv.pk).update(status_changed_at=at(6))
    times.refresh()
    assert InvoiceTimes.objects.get(invoice=inv).paid_on == dt.date(2026, 11, 6)


def test_unpaid_invoices_have_no_paid_day(db):
    customer = PartyFactory(is_vendor=False, is_customer=True)
    inv = invoice(
        customer,
        Direction.RECEIVABLE,
        "T5",
        issued=dt.date(2026, 11, 2),
        due=dt.date(2026, 11, 20),
        open_="500.00",
    )
    pay(inv, dt.date(2026, 11, 5), "500.00")
    times.refresh()
    assert InvoiceTimes.objects.get(invoice=inv).paid_on is None
    assert Invoice.objects.get(pk=inv.pk).amount_open == Decimal("500.00")


def test_the_periodic_task_refreshes(db):
    invoice(
        PartyFactory(),
        Direction.PAYABLE,
        "T6",
        issued=dt.date(2026, 11, 2),
        due=dt.date(2026, 11, 20),
    )
    tasks.refresh_invoice_times.call_local()
    assert InvoiceTimes.objects.count() == 1
