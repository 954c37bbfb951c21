"""The SLA clocks of a case: the pure `desk.sla` arithmetic applied to rows.

A case carries three clocks (acknowledge, first response, resolution) as
JSON, and copies their due times into indexed columns so queues sort by risk
in SQL. The clocks run on the team's business calendar and pause while the
case waits on the customer.
"""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

from django.conf import settings
from django.utils import timezone

from ledgerdesk.core.calendar import BusinessCalendar
from ledgerdesk.desk import sla
from ledgerdesk.desk.models import Case, SlaPolicy, Team

# Business hours when a team has no policy for a tier: (first response, resolution).
DEFAULT_TARGETS = {1: (4, 16), 2: (8, 24), 3: (16, 40)}
CLOCK_LABELS = {
    "acknowledge": "Acknowledge",
    "first_response": "First response",
    "resolution": "Resolution",
}


def calendar_for(team: Team) -> BusinessCalendar:
    if team.calendar:
        return BusinessCalendar.from_dict(team.calendar)
    return BusinessCalendar.standard(time_zone=settings.TIME_ZONE)


def policy_for(team: Team, tier: int) -> sla.SlaPolicy:
    row = SlaPolicy.objects.filter(team=team, tier=tier).first()
    if row is not None:
        return sla.SlaPolicy(
            acknowledge=timedelta(hours=row.acknowledge_hours),
            first_response=timedelta(hours=row.first_response_hours),
            resolution=timedelta(hours=row.resolution_hours),
            at_risk_ratio=Fraction(row.at_risk_percent, 100),
        )
    first, resolution = DEFAULT_TARGETS.get(tier, DEFAULT_TARGETS[3])
    return sla.SlaPolicy(
        first_response=timedelta(hours=first), resolution=timedelta(hours=resolution)
    )


def load(case: Case) -> dict[str, sla.SlaClock]:
    calendar = calendar_for(case.team)
    return {name: sla.SlaClock.from_dict(data, calendar) for name, data in case.sla_clocks.items()}


def _store(case: Case, clocks: dict[str, sla.SlaClock], now) -> None:
    case.sla_clocks = {name: clock.to_dict() for name, clock in clocks.items()}
    due = {name: clock.due_at(now) for name, clock in clocks.items()}
    case.first_response_due = due.get("first_response")
    case.resolution_due = due.get("resolution")
    running = [
        due[name]
        for name, clock in clocks.items()
        if clock.stopped_at is None and not clock.is_paused
    ]
    case.next_due = min(running) if running else None


def start(case: Case, at) -> None:
    policy = policy_for(case.team, case.tier)
    _store(case, sla.clocks_for_case(at, policy, calendar_for(case.team)), at)


def _apply(case: Case, at, change) -> None:
    clocks = load(case)
    _store(case, {name: change(name, clock) for name, clock in clocks.items()}, at)


def pause(case: Case, at) -> None:
    _apply(case, at, lambda n, c: c.pause(at) if c.stopped_at is None and not c.is_paused else c)


def resume(case: Case, at) -> None:
    _apply(case, at, lambda n, c: c.resume(at) if c.is_paused else c)


def stop(case: Case, name: str, at) -> None:
    def change(clock_name, clock):
        if clock_name != name or clock.stopped_at is not None:
            return clock
        return clock.resume(at).stop(at) if clock.is_paused else clock.stop(at)

    _apply(case, at, change)


def restart_resolution(case: Case, at) -> None:
    """A reopened case gets a fresh resolution clock from the moment it reopened."""
    clocks = load(case)
    old = clocks.get("resolution")
    policy = policy_for(case.team, case.tier)
    clocks["resolution"] = sla.SlaClock(
        calendar_for(case.team),
        at,
        policy.resolution,
        at_risk_ratio=old.at_risk_ratio if old else policy.at_risk_ratio,
    )
    _store(case, clocks, at)


def status(case: Case, now=None) -> list[dict]:
    """Each clock's state, colour and words for the case page and the queue."""
    now = now or timezone.now()
    result = []
    for name, clock in load(case).items():
        colour, words = clock.describe(now)
        result.append(
            {
                "name": name,
                "label": CLOCK_LABELS.get(name, name),
                "state": clock.state(now),
                "colour": colour,
                "words": words,
                "due": clock.due_at(now),
            }
        )
    return result


def worst(case: Case, now=None) -> dict | None:
    """The clock that most needs attention: breached before at risk before running."""
    order = {"breached": 0, "at_risk": 1, "running": 2, "paused": 3, "met": 4}
    clocks = status(case, now)
    return min(clocks, key=lambda c: (order[c["state"]], c["due"])) if clocks else None
