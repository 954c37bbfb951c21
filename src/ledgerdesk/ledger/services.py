"""What other apps may do to the ledger. Views, the API and the CLI call these."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from ledgerdesk.core import audit, fastinsert
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


@dataclass
class PaymentPlan:
    """A payment to create and what to allocate from it, for `allocate_many`.

    `payment` is not saved yet; each allocation is unsaved, with its `invoice` set (an
    instance), its amount, deduction and deduction reason.
    """

    payment: Payment
    allocations: list[PaymentAllocation]
    # Filled in when written: what each allocation left open on its invoice, in order.
    open_after: list[Decimal] = field(default_factory=list)


# Values per IN (...) list or CASE, well under every database's parameter limit.
_BATCH = 300


@transaction.atomic
def allocate_many(plans: list[PaymentPlan]) -> list[tuple[PaymentPlan, LedgerError]]:
    """Create many payments with their allocations in a few statements; `allocate`, in bulk.

    The outcome is the one `allocate` gives for each allocation of each plan in turn (the same
    rows, amounts, paid statuses, history and audit entries), in one transaction. A plan that
    does not fit whole (a currency, an allocation over the payment or over what the invoice
    has open now) is not written at all: it is returned with the reason, and the plans after
    it are checked without it. The payments of the plans written get their primary keys.
    """
    if not plans:
        return []
    # Lock the invoices first: a payment applied to one of them meanwhile (an agent, another
    # run) must not let both allocations see the same open amount.
    invoice_ids = sorted({a.invoice_id for plan in plans for a in plan.allocations})
    invoices: dict[int, Invoice] = {}
    for start in range(0, len(invoice_ids), _BATCH):
        batch = invoice_ids[start : start + _BATCH]
        for invoice in (
            Invoice.objects.select_for_update()
            .filter(pk__in=batch)
            .only("pk", "kind", "number", "currency", "amount_open", "status", "hold_reason")
        ):
            invoices[invoice.pk] = invoice
    open_now = {pk: invoice.amount_open for pk, invoice in invoices.items()}
    status = {pk: invoice.status for pk, invoice in invoices.items()}
    accepted: list[PaymentPlan] = []
    refused: list[tuple[PaymentPlan, LedgerError]] = []
    paid: list[tuple[PaymentPlan, PaymentAllocation]] = []  # the allocations paying an invoice
    for plan in plans:
        try:
            trial, paying, after = _fit(plan, invoices, open_now, status)
        except LedgerError as exc:
            refused.append((plan, exc))
            continue
        open_now.update(trial)
        plan.open_after = after
        for allocation in paying:
            status[allocation.invoice_id] = Invoice.Status.PAID
            paid.append((plan, allocation))
        accepted.append(plan)
    if not accepted:
        return refused

    fastinsert.insert([plan.payment for plan in accepted], returning=True)
    allocations = []
    for plan in accepted:
        for allocation in plan.allocations:
            allocation.payment = plan.payment
            allocation.invoice = invoices[allocation.invoice_id]
            allocations.append(allocation)
    fastinsert.insert(allocations, returning=True)
    # The new open amounts, computed from the locked rows (the invoices cannot change under us).
    changed = [invoices[pk] for pk in sorted({a.invoice_id for a in allocations})]
    for invoice in changed:
        invoice.amount_open = open_now[invoice.pk]
    save_fields(changed, ["amount_open"])

    at = timezone.now()
    user, label = audit.current_actor()
    paid_ids = [allocation.invoice_id for _, allocation in paid]
    for start in range(0, len(paid_ids), _BATCH):
        Invoice.objects.filter(pk__in=paid_ids[start : start + _BATCH]).update(
            status=Invoice.Status.PAID, status_changed_at=at, hold_reason="", updated_at=at
        )
    paid_by: dict[int, str] = {}  # what the history and the audit say, once a payment
    for plan, _ in paid:
        if id(plan) not in paid_by:
            paid_by[id(plan)] = f"Paid by {plan.payment}"
    notes = {a.invoice_id: paid_by[id(plan)][:300] for plan, a in paid}
    fastinsert.insert(
        [
            InvoiceStatusChange(
                invoice_id=pk,
                status=Invoice.Status.PAID,
                at=at,
                by_id=getattr(user, "pk", None),
                by_label=label,
                note=notes[pk],
            )
            for pk in paid_ids
        ]
    )
    audit.record_many(_entries(accepted, paid, paid_by))
    return refused


def _fit(plan: PaymentPlan, invoices, open_now, status):
    """What `plan` leaves open on its invoices, which of its allocations pay an invoice and
    what each leaves open; or the LedgerError `allocate` would raise."""
    payment = plan.payment
    trial: dict[int, Decimal] = {}
    paying: list[PaymentAllocation] = []
    after: list[Decimal] = []
    applied = Decimal("0")
    for allocation in plan.allocations:
        invoice = invoices.get(allocation.invoice_id)
        if invoice is None:
            raise LedgerError(f"invoice: invoice {allocation.invoice_id} does not exist")
        amount, deduction = allocation.amount, allocation.deduction_amount
        if payment.currency != invoice.currency:
            raise LedgerError(
                f"currency: payment is in {payment.currency}, invoice {invoice.number} "
                f"is in {invoice.currency}"
            )
        if amount < 0 or deduction < 0:
            raise LedgerError("amount: allocations cannot be negative")
        if deduction and not allocation.deduction_reason:
            raise LedgerError("deduction_reason: say why the amount was deducted")
        if applied + amount > payment.amount:
            raise LedgerError(
                f"amount: only {payment.amount - applied} of payment {payment} is left to apply"
            )
        current = trial.get(invoice.pk, open_now[invoice.pk])
        if amount + deduction > current:
            raise LedgerError(
                f"amount: invoice {invoice.number} has only {current} {invoice.currency} open"
            )
        trial[invoice.pk] = current - amount - deduction
        after.append(trial[invoice.pk])
        applied += amount
        already = status[invoice.pk] == Invoice.Status.PAID or any(
            a.invoice_id == invoice.pk for a in paying
        )
        if trial[invoice.pk] == 0 and not already:
            paying.append(allocation)
    return trial, paying, after


def _entries(
    accepted: list[PaymentPlan],
    paid: list[tuple[PaymentPlan, PaymentAllocation]],
    paid_by: dict[int, str],
):
    """The audit entries `allocate` writes, in its order: the payment, then each allocation,
    and, for an invoice it pays, the invoice's change and its new status."""
    payment_fields = audit.tracked_fields(Payment)
    allocation_fields = audit.tracked_fields(PaymentAllocation)
    invoice_fields = audit.tracked_fields(Invoice)
    paying = {id(allocation) for _, allocation in paid}
    entries = []
    for plan in accepted:
        if payment_fields:
            after = audit.snapshot(plan.payment, payment_fields)
            entries.append(audit.entry(AuditEntry.Action.CREATE, plan.payment, {}, after))
        for allocation in plan.allocations:
            if allocation_fields:
                after = audit.snapshot(allocation, allocation_fields)
                entries.append(audit.entry(AuditEntry.Action.CREATE, allocation, {}, after))
            if id(allocation) not in paying:
                continue
            invoice = allocation.invoice
            before = {"status": invoice.status, "hold_reason": invoice.hold_reason}
            after = {"status": Invoice.Status.PAID, "hold_reason": ""}
            changed = [k for k in before if k in invoice_fields and before[k] != after[k]]
            if changed:
                entries.append(
                    audit.entry(
                        AuditEntry.Action.UPDATE,
                        invoice,
                        {k: before[k] for k in changed},
                        {k: after[k] for k in changed},
                    )
                )
            entries.append(
                audit.entry(
                    AuditEntry.Action.STATUS,
                    invoice,
                    {"status": invoice.status},
                    {"status": Invoice.Status.PAID},
                    paid_by[id(plan)],
                )
            )
    return entries


def save_fields(instances: list, fields: list[str]) -> None:
    """Write `fields` of many saved rows of one model, one prepared UPDATE run for them all.

    For bulk paths, where `QuerySet.bulk_update` is too slow: it builds a CASE expression per
    field and row in Python, about two seconds for a thousand rows of ten fields, where this
    takes a few hundredths. Sends no signals and does not touch auto_now fields, like
    `QuerySet.update`. The values are prepared by the fields themselves, as `save` does.
    """
    if not instances:
        return
    meta = instances[0]._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 - names from the model, values as parameters
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
        + [obj.pk]
        for obj in instances
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
