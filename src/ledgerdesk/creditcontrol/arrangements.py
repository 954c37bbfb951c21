"""Payment arrangements: instalments agreed with a customer, tracked against what they paid.

What counts as paid towards an arrangement: everything allocated (cash and accepted
deductions) to its invoices from payments dated on or after the day it was agreed. Payments
cover instalments in date order. An instalment not covered once its grace (N working days
after its due date) has run out makes the arrangement "missed" and opens a follow-up for its
owner (or updates the open one); catching up puts it back on track.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ledgerdesk.core.money import to_decimal
from ledgerdesk.creditcontrol import schedule
from ledgerdesk.creditcontrol.common import (
    CreditControlError,
    ar_holidays,
    check_amount,
    ensure,
    money_words,
)
from ledgerdesk.creditcontrol.models import FollowUp, Instalment, PaymentArrangement
from ledgerdesk.ledger.models import Direction, Invoice, PaymentAllocation

Status = PaymentArrangement.Status


@transaction.atomic
def create_arrangement(
    *,
    party,
    invoices: Sequence[Invoice],
    amount_agreed: Decimal,
    instalments: Sequence[tuple[dt.date, Decimal]],
    owner,
    grace_business_days: int = 3,
    note: str = "",
    agreed_on: dt.date | None = None,
) -> PaymentArrangement:
    ensure(bool(invoices), "invoices: choose the invoices the arrangement covers")
    currencies = {inv.currency for inv in invoices}
    ensure(len(currencies) == 1, "invoices: an arrangement covers invoices of one currency")
    for inv in invoices:
        ensure(inv.party_id == party.pk, f"invoices: {inv.number} is not this customer's")
        ensure(
            inv.direction == Direction.RECEIVABLE,
            f"invoices: {inv.number} is not a customer invoice",
        )
    currency = currencies.pop()
    agreed_on = agreed_on or timezone.localdate()
    _check_plan(amount_agreed, instalments, currency, agreed_on)
    open_total = sum((inv.amount_open for inv in invoices), Decimal("0"))
    ensure(
        amount_agreed <= open_total,
        f"amount_agreed: the invoices have only {money_words(open_total, currency)} open",
    )
    arrangement = PaymentArrangement.objects.create(
        party=party,
        currency=currency,
        amount_agreed=amount_agreed,
        owner=owner,
        grace_business_days=grace_business_days,
        note=note[:300],
        agreed_on=agreed_on,
    )
    arrangement.invoices.set(invoices)
    Instalment.objects.bulk_create(
        Instalment(arrangement=arrangement, due_on=day, amount=amount)
        for day, amount in instalments
    )
    return arrangement


def _check_plan(amount_agreed, instalments, currency: str, agreed_on: dt.date) -> None:
    """Amounts in the currency's minor unit that add up; no instalment due before the day
    it was agreed (it would count as missed the moment it is saved)."""
    check_amount(amount_agreed, currency, "amount_agreed")
    for number, (day, amount) in enumerate(instalments, 1):
        check_amount(amount, currency, f"instalments: instalment {number}")
        ensure(
            day >= agreed_on,
            f"instalments: instalment {number} is due on {day.isoformat()}, before the "
            f"arrangement was agreed ({agreed_on.isoformat()})",
        )
    try:
        schedule.check_instalments(amount_agreed, list(instalments))
    except schedule.InstalmentError as exc:
        raise CreditControlError(str(exc)) from None


def paid_towards(arrangement: PaymentArrangement) -> Decimal:
    totals = PaymentAllocation.objects.filter(
        invoice__in=arrangement.invoices.all(), payment__date__gte=arrangement.agreed_on
    ).aggregate(cash=Sum("amount"), deducted=Sum("deduction_amount"))
    return (totals["cash"] or Decimal("0")) + (totals["deducted"] or Decimal("0"))


def states(arrangement: PaymentArrangement, today: dt.date | None = None, holidays=None):
    """Each instalment covered or missed; the grace skips the AR team's holidays."""
    today = today or timezone.localdate()
    holidays = ar_holidays() if holidays is None else holidays
    plan = [(i.due_on, i.amount) for i in arrangement.instalments.all()]
    return schedule.instalment_states(
        plan, paid_towards(arrangement), today, arrangement.grace_business_days, holidays
    )


def _missed_note(arrangement, missed) -> str:
    first = missed[0]
    return (
        f"Instalment of {money_words(first.amount, arrangement.currency)} due "
        f"{first.due_on:%d %b %Y} of the arrangement with {arrangement.party} was not paid "
        f"({len(missed)} missed). Call the customer and agree the next step."
    )


@transaction.atomic
def check(arrangement: PaymentArrangement, today: dt.date | None = None, holidays=None) -> str:
    """Bring the arrangement's status up to date; returns the status."""
    today = today or timezone.localdate()
    arrangement = PaymentArrangement.objects.select_for_update().get(pk=arrangement.pk)
    if arrangement.status in (Status.COMPLETED, Status.CANCELLED):
        return arrangement.status
    result = states(arrangement, today, holidays)
    missed = [s for s in result if s.missed]
    if all(s.covered for s in result):
        status = Status.COMPLETED
    elif missed:
        status = Status.MISSED
    else:
        status = Status.ON_TRACK
    if missed:
        note = _missed_note(arrangement, missed)
        open_task = arrangement.follow_ups.open().first()
        if open_task is None:
            FollowUp.objects.create(
                kind=FollowUp.Kind.MISSED_INSTALMENT,
                due_on=today,
                note=note,
                owner=arrangement.owner,
                party=arrangement.party,
                arrangement=arrangement,
            )
        elif open_task.note != note:
            open_task.note = note
            open_task.save(update_fields=["note"])
    if status != arrangement.status:
        arrangement.status = status
        arrangement.save(update_fields=["status"])
    return status


def check_all(today: dt.date | None = None) -> dict[str, int]:
    """Every active arrangement brought up to date; how many end in each status."""
    counts: dict[str, int] = {}
    holidays = ar_holidays()  # once, not per arrangement
    active = PaymentArrangement.objects.filter(status__in=(Status.ON_TRACK, Status.MISSED))
    for arrangement in active.iterator():
        status = check(arrangement, today, holidays)
        counts[status] = counts.get(status, 0) + 1
    return counts


def parse_instalments(text: str) -> list[tuple[dt.date, Decimal]]:
    """ "2026-12-01 400.00" per line, as the console form takes them."""
    result = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2:
            raise CreditControlError(
                f"instalments: line {number}: write a date and an amount, e.g. 2026-12-01 400.00"
            )
        try:
            day = dt.date.fromisoformat(parts[0])
        except ValueError:
            raise CreditControlError(
                f"instalments: line {number}: {parts[0]!r} is not a date (YYYY-MM-DD)"
            ) from None
        try:
            amount = to_decimal(parts[1].replace(",", ""))
        except ValueError:
            raise CreditControlError(
                f"instalments: line {number}: {parts[1]!r} is not an amount"
            ) from None
        result.append((day, amount))
    return result
