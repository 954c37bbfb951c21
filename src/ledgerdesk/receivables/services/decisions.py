"""What an agent decides about a line in the work queue: confirm, hold, refund or ignore."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ledgerdesk.receivables.models import StatementLine
from ledgerdesk.receivables.services.application import (
    Placement,
    PlacementError,
    _set_state,
    place,
)

State = StatementLine.State


def confirm(line: StatementLine, placements: list[Placement], user) -> int:
    """Apply the allocations an agent chose; returns how many deduction cases it opened."""
    return place(line, placements, auto=False, user=user, reason="Confirmed by an agent.")


def _locked(line: StatementLine) -> StatementLine:
    line = StatementLine.objects.select_for_update().get(pk=line.pk)
    if line.state in (State.APPLIED, State.IGNORED):
        raise PlacementError("state", f"this line is already {line.get_state_display().lower()}")
    return line


@transaction.atomic
def hold(line: StatementLine, note: str, user) -> StatementLine:
    """Keep the cash held while someone works it (asks the customer, waits for remittance)."""
    if not note.strip():
        raise PlacementError("note", "say why the cash is held")
    line = _locked(line)
    _set_state(line, State.HELD, reason=f"Held by {_name(user)}: {note.strip()}")
    return line


@transaction.atomic
def refund(line: StatementLine, note: str, user) -> StatementLine:
    """Record that the open cash of the line goes back to the payer."""
    if not note.strip():
        raise PlacementError("note", "say why the money is refunded")
    line = _locked(line)
    amount = line.unapplied_amount
    line.refunded_amount += amount
    _set_state(
        line,
        State.IGNORED,
        reason=f"Refund of {amount} {line.currency} decided by {_name(user)}: {note.strip()}",
        unapplied=Decimal("0"),
    )
    StatementLine.objects.filter(pk=line.pk).update(
        applied_by=user, applied_at=timezone.now(), refunded_amount=line.refunded_amount
    )
    return line


@transaction.atomic
def ignore(line: StatementLine, note: str, user) -> StatementLine:
    """Not a customer's payment (our own transfer, a bank correction): set aside with why."""
    if not note.strip():
        raise PlacementError("note", "say why this line is not a customer's payment")
    line = _locked(line)
    _set_state(
        line,
        State.IGNORED,
        reason=f"Ignored by {_name(user)}: {note.strip()}",
        unapplied=Decimal("0"),
    )
    StatementLine.objects.filter(pk=line.pk).update(applied_by=user, applied_at=timezone.now())
    return line


def _name(user) -> str:
    return user.get_full_name() or user.get_username()
