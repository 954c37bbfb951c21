"""Business calendar: hand-checked cases, then the properties SLA deadlines rely on."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerdesk.core.calendar import BusinessCalendar

AMS = ZoneInfo("Europe/Amsterdam")
NYC = ZoneInfo("America/New_York")
H = timedelta(hours=1)
MICROSECOND = timedelta(microseconds=1)

STANDARD = BusinessCalendar.standard()
NEW_YORK_LUNCH = BusinessCalendar(
    "America/New_York", {day: ((time(9), time(12)), (time(13), time(17))) for day in range(5)}
)
ALWAYS = BusinessCalendar("Europe/Amsterdam", [((time(0), time(0)),)] * 7)


def ams(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


def nyc(*args: int) -> datetime:
    return datetime(*args, tzinfo=NYC)


def utc(moment: datetime) -> datetime:
    # Python compares and subtracts datetimes of one zone by wall time; instants need UTC.
    return moment.astimezone(UTC)


def daily(zone: str, *intervals: tuple[time, time]) -> BusinessCalendar:
    return BusinessCalendar(zone, [tuple(intervals)] * 7)


# Hand-checked deadlines ---------------------------------------------------------------------


def test_friday_afternoon_plus_two_hours_is_monday_ten():
    assert STANDARD.add_business_time(ams(2026, 1, 9, 16), 2 * H) == ams(2026, 1, 12, 10)


def test_a_deadline_at_the_end_of_the_day_stays_there():
    deadline = STANDARD.add_business_time(ams(2026, 1, 9, 16), H)
    assert deadline == ams(2026, 1, 9, 17)
    assert not STANDARD.is_working(deadline)  # intervals are half-open: 17:00 is closed


def test_results_are_in_utc_whatever_the_input_zone():
    deadline = STANDARD.add_business_time(
        datetime(2026, 1, 12, 17, tzinfo=ZoneInfo("Asia/Tokyo")), H
    )
    assert deadline.tzinfo is UTC
    assert deadline == ams(2026, 1, 12, 10)


@pytest.mark.parametrize(
    ("start", "deadline"),
    [
        (ams(2026, 1, 10, 11), ams(2026, 1, 12, 10)),  # Saturday
        (ams(2026, 1, 12, 7), ams(2026, 1, 12, 10)),  # before opening
        (ams(2026, 1, 13, 20), ams(2026, 1, 14, 10)),  # after closing
        (ams(2026, 1, 13, 17), ams(2026, 1, 14, 10)),  # exactly at closing
    ],
)
def test_a_start_outside_hours_counts_from_the_next_opening(start, deadline):
    assert STANDARD.add_business_time(start, H) == deadline


def test_holidays_are_skipped():
    christmas = BusinessCalendar.standard(holidays=[date(2026, 12, 25)])
    assert christmas.add_business_time(ams(2026, 12, 24, 16), 2 * H) == ams(2026, 12, 28, 10)
    assert not christmas.is_working(ams(2026, 12, 25, 10))
    assert christmas.business_time_between(ams(2026, 12, 21), ams(2026, 12, 28)) == 32 * H


def test_lunch_breaks_are_not_business_time():
    assert NEW_YORK_LUNCH.add_business_time(nyc(2026, 1, 12, 11, 30), H) == nyc(2026, 1, 12, 13, 30)
    assert NEW_YORK_LUNCH.add_business_time(nyc(2026, 1, 12, 11), H) == nyc(2026, 1, 12, 12)
    assert NEW_YORK_LUNCH.business_time_between(nyc(2026, 1, 12, 11), nyc(2026, 1, 12, 14)) == 2 * H
    assert not NEW_YORK_LUNCH.is_working(nyc(2026, 1, 12, 12, 30))
    assert NEW_YORK_LUNCH.next_working_moment(nyc(2026, 1, 12, 12, 30)) == nyc(2026, 1, 12, 13)


@pytest.mark.parametrize(
    ("friday", "monday"),
    [
        (ams(2026, 3, 27, 16), ams(2026, 3, 30, 10)),  # Amsterdam springs forward on the Sunday
        (ams(2026, 10, 23, 16), ams(2026, 10, 26, 10)),  # and falls back
        (nyc(2026, 3, 6, 16), nyc(2026, 3, 9, 10)),
        (nyc(2026, 10, 30, 16), nyc(2026, 11, 2, 10)),
    ],
)
def test_office_hours_keep_their_wall_time_across_dst_weekends(friday, monday):
    calendar = BusinessCalendar.standard(time_zone=str(friday.tzinfo))
    assert calendar.add_business_time(friday, 2 * H) == monday
    assert calendar.business_time_between(friday, monday) == 2 * H


def test_dst_shifts_the_utc_hour_of_the_same_wall_time():
    assert STANDARD.add_business_time(ams(2026, 3, 27, 16), 2 * H) == datetime(
        2026, 3, 30, 8, tzinfo=UTC
    )
    assert STANDARD.add_business_time(ams(2026, 10, 23, 16), 2 * H) == datetime(
        2026, 10, 26, 9, tzinfo=UTC
    )


def test_business_time_is_real_time_on_short_and_long_days():
    assert ALWAYS.business_time_between(ams(2026, 3, 29), ams(2026, 3, 30)) == 23 * H
    assert ALWAYS.business_time_between(ams(2026, 10, 25), ams(2026, 10, 26)) == 25 * H
    new_york = daily("America/New_York", (time(0), time(0)))
    assert new_york.business_time_between(nyc(2026, 3, 8), nyc(2026, 3, 9)) == 23 * H
    assert new_york.business_time_between(nyc(2026, 11, 1), nyc(2026, 11, 2)) == 25 * H
    assert ALWAYS.add_business_time(ams(2026, 3, 28, 12), 24 * H) == ams(2026, 3, 29, 13)


def test_a_night_shift_across_the_autumn_change_counts_the_repeated_hour():
    night = daily("Europe/Amsterdam", (time(1), time(4)))
    assert night.business_time_between(ams(2026, 10, 25), ams(2026, 10, 26)) == 4 * H
    assert night.business_time_between(ams(2026, 3, 29), ams(2026, 3, 30)) == 2 * H


def test_a_start_in_the_spring_gap_moves_to_the_end_of_the_gap():
    night = daily("Europe/Amsterdam", (time(2, 30), time(5)))
    assert night.next_working_moment(ams(2026, 3, 29)) == datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert night.business_time_between(ams(2026, 3, 29), ams(2026, 3, 30)) == 2 * H
    assert night.business_time_between(ams(2026, 3, 28), ams(2026, 3, 29)) == 2.5 * H


def test_an_interval_wholly_in_the_gap_is_empty_that_day():
    gap = daily("Europe/Amsterdam", (time(2, 15), time(2, 45)))
    assert gap.business_time_between(ams(2026, 3, 29), ams(2026, 3, 30)) == timedelta(0)
    assert gap.next_working_moment(ams(2026, 3, 29)) == ams(2026, 3, 30, 2, 15)


def test_an_ambiguous_wall_time_means_its_first_occurrence():
    early = daily("Europe/Amsterdam", (time(0), time(2, 30)))
    assert early.business_time_between(ams(2026, 10, 25), ams(2026, 10, 26)) == 2.5 * H
    assert early.add_business_time(ams(2026, 10, 25), 2.5 * H) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
    second_two_oclock = datetime(2026, 10, 25, 1, tzinfo=UTC)  # 02:00 CET, after the change
    assert not early.is_working(second_two_oclock)
    new_york = daily("America/New_York", (time(1, 30), time(3)))
    assert new_york.next_working_moment(nyc(2026, 11, 1)) == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )
    assert new_york.business_time_between(nyc(2026, 11, 1), nyc(2026, 11, 2)) == 2.5 * H


def test_clock_changes_at_midnight_and_a_skipped_day():
    santiago = daily("America/Santiago", (time(0), time(0)))
    local = ZoneInfo("America/Santiago")
    assert (
        santiago.business_time_between(
            datetime(2026, 4, 4, tzinfo=local), datetime(2026, 4, 6, tzinfo=local)
        )
        == 49 * H
    )
    assert (
        santiago.business_time_between(
            datetime(2026, 9, 5, tzinfo=local), datetime(2026, 9, 7, tzinfo=local)
        )
        == 47 * H
    )
    apia = ZoneInfo("Pacific/Apia")  # Samoa skipped Friday 30 December 2011
    assert (
        daily("Pacific/Apia", (time(0), time(0))).business_time_between(
            datetime(2011, 12, 29, tzinfo=apia), datetime(2012, 1, 1, tzinfo=apia)
        )
        == 48 * H
    )
    office = BusinessCalendar.standard(time_zone="Pacific/Apia")
    assert office.add_business_time(datetime(2011, 12, 29, 16, tzinfo=apia), 2 * H) == datetime(
        2012, 1, 2, 10, tzinfo=apia
    )


def test_intervals_ending_at_midnight_join_the_next_morning():
    night_desk = BusinessCalendar(
        "Europe/Amsterdam", [((time(0), time(6)), (time(22), time(0)))] * 7
    )
    assert night_desk.add_business_time(ams(2026, 1, 12, 23), 2 * H) == ams(2026, 1, 13, 1)
    assert night_desk.add_business_time(ams(2026, 1, 12, 23), H) == ams(2026, 1, 13)


def test_long_spans_cross_years_and_come_back():
    christmas = BusinessCalendar.standard(holidays=[date(2026, 12, 25), date(2027, 1, 1)])
    start = ams(2026, 6, 1, 9)
    deadline = christmas.add_business_time(start, 2000 * H)
    assert deadline.year == 2027
    assert christmas.business_time_between(start, deadline) == 2000 * H
    assert christmas.is_working(deadline - MICROSECOND)


def test_zero_duration_returns_the_start_and_negative_is_refused():
    saturday = ams(2026, 1, 10, 11)
    assert STANDARD.add_business_time(saturday, timedelta(0)) == saturday
    with pytest.raises(ValueError, match="negative"):
        STANDARD.add_business_time(saturday, -H)
    assert STANDARD.business_time_between(ams(2026, 1, 12, 12), ams(2026, 1, 12, 10)) == timedelta(
        0
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda: STANDARD.is_working(datetime(2026, 1, 12, 10)),
        lambda: STANDARD.next_working_moment(datetime(2026, 1, 12, 10)),
        lambda: STANDARD.add_business_time(datetime(2026, 1, 12, 10), H),
        lambda: STANDARD.business_time_between(ams(2026, 1, 12), datetime(2026, 1, 13)),
    ],
)
def test_naive_datetimes_are_refused(call):
    with pytest.raises(ValueError, match="aware"):
        call()


def test_a_calendar_without_working_time_is_refused():
    with pytest.raises(ValueError, match="no working time"):
        BusinessCalendar("Europe/Amsterdam", [()] * 7)


def test_years_of_holidays_end_the_search_with_a_clear_error():
    first = date(2026, 1, 1)
    closed = BusinessCalendar.standard(holidays=[first + timedelta(days=n) for n in range(6 * 366)])
    with pytest.raises(ValueError, match="no working time in the 3 years after"):
        closed.add_business_time(ams(2026, 1, 5, 10), H)
    with pytest.raises(ValueError, match="no working time in the 3 years after"):
        closed.next_working_moment(ams(2026, 1, 5, 10))


def test_working_day_is_the_longest_day_in_wall_time():
    assert STANDARD.working_day() == 8 * H
    assert NEW_YORK_LUNCH.working_day() == 7 * H
    assert ALWAYS.working_day() == 24 * H


# JSON form ------------------------------------------------------------------------------------


def test_it_round_trips_through_a_dict():
    calendar = BusinessCalendar(
        "America/New_York",
        {0: ((time(9), time(12)), (time(13), time(17))), 5: ((time(22), time(0)),)},
        frozenset({date(2026, 7, 3)}),
    )
    data = calendar.to_dict()
    assert data["hours"]["mon"] == [["09:00", "12:00"], ["13:00", "17:00"]]
    assert data["hours"]["sat"] == [["22:00", "24:00"]]
    assert data["hours"]["sun"] == []
    assert data["holidays"] == ["2026-07-03"]
    assert BusinessCalendar.from_dict(data) == calendar


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"time_zone": "Europe/Amsterdam", "hours": {}, "colour": 1}, "unknown key.*'colour'"),
        ({"hours": {"mon": [["09:00", "17:00"]]}}, "'time_zone' is required"),
        ({"time_zone": "Mars/Olympus", "hours": {"mon": [["09:00", "17:00"]]}}, "Mars/Olympus"),
        ({"time_zone": "UTC", "hours": {"monday": [["09:00", "17:00"]]}}, "unknown day 'monday'"),
        ({"time_zone": "UTC", "hours": {"mon": [["9am", "17:00"]]}}, r"hours.mon\[0\] start.*9am"),
        ({"time_zone": "UTC", "hours": {"mon": [["09:00", "25:00"]]}}, r"hours.mon\[0\] end"),
        ({"time_zone": "UTC", "hours": {"mon": [["09:00"]]}}, r"hours.mon\[0\]: expected"),
        ({"time_zone": "UTC", "hours": {"mon": "09:00-17:00"}}, "hours.mon: expected a list"),
        ({"time_zone": "UTC", "hours": {"mon": [["17:00", "09:00"]]}}, "mon.*does not end after"),
        (
            {"time_zone": "UTC", "hours": {"tue": [["09:00", "13:00"], ["12:00", "17:00"]]}},
            "tue.*overlaps",
        ),
        (
            {"time_zone": "UTC", "hours": {"mon": [["09:00", "17:00"]]}, "holidays": ["25/12"]},
            r"holidays\[0\]: '25/12'",
        ),
        ({"time_zone": "UTC", "hours": {"sun": []}}, "no working time"),
    ],
)
def test_from_dict_names_the_bad_key_or_value(data, message):
    with pytest.raises(ValueError, match=message):
        BusinessCalendar.from_dict(data)


def test_constructor_refuses_datetimes_as_holidays():
    with pytest.raises(ValueError, match="not a date"):
        BusinessCalendar.standard(holidays=[datetime(2026, 12, 25, tzinfo=UTC)])


# Properties -----------------------------------------------------------------------------------

ZONES = [
    "UTC",
    "Europe/Amsterdam",
    "America/New_York",
    "America/Santiago",  # clock changes at midnight
    "Australia/Lord_Howe",  # a 30-minute change
    "Europe/Dublin",  # "negative" summer time in tzdata
    "Asia/Kolkata",
]
FIXED_OFFSET = ["UTC", "Asia/Kolkata", "Asia/Tokyo"]
QUARTERS = [time(hour, minute) for hour in range(24) for minute in (0, 15, 30, 45)]


# Strategies are built once: constructing them inside a draw costs more than the calendar.
day_points = st.sets(st.sampled_from([*QUARTERS, None]), max_size=4)
holiday_sets = st.sets(st.dates(date(2023, 12, 1), date(2029, 1, 31)), max_size=40)


def make_calendar(zone: str, points_per_day: list, holidays: set, fallback_day: int):
    week = []
    for points in points_per_day:
        # None stands for midnight at the end of the day; it can only close the last interval.
        times = sorted(t for t in points if t is not None) + ([time(0)] if None in points else [])
        if len(times) % 2:
            times.pop()
        week.append(tuple(zip(times[::2], times[1::2], strict=True)))
    if not any(week):
        week[fallback_day] = ((time(9), time(17)),)
    return BusinessCalendar(zone, week, frozenset(holidays))


calendars = st.builds(
    make_calendar,
    st.sampled_from(ZONES),
    st.lists(day_points, min_size=7, max_size=7),
    holiday_sets,
    st.integers(0, 6),
)


FIXED = [
    STANDARD,
    NEW_YORK_LUNCH,
    ALWAYS,
    daily("America/Santiago", (time(0), time(0))),
    daily("Australia/Lord_Howe", (time(1), time(2, 15)), (time(22), time(0))),
    BusinessCalendar.standard("Europe/Dublin", holidays=[date(2026, 3, 17)]),
]
any_calendar = st.one_of(st.sampled_from(FIXED), calendars)
# Five years hold every kind of clock change in these zones and keep the runs quick.
moments = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2028, 12, 31),
    timezones=st.sampled_from([ZoneInfo(zone) for zone in ZONES]),
)
durations = st.timedeltas(min_value=MICROSECOND, max_value=200 * H)
bounded = settings(max_examples=200, deadline=None)


@bounded
@given(any_calendar, moments, durations)
def test_a_deadline_is_inside_working_time_or_at_the_end_of_an_interval(calendar, start, duration):
    deadline = calendar.add_business_time(start, duration)
    assert deadline > start
    assert deadline.tzinfo is UTC
    # The earliest moment the time is used up, so business time accrues right up to it.
    assert calendar.is_working(deadline - MICROSECOND)


@bounded
@given(any_calendar, moments, durations)
def test_business_time_between_undoes_add_business_time(calendar, start, duration):
    assert calendar.business_time_between(start, calendar.add_business_time(start, duration)) == (
        duration
    )


@bounded
@given(any_calendar, moments, durations, durations)
def test_a_longer_duration_never_gives_an_earlier_deadline(calendar, start, one, other):
    short, long = sorted((one, other))
    assert calendar.add_business_time(start, short) <= calendar.add_business_time(start, long)


@bounded
@given(any_calendar, moments, moments, durations)
def test_a_later_start_never_gives_an_earlier_deadline(calendar, one, other, duration):
    early, late = sorted((one, other), key=utc)
    assert calendar.add_business_time(early, duration) <= calendar.add_business_time(late, duration)


@bounded
@given(any_calendar, moments)
def test_next_working_moment_is_the_first_working_moment(calendar, moment):
    found = calendar.next_working_moment(moment)
    assert found >= moment
    assert calendar.is_working(found)
    assert calendar.business_time_between(moment, found) == timedelta(0)
    # Compared in UTC: Python never finds an ambiguous local time equal to another zone's time.
    assert (found == moment.astimezone(UTC)) == calendar.is_working(moment)


@bounded
@given(any_calendar, moments, moments, moments)
def test_business_time_adds_up_and_never_exceeds_wall_time(calendar, one, two, three):
    a, b, c = sorted((one, two, three), key=utc)
    between = calendar.business_time_between
    assert between(a, c) == between(a, b) + between(b, c)
    assert timedelta(0) <= between(a, c) <= utc(c) - utc(a)


@bounded
@given(moments, moments)
def test_round_the_clock_business_time_is_wall_time(one, other):
    early, late = sorted((one, other), key=utc)
    assert ALWAYS.business_time_between(early, late) == utc(late) - utc(early)


@settings(max_examples=60, deadline=None)
@given(
    st.builds(
        make_calendar,
        st.sampled_from(FIXED_OFFSET),
        st.lists(day_points, min_size=7, max_size=7),
        holiday_sets,
        st.integers(0, 6),
    ),
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1)),
    st.integers(min_value=0, max_value=3 * 24 * 60),
)
def test_it_agrees_with_counting_minutes_where_there_is_no_dst(calendar, local_start, minutes):
    zone = ZoneInfo(calendar.time_zone)
    start = local_start.replace(second=0, microsecond=0, tzinfo=zone)

    def working(moment: datetime) -> bool:
        local = moment.astimezone(zone)
        return local.date() not in calendar.holidays and any(
            begin <= local.time() and (local.time() < end or end == time(0))
            for begin, end in calendar.working_hours[local.weekday()]
        )

    counted = sum(working(start + timedelta(minutes=n)) for n in range(minutes))
    assert calendar.business_time_between(start, start + timedelta(minutes=minutes)) == timedelta(
        minutes=counted
    )
    assert calendar.is_working(start) == working(start)
