"""A team's business calendar and business-time arithmetic on it. Pure Python, no Django.

SLA clocks run on this; a team stores its calendar as JSON through `to_dict()`/`from_dict()`.

Model
- Working hours are half-open intervals [start, end) of local wall time, per weekday, in the
  calendar's IANA time zone; several per day (a lunch break) or none (closed). An end of
  00:00 (written "24:00" in JSON) means midnight at the end of the day. Holidays close whole
  local days.
- Business time is the real elapsed time that falls inside working intervals, so a night
  shift across the autumn clock change counts the repeated hour, and one across the spring
  change loses the skipped hour. Daytime hours (09:00-17:00) are never affected.
- A wall time is placed at the first moment the local clock shows it or a later time:
  a non-existent wall time (spring-forward gap) becomes the moment the gap ends, so an
  interval 02:30-05:00 on that night starts at 03:00; an ambiguous one (fall-back) is its
  first occurrence. An interval that lies wholly in a gap is empty that day.
- All inputs are aware datetimes (naive ones are refused); results are in UTC.
- The deadline of `add_business_time` is the earliest moment by which the business time has
  passed: one landing exactly at 17:00 stays at 17:00 and never jumps to the next morning.

Speed: per local month, a calendar caches each day's intervals as integer microseconds since
the Unix epoch, plus running totals; arithmetic skips whole months by their totals and finds
the day by bisection, so the cost hardly grows with the length of a span.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Interval = tuple[time, time]
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MIDNIGHT = time(0)
# With no working time for this many whole years, the calendar (usually its holiday list) is
# wrong; saying so beats a worker looping for ever.
SEARCH_YEARS = 3
_SEARCH_MONTHS = 12 * SEARCH_YEARS

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)
# Months are numbered year * 12 + month - 1. A month's table also touches the first day of
# the next month; keep clear of datetime's limits.
_FIRST_MONTH, _LAST_MONTH = 2 * 12, 9998 * 12 + 11


def _to_us(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def _from_us(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def require_aware(moment: Any, name: str = "moment") -> datetime:
    """Return `moment` if it is an aware datetime; raise otherwise."""
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}")
    if moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {moment.isoformat()}")
    return moment


@dataclass(frozen=True, slots=True)
class _Month:
    """One local calendar month of a calendar, in integer microseconds since the epoch."""

    month: int
    # starts[i] is the first moment of day i (i = 0 is the 1st); starts[-1] is next month's 1st.
    starts: list[int]
    days: list[tuple[tuple[int, int], ...]]
    # cum[i] is the business time of the month before day i; cum[-1] is the month's total.
    cum: list[int]

    @property
    def total(self) -> int:
        return self.cum[-1]

    def position(self, day: int, us: int) -> int:
        """Business time in this month before `us`, which falls on day index `day`."""
        position = self.cum[day]
        for start, end in self.days[day]:
            if us <= start:
                break
            position += min(us, end) - start
        return position


@dataclass(frozen=True)
class BusinessCalendar:
    time_zone: str
    # Index 0 is Monday. The constructor also takes a mapping {weekday: intervals}.
    working_hours: tuple[tuple[Interval, ...], ...]
    holidays: frozenset[date] = frozenset()
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _months: dict[int, _Month] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.time_zone, str) or not self.time_zone:
            raise ValueError(f"time_zone: {self.time_zone!r} is not an IANA time zone name")
        try:
            zone = ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"time_zone: {self.time_zone!r} is not an IANA time zone name"
            ) from None
        object.__setattr__(self, "_zone", zone)
        object.__setattr__(self, "working_hours", _normalize_hours(self.working_hours))
        object.__setattr__(self, "holidays", _normalize_holidays(self.holidays))

    @classmethod
    def standard(
        cls,
        time_zone: str = "Europe/Amsterdam",
        start: time = time(9),
        end: time = time(17),
        days: Iterable[int] = range(5),
        holidays: Iterable[date] = (),
    ) -> BusinessCalendar:
        """The same hours on the given weekdays (0 = Monday), closed on the others."""
        return cls(time_zone, dict.fromkeys(days, ((start, end),)), frozenset(holidays))

    # JSON form -----------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BusinessCalendar:
        """Build from {"time_zone", "hours": {"mon": [["09:00", "17:00"]], ...}, "holidays"}."""
        if not isinstance(data, Mapping):
            raise ValueError(f"calendar: expected an object, got {type(data).__name__}")
        unknown = sorted(set(data) - {"time_zone", "hours", "holidays"})
        if unknown:
            raise ValueError(f"calendar: unknown key(s) {', '.join(map(repr, unknown))}")
        for key in ("time_zone", "hours"):
            if key not in data:
                raise ValueError(f"calendar: {key!r} is required")
        hours = data["hours"]
        if not isinstance(hours, Mapping):
            raise ValueError(f"hours: expected an object keyed by day (mon..sun), got {hours!r}")
        weekly: dict[int, list[Interval]] = {}
        for name, intervals in hours.items():
            if name not in DAY_NAMES:
                raise ValueError(f"hours: unknown day {name!r}, expected one of {DAY_NAMES}")
            if not isinstance(intervals, list | tuple):
                raise ValueError(
                    f"hours.{name}: expected a list of [start, end], got {intervals!r}"
                )
            weekly[DAY_NAMES.index(name)] = []
            for n, pair in enumerate(intervals):
                where = f"hours.{name}[{n}]"
                if not isinstance(pair, list | tuple) or len(pair) != 2:
                    raise ValueError(f"{where}: expected [start, end], got {pair!r}")
                start = _parse_time(pair[0], f"{where} start", end=False)
                finish = _parse_time(pair[1], f"{where} end", end=True)
                weekly[DAY_NAMES.index(name)].append((start, finish))
        holidays = data.get("holidays", [])
        if not isinstance(holidays, list | tuple):
            raise ValueError(f"holidays: expected a list of YYYY-MM-DD dates, got {holidays!r}")
        days = set()
        for n, text in enumerate(holidays):
            try:
                days.add(date.fromisoformat(text))
            except (TypeError, ValueError):
                raise ValueError(f"holidays[{n}]: {text!r} is not a date (YYYY-MM-DD)") from None
        return cls(data["time_zone"], weekly, frozenset(days))

    def to_dict(self) -> dict[str, Any]:
        return {
            "time_zone": self.time_zone,
            "hours": {
                name: [[_format_time(s), _format_time(e, end=True)] for s, e in intervals]
                for name, intervals in zip(DAY_NAMES, self.working_hours, strict=True)
            },
            "holidays": [day.isoformat() for day in sorted(self.holidays)],
        }

    def working_day(self) -> timedelta:
        """The longest working day in wall time: what "1 d" of business time means on screen."""
        return max(
            sum((_wall_length(s, e) for s, e in day), timedelta()) for day in self.working_hours
        )

    # Arithmetic ----------------------------------------------------------------------------

    def is_working(self, moment: datetime) -> bool:
        table, day, us = self._locate(moment)
        return any(start <= us < end for start, end in table.days[day])

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` itself (in UTC) if it is working time, else the start of the next interval."""
        table, day, us = self._locate(moment)
        for start, end in table.days[day]:
            if us < end:
                return _from_us(max(start, us))
        after, empty_months = table.cum[day + 1], 0
        while True:
            # The first later day whose running total grows is the next day with working time.
            k = bisect.bisect_right(table.cum, after)
            if k < len(table.cum):
                return _from_us(table.days[k - 1][0][0])
            table, after = self._month(table.month + 1), 0
            empty_months = empty_months + 1 if table.total == 0 else 0
            self._check_search(empty_months, moment)

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest moment by which `duration` of business time has passed since `start`."""
        if not isinstance(duration, timedelta):
            raise TypeError(f"duration must be a timedelta, not {type(duration).__name__}")
        if duration < timedelta(0):
            raise ValueError(f"duration must not be negative, got {duration}")
        table, day, us = self._locate(start)
        if not duration:
            return _from_us(us)
        target, empty_months = table.position(day, us) + duration // _MICROSECOND, 0
        while target > table.total:
            target -= table.total
            table = self._month(table.month + 1)
            empty_months = empty_months + 1 if table.total == 0 else 0
            self._check_search(empty_months, start)
        # cum[0] == 0 < target <= total, so k - 1 is the day on which the business time runs out.
        k = bisect.bisect_left(table.cum, target)
        rest = target - table.cum[k - 1]
        for begin, end in table.days[k - 1]:
            if rest <= end - begin:
                return _from_us(begin + rest)
            rest -= end - begin
        raise AssertionError("running totals promised an interval that is not there")

    def business_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Business time in [a, b); zero when b is not after a."""
        table_a, day_a, us_a = self._locate(a)
        table_b, day_b, us_b = self._locate(b)
        if us_b <= us_a:
            return timedelta(0)
        total = table_b.position(day_b, us_b) - table_a.position(day_a, us_a)
        for month in range(table_a.month, table_b.month):
            total += self._month(month).total
        return timedelta(microseconds=total)

    # Internals -----------------------------------------------------------------------------

    def _locate(self, moment: datetime) -> tuple[_Month, int, int]:
        """The month table, day index and epoch microseconds of an aware moment."""
        us = _to_us(require_aware(moment))
        local = moment.astimezone(self._zone)
        table = self._month(local.year * 12 + local.month - 1)
        # A clock change at midnight can put the local date on the far side of a day boundary
        # as placed by the first-moment rule; the table's own boundaries are authoritative.
        if us < table.starts[0]:
            table = self._month(table.month - 1)
        elif us >= table.starts[-1]:
            table = self._month(table.month + 1)
        return table, bisect.bisect_right(table.starts, us) - 1, us

    def _month(self, month: int) -> _Month:
        table = self._months.get(month)
        if table is None:
            if not _FIRST_MONTH <= month <= _LAST_MONTH:
                raise ValueError(
                    f"year {month // 12} is outside the years a business calendar supports"
                )
            # Concurrent builders produce equal tables; whichever is stored last wins harmlessly.
            table = self._months[month] = _shared_month(self, month)
        return table

    def _build_month(self, month: int) -> _Month:
        first = date(month // 12, month % 12 + 1, 1).toordinal()
        last = date((month + 1) // 12, (month + 1) % 12 + 1, 1).toordinal()
        # Each wall time with its fold=1 twin, made once: replace() costs more than the lookup.
        twins = {MIDNIGHT: MIDNIGHT.replace(fold=1)}
        for intervals in self.working_hours:
            for wall in (wall for interval in intervals for wall in interval):
                twins[wall] = wall.replace(fold=1)
        calendar_days = [date.fromordinal(ordinal) for ordinal in range(first, last + 1)]
        starts = [self._place(day, MIDNIGHT, twins[MIDNIGHT]) for day in calendar_days]
        days, cum = [], [0]
        for index, day in enumerate(calendar_days[:-1]):
            intervals: list[tuple[int, int]] = []
            if day not in self.holidays:
                for start, end in self.working_hours[day.weekday()]:
                    begin = self._place(day, start, twins[start])
                    # An end of 00:00 is the next midnight, which starts[] already holds.
                    finish = (
                        starts[index + 1] if end == MIDNIGHT else self._place(day, end, twins[end])
                    )
                    if begin < finish:  # an interval wholly in a DST gap is empty
                        intervals.append((begin, finish))
            days.append(tuple(intervals))
            cum.append(cum[-1] + sum(finish - begin for begin, finish in intervals))
        return _Month(month, starts, days, cum)

    def _place(self, day: date, wall: time, twin: time) -> int:
        """The first moment (epoch microseconds) at which the local clock shows `wall` or later.

        `twin` is `wall` with fold=1.
        """
        naive = datetime.combine(day, wall)
        # zoneinfo gives the offset before a clock change for fold=0 and after it for fold=1;
        # they differ only around a change: a fall-back makes the offset drop, a gap rise.
        before = self._zone.utcoffset(naive)
        after = self._zone.utcoffset(datetime.combine(day, twin))
        us = (naive - _NAIVE_EPOCH - before) // _MICROSECOND
        if before >= after:  # shown once, or twice and fold=0 is the first time
            return us
        # `wall` falls in a spring-forward gap; the clock change lies between the two readings
        # of it, found to the microsecond by bisection (only on the rare gap days).
        low, high = (naive - _NAIVE_EPOCH - after) // _MICROSECOND, us
        while high - low > 1:
            middle = (low + high) // 2
            if self._wall(middle) > naive:
                high = middle
            else:
                low = middle
        return high

    def _wall(self, us: int) -> datetime:
        return _from_us(us).astimezone(self._zone).replace(tzinfo=None)

    def _check_search(self, empty_months: int, moment: datetime) -> None:
        if empty_months >= _SEARCH_MONTHS:
            raise ValueError(
                f"no working time in the {SEARCH_YEARS} years after {moment.isoformat()}: "
                "check the calendar's working hours and holidays"
            )


@lru_cache(maxsize=2048)
def _shared_month(calendar: BusinessCalendar, month: int) -> _Month:
    # Services rebuild a team's calendar from JSON on every request; equal calendars share
    # their month tables here, so only the first request of a process pays (~0.1 ms a month).
    return calendar._build_month(month)


def _since_midnight(value: time) -> timedelta:
    return timedelta(
        hours=value.hour, minutes=value.minute, seconds=value.second, microseconds=value.microsecond
    )


def _wall_length(start: time, end: time) -> timedelta:
    return (timedelta(days=1) if end == MIDNIGHT else _since_midnight(end)) - _since_midnight(start)


def _normalize_hours(hours: Any) -> tuple[tuple[Interval, ...], ...]:
    if isinstance(hours, Mapping):
        for key in hours:
            if key not in range(7):
                raise ValueError(f"working_hours: weekday {key!r} is not 0 (Monday) to 6 (Sunday)")
        hours = [hours.get(weekday, ()) for weekday in range(7)]
    if not isinstance(hours, Sequence) or len(hours) != 7:
        raise ValueError(
            "working_hours: expected 7 weekdays (Monday first) or {weekday: intervals}"
        )
    week = []
    for name, intervals in zip(DAY_NAMES, hours, strict=True):
        day: list[Interval] = []
        for interval in intervals:
            if not isinstance(interval, Sequence) or len(interval) != 2:
                raise ValueError(
                    f"working hours for {name}: expected (start, end), got {interval!r}"
                )
            start, end = interval
            for value in (start, end):
                if not isinstance(value, time) or value.tzinfo is not None:
                    raise ValueError(f"working hours for {name}: {value!r} is not a naive time")
            if end != MIDNIGHT and end <= start:
                raise ValueError(
                    f"working hours for {name}: {start}-{end} does not end after it starts"
                )
            if day and (day[-1][1] == MIDNIGHT or start < day[-1][1]):
                raise ValueError(
                    f"working hours for {name}: {start}-{end} overlaps or precedes the interval "
                    f"{day[-1][0]}-{day[-1][1]}; list intervals in order without overlap"
                )
            day.append((start, end))
        week.append(tuple(day))
    if not any(week):
        raise ValueError("working_hours: the calendar has no working time on any day")
    return tuple(week)


def _normalize_holidays(holidays: Iterable[date]) -> frozenset[date]:
    days = frozenset(holidays)
    for day in days:
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValueError(f"holidays: {day!r} is not a date")
    return days


def _parse_time(text: Any, where: str, *, end: bool) -> time:
    if end and text in ("24:00", "24:00:00"):
        return MIDNIGHT
    try:
        value = time.fromisoformat(text)
    except (TypeError, ValueError):
        value = None
    if value is None or value.tzinfo is not None:
        raise ValueError(f"{where}: {text!r} is not a time of day (HH:MM)")
    return value


def _format_time(value: time, *, end: bool = False) -> str:
    if end and value == MIDNIGHT:
        return "24:00"
    return value.strftime("%H:%M") if not (value.second or value.microsecond) else value.isoformat()
