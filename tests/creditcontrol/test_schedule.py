"""The pure date and instalment arithmetic, with properties checked by hypothesis."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgerdesk.creditcontrol import schedule

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
policies = st.builds(
    lambda before, on, a, b, c: schedule.Policy(before, on, a, a + b, a + b + c),
    st.integers(0, 30), st.booleans(), st.integers(1, 30), st.integers(1, 30), st.integers(1, 30),
)  # fmt: skip
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)


@given(days, days, policies)
def test_the_level_only_moves_forward_with_time(due, today, policy):
    level = schedule.due_level(due, today, policy)
    later = schedule.due_level(due, today + dt.timedelta(days=1), policy)
    rank = {None: -1, **{name: i for i, name in enumerate(schedule.LEVELS)}}
    # before_due and on_due give way to nothing until the first after-due day: their words
    # ("falls due on", "is due today") are only true before and on the due day.
    if level not in ("before_due", "on_due"):
        assert rank[later] >= rank[level]
    if level == "before_due":
        assert today < due
    if level == "on_due":
        assert today == due
    if today < due - dt.timedelta(days=policy.days_before_due):
        assert level is None


def test_levels_of_the_default_policy():
    due, p = dt.date(2026, 11, 10), schedule.Policy()
    assert schedule.due_level(due, dt.date(2026, 11, 6), p) is None
    assert schedule.due_level(due, dt.date(2026, 11, 7), p) == "before_due"
    assert schedule.due_level(due, due, p) == "on_due"
    assert schedule.due_level(due, dt.date(2026, 11, 11), p) is None  # "due today" is past
    assert schedule.due_level(due, dt.date(2026, 11, 16), p) is None
    assert schedule.due_level(due, dt.date(2026, 11, 17), p) == "after_due_1"
    assert schedule.due_level(due, dt.date(2026, 12, 15), p) == "after_due_3"


@given(days, st.integers(0, 40))
def test_business_days_skip_weekends_and_land_on_a_weekday(start, n):
    end = schedule.add_business_days(start, n)
    assert end >= start
    if n:
        assert end.weekday() < 5
        weekdays = sum(
            1 for i in range(1, (end - start).days + 1)
            if (start + dt.timedelta(days=i)).weekday() < 5
        )  # fmt: skip
        assert weekdays == n


def test_holidays_do_not_count():
    friday = dt.date(2026, 12, 24)
    assert schedule.add_business_days(friday, 1) == dt.date(2026, 12, 25)
    assert schedule.add_business_days(friday, 1, [dt.date(2026, 12, 25)]) == dt.date(2026, 12, 28)


@given(st.lists(amounts, min_size=1, max_size=12))
def test_instalments_that_add_up_pass(parts):
    plan = [(dt.date(2027, 1, 1) + dt.timedelta(days=30 * i), a) for i, a in enumerate(parts)]
    schedule.check_instalments(sum(parts, Decimal("0")), plan)


@given(st.lists(amounts, min_size=1, max_size=12), amounts)
def test_instalments_that_do_not_add_up_name_the_field(parts, extra):
    plan = [(dt.date(2027, 1, 1) + dt.timedelta(days=30 * i), a) for i, a in enumerate(parts)]
    with pytest.raises(schedule.InstalmentError, match="^instalments: they add up to"):
        schedule.check_instalments(sum(parts, Decimal("0")) + extra, plan)


@given(st.lists(amounts, min_size=1, max_size=8), amounts, days, st.integers(0, 10))
def test_coverage_is_in_date_order_and_missed_only_when_uncovered(parts, paid, today, grace):
    plan = [(dt.date(2030, 1, 1) + dt.timedelta(days=30 * i), a) for i, a in enumerate(parts)]
    states = schedule.instalment_states(plan, paid, today, grace)
    covered = [s.covered for s in states]
    assert covered == sorted(covered, reverse=True)  # a covered one never follows an uncovered
    assert all(not (s.covered and s.missed) for s in states)
    assert all(not s.missed or today > s.due_on for s in states)


def test_grace_ends_after_n_working_days():
    plan = [(dt.date(2026, 11, 6), Decimal("100"))]  # a Friday
    ok = schedule.instalment_states(plan, Decimal("0"), dt.date(2026, 11, 11), 3)
    late = schedule.instalment_states(plan, Decimal("0"), dt.date(2026, 11, 12), 3)
    assert not ok[0].missed and late[0].missed


def test_levels_around_a_leap_day():
    due, p = dt.date(2028, 2, 29), schedule.Policy()
    assert schedule.due_level(due, dt.date(2028, 2, 26), p) == "before_due"
    assert schedule.due_level(due, dt.date(2028, 2, 29), p) == "on_due"
    assert schedule.due_level(due, dt.date(2028, 3, 1), p) is None
    assert schedule.due_level(due, dt.date(2028, 3, 7), p) == "after_due_1"
    assert schedule.due_level(due, dt.date(2028, 4, 4), p) == "after_due_3"


def test_levels_from_a_month_end_due_date():
    due, p = dt.date(2026, 1, 31), schedule.Policy()
    assert schedule.due_level(due, dt.date(2026, 2, 7), p) == "after_due_1"
    assert schedule.due_level(due, dt.date(2026, 2, 21), p) == "after_due_2"
    assert schedule.due_level(due, dt.date(2026, 3, 7), p) == "after_due_3"


def test_business_days_over_a_year_end_and_a_leap_day():
    assert schedule.add_business_days(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 1)
    assert schedule.add_business_days(dt.date(2028, 2, 28), 1) == dt.date(2028, 2, 29)


after_levels = st.sampled_from(schedule.AFTER_DUE)


@given(after_levels, st.sets(st.sampled_from(schedule.LEVELS)))
def test_the_words_never_count_more_reminders_than_were_sent(level, sent):
    words = schedule.wording_level(level, sent)
    already = len(sent & set(schedule.AFTER_DUE))
    assert schedule.AFTER_DUE.index(words) <= min(already, schedule.AFTER_DUE.index(level))
    assert schedule.AFTER_DUE.index(words) <= schedule.AFTER_DUE.index(level)


def test_before_and_on_due_keep_their_own_words():
    assert schedule.wording_level("before_due", set()) == "before_due"
    assert schedule.wording_level("on_due", {"before_due"}) == "on_due"
