from decimal import Decimal

import pytest

from ledgerdesk.core import audit
from ledgerdesk.core.models import AuditEntry
from ledgerdesk.ledger import services
from ledgerdesk.ledger.models import Invoice
from tests.factories import InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def test_set_status_writes_history_and_audit(agent):
    invoice = InvoiceFactory()
    with audit.acting_as(agent):
        services.set_status(invoice, Invoice.Status.ON_HOLD, "Price differs from the PO")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ON_HOLD
    assert invoice.hold_reason == "Price differs from the PO"
    change = invoice.history.get()
    assert (change.by, change.note) == (agent, "Price differs from the PO")
    entry = AuditEntry.objects.get(action="status")
    assert entry.before == {"status": "received"} and entry.after == {"status": "on_hold"}


def test_set_status_refuses_unknown_status():
    with pytest.raises(services.LedgerError, match="status: 'lost'"):
        services.set_status(InvoiceFactory(), "lost")


def test_allocation_reduces_the_open_amount_and_marks_paid():
    invoice = InvoiceFactory(amount_open=Decimal("1210.00"))
    payment = PaymentFactory(party=invoice.party, amount=Decimal("1200.00"))
    services.allocate(payment, invoice, Decimal("1200.00"), Decimal("10.00"), "bank fee")
    invoice.refresh_from_db()
    assert invoice.amount_open == 0
    assert invoice.status == Invoice.Status.PAID


def test_allocation_never_exceeds_payment_or_invoice():
    invoice = InvoiceFactory(amount_open=Decimal("100.00"))
    payment = PaymentFactory(party=invoice.party, amount=Decimal("150.00"))
    with pytest.raises(services.LedgerError, match="only 100.00 EUR open"):
        services.allocate(payment, invoice, Decimal("120.00"))
    services.allocate(payment, invoice, Decimal("60.00"))
    second = InvoiceFactory(party=invoice.party, amount_open=Decimal("500.00"))
    with pytest.raises(services.LedgerError, match="only 90.00"):
        services.allocate(payment, second, Decimal("100.00"))


def test_allocation_refuses_other_currency_and_unexplained_deductions():
    invoice = InvoiceFactory(currency="NOK")
    payment = PaymentFactory(party=invoice.party, currency="EUR")
    with pytest.raises(services.LedgerError, match="currency"):
        services.allocate(payment, invoice, Decimal("1"))
    euro = InvoiceFactory(party=invoice.party)
    with pytest.raises(services.LedgerError, match="deduction_reason"):
        services.allocate(payment, euro, Decimal("1"), Decimal("5"))
