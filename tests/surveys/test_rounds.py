"""The plain arithmetic of surveys: rounds, the quiet period, link payloads."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgerdesk.surveys import rounds

days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 9, 30))
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)


@given(days)
def test_a_day_lies_in_its_round(day):
    start = rounds.round_start(rounds.round_of(day))
    assert start <= day < start + dt.timedelta(days=92)
    assert start.day == 1 and start.month in (1, 4, 7, 10)


@given(days, days)
def test_rounds_sort_like_days(a, b):
    if a <= b:
        assert rounds.round_of(a) <= rounds.round_of(b)


def test_round_examples():
    assert rounds.round_of(dt.date(2026, 11, 25)) == "2026-Q4"
    assert rounds.round_of(dt.date(2026, 1, 1)) == "2026-Q1"
    assert rounds.round_of(dt.date(2026, 3, 31)) == "2026-Q1"
    assert rounds.round_of(dt.date(2026, 4, 1)) == "2026-Q2"
    for bad in ("2026-Q5", "2026Q1", "", "26-Q1"):
        with pytest.raises(ValueError, match="round:"):
            rounds.round_start(bad)


@given(moments, moments, st.integers(min_value=1, max_value=366))
def test_the_quiet_period(last, now, quiet_days):
    allowed = rounds.may_survey(last, now, quiet_days)
    assert allowed == ((now - last) >= dt.timedelta(days=quiet_days))
    assert rounds.may_survey(None, now, quiet_days)


tokens = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
    min_size=8,
    max_size=32,
)


@given(st.integers(min_value=1, max_value=10**17), st.integers(1, 5), tokens)
def test_a_payload_survives_the_round_trip(survey_id, rating, token):
    payload = rounds.LinkPayload(survey_id, rating, token)
    assert rounds.unpack(rounds.pack(payload)) == payload


@given(st.text(max_size=60))
def test_anything_else_is_no_payload_or_a_well_formed_one(text):
    payload = rounds.unpack(text)
    assert payload is None or rounds.pack(payload) == text


@pytest.mark.parametrize(
    "bad",
    ["1.0.abcdefgh", "1.6.abcdefgh", "0.1.abcdefgh", "1.1.short", "1.1.abc/defgh", "x.1.abcdefgh"],
)
def test_malformed_payloads(bad):
    assert rounds.unpack(bad) is None


def test_a_payload_that_cannot_be_carried_is_refused():
    with pytest.raises(ValueError, match="link:"):
        rounds.pack(rounds.LinkPayload(1, 9, "abcdefgh"))
