"""Business-day arithmetic (pure): properties over any day and count."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgerdesk.watch.dates import (
    business_days_after,
    business_days_before,
    is_business_day,
    long_date,
)

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1))
counts = st.integers(min_value=0, max_value=60)
holidays = st.frozensets(days, max_size=20)


@given(days, counts, holidays)
def test_counting_back_passes_exactly_count_business_days(day, count, off):
    start = business_days_before(day, count, off)
    passed = [start + dt.timedelta(n) for n in range((day - start).days)]  # [start, day)
    assert sum(is_business_day(d, off) for d in passed) == count
    assert count == 0 or is_business_day(start, off)


@given(days, counts, holidays)
def test_forward_then_back_returns_to_a_business_day(day, count, off):
    later = business_days_after(day, count, off)
    assert later >= day
    if is_business_day(day, off):
        assert business_days_before(later, count, off) == day


def test_a_weekend_and_a_holiday_are_skipped():
    wednesday = dt.date(2026, 11, 25)
    assert business_days_before(wednesday, 3) == dt.date(2026, 11, 20)  # Friday
    assert business_days_after(wednesday, 2, {dt.date(2026, 11, 26)}) == dt.date(2026, 11, 30)
    assert long_date(wednesday) == "Wednesday 25 November"


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="count: must be zero or more"):
        business_days_before(dt.date(2026, 11, 25), -1)
