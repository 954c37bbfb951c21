"""Median and p90 come from the database: nearest rank, the same on SQLite and PostgreSQL."""

import datetime as dt
import math

import pytest
from django.db import connection

from ledgerdesk.desk.models import Case
from ledgerdesk.insights.metrics import MEDIAN, P90, PercentileDisc, duration, percentiles
from tests.insights.conftest import H, at, make_case


def _nearest_rank(values, fraction):
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)), 1) - 1] if ordered else None


@pytest.mark.parametrize(
    "hours",
    [[], [5], [3, 1], [1, 2, 3, 4], list(range(10, 0, -1)), [7, 7, 7, 1, 30, 2, 2, 9, 4, 11, 5]],
)
def test_percentiles_are_the_nearest_rank(ap_team, agent, hours):
    for n, value in enumerate(hours):
        make_case(
            ap_team, at(2 + n % 10), owner=agent, first=value, first_due=16, resolution_due=40
        )
    make_case(ap_team, at(3), owner=agent, first_due=16, resolution_due=40)  # not answered
    found = percentiles(Case.objects.all(), duration("first_response_at", "opened_at"))
    for fraction in (MEDIAN, P90):
        expected = _nearest_rank(hours, fraction)
        assert found[fraction] == (None if expected is None else expected * H)


def test_ten_values_median_is_the_fifth_and_p90_the_ninth(ap_team, agent):
    for value in range(1, 11):
        make_case(ap_team, at(value), owner=agent, first=value, first_due=16, resolution_due=40)
    found = percentiles(Case.objects.all(), duration("first_response_at", "opened_at"))
    assert found == {MEDIAN: 5 * H, P90: 9 * H}


def test_the_offset_path_sends_one_count_and_one_query_per_fraction(
    ap_team, agent, django_assert_num_queries
):
    for value in range(1, 6):
        make_case(ap_team, at(value), owner=agent, first=value, first_due=16, resolution_due=40)
    with django_assert_num_queries(3):  # COUNT, then LIMIT 1 OFFSET k for the median and p90
        percentiles(Case.objects.all(), duration("first_response_at", "opened_at"), vendor="sqlite")


def test_postgresql_uses_percentile_disc():
    aggregate = PercentileDisc("x", P90)
    assert aggregate.function == "PERCENTILE_DISC"
    assert aggregate.extra["fraction"] == "0.9"
    assert "WITHIN GROUP (ORDER BY" in aggregate.template


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_percentile_disc_agrees_with_the_offset_path(ap_team, agent):
    for value in (7, 7, 7, 1, 30, 2, 2, 9, 4, 11, 5):
        make_case(
            ap_team, at(value % 10 + 1), owner=agent, first=value, first_due=16, resolution_due=40
        )
    rows, measure = Case.objects.all(), duration("first_response_at", "opened_at")
    assert percentiles(rows, measure) == percentiles(rows, measure, vendor="sqlite")
    assert isinstance(percentiles(rows, measure)[MEDIAN], dt.timedelta)
