"""Date and instalment arithmetic of credit control. Pure: no Django, plain values in and out.

- `due_level`: which reminder level an invoice is at on a day.
- `wording_level`: which level's words fit, given the reminders it really had.
- `add_business_days`: a grace period in working days (Monday to Friday, minus holidays).
- `check_instalments`: the instalments of an arrangement add up to the amount agreed.
- `instalment_states`: which instalments are covered by what was paid, which are missed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

LEVELS = ("before_due", "on_due", "after_due_1", "after_due_2", "after_due_3")


@dataclass(frozen=True)
class Policy:
    days_before_due: int = 3
    send_on_due: bool = True
    days_after_due_1: int = 7
    days_after_due_2: int = 21
    days_after_due_3: int = 35


def trigger_days(due: dt.date, policy: Policy) -> list[tuple[str, dt.date]]:
    """Each level with the day it becomes due, in order."""
    days = [("before_due", due - dt.timedelta(days=policy.days_before_due))]
    if policy.send_on_due:
        days.append(("on_due", due))
    days += [
        ("after_due_1", due + dt.timedelta(days=policy.days_after_due_1)),
        ("after_due_2", due + dt.timedelta(days=policy.days_after_due_2)),
        ("after_due_3", due + dt.timedelta(days=policy.days_after_due_3)),
    ]
    return days


def due_level(due: dt.date, today: dt.date, policy: Policy) -> str | None:
    """The latest level whose day has come, or None before the first.

    Only the latest counts: a job that did not run for a week sends the reminder that fits
    today, not the ones it missed on the way.
    """
    level = None
    for name, day in trigger_days(due, policy):
        if day <= today:
            level = name
    # "Falls due on ..." is only true before the due day, "is due today" only on it: a job
    # that missed the day sends nothing until the first after-due level.
    if level == "before_due" and today >= due:
        return None
    if level == "on_due" and today != due:
        return None
    return level


AFTER_DUE = ("after_due_1", "after_due_2", "after_due_3")


def wording_level(level: str, sent: Iterable[str]) -> str:
    """The text to use for `level`, given the levels this invoice already had.

    The level says when a reminder goes out; the words must say what really happened
    before. An invoice first reminded at the third after-due step (it was held back by a
    dispute or an arrangement, or is older than the job) gets the first after-due text, not
    "this is our third reminder".
    """
    if level not in AFTER_DUE:
        return level
    already = sum(1 for name in sent if name in AFTER_DUE)
    return AFTER_DUE[min(AFTER_DUE.index(level), already)]


def add_business_days(start: dt.date, days: int, holidays: Iterable[dt.date] = ()) -> dt.date:
    """The day `days` working days after `start` (weekends and `holidays` do not count)."""
    if days < 0:
        raise ValueError("days: cannot be negative")
    off = frozenset(holidays)
    day = start
    left = days
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            left -= 1
    return day


class InstalmentError(ValueError):
    """Names the field that is wrong: "instalments: ...", "amount_agreed: ..."."""


def check_instalments(amount_agreed: Decimal, instalments: Sequence[tuple[dt.date, Decimal]]):
    if amount_agreed <= 0:
        raise InstalmentError("amount_agreed: must be above zero")
    if not instalments:
        raise InstalmentError("instalments: add at least one instalment")
    seen: set[dt.date] = set()
    for number, (day, amount) in enumerate(instalments, 1):
        if amount <= 0:
            raise InstalmentError(f"instalments: instalment {number} must be above zero")
        if day in seen:
            raise InstalmentError(f"instalments: two instalments are due on {day.isoformat()}")
        seen.add(day)
    total = sum((amount for _, amount in instalments), Decimal("0"))
    if total != amount_agreed:
        raise InstalmentError(
            f"instalments: they add up to {total}, not to the amount agreed of {amount_agreed}"
        )


@dataclass(frozen=True)
class InstalmentState:
    due_on: dt.date
    amount: Decimal
    covered: bool
    missed: bool


def instalment_states(
    instalments: Sequence[tuple[dt.date, Decimal]],
    paid: Decimal,
    today: dt.date,
    grace_business_days: int,
    holidays: Iterable[dt.date] = (),
) -> list[InstalmentState]:
    """Payments cover instalments in date order; an uncovered one is missed once its grace ran
    out (due day plus the grace in working days, strictly before today)."""
    holidays = frozenset(holidays)
    result = []
    running = Decimal("0")
    for day, amount in sorted(instalments):
        running += amount
        covered = paid >= running
        grace_end = add_business_days(day, grace_business_days, holidays)
        result.append(InstalmentState(day, amount, covered, not covered and today > grace_end))
    return result
