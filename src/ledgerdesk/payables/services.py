"""What happens to a vendor's invoice between arrival and payment.

`intake` runs the checks in the order a careful clerk would: is it a bill we already have
(`check_duplicates`), does it agree with the order and what arrived (`check_match`), and if
both pass, who must approve it (`route`). Every step writes the invoice's history in words the
vendor may read in the portal, and the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from ledgerdesk.core import audit
from ledgerdesk.desk.models import Team
from ledgerdesk.ledger.models import (
    Direction,
    GoodsReceiptLine,
    Invoice,
    InvoiceLine,
    PurchaseOrder,
)
from ledgerdesk.ledger.services import set_status
from ledgerdesk.payables import duplicates, matching
from ledgerdesk.payables.models import (
    ApprovalRule,
    ApprovalStep,
    Delegation,
    InvoiceMatch,
    SuspectedDuplicate,
    Tolerance,
)

WORKFLOW = "Approval workflow"
CHECKS = "Invoice checks"
SUSPECT_SCORE = 0.5
DUPLICATE_WINDOW_DAYS = 60
LINK_MAX_AGE = dt.timedelta(days=14)
_SALT = "ledgerdesk.payables.approval"


class PayablesError(Exception):
    """A request that cannot be carried out; the message starts with the field at fault."""


# --- Matching ----------------------------------------------------------------------------------


def tolerance_for(vendor_id: int | None, category: str) -> matching.Tolerance:
    rows = Tolerance.objects.filter(
        Q(vendor_id=vendor_id) | Q(vendor__isnull=True), Q(category=category) | Q(category="")
    )
    best = max(rows, key=lambda t: (t.vendor_id is not None, bool(t.category)), default=None)
    if best is None:
        return matching.Tolerance()
    return matching.Tolerance(best.price_pct, best.quantity_pct, best.amount, best.require_receipt)


def order_of(invoice: Invoice) -> PurchaseOrder | None:
    if invoice.purchase_order_id:
        return invoice.purchase_order
    if invoice.po_reference:
        return PurchaseOrder.objects.filter(
            number=invoice.po_reference.strip(), party_id=invoice.party_id
        ).first()
    return None


@transaction.atomic
def check_match(invoice: Invoice) -> InvoiceMatch:
    """Match the invoice's lines against its order (and receipts); store and return the result."""
    order = order_of(invoice)
    billed = [
        matching.BilledLine(
            key=line.pk,
            position=line.position,
            description=line.description,
            quantity=line.quantity,
            net_amount=line.net_amount,
            unit_price=line.unit_price,
            order_line_key=line.po_line_id,
        )
        for line in invoice.lines.all()
    ]
    ordered = None
    tolerance = tolerance_for(invoice.party_id, order.category if order else "")
    if order is not None:
        received = dict(
            GoodsReceiptLine.objects.filter(order_line__order=order)
            .values_list("order_line_id")
            .annotate(total=Sum("quantity"))
        )
        billed_before = dict(
            InvoiceLine.objects.filter(po_line__order=order)
            .exclude(invoice=invoice)
            .exclude(invoice__status__in=[Invoice.Status.REJECTED, Invoice.Status.CANCELLED])
            .filter(invoice__duplicate_of__isnull=True)
            .values_list("po_line_id")
            .annotate(total=Sum("quantity"))
        )
        ordered = [
            matching.OrderLine(
                key=line.pk,
                position=line.position,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                received=received.get(line.pk, Decimal("0")),
                invoiced_before=billed_before.get(line.pk, Decimal("0")),
            )
            for line in order.lines.all()
        ]
    result = matching.match(
        billed,
        ordered,
        currency=invoice.currency,
        tolerance=tolerance,
        order_number=order.number if order else "",
    )
    findings = [
        {
            "line": line.billed_position,
            "kind": f.kind,
            "message": f.message,
            "within_tolerance": f.within_tolerance,
        }  # fmt: skip
        for line in result.lines
        for f in line.findings
    ] + [
        {"line": None, "kind": f.kind, "message": f.message, "within_tolerance": f.within_tolerance}
        for f in result.findings
    ]
    # Remember which order line each bill line was paired with, so the vendor's next invoice
    # against the same order sees what was billed already.
    for line in result.lines:
        if line.order_line_key is not None:
            InvoiceLine.objects.filter(pk=line.billed_key, po_line__isnull=True).update(
                po_line_id=line.order_line_key
            )
    stored, _ = InvoiceMatch.objects.update_or_create(
        invoice=invoice,
        defaults={
            "order": order,
            "mode": result.mode,
            "status": result.status,
            "findings": findings,
            "kinds": ",".join(result.mismatch_kinds()),
            "checked_at": timezone.now(),
        },
    )
    return stored


# --- Duplicates --------------------------------------------------------------------------------


def _bill(invoice: Invoice) -> duplicates.Bill:
    return duplicates.Bill(
        invoice.pk,
        invoice.party_id,
        invoice.number,
        invoice.total_amount,
        invoice.currency,
        invoice.issue_date,
    )


@transaction.atomic
def check_duplicates(invoice: Invoice) -> list[SuspectedDuplicate]:
    """Compare with the vendor's other bills of the weeks around it; record each suspicion once."""
    window = dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
    others = (
        Invoice.objects.filter(
            party_id=invoice.party_id,
            direction=invoice.direction,
            kind=invoice.kind,
            issue_date__range=(invoice.issue_date - window, invoice.issue_date + window),
            created_at__lte=invoice.created_at,
        )
        .exclude(pk=invoice.pk)
        .exclude(status=Invoice.Status.CANCELLED)
        .only("pk", "party_id", "number", "total_amount", "currency", "issue_date")
    )
    found = []
    for suspicion in duplicates.suspects(
        _bill(invoice), [_bill(o) for o in others], window_days=DUPLICATE_WINDOW_DAYS
    ):
        if suspicion.score < SUSPECT_SCORE:
            continue
        row, _ = SuspectedDuplicate.objects.get_or_create(
            invoice=invoice,
            earlier_id=suspicion.key,
            defaults={"reasons": "; ".join(suspicion.reasons)[:300], "score": suspicion.score},
        )
        found.append(row)
    return found


# --- Intake ------------------------------------------------------------------------------------


@dataclass
class Intake:
    invoice: Invoice
    outcome: str  # "routed", "held: duplicate", "held: mismatch", "skipped"
    steps: list[ApprovalStep]


def intake(invoice: Invoice, *, today: dt.date | None = None) -> Intake:
    """Check a newly received AP invoice and send it on: to approval, or on hold with why."""
    if invoice.direction != Direction.PAYABLE or invoice.status != Invoice.Status.RECEIVED:
        return Intake(invoice, "skipped", [])
    with transaction.atomic(), audit.acting_as(None, CHECKS):
        suspicions = [s for s in check_duplicates(invoice) if s.decision == s.Decision.OPEN]
        if suspicions:
            earlier = suspicions[0].earlier
            set_status(
                invoice,
                Invoice.Status.ON_HOLD,
                f"Suspected duplicate of invoice {earlier.number}: {suspicions[0].reasons}",
            )
            return Intake(invoice, "held: duplicate", [])
        result = check_match(invoice)
        if result.status == InvoiceMatch.Status.MISMATCH:
            set_status(invoice, Invoice.Status.ON_HOLD, " ".join(result.messages)[:300])
            return Intake(invoice, "held: mismatch", [])
    steps = route(invoice, today=today)
    return Intake(invoice, "routed", steps)


def _continue(invoice: Invoice, *, today: dt.date | None = None) -> Intake:
    """Send a held invoice on once what held it is cleared: match again, then route."""
    with transaction.atomic(), audit.acting_as(None, CHECKS):
        result = check_match(invoice)
        if result.status == InvoiceMatch.Status.MISMATCH:
            if invoice.hold_reason != " ".join(result.messages)[:300]:
                set_status(invoice, Invoice.Status.ON_HOLD, " ".join(result.messages)[:300])
            return Intake(invoice, "held: mismatch", [])
    return Intake(invoice, "routed", route(invoice, today=today))


@transaction.atomic
def decide_duplicate(suspicion: SuspectedDuplicate, user, same: bool) -> Intake | None:
    """A person looked at both bills: the same one (never paid twice) or two different ones."""
    suspicion = SuspectedDuplicate.objects.select_for_update().get(pk=suspicion.pk)
    if suspicion.decision != SuspectedDuplicate.Decision.OPEN:
        raise PayablesError(f"decision: already decided ({suspicion.get_decision_display()})")
    suspicion.decision = (
        SuspectedDuplicate.Decision.DUPLICATE if same else SuspectedDuplicate.Decision.DIFFERENT
    )
    suspicion.decided_by = user
    suspicion.save(update_fields=["decision", "decided_by"])
    invoice = suspicion.invoice
    if same:
        with audit.acting_as(user):
            set_status(
                invoice,
                Invoice.Status.CANCELLED,
                f"A copy of invoice {suspicion.earlier.number}: we pay it once, under that number",
            )
        return None
    still_open = invoice.suspicions.filter(decision=SuspectedDuplicate.Decision.OPEN).exists()
    if still_open or invoice.status != Invoice.Status.ON_HOLD:
        return None
    return _continue(invoice)


def recheck(invoice: Invoice, *, today: dt.date | None = None) -> Intake:
    """Match a held invoice again (a receipt was booked, the order was corrected)."""
    if invoice.status != Invoice.Status.ON_HOLD or invoice.direction != Direction.PAYABLE:
        raise PayablesError("invoice: only a vendor invoice on hold is checked again")
    if invoice.suspicions.filter(decision=SuspectedDuplicate.Decision.OPEN).exists():
        raise PayablesError("invoice: decide the suspected duplicate first")
    return _continue(invoice, today=today)


# --- Approval routing --------------------------------------------------------------------------


def stand_in(user, day: dt.date):
    """Who approves for `user` on `day`: their delegate while they are away, else themselves.

    Delegations chain (an away delegate's own delegate stands in), but never in a circle.
    """
    seen = {user.pk}
    while True:
        delegation = (
            Delegation.objects.filter(approver=user, starts__lte=day, ends__gte=day)
            .select_related("delegate")
            .first()
        )
        if (
            delegation is None
            or delegation.delegate_id in seen
            or not delegation.delegate.is_active
        ):
            return user
        seen.add(delegation.delegate_id)
        user = delegation.delegate


def hand_over(delegation: Delegation, *, today: dt.date | None = None) -> int:
    """An approver goes away with steps already waiting: their delegate gets those too."""
    today = today or timezone.localdate()
    if not (delegation.starts <= today <= delegation.ends):
        return 0
    acting = stand_in(delegation.approver, today)
    if acting.pk == delegation.approver_id:
        return 0
    moved = 0
    waiting = ApprovalStep.objects.filter(
        approver=delegation.approver, state=ApprovalStep.State.PENDING
    ).select_related("invoice")
    for step in waiting:
        with transaction.atomic():
            step.on_behalf_of_id = step.on_behalf_of_id or step.approver_id
            step.approver = acting
            step.save(update_fields=["approver", "on_behalf_of"])
            with audit.acting_as(None, WORKFLOW):
                set_status(
                    step.invoice,
                    Invoice.Status.IN_APPROVAL,
                    f"Routed to {_name(acting)} for {_name(delegation.approver)}",
                )
            transaction.on_commit(lambda pk=step.pk: notify_approver(pk))
        moved += 1
    return moved


def _fallback_approver():
    team = (
        Team.objects.filter(direction=Direction.PAYABLE, lead__isnull=False)
        .select_related("lead")
        .first()
    )
    if team is None:
        raise PayablesError("approver: no approval rule fits and the AP team has no lead")
    return team.lead


def route(invoice: Invoice, *, today: dt.date | None = None) -> list[ApprovalStep]:
    """Create the approval steps the rules ask for, and ask the first approver."""
    today = today or timezone.localdate()
    order = order_of(invoice)
    cost_centre = order.cost_centre if order else ""
    category = order.category if order else ""
    with transaction.atomic():
        if invoice.approval_steps.exclude(state=ApprovalStep.State.CANCELLED).exists():
            raise PayablesError("invoice: it is already routed for approval")
        rules = [
            r
            for r in ApprovalRule.objects.filter(active=True).select_related("approver")
            if r.fits(invoice.total_amount, cost_centre, category)
        ]
        if not rules:
            rules = [None]
        steps = []
        for rule in rules:
            named = rule.approver if rule else _fallback_approver()
            acting = stand_in(named, today)
            steps.append(
                ApprovalStep.objects.create(
                    invoice=invoice,
                    level=rule.level if rule else 1,
                    rule=rule,
                    approver=acting,
                    on_behalf_of=named if acting.pk != named.pk else None,
                )
            )
        steps.sort(key=lambda s: (s.level, s.pk))
        _ask(steps[0])
    return steps


def _ask(step: ApprovalStep) -> None:
    step.state = ApprovalStep.State.PENDING
    step.requested_at = timezone.now()
    step.save(update_fields=["state", "requested_at"])
    invoice = step.invoice
    name = _name(step.approver)
    if step.on_behalf_of_id:
        name += f" for {_name(step.on_behalf_of)}"
    with audit.acting_as(None, WORKFLOW):
        set_status(invoice, Invoice.Status.IN_APPROVAL, f"Routed to {name}")
    transaction.on_commit(lambda: notify_approver(step.pk))


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def approval_token(step: ApprovalStep) -> str:
    return signing.dumps({"step": step.pk, "approver": step.approver_id}, salt=_SALT)


def step_from_token(token: str) -> ApprovalStep:
    """The pending step a link was made for; PayablesError if tampered, expired or decided."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise PayablesError(
            "link: this approval link has expired; open it from the console"
        ) from exc
    except signing.BadSignature as exc:
        raise PayablesError("link: this approval link is not valid") from exc
    step = (
        ApprovalStep.objects.select_related("invoice__party", "approver", "on_behalf_of")
        .filter(pk=data.get("step"), approver_id=data.get("approver"))
        .first()
    )
    if step is None:
        raise PayablesError("link: this approval link is not valid")
    return step


def approval_url(step: ApprovalStep) -> str:
    return settings.SITE_URL + reverse("payables:decide", args=[approval_token(step)])


def notify_approver(step_id: int, *, reminder: bool = False) -> None:
    step = ApprovalStep.objects.select_related("invoice__party", "approver").get(pk=step_id)
    if step.state != ApprovalStep.State.PENDING or not step.approver.email:
        return
    invoice = step.invoice
    prefix = "Reminder: " if reminder else ""
    send_mail(
        subject=f"{prefix}Please approve invoice {invoice.number} from {invoice.party.name}",
        message=(
            f"Invoice {invoice.number} from {invoice.party.name} for "
            f"{invoice.currency} {invoice.total_amount:,} is waiting for your approval"
            + (f" (due {invoice.due_date:%d %b %Y})" if invoice.due_date else "")
            + ".\n\nApprove or reject it here (the link works once and expires in "
            f"{LINK_MAX_AGE.days} days):\n{approval_url(step)}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[step.approver.email],
    )


def _may_decide(step: ApprovalStep, user) -> bool:
    return user is not None and user.pk == step.approver_id


@transaction.atomic
def decide(step: ApprovalStep, user, approve: bool, note: str = "", *, today=None) -> ApprovalStep:
    """The approver approves or rejects; the next step is asked, or the invoice moves on."""
    step = ApprovalStep.objects.select_for_update().select_related("invoice").get(pk=step.pk)
    if step.state != ApprovalStep.State.PENDING:
        raise PayablesError(f"step: already {step.get_state_display().lower()}")
    if not _may_decide(step, user):
        raise PayablesError("approver: this approval is waiting for someone else")
    note = note.strip()
    if not approve and not note:
        raise PayablesError("note: say why the invoice is rejected; the vendor will read it")
    step.state = ApprovalStep.State.APPROVED if approve else ApprovalStep.State.REJECTED
    step.decided_at = timezone.now()
    step.note = note[:300]
    step.save(update_fields=["state", "decided_at", "note"])
    invoice = step.invoice
    with audit.acting_as(user, _name(user)):
        if not approve:
            step.invoice.approval_steps.filter(state=ApprovalStep.State.WAITING).update(
                state=ApprovalStep.State.CANCELLED
            )
            set_status(invoice, Invoice.Status.REJECTED, note)
            return step
        following = invoice.approval_steps.filter(state=ApprovalStep.State.WAITING).first()
        if following is not None:
            _ask(following)
            return step
        set_status(invoice, Invoice.Status.APPROVED, note or "Approved")
        schedule(invoice, today=today)
    return step


# --- Payment timing ----------------------------------------------------------------------------


def payment_date(invoice: Invoice, *, today: dt.date) -> tuple[dt.date, str]:
    """When to pay, and why: the discount date while a discount is on offer, else the due date."""
    if invoice.discount_amount > 0 and invoice.discount_until and invoice.discount_until >= today:
        return invoice.discount_until, "to take the early-payment discount"
    due = invoice.due_date or invoice.issue_date + dt.timedelta(
        days=invoice.party.payment_terms_days
    )
    return max(due, today), "on the due date"


def schedule(invoice: Invoice, *, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    day, why = payment_date(invoice, today=today)
    invoice.scheduled_payment_date = day
    invoice.save(update_fields=["scheduled_payment_date", "updated_at"])
    with audit.acting_as(None, WORKFLOW):
        set_status(invoice, Invoice.Status.SCHEDULED, f"Payment planned for {day:%d %b %Y} {why}")
    return day


# --- Reminders and escalation ------------------------------------------------------------------


@dataclass
class Chase:
    reminded: int = 0
    escalated: int = 0


def chase(*, now=None, remind_after=dt.timedelta(days=2), escalate_after=2) -> Chase:
    """Remind approvers whose step sits; after `escalate_after` reminders, or when the due
    date is two days away, hand the step to the AP team lead (once)."""
    now = now or timezone.now()
    result = Chase()
    pending = ApprovalStep.objects.filter(
        state=ApprovalStep.State.PENDING, requested_at__lte=now - remind_after
    ).select_related("invoice", "approver")
    for step in pending:
        if step.last_reminded_at and step.last_reminded_at > now - remind_after:
            continue
        near_due = step.invoice.due_date and step.invoice.due_date <= (
            now.date() + dt.timedelta(days=2)
        )
        if not step.escalated and (step.reminders_sent >= escalate_after or near_due):
            lead = _fallback_approver()
            if lead.pk != step.approver_id:
                with transaction.atomic():
                    before = _name(step.approver)
                    step.on_behalf_of_id = step.on_behalf_of_id or step.approver_id
                    step.approver = lead
                    step.escalated = True
                    step.last_reminded_at = now
                    step.save(
                        update_fields=["approver", "on_behalf_of", "escalated", "last_reminded_at"]
                    )
                    with audit.acting_as(None, WORKFLOW):
                        set_status(
                            step.invoice,
                            Invoice.Status.IN_APPROVAL,
                            f"Routed to {_name(lead)} (waited on {before} too long)",
                        )
                    transaction.on_commit(lambda pk=step.pk: notify_approver(pk))
                result.escalated += 1
                continue
        step.reminders_sent += 1
        step.last_reminded_at = now
        step.save(update_fields=["reminders_sent", "last_reminded_at"])
        notify_approver(step.pk, reminder=True)
        result.reminded += 1
    return result


def waiting_for(user):
    """The steps waiting on `user` in the console, oldest first."""
    return (
        ApprovalStep.objects.filter(approver=user, state=ApprovalStep.State.PENDING)
        .select_related("invoice__party", "on_behalf_of")
        .order_by("requested_at")
    )
