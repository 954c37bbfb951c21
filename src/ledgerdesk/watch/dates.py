"""Business-day arithmetic for the watch's thresholds. Pure Python: no Django.

"Not routed within 3 business days" counts Monday to Friday, skipping the team's holidays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

_DAY = dt.timedelta(days=1)


def is_business_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def business_days_before(day: dt.date, count: int, holidays: Collection[dt.date] = ()) -> dt.date:
    """The business day `count` business days before `day` (`day` itself when count is 0)."""
    if count < 0:
        raise ValueError(f"count: must be zero or more, not {count}")
    while count:
        day -= _DAY
        if is_business_day(day, holidays):
            count -= 1
    return day


def business_days_after(day: dt.date, count: int, holidays: Collection[dt.date] = ()) -> dt.date:
    """The business day `count` business days after `day`."""
    if count < 0:
        raise ValueError(f"count: must be zero or more, not {count}")
    while count:
        day += _DAY
        if is_business_day(day, holidays):
            count -= 1
    return day


def long_date(day: dt.date) -> str:
    """'Friday 28 November' — how the messages name a day."""
    return f"{day:%A} {day.day} {day:%B}"
