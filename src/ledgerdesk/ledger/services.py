"""What other apps may do to the ledger. Views, the API and the CLI call these."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ledgerdesk.core import audit
from ledgerdesk.core.models import AuditEntry
from ledgerdesk.ledger.models import Invoice, InvoiceStatusChange, Payment, PaymentAllocation


class LedgerError(Exception):
    pass


@transaction.atomic
def set_status(invoice: Invoice, status: str, note: str = "", at=None) -> InvoiceStatusChange:
    """Move an invoice to `status`, writing its history and the audit log."""
    if status not in Invoice.Status.values:
        raise LedgerError(f"status: {status!r} is not one of {', '.join(Invoice.Status.values)}")
    at = at or timezone.now()
    user, label = audit.current_actor()
    before = invoice.status
    invoice.status = status
    invoice.status_changed_at = at
    if status != Invoice.Status.ON_HOLD:
        invoice.hold_reason = ""
    elif note:
        invoice.hold_reason = note[:300]
    invoice.save(update_fields=["status", "status_changed_at", "hold_reason", "updated_at"])
    change = InvoiceStatusChange.objects.create(
        invoice=invoice,
        status=status,
        at=at,
        by_id=getattr(user, "pk", None),
        by_label=label,
        note=note[:300],
    )
    audit.record(AuditEntry.Action.STATUS, invoice, {"status": before}, {"status": status}, note)
    return change


@transaction.atomic
def allocate(
    payment: Payment,
    invoice: Invoice,
    amount: Decimal,
    deduction: Decimal = Decimal("0"),
    deduction_reason: str = "",
) -> PaymentAllocation:
    """Apply part of a payment to an invoice; a deduction settles without cash.

    Neither the payment nor the invoice can be over-applied.
    """
    if payment.currency != invoice.currency:
        raise LedgerError(
            f"currency: payment is in {payment.currency}, invoice {invoice.number} "
            f"is in {invoice.currency}"
        )
    if amount < 0 or deduction < 0:
        raise LedgerError("amount: allocations cannot be negative")
    if deduction and not deduction_reason:
        raise LedgerError("deduction_reason: say why the amount was deducted")
    # Lock the invoice row: two allocations racing on one invoice must not
    # both see the same open amount.
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    applied = sum((a.amount for a in payment.allocations.all()), Decimal("0"))
    if applied + amount > payment.amount:
        raise LedgerError(
            f"amount: only {payment.amount - applied} of payment {payment} is left to apply"
        )
    if amount + deduction > invoice.amount_open:
        raise LedgerError(
            f"amount: invoice {invoice.number} has only "
            f"{invoice.amount_open} {invoice.currency} open"
        )
    allocation = PaymentAllocation.objects.create(
        payment=payment,
        invoice=invoice,
        amount=amount,
        deduction_amount=deduction,
        deduction_reason=deduction_reason,
    )
    Invoice.objects.filter(pk=invoice.pk).update(amount_open=F("amount_open") - amount - deduction)
    invoice.refresh_from_db(fields=["amount_open"])
    if invoice.amount_open == 0 and invoice.status != Invoice.Status.PAID:
        set_status(invoice, Invoice.Status.PAID, f"Paid by {payment}", at=timezone.now())
    return allocation
