"""Plain arithmetic of surveys, no Django: survey rounds, the quiet period, link payloads.

A relationship survey round is a calendar quarter ("2026-Q4"): the periodic task may run
any number of times in a quarter and still asks each party once. A link carries
"<survey id>.<rating>.<token>" before it is signed; `unpack` refuses anything else.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ROUND = re.compile(r"^(\d{4})-Q([1-4])$")
_PAYLOAD = re.compile(r"^([1-9]\d{0,17})\.([1-5])\.([A-Za-z0-9_-]{8,32})$")


def round_of(day: dt.date) -> str:
    """The quarter `day` falls in, as "YYYY-Qn"."""
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def round_start(key: str) -> dt.date:
    """The first day of a round; ValueError for anything that is not "YYYY-Qn"."""
    match = _ROUND.match(key)
    if match is None:
        raise ValueError(f"round: {key!r} is not a quarter like 2026-Q4")
    year, quarter = int(match[1]), int(match[2])
    return dt.date(year, 3 * (quarter - 1) + 1, 1)


def quiet_until(last_sent: dt.datetime, quiet_days: int) -> dt.datetime:
    """When a contact surveyed at `last_sent` may be surveyed again."""
    return last_sent + dt.timedelta(days=quiet_days)


def may_survey(last_sent: dt.datetime | None, now: dt.datetime, quiet_days: int) -> bool:
    return last_sent is None or now >= quiet_until(last_sent, quiet_days)


@dataclass(frozen=True)
class LinkPayload:
    survey_id: int
    rating: int
    token: str


def pack(payload: LinkPayload) -> str:
    value = f"{payload.survey_id}.{payload.rating}.{payload.token}"
    if _PAYLOAD.match(value) is None:
        raise ValueError(f"link: cannot carry {payload!r}")
    return value


def unpack(value: str) -> LinkPayload | None:
    """The payload of a link, or None when it is not one."""
    match = _PAYLOAD.match(value)
    if match is None:
        return None
    return LinkPayload(int(match[1]), int(match[2]), match[3])
