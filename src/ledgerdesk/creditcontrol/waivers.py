"""Fee waivers and small corrections, within each role's authority limit.

How a waiver reduces what the customer owes: we issue a credit note for the amount (the
document the customer sees on their statement, correcting the invoice), and net it against
the invoice through `ledger.services.allocate` as a deduction on both documents, carried by a
zero-cash settlement payment. That is how the ledger models "a credit note used against an
invoice" (see portal.statement): the open amount falls through the one writer of it, the
statement balances, and the invoice's history says who waived what and why.

Routing: a request within the requester's limit is applied at once. Above it, it waits for
the lowest role above the requester whose limit covers it; that role or any above it may
decide, but never the requester, and the decider's own limit must cover the amount. Every
limit is per currency and compared only with amounts in that currency (see AuthorityLimit).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ledgerdesk.core import roles
from ledgerdesk.creditcontrol.common import (
    CreditControlError,
    check_amount,
    ensure,
    money_words,
)
from ledgerdesk.creditcontrol.models import AuthorityLimit, FeeWaiver
from ledgerdesk.ledger import services as ledger
from ledgerdesk.ledger.models import Direction, Invoice, Payment


def limits(currency: str) -> dict[str, Decimal]:
    """Each role's authority in this currency; a role missing here has none in it."""
    return dict(AuthorityLimit.objects.filter(currency=currency).values_list("role", "amount"))


def limit_of(user, currency: str) -> tuple[str, Decimal]:
    """The user's role and how much it may waive on its own in `currency`."""
    role = roles.role_of(user)
    if not role:
        return "", Decimal("0")
    return role, limits(currency).get(role, Decimal("0"))


def limits_of_role(role: str) -> dict[str, Decimal]:
    """Every currency the role has a limit in, for the approval list and its heading."""
    rows = AuthorityLimit.objects.filter(role=role).order_by("currency")
    return dict(rows.values_list("currency", "amount"))


def _rank(role: str) -> int:
    return roles.STAFF_ROLES.index(role) if role in roles.STAFF_ROLES else -1


def roles_up_to(role: str) -> tuple[str, ...]:
    """The roles whose pending requests `role` may decide: its own and those below."""
    return roles.STAFF_ROLES[: _rank(role) + 1]


def approver_role_for(requester_role: str, amount: Decimal, currency: str) -> str:
    """The lowest role above the requester whose limit in `currency` covers the amount."""
    table = limits(currency)
    for role in roles.STAFF_ROLES[_rank(requester_role) + 1 :]:
        if table.get(role, Decimal("0")) >= amount:
            return role
    if not table:
        raise CreditControlError(
            f"amount: no role has an authority limit in {currency}; a lead adds one under "
            "Credit control › Authority limits in the admin"
        )
    highest = money_words(max(table.values()), currency)
    raise CreditControlError(
        f"amount: {money_words(amount, currency)} is above every authority limit in "
        f"{currency} (the highest is {highest}); correct it with a credit note in the ERP"
    )


def _history(invoice: Invoice, note: str) -> None:
    invoice.refresh_from_db(fields=["status"])
    ledger.set_status(invoice, invoice.status, note)


@transaction.atomic
def request_waiver(invoice: Invoice, amount: Decimal, reason: str, user) -> FeeWaiver:
    """Apply the waiver at once within the requester's limit in the invoice's currency, else
    queue it for the lowest role above whose limit there covers it."""
    ensure(
        invoice.direction == Direction.RECEIVABLE and invoice.kind == Invoice.Kind.INVOICE,
        "invoice: only a customer invoice can have a fee waived",
    )
    check_amount(amount, invoice.currency)
    ensure(bool(reason and reason.strip()), "reason: say why the fee is waived")
    # Locked: two waivers requested at once must not both fit into the same open amount.
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    _ensure_open(invoice, amount)
    role, limit = limit_of(user, invoice.currency)
    ensure(bool(role), "requested_by: only staff with a role can request a waiver")
    waiver = FeeWaiver.objects.create(
        invoice=invoice,
        amount=amount,
        currency=invoice.currency,
        reason=reason.strip()[:300],
        requested_by=user,
    )
    words = money_words(amount, invoice.currency)
    if amount <= limit:
        _apply(waiver, user, f"within the {role}'s limit")
    else:
        waiver.approver_role = approver_role_for(role, amount, invoice.currency)
        waiver.save(update_fields=["approver_role"])
        _history(
            invoice,
            f"Waiver of {words} requested by {user.get_username()} ({waiver.reason}); "
            f"waiting for a {waiver.approver_role}.",
        )
    return waiver


def _ensure_open(invoice: Invoice, amount: Decimal) -> None:
    ensure(
        amount <= invoice.amount_open,
        f"amount: invoice {invoice.number} has only "
        f"{money_words(invoice.amount_open, invoice.currency)} open",
    )


def _decider_problem(waiver: FeeWaiver, user) -> str:
    """Why `user` may not decide this request ("field: reason"), or "" when they may. One
    place for the rule, so the approval list, the buttons and the service agree."""
    if waiver.state != FeeWaiver.State.PENDING:
        return "state: this request was already decided"
    if user.pk == waiver.requested_by_id:
        return "decided_by: you cannot decide your own request"
    role, limit = limit_of(user, waiver.currency)
    if _rank(role) < _rank(waiver.approver_role):
        return f"decided_by: this request waits for a {waiver.approver_role}"
    if limit < waiver.amount:
        return f"decided_by: your limit of {money_words(limit, waiver.currency)} does not cover it"
    return ""


def can_decide(waiver: FeeWaiver, user) -> bool:
    return not _decider_problem(waiver, user)


def _check_decider(waiver: FeeWaiver, user) -> None:
    problem = _decider_problem(waiver, user)
    ensure(not problem, problem)


@transaction.atomic
def approve(waiver: FeeWaiver, user, note: str = "") -> FeeWaiver:
    # Locked: two approvers clicking at once must not apply the credit note twice.
    waiver = FeeWaiver.objects.select_for_update().get(pk=waiver.pk)
    _check_decider(waiver, user)
    # The invoice may have been paid or waived meanwhile: what is open now must still cover it.
    _ensure_open(Invoice.objects.select_for_update().get(pk=waiver.invoice_id), waiver.amount)
    waiver.decision_note = note.strip()[:300]
    _apply(waiver, user, f"approved by {user.get_username()}")
    return waiver


@transaction.atomic
def reject(waiver: FeeWaiver, user, note: str) -> FeeWaiver:
    waiver = FeeWaiver.objects.select_for_update().get(pk=waiver.pk)
    _check_decider(waiver, user)
    ensure(bool(note and note.strip()), "decision_note: say why it is rejected")
    waiver.state = FeeWaiver.State.REJECTED
    waiver.decided_by = user
    waiver.decided_at = timezone.now()
    waiver.decision_note = note.strip()[:300]
    waiver.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    _history(
        waiver.invoice,
        f"Waiver of {money_words(waiver.amount, waiver.currency)} rejected by "
        f"{user.get_username()}: {waiver.decision_note}",
    )
    return waiver


def _apply(waiver: FeeWaiver, user, how: str) -> None:
    invoice = waiver.invoice
    today = timezone.localdate()
    credit_note = Invoice.objects.create(
        direction=Direction.RECEIVABLE,
        kind=Invoice.Kind.CREDIT_NOTE,
        party=invoice.party,
        number=f"{invoice.number}-W{waiver.pk}",
        issue_date=today,
        due_date=today,
        currency=invoice.currency,
        net_amount=waiver.amount,
        total_amount=waiver.amount,
        amount_payable=waiver.amount,
        amount_open=waiver.amount,
        status=Invoice.Status.ISSUED,
        corrects=invoice,
        source=Invoice.Source.MANUAL,
        source_name=f"Fee waiver {waiver.pk}: {waiver.reason}"[:255],
    )
    settlement = Payment.objects.create(
        direction=Direction.RECEIVABLE,
        party=invoice.party,
        date=today,
        amount=Decimal("0"),
        currency=invoice.currency,
        reference=f"Credit note {credit_note.number} used",
    )
    reason = f"Credit note {credit_note.number}: {waiver.reason}"[:200]
    ledger.allocate(settlement, invoice, Decimal("0"), waiver.amount, reason)
    ledger.allocate(
        settlement, credit_note, Decimal("0"), waiver.amount, f"Used against {invoice.number}"
    )
    waiver.state = FeeWaiver.State.APPLIED
    waiver.decided_by = user
    waiver.decided_at = timezone.now()
    waiver.credit_note = credit_note
    waiver.save(update_fields=["state", "decided_by", "decided_at", "credit_note", "decision_note"])
    _history(
        invoice,
        f"Waived {money_words(waiver.amount, waiver.currency)} ({waiver.reason}), {how}; "
        f"credit note {credit_note.number}.",
    )
