"""Payment runs: which approved vendor bills to pay on a day, the bank file, and the advice.

A run is proposed from what is due (and what is worth paying early for its discount, while the
cash lasts), approved by a second person, exported as pain.001 (and CSV), then marked paid —
which writes the ledger's payments and tells each vendor what the money covers. An invoice
that was due but cannot be paid (no verified bank account, not enough cash) is listed with the
reason, never silently left behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ledgerdesk.core import audit
from ledgerdesk.core.references import next_reference
from ledgerdesk.ledger.models import Direction, Invoice, Payment
from ledgerdesk.ledger.services import allocate, set_status
from ledgerdesk.parties.bank_changes import payable_accounts
from ledgerdesk.parties.models import Contact
from ledgerdesk.payables import pain001
from ledgerdesk.payables.models import (
    PayingAccount,
    PaymentRun,
    PaymentRunItem,
    RemittanceAdvice,
)

ZERO = Decimal("0")
PAYABLE_STATUSES = (Invoice.Status.APPROVED, Invoice.Status.SCHEDULED)
CSV_HEADER = [
    "run", "end_to_end_id", "vendor", "vendor_iban", "vendor_bic", "invoice", "due_date",
    "amount", "discount", "currency", "execution_date",
]  # fmt: skip


class RunError(Exception):
    """The message starts with the field at fault."""


def _discount(invoice: Invoice, day: dt.date) -> Decimal:
    if invoice.discount_amount > 0 and invoice.discount_until and invoice.discount_until >= day:
        return min(invoice.discount_amount, invoice.amount_open)
    return ZERO


@transaction.atomic
def propose(
    run_date: dt.date,
    currency: str,
    account: PayingAccount,
    *,
    cash_available: Decimal | None = None,
    horizon_days: int = 0,
    user=None,
) -> PaymentRun:
    """Propose the run for `run_date`: what is due first, then early payers by discount value."""
    if account.currency != currency:
        raise RunError(f"account: {account} pays in {account.currency}, not {currency}")
    if cash_available is not None and cash_available < 0:
        raise RunError("cash_available: cannot be negative")
    in_live_run = PaymentRunItem.objects.filter(
        status=PaymentRunItem.Status.INCLUDED, run__status__in=PaymentRun.LIVE
    ).values("invoice_id")
    horizon = run_date + dt.timedelta(days=horizon_days)
    candidates = (
        Invoice.objects.filter(
            direction=Direction.PAYABLE,
            currency=currency,
            status__in=PAYABLE_STATUSES,
            amount_open__gt=0,
            duplicate_of__isnull=True,
        )
        .filter(
            Q(scheduled_payment_date__lte=run_date)
            | Q(due_date__lte=horizon)
            | Q(discount_amount__gt=0, discount_until__gte=run_date)
        )
        .exclude(pk__in=in_live_run)
        .select_related("party")
        .order_by("due_date", "number", "pk")
    )
    due, early = [], []
    for invoice in candidates:
        is_due = (
            invoice.scheduled_payment_date and invoice.scheduled_payment_date <= run_date
        ) or (invoice.due_date and invoice.due_date <= horizon)
        (due if is_due else early).append(invoice)
    # Early payment only pays when the discount is worth it: the biggest discounts first.
    early.sort(key=lambda i: (-_discount(i, run_date), i.due_date or run_date, i.pk))

    run = PaymentRun.objects.create(
        reference=next_reference(f"PR-{currency}", when=timezone.now()),
        run_date=run_date,
        currency=currency,
        account=account,
        cash_available=cash_available,
        created_by=user,
    )
    left = cash_available
    left_out = []
    total = discounts = ZERO
    position = 0
    accounts = payable_accounts({invoice.party_id for invoice in [*due, *early]})
    for invoice in [*due, *early]:
        discount = _discount(invoice, run_date)
        amount = invoice.amount_open - discount
        vendor_account = accounts.get(invoice.party_id)
        why = ""
        if vendor_account is None:
            why = "no verified bank account for the vendor"
        elif left is not None and amount > left:
            why = (
                "not enough cash in this run; it keeps its due date"
                if invoice in early
                else "not enough cash in this run"
            )
        if why:
            left_out.append({"invoice": invoice.pk, "number": invoice.number,
                             "vendor": invoice.party.name, "why": why})  # fmt: skip
            continue
        position += 1
        PaymentRunItem.objects.create(
            run=run,
            invoice=invoice,
            amount=amount,
            discount=discount,
            vendor_account=vendor_account,
            end_to_end_id=f"{run.reference}-{position:05d}"[-35:],
        )
        total += amount
        discounts += discount
        if left is not None:
            left -= amount
        if invoice.status != Invoice.Status.SCHEDULED or invoice.scheduled_payment_date != run_date:
            invoice.scheduled_payment_date = run_date
            invoice.save(update_fields=["scheduled_payment_date", "updated_at"])
            note = f"In payment run {run.reference} for {run_date:%d %b %Y}"
            if discount:
                note += " to take the early-payment discount"
            with audit.acting_as(user, "Payment proposal"):
                set_status(invoice, Invoice.Status.SCHEDULED, note)
    run.total, run.discounts, run.left_out = total, discounts, left_out
    run.save(update_fields=["total", "discounts", "left_out"])
    audit.record("create", run, after={"total": str(total), "items": position}, note="proposed")
    return run


def _move(run: PaymentRun, status: str, **fields) -> None:
    before = run.status
    run.status = status
    run.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["status", "status_changed_at", *fields])
    audit.record(
        "status", run, {"status": before}, {"status": status}, fields.get("failure_reason", "")
    )


@transaction.atomic
def approve(run: PaymentRun, user) -> PaymentRun:
    if run.status != PaymentRun.Status.PROPOSED:
        raise RunError(f"status: the run is {run.get_status_display().lower()}, not proposed")
    if run.created_by_id and run.created_by_id == user.pk:
        raise RunError("approver: a second person approves a payment run, not its proposer")
    _move(run, PaymentRun.Status.APPROVED, approved_by=user)
    return run


def _items(run: PaymentRun, *statuses):
    items = run.items.select_related("invoice__party", "vendor_account")
    return items.filter(status__in=statuses) if statuses else items


def batch(run: PaymentRun) -> pain001.Batch:
    transfers = []
    for item in _items(run, PaymentRunItem.Status.INCLUDED):
        remittance = f"Invoice {item.invoice.number}"
        if item.discount:
            remittance += f" less discount {item.discount}"
        transfers.append(
            pain001.Transfer(
                end_to_end_id=item.end_to_end_id,
                amount=item.amount,
                creditor_name=item.vendor_account.holder_name or item.invoice.party.name,
                creditor_iban=item.vendor_account.iban,
                creditor_bic=item.vendor_account.bic,
                remittance=remittance,
            )
        )
    return pain001.Batch(
        message_id=run.reference,
        created_at=timezone.now(),
        initiator=run.account.holder_name,
        execution_date=run.run_date,
        currency=run.currency,
        debtor_name=run.account.holder_name,
        debtor_iban=run.account.iban,
        debtor_bic=run.account.bic,
        transfers=tuple(transfers),
    )


@transaction.atomic
def export(run: PaymentRun) -> bytes:
    """The bank file. The run must be approved (or exported already: the same file again)."""
    if run.status not in (PaymentRun.Status.APPROVED, PaymentRun.Status.EXPORTED):
        raise RunError("status: approve the run before sending it to the bank")
    data = pain001.build(batch(run))
    if run.status == PaymentRun.Status.APPROVED:
        _move(run, PaymentRun.Status.EXPORTED)
    return data


def csv_text(run: PaymentRun) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for item in _items(run, PaymentRunItem.Status.INCLUDED, PaymentRunItem.Status.PAID):
        writer.writerow([
            run.reference, item.end_to_end_id, item.invoice.party.name, item.vendor_account.iban,
            item.vendor_account.bic, item.invoice.number,
            item.invoice.due_date.isoformat() if item.invoice.due_date else "",
            f"{item.amount:.2f}", f"{item.discount:.2f}", run.currency, run.run_date.isoformat(),
        ])  # fmt: skip
    return out.getvalue()


@transaction.atomic
def mark_returned(item: PaymentRunItem, reason: str) -> PaymentRunItem:
    """The bank sent one payment back (closed account, wrong name): hold the invoice, say why."""
    reason = reason.strip()
    if not reason:
        raise RunError("reason: say why the bank returned the payment")
    if item.run.status != PaymentRun.Status.EXPORTED or item.status != item.Status.INCLUDED:
        raise RunError("status: only a payment sent to the bank and not yet paid can come back")
    item.status = item.Status.RETURNED
    item.return_reason = reason[:300]
    item.save(update_fields=["status", "return_reason"])
    with audit.acting_as(None, "Payment run"):
        set_status(item.invoice, Invoice.Status.ON_HOLD, f"Payment returned by the bank: {reason}")
    return item


@transaction.atomic
def fail(run: PaymentRun, reason: str) -> PaymentRun:
    """The bank refused the whole file: nothing was paid; the invoices go back to scheduled."""
    reason = reason.strip()
    if not reason:
        raise RunError("reason: say why the run failed")
    if run.status not in (PaymentRun.Status.APPROVED, PaymentRun.Status.EXPORTED):
        raise RunError("status: only an approved or exported run can fail")
    _move(run, PaymentRun.Status.FAILED, failure_reason=reason[:300])
    return run


@transaction.atomic
def mark_paid(run: PaymentRun, paid_on: dt.date | None = None) -> PaymentRun:
    """The bank paid: one payment per invoice in the ledger, then the vendors' advice."""
    if run.status != PaymentRun.Status.EXPORTED:
        raise RunError("status: only a run sent to the bank can be marked paid")
    paid_on = paid_on or run.run_date
    for item in _items(run, PaymentRunItem.Status.INCLUDED):
        payment = Payment.objects.create(
            direction=Direction.PAYABLE,
            party=item.invoice.party,
            date=paid_on,
            amount=item.amount,
            currency=run.currency,
            reference=item.end_to_end_id,
            bank_account=item.vendor_account,
        )
        with audit.acting_as(None, "Payment run"):
            allocate(
                payment,
                item.invoice,
                item.amount,
                deduction=item.discount,
                deduction_reason="early-payment discount" if item.discount else "",
            )
        item.status = item.Status.PAID
        item.payment = payment
        item.save(update_fields=["status", "payment"])
    returned = run.items.filter(status=PaymentRunItem.Status.RETURNED).exists()
    _move(run, PaymentRun.Status.RETURNED if returned else PaymentRun.Status.PAID)
    transaction.on_commit(lambda: send_advices(run.pk))
    return run


def _advice_contact(party) -> Contact | None:
    return party.contacts.order_by("-is_primary", "name", "id").first()


def send_advices(run_id: int) -> int:
    """One remittance advice per vendor of the run, by its contact's channel; once each."""
    run = PaymentRun.objects.get(pk=run_id)
    by_party = defaultdict(list)
    for item in _items(run, PaymentRunItem.Status.PAID):
        by_party[item.invoice.party].append(item)
    sent = 0
    for party, items in by_party.items():
        if RemittanceAdvice.objects.filter(run=run, party=party).exists():
            continue
        contact = _advice_contact(party)
        channel = contact.preferred_channel if contact else "none"
        to = contact.email if contact and contact.email else ""
        if channel != Contact.Channel.PORTAL and to:
            send_mail(
                subject=f"Payment of {run.currency} {sum(i.amount for i in items):,} "
                f"for {len(items)} invoice(s)",
                message=advice_text(run, party, items, contact),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[to],
            )
            channel = "email"
        RemittanceAdvice.objects.create(run=run, party=party, sent_to=to, channel=channel)
        sent += 1
    return sent


def advice_text(run: PaymentRun, party, items, contact) -> str:
    """What the payment covers, invoice by invoice, in words a vendor's clerk reconciles from."""
    greeting = f"Dear {contact.name}," if contact and contact.name else "Hello,"
    account = items[0].vendor_account
    lines = [
        greeting,
        "",
        f"we have paid {run.currency} {sum(i.amount for i in items):,} to your account ending "
        f"{account.iban.replace(' ', '')[-4:]} on {run.run_date:%d %B %Y}. It covers:",
        "",
    ]
    for item in items:
        line = f"- invoice {item.invoice.number}: {run.currency} {item.amount:,}"
        if item.discount:
            line += f" (early-payment discount of {run.currency} {item.discount:,} taken)"
        lines.append(line)
    lines += [
        "",
        f"The bank reference of each payment starts with {run.reference}. If anything does not "
        "match your records, reply to this e-mail and we will look into it the same day.",
        "",
        f"Thank you for working with us, {party.name}.",
    ]
    return "\n".join(lines)
