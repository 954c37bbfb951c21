"""SLA clocks: business-time deadlines that pause while a case waits on the customer.

Pure Python: imports only the standard library and `ledgerdesk.core.calendar`. A case keeps
its clocks as plain dicts (`SlaClock.to_dict()`); the calendar lives on the team and is
passed back in by `SlaClock.from_dict()`, so a calendar fix reaches every open case.

Semantics
- A clock counts the business time of its calendar from `started_at`, except inside pauses.
- Its deadline (`due_at`) is the earliest moment at which the counted time reaches the target
  (so it may sit exactly at 17:00). While a pause is open the clock is treated as if it
  resumed `now`: the deadline moves later as business time passes in the pause, never earlier.
- `stop(at)` records that the clock's goal was reached. Stopped on or before the deadline is
  "met"; after it is "breached" (met late). Stopping a paused clock closes its pause.
- A running or paused clock is "breached" once `now` is past the deadline; a breach that
  happened before a pause stays a breach. "at_risk" means fraction_used >= at_risk_ratio.
- Every query takes `now` and ignores events after it, so the same clock answers what the
  desk saw at any past moment. `remaining` is negative once overdue (in business time).
- Clocks are immutable: pause(), resume() and stop() return a new clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from ledgerdesk.core.calendar import BusinessCalendar, require_aware

State = Literal["met", "running", "at_risk", "breached", "paused"]
CLOCK_NAMES = ("acknowledge", "first_response", "resolution")
STATES: tuple[State, ...] = ("met", "running", "at_risk", "breached", "paused")
DEFAULT_AT_RISK = Fraction(3, 4)
Pause = tuple[datetime, datetime | None]

_MINUTE = timedelta(minutes=1)


def _ratio(value: Any) -> Fraction:
    """An exact ratio in (0, 1]; a float is read as written (0.75 is 3/4, not a binary float)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal | Fraction):
        raise ValueError(f"at_risk_ratio: {value!r} is not a number")
    try:
        ratio = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"at_risk_ratio: {value!r} is not a number") from None
    if not 0 < ratio <= 1:
        raise ValueError(f"at_risk_ratio: {value!r} must be above 0 and at most 1")
    return ratio


def _positive(value: Any, name: str) -> timedelta:
    if not isinstance(value, timedelta):
        raise TypeError(f"{name} must be a timedelta, not {type(value).__name__}")
    if value <= timedelta(0):
        raise ValueError(f"{name} must be a positive duration, got {value}")
    return value


def _utc(moment: Any, name: str) -> datetime:
    return require_aware(moment, name).astimezone(UTC)


@dataclass(frozen=True, kw_only=True)
class SlaPolicy:
    """Targets in business time of the team's calendar."""

    acknowledge: timedelta = timedelta(hours=24)
    first_response: timedelta
    resolution: timedelta
    at_risk_ratio: Fraction = DEFAULT_AT_RISK

    def __post_init__(self) -> None:
        for name in CLOCK_NAMES:
            _positive(getattr(self, name), name)
        object.__setattr__(self, "at_risk_ratio", _ratio(self.at_risk_ratio))


@dataclass(frozen=True)
class SlaClock:
    """One SLA clock of a case; immutable, every datetime held in UTC."""

    calendar: BusinessCalendar
    started_at: datetime
    target: timedelta
    # Ordered, non-overlapping (paused_at, resumed_at); only the last may be open (None).
    pauses: tuple[Pause, ...] = ()
    stopped_at: datetime | None = None
    at_risk_ratio: Fraction = DEFAULT_AT_RISK

    def __post_init__(self) -> None:
        if not isinstance(self.calendar, BusinessCalendar):
            raise TypeError(f"calendar must be a BusinessCalendar, not {type(self.calendar)}")
        object.__setattr__(self, "started_at", _utc(self.started_at, "started_at"))
        _positive(self.target, "target")
        object.__setattr__(self, "at_risk_ratio", _ratio(self.at_risk_ratio))
        pauses, last = [], self.started_at
        for n, pause in enumerate(self.pauses):
            if last is None:
                raise ValueError(f"pauses[{n}]: the pause before it was never resumed")
            if not isinstance(pause, tuple | list) or len(pause) != 2:
                raise ValueError(f"pauses[{n}]: expected (paused_at, resumed_at), got {pause!r}")
            paused_at, resumed_at = pause
            paused_at = _utc(paused_at, f"pauses[{n}] start")
            if paused_at < last:
                raise ValueError(f"pauses[{n}]: paused at {paused_at} before {last}")
            if resumed_at is not None:
                resumed_at = _utc(resumed_at, f"pauses[{n}] end")
                if resumed_at < paused_at:
                    raise ValueError(f"pauses[{n}]: resumed at {resumed_at} before pausing")
            pauses.append((paused_at, resumed_at))
            last = resumed_at
        object.__setattr__(self, "pauses", tuple(pauses))
        if self.stopped_at is not None:
            object.__setattr__(self, "stopped_at", _utc(self.stopped_at, "stopped_at"))
            if last is None:
                raise ValueError("stopped_at: a stopped clock cannot still be paused")
            if self.stopped_at < last:
                raise ValueError(f"stopped_at: {self.stopped_at} is before {last}")

    # Events: each returns a new clock ------------------------------------------------------

    @property
    def is_paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1][1] is None

    def pause(self, at: datetime) -> SlaClock:
        at = _utc(at, "at")
        if self.stopped_at is not None:
            raise ValueError("cannot pause a stopped clock")
        if self.is_paused:
            raise ValueError(f"the clock is already paused since {self.pauses[-1][0]}")
        last = self.pauses[-1][1] if self.pauses else self.started_at
        if at < last:
            raise ValueError(f"cannot pause at {at}, before the clock last ran from {last}")
        return replace(self, pauses=(*self.pauses, (at, None)))

    def resume(self, at: datetime) -> SlaClock:
        at = _utc(at, "at")
        if not self.is_paused:
            raise ValueError("cannot resume a clock that is not paused")
        paused_at = self.pauses[-1][0]
        if at < paused_at:
            raise ValueError(f"cannot resume at {at}, before the pause began at {paused_at}")
        return replace(self, pauses=(*self.pauses[:-1], (paused_at, at)))

    def stop(self, at: datetime) -> SlaClock:
        at = _utc(at, "at")
        if self.stopped_at is not None:
            raise ValueError(f"the clock was already stopped at {self.stopped_at}")
        clock = self.resume(at) if self.is_paused else self
        last = clock.pauses[-1][1] if clock.pauses else clock.started_at
        if last is None or at < last:
            raise ValueError(f"cannot stop at {at}, before {last}")
        return replace(clock, stopped_at=at)

    # Queries as of `now` -------------------------------------------------------------------

    def _as_of(self, now: datetime) -> tuple[list[Pause], datetime | None]:
        """The pauses (one resumed after `now` shows as open) and stop known at `now`."""
        pauses = [
            (p, r if r is not None and r <= now else None) for p, r in self.pauses if p <= now
        ]
        stopped = (
            self.stopped_at if self.stopped_at is not None and self.stopped_at <= now else None
        )
        return pauses, stopped

    def elapsed(self, now: datetime) -> timedelta:
        """Business time counted so far: up to now (or the stop), pauses excluded."""
        now = _utc(now, "now")
        pauses, stopped = self._as_of(now)
        until = stopped or now
        between = self.calendar.business_time_between
        elapsed = between(self.started_at, until)
        for paused_at, resumed_at in pauses:
            elapsed -= between(paused_at, min(resumed_at or until, until))
        return elapsed

    def remaining(self, now: datetime) -> timedelta:
        """Business time left before the deadline; negative once overdue."""
        return self.target - self.elapsed(now)

    def fraction_used(self, now: datetime) -> Fraction:
        return Fraction(
            self.elapsed(now) // timedelta(microseconds=1), self.target // timedelta(microseconds=1)
        )

    def due_at(self, now: datetime | None = None) -> datetime:
        """The deadline in UTC, given the pauses so far; `now` defaults to the current time."""
        now = datetime.now(UTC) if now is None else _utc(now, "now")
        pauses, _ = self._as_of(now)
        calendar, left, cursor = self.calendar, self.target, self.started_at
        for paused_at, resumed_at in pauses:
            ran = calendar.business_time_between(cursor, paused_at)
            if ran >= left:  # the deadline came before this pause, which cannot move it
                return calendar.add_business_time(cursor, left)
            left -= ran
            # An open pause behaves as if the clock resumed now: the deadline travels with it.
            cursor = resumed_at if resumed_at is not None else max(now, paused_at)
        return calendar.add_business_time(cursor, left)

    def state(self, now: datetime) -> State:
        now = _utc(now, "now")
        pauses, stopped = self._as_of(now)
        due = self.due_at(now)
        if stopped is not None:
            return "met" if stopped <= due else "breached"
        if now > due:
            return "breached"
        if pauses and pauses[-1][1] is None:
            return "paused"
        return "at_risk" if self.fraction_used(now) >= self.at_risk_ratio else "running"

    def describe(self, now: datetime) -> tuple[str, str]:
        """Colour and words for the console, with days as long as the calendar's working day."""
        _, stopped = self._as_of(_utc(now, "now"))
        return describe(
            self.state(now),
            self.remaining(now),
            day=self.calendar.working_day(),
            stopped=stopped is not None,
        )

    # Plain-dict form (JSON on the case) ----------------------------------------------------

    def to_dict(self, *, include_calendar: bool = False) -> dict[str, Any]:
        seconds = self.target.total_seconds()
        data: dict[str, Any] = {
            "started_at": self.started_at.isoformat(),
            "target_seconds": int(seconds) if seconds.is_integer() else seconds,
            "pauses": [[p.isoformat(), r.isoformat() if r else None] for p, r in self.pauses],
            "stopped_at": self.stopped_at.isoformat() if self.stopped_at else None,
            "at_risk_ratio": str(self.at_risk_ratio),
        }
        if include_calendar:
            data["calendar"] = self.calendar.to_dict()
        return data

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], calendar: BusinessCalendar | None = None
    ) -> SlaClock:
        """Read `to_dict()` output; the calendar comes from the argument or the dict."""
        if not isinstance(data, Mapping):
            raise ValueError(f"sla clock: expected an object, got {type(data).__name__}")
        known = {"started_at", "target_seconds", "pauses", "stopped_at", "at_risk_ratio"}
        unknown = sorted(set(data) - known - {"calendar"})
        if unknown:
            raise ValueError(f"sla clock: unknown key(s) {', '.join(map(repr, unknown))}")
        for key in ("started_at", "target_seconds"):
            if key not in data:
                raise ValueError(f"sla clock: {key!r} is required")
        if calendar is None:
            if "calendar" not in data:
                raise ValueError("sla clock: no calendar given and none stored in the dict")
            calendar = BusinessCalendar.from_dict(data["calendar"])
        seconds = data["target_seconds"]
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise ValueError(f"target_seconds: {seconds!r} is not a number of seconds")
        pauses = data.get("pauses") or []
        if not isinstance(pauses, list | tuple):
            raise ValueError(f"pauses: expected a list of [paused_at, resumed_at], got {pauses!r}")
        parsed = []
        for n, pause in enumerate(pauses):
            if not isinstance(pause, list | tuple) or len(pause) != 2:
                raise ValueError(f"pauses[{n}]: expected [paused_at, resumed_at], got {pause!r}")
            parsed.append(
                (_parse(pause[0], f"pauses[{n}][0]"), _parse(pause[1], f"pauses[{n}][1]", True))
            )
        return cls(
            calendar=calendar,
            started_at=_parse(data["started_at"], "started_at"),
            target=timedelta(seconds=seconds),
            pauses=tuple(parsed),
            stopped_at=_parse(data.get("stopped_at"), "stopped_at", True),
            at_risk_ratio=_ratio(data.get("at_risk_ratio", DEFAULT_AT_RISK)),
        )


def _parse(text: Any, name: str, optional: bool = False) -> Any:
    if text is None and optional:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {text!r} is not an ISO 8601 date and time") from None
    if moment.utcoffset() is None:
        raise ValueError(f"{name}: {text!r} has no UTC offset")
    return moment


def clocks_for_case(
    opened_at: datetime, policy: SlaPolicy, calendar: BusinessCalendar
) -> dict[str, SlaClock]:
    """The acknowledge, first-response and resolution clocks of a case opened at `opened_at`."""
    return {
        name: SlaClock(
            calendar, opened_at, getattr(policy, name), at_risk_ratio=policy.at_risk_ratio
        )
        for name in CLOCK_NAMES
    }


def format_duration(duration: timedelta, *, day: timedelta = timedelta(hours=8)) -> str:
    """'2 d 3 h', '3 h 20 min', '45 min': whole minutes, rounded down, two largest units.

    `day` is a business day (8 h by default), since these are business-time durations.
    """
    if duration < timedelta(0):
        raise ValueError(f"duration must not be negative, got {duration}")
    if day < _MINUTE:
        raise ValueError(f"day must be at least a minute, got {day}")
    days, rest = divmod(duration, day)
    hours, rest = divmod(rest, timedelta(hours=1))
    minutes = rest // _MINUTE
    units = [(days, "d"), (hours, "h"), (minutes, "min")]
    while len(units) > 1 and units[0][0] == 0:
        units.pop(0)
    (amount, unit), *smaller = units
    text = f"{amount} {unit}"
    if smaller and smaller[0][0]:
        text += f" {smaller[0][0]} {smaller[0][1]}"
    return text


def describe(
    state: str,
    remaining: timedelta,
    *,
    day: timedelta = timedelta(hours=8),
    stopped: bool = False,
) -> tuple[str, str]:
    """(colour, words) for a clock's state and remaining business time, in plain English."""
    if state == "met":
        return "green", "met"
    if state == "paused":
        return "grey", "paused: waiting on customer"
    if state in ("running", "at_risk"):
        left = (
            "less than a minute left"
            if remaining < _MINUTE
            else f"{format_duration(remaining, day=day)} left"
        )
        return ("green", left) if state == "running" else ("amber", f"at risk: {left}")
    if state == "breached":
        over = max(-remaining, timedelta(0))
        if stopped:
            late = f" by {format_duration(over, day=day)}" if over >= _MINUTE else ""
            return "red", f"breached: met late{late}"
        # Business time: a deadline missed at 17:00 on Friday is "breached" all weekend,
        # and "breached 1 h ago" at 10:00 on Monday.
        ago = f" {format_duration(over, day=day)} ago" if over >= _MINUTE else ""
        return "red", f"breached{ago}"
    raise ValueError(f"state: {state!r} is not one of {', '.join(STATES)}")
