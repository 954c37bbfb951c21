"""SLA clocks: hand-checked deadlines and states, then the properties the desk relies on."""

import json
from datetime import UTC, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerdesk.core.calendar import BusinessCalendar
from ledgerdesk.desk.sla import (
    SlaClock,
    SlaPolicy,
    clocks_for_case,
    describe,
    format_duration,
)

AMS = ZoneInfo("Europe/Amsterdam")
H = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
CALENDAR = BusinessCalendar.standard()


def ams(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


# Monday 12 January 2026, 09:00; a working day is 8 business hours.
MONDAY = ams(2026, 1, 12, 9)


def day_clock(**changes) -> SlaClock:
    return SlaClock(CALENDAR, MONDAY, 8 * H, **changes)


# Policies and clocks for a case ---------------------------------------------------------------


def test_a_policy_acknowledges_within_24_business_hours_by_default():
    policy = SlaPolicy(first_response=8 * H, resolution=40 * H)
    assert policy.acknowledge == 24 * H
    assert policy.at_risk_ratio == Fraction(3, 4)
    assert SlaPolicy(first_response=H, resolution=H, at_risk_ratio=0.8).at_risk_ratio == Fraction(
        4, 5
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"first_response": timedelta(0)}, "first_response must be a positive"),
        ({"resolution": -H}, "resolution must be a positive"),
        ({"at_risk_ratio": 1.5}, "at most 1"),
        ({"at_risk_ratio": 0}, "above 0"),
        ({"at_risk_ratio": "most"}, "not a number"),
    ],
)
def test_a_policy_refuses_nonsense(changes, message):
    with pytest.raises(ValueError, match=message):
        SlaPolicy(**{"first_response": H, "resolution": H, **changes})


def test_clocks_for_case_starts_all_three_on_the_team_calendar():
    policy = SlaPolicy(first_response=8 * H, resolution=40 * H, at_risk_ratio=Fraction(9, 10))
    friday_four = ams(2026, 1, 9, 16)
    clocks = clocks_for_case(friday_four, policy, CALENDAR)
    assert list(clocks) == ["acknowledge", "first_response", "resolution"]
    # Friday 1 h, Monday 8 h, Tuesday 8 h, Wednesday 7 h.
    assert clocks["acknowledge"].due_at(friday_four) == ams(2026, 1, 14, 16)
    assert clocks["first_response"].due_at(friday_four) == ams(2026, 1, 12, 16)
    assert clocks["resolution"].due_at(friday_four) == ams(2026, 1, 16, 16)
    assert all(clock.at_risk_ratio == Fraction(9, 10) for clock in clocks.values())


# Deadlines and pauses -------------------------------------------------------------------------


def test_a_pause_moves_the_deadline_with_it():
    paused = day_clock().pause(ams(2026, 1, 12, 11))  # 2 h used, 6 h left
    assert paused.due_at(ams(2026, 1, 12, 11)) == ams(2026, 1, 12, 17)
    assert paused.due_at(ams(2026, 1, 12, 13)) == ams(2026, 1, 13, 11)
    assert paused.due_at(ams(2026, 1, 12, 20)) == ams(2026, 1, 13, 15)  # evenings do not count
    resumed = paused.resume(ams(2026, 1, 13, 10))
    assert resumed.due_at(ams(2026, 1, 13, 10)) == ams(2026, 1, 13, 16)
    assert resumed.elapsed(ams(2026, 1, 13, 12)) == 4 * H
    assert resumed.remaining(ams(2026, 1, 13, 12)) == 4 * H


def test_a_breach_before_a_pause_stays_a_breach():
    clock = SlaClock(CALENDAR, MONDAY, H).pause(ams(2026, 1, 12, 11))
    assert clock.due_at(ams(2026, 1, 12, 15)) == ams(2026, 1, 12, 10)
    assert clock.state(ams(2026, 1, 12, 15)) == "breached"


def test_the_deadline_is_exact_at_the_end_of_the_day():
    clock = day_clock()
    assert clock.due_at() == ams(2026, 1, 12, 17)
    assert clock.state(ams(2026, 1, 12, 17)) == "at_risk"  # due now, not yet late
    assert clock.state(ams(2026, 1, 12, 17, 0, 1)) == "breached"
    assert clock.stop(ams(2026, 1, 12, 17)).state(ams(2026, 1, 13)) == "met"


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (ams(2026, 1, 12, 8), "running"),  # before the start
        (ams(2026, 1, 12, 9, 30), "running"),
        (ams(2026, 1, 12, 14, 59), "running"),
        (ams(2026, 1, 12, 15), "at_risk"),  # 6 of 8 hours: exactly the 75 % line
        (ams(2026, 1, 12, 18), "breached"),  # past 17:00, even though no business time passed
        (ams(2026, 1, 13, 10), "breached"),
    ],
)
def test_the_state_follows_the_time_used(now, state):
    assert day_clock().state(now) == state


def test_stopping_on_time_is_met_and_late_is_breached():
    assert day_clock().stop(ams(2026, 1, 12, 16)).state(ams(2026, 2, 1)) == "met"
    late = day_clock().stop(ams(2026, 1, 12, 18))  # after hours: no business time over, yet late
    assert late.state(ams(2026, 2, 1)) == "breached"
    assert late.fraction_used(ams(2026, 2, 1)) == 1


def test_stopping_a_paused_clock_closes_the_pause():
    stopped = day_clock().pause(ams(2026, 1, 12, 11)).stop(ams(2026, 1, 14, 9))
    assert stopped.pauses == ((ams(2026, 1, 12, 11), ams(2026, 1, 14, 9)),)
    assert stopped.elapsed(ams(2026, 2, 1)) == 2 * H
    assert stopped.state(ams(2026, 2, 1)) == "met"


def test_a_clock_answers_as_of_the_moment_asked():
    clock = day_clock().pause(ams(2026, 1, 12, 11)).resume(ams(2026, 1, 13, 9))
    clock = clock.stop(ams(2026, 1, 13, 10))
    assert clock.state(ams(2026, 1, 12, 10)) == "running"
    assert clock.state(ams(2026, 1, 12, 12)) == "paused"  # the resume had not happened yet
    assert clock.elapsed(ams(2026, 1, 13, 9, 30)) == 2.5 * H
    assert clock.state(ams(2026, 1, 20)) == "met"


def test_events_return_new_clocks():
    clock = day_clock()
    paused = clock.pause(ams(2026, 1, 12, 11))
    assert clock.pauses == ()
    assert paused.is_paused and not clock.is_paused


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (lambda: day_clock().resume(ams(2026, 1, 12, 10)), "not paused"),
        (lambda: day_clock().pause(ams(2026, 1, 12, 8)), "before the clock last ran"),
        (
            lambda: day_clock().pause(ams(2026, 1, 12, 10)).pause(ams(2026, 1, 12, 11)),
            "already paused",
        ),
        (
            lambda: day_clock().pause(ams(2026, 1, 12, 10)).resume(ams(2026, 1, 12, 9, 30)),
            "before the pause began",
        ),
        (
            lambda: (
                day_clock()
                .pause(ams(2026, 1, 12, 10))
                .resume(ams(2026, 1, 12, 11))
                .pause(ams(2026, 1, 12, 10, 30))
            ),
            "before the clock last ran",
        ),
        (lambda: day_clock().stop(ams(2026, 1, 12, 10)).pause(ams(2026, 1, 12, 11)), "stopped"),
        (lambda: day_clock().stop(ams(2026, 1, 12, 10)).stop(ams(2026, 1, 12, 11)), "already"),
        (lambda: day_clock().stop(ams(2026, 1, 12, 8)), "cannot stop"),
        (lambda: day_clock().pause(datetime(2026, 1, 12, 10)), "aware"),
        (lambda: day_clock().state(datetime(2026, 1, 12, 10)), "aware"),
        (lambda: SlaClock(CALENDAR, MONDAY, timedelta(0)), "target must be a positive"),
        (
            lambda: day_clock(pauses=((ams(2026, 1, 12, 10), None), (ams(2026, 1, 12, 11), None))),
            "never resumed",
        ),
    ],
)
def test_events_out_of_order_are_refused(event, message):
    with pytest.raises(ValueError, match=message):
        event()


# Stored as JSON on the case -------------------------------------------------------------------


def test_it_round_trips_through_json():
    clock = day_clock().pause(ams(2026, 1, 12, 11)).resume(ams(2026, 1, 13, 9))
    clock = clock.pause(ams(2026, 1, 13, 12))
    data = json.loads(json.dumps(clock.to_dict()))
    assert data["pauses"][-1][1] is None
    assert data["target_seconds"] == 8 * 3600
    assert SlaClock.from_dict(data, CALENDAR) == clock
    with_calendar = json.loads(json.dumps(clock.to_dict(include_calendar=True)))
    assert SlaClock.from_dict(with_calendar) == clock


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"target_seconds": 60}, "'started_at' is required"),
        ({"started_at": "2026-01-12T09:00:00+01:00"}, "'target_seconds' is required"),
        ({"started_at": "monday", "target_seconds": 60}, "started_at: 'monday'"),
        ({"started_at": "2026-01-12T09:00:00", "target_seconds": 60}, "no UTC offset"),
        ({"started_at": "2026-01-12T09:00:00Z", "target_seconds": "8h"}, "target_seconds"),
        (
            {"started_at": "2026-01-12T09:00:00Z", "target_seconds": 60, "pauses": [["x"]]},
            r"pauses\[0\]: expected",
        ),
        ({"started_at": "2026-01-12T09:00:00Z", "target_seconds": 60, "due": 1}, "'due'"),
    ],
)
def test_from_dict_names_the_bad_key_or_value(data, message):
    with pytest.raises(ValueError, match=message):
        SlaClock.from_dict(data, CALENDAR)


def test_from_dict_needs_a_calendar():
    with pytest.raises(ValueError, match="no calendar"):
        SlaClock.from_dict(day_clock().to_dict())


# Colour and words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "remaining", "expected"),
    [
        ("running", 3 * H + 20 * MINUTE, ("green", "3 h 20 min left")),
        ("running", 30 * timedelta(seconds=1), ("green", "less than a minute left")),
        ("at_risk", 45 * MINUTE + timedelta(seconds=59), ("amber", "at risk: 45 min left")),
        ("breached", -2 * H, ("red", "breached 2 h ago")),
        ("breached", timedelta(0), ("red", "breached")),
        ("paused", 5 * H, ("grey", "paused: waiting on customer")),
        ("met", 5 * H, ("green", "met")),
    ],
)
def test_describe_speaks_plain_english(state, remaining, expected):
    assert describe(state, remaining) == expected


def test_describe_says_a_stopped_breach_was_met_late():
    assert describe("breached", -90 * MINUTE, stopped=True) == (
        "red",
        "breached: met late by 1 h 30 min",
    )


def test_describe_refuses_an_unknown_state():
    with pytest.raises(ValueError, match="'late' is not one of"):
        describe("late", H)


@pytest.mark.parametrize(
    ("duration", "words"),
    [
        (19 * H, "2 d 3 h"),
        (45 * MINUTE, "45 min"),
        (16 * H + 5 * MINUTE, "2 d"),
        (8 * H, "1 d"),
        (H, "1 h"),
        (timedelta(0), "0 min"),
    ],
)
def test_durations_count_business_days_of_eight_hours(duration, words):
    assert format_duration(duration) == words


def test_a_clock_describes_itself_in_its_calendar_days():
    always = BusinessCalendar("UTC", [((time(0), time(0)),)] * 7)
    clock = SlaClock(always, datetime(2026, 1, 12, tzinfo=UTC), 72 * H)
    assert clock.describe(datetime(2026, 1, 12, 1, tzinfo=UTC)) == ("green", "2 d 23 h left")
    assert day_clock().describe(ams(2026, 1, 12, 16)) == ("amber", "at risk: 1 h left")


# Properties -----------------------------------------------------------------------------------

CALENDARS = [
    CALENDAR,
    BusinessCalendar(
        "America/New_York", {day: ((time(9), time(12)), (time(13), time(17))) for day in range(5)}
    ),
    BusinessCalendar("Australia/Lord_Howe", [((time(1), time(3)), (time(20), time(0)))] * 7),
]
moments = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2027, 12, 31),
    timezones=st.sampled_from([ZoneInfo("Europe/Amsterdam"), ZoneInfo("America/New_York")]),
)
gaps = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=4))
bounded = settings(max_examples=200, deadline=None)


@st.composite
def clocks(draw, stop: bool = True) -> SlaClock:
    """A clock with a history of pauses and resumes, maybe stopped."""
    clock = SlaClock(
        draw(st.sampled_from(CALENDARS)),
        draw(moments),
        draw(st.timedeltas(min_value=MINUTE, max_value=60 * H)),
        at_risk_ratio=draw(st.sampled_from([Fraction(3, 4), Fraction(1, 2), Fraction(1)])),
    )
    at = clock.started_at
    for gap in draw(st.lists(gaps, max_size=4)):
        at += gap
        clock = clock.resume(at) if clock.is_paused else clock.pause(at)
    if stop and draw(st.booleans()):
        clock = clock.stop(at + draw(gaps))
    return clock


def last_event(clock: SlaClock) -> datetime:
    return max(
        [clock.started_at, *(moment for pause in clock.pauses for moment in pause if moment)]
    )


@bounded
@given(clocks(stop=False), gaps, gaps, gaps)
def test_pausing_never_shortens_the_remaining_time_or_brings_the_deadline_forward(
    clock, wait, pause_for, look_later
):
    if clock.is_paused:
        clock = clock.resume(last_event(clock) + wait)
    paused_at = last_event(clock) + wait
    now = paused_at + look_later
    paused = clock.pause(paused_at)
    assert paused.remaining(now) >= clock.remaining(now)
    assert paused.due_at(now) >= clock.due_at(now)
    resumed = paused.resume(paused_at + pause_for)
    later = now + pause_for
    assert resumed.remaining(later) >= clock.remaining(later)
    assert resumed.due_at(later) >= clock.due_at(later)


@bounded
@given(clocks(), gaps, gaps)
def test_elapsed_grows_with_time_and_never_exceeds_wall_time(clock, offset, step):
    now = clock.started_at + offset
    assert timedelta(0) <= clock.elapsed(now) <= now - clock.started_at
    assert clock.elapsed(now + step) >= clock.elapsed(now)


@bounded
@given(clocks(stop=False), gaps, gaps)
def test_a_paused_deadline_only_moves_later(clock, offset, step):
    if not clock.is_paused:
        clock = clock.pause(last_event(clock))
    now = last_event(clock) + offset
    assert clock.due_at(now + step) >= clock.due_at(now)


@bounded
@given(clocks(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)))
def test_the_state_agrees_with_the_fraction_used(clock, offset):
    now = clock.started_at + offset
    state, used, due = clock.state(now), clock.fraction_used(now), clock.due_at(now)
    micro = timedelta(microseconds=1)
    assert used == Fraction(clock.elapsed(now) // micro, clock.target // micro)
    assert clock.remaining(now) == clock.target - clock.elapsed(now)
    stopped = clock.stopped_at is not None and clock.stopped_at <= now
    if state == "met":
        assert stopped and used <= 1
    elif state == "breached":
        assert used >= 1
        assert (clock.stopped_at if stopped else now) > due
    elif state == "at_risk":
        assert clock.at_risk_ratio <= used <= 1
    elif state == "running":
        assert used < clock.at_risk_ratio
    else:
        assert state == "paused" and used <= 1
    if used > 1:
        assert state == "breached"
    colour, words = clock.describe(now)
    assert colour == {"met": "green", "running": "green", "at_risk": "amber"}.get(
        state, {"breached": "red", "paused": "grey"}.get(state)
    )
    assert words


@bounded
@given(clocks(stop=False))
def test_a_clock_without_pauses_is_due_when_its_business_time_is_used(clock):
    if clock.pauses:
        return
    due = clock.due_at(clock.started_at)
    assert due == clock.calendar.add_business_time(clock.started_at, clock.target)
    assert clock.elapsed(due) == clock.target


@bounded
@given(clocks())
def test_any_clock_survives_json(clock):
    assert SlaClock.from_dict(json.loads(json.dumps(clock.to_dict())), clock.calendar) == clock
