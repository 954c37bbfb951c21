"""Service-desk figures on the hand-made data set (see conftest.py for the table)."""

import dataclasses

import pytest

from ledgerdesk.insights import metrics
from tests.insights.conftest import NOW


@pytest.fixture
def ap(period, ap_team, desk_data):
    return dataclasses.replace(period, team=ap_team)


def test_volume_by_channel_category_and_tier(ap):
    assert metrics.volume(ap, "channel")[:3] == [
        {"channel": "E-mail", "cases": 4},
        {"channel": "Portal", "cases": 1},
        {"channel": "Phone", "cases": 1},
    ]
    categories = {r["category"]: r["cases"] for r in metrics.volume(ap, "category")}
    assert categories["Payment status"] == 3
    assert categories["Dispute"] == 1
    assert categories["Other"] == 2
    assert sum(categories.values()) == 6
    assert metrics.volume(ap, "tier") == [
        {"tier": "Tier 1", "cases": 1},
        {"tier": "Tier 2", "cases": 1},
        {"tier": "Tier 3", "cases": 4},
    ]


def test_volume_by_week_fills_every_week(ap):
    rows = metrics.volume_by_week(ap)
    assert [(r["week"].isoformat(), r["cases"]) for r in rows] == [
        ("2026-11-02", 4),
        ("2026-11-09", 2),
    ]


def test_filters_change_the_figures(period, desk_data, ar_team):
    everyone = sum(r["cases"] for r in metrics.volume(period, "tier"))
    assert everyone == 7  # six AP cases and one AR case in the period
    ar = dataclasses.replace(period, team=ar_team)
    assert sum(r["cases"] for r in metrics.volume(ar, "tier")) == 1
    customers = dataclasses.replace(period, party_type="customer")
    assert sum(r["cases"] for r in metrics.volume(customers, "tier")) == 2  # c3 and c8
    vendors = dataclasses.replace(period, party_type="vendor")
    assert sum(r["cases"] for r in metrics.volume(vendors, "tier")) == 5
    one_week = dataclasses.replace(period, end=period.start.replace(day=8))
    assert sum(r["cases"] for r in metrics.volume(one_week, "tier")) == 5  # c1-c4 and c8


def test_sla_compliance(ap):
    assert metrics.sla_compliance(ap, now=NOW) == [
        {
            "clock": "First response",
            "met": 4,
            "breached": 1,
            "compliance_pct": 80.0,
            "status": "watch",
        },
        {
            "clock": "Resolution",
            "met": 2,
            "breached": 2,
            "compliance_pct": 50.0,
            "status": "below target",
        },
    ]


def test_sla_compliance_of_all_teams(period, desk_data):
    rows = metrics.sla_compliance(period, now=NOW)
    assert [(r["met"], r["breached"], r["compliance_pct"]) for r in rows] == [
        (5, 1, 83.3),
        (2, 3, 40.0),
    ]


def test_response_times_median_and_p90_per_tier(ap):
    rows = {(r["clock"], r["tier"]): r for r in metrics.response_times(ap, now=NOW)}
    tier3 = rows[("First response", 3)]
    # 1 h, 2 h, 3 h (c6 not answered yet): median is the 2nd value, p90 the 3rd.
    assert (tier3["median_hours"], tier3["p90_hours"]) == (2.0, 3.0)
    assert tier3["target_business_hours"] == "16"
    assert (tier3["met"], tier3["breached"], tier3["compliance_pct"]) == (3, 0, 100.0)
    resolution = rows[("Resolution", 3)]
    assert (resolution["median_hours"], resolution["p90_hours"]) == (10.0, 50.0)
    assert rows[("First response", 1)]["median_hours"] == 10.0
    assert rows[("First response", 1)]["compliance_pct"] == 0.0
    assert rows[("Resolution", 1)]["median_hours"] is None
    assert rows[("Resolution", 2)]["median_hours"] == 20.0


def test_compliance_by_week(ap):
    rows = metrics.compliance_by_week(ap, now=NOW)
    assert rows[0]["first_response_pct"] == 75.0  # c1-c3 met, c4 late
    assert rows[0]["resolution_pct"] == 50.0  # c1, c3 met; c2, c4 breached
    assert rows[1]["first_response_pct"] == 100.0  # c5 met, c6 still running
    assert rows[1]["resolution_pct"] is None  # nothing decided yet


def test_backlog_by_age(ap, period, desk_data):
    assert metrics.backlog(ap, now=NOW) == [
        {"age": "under 1 day", "cases": 1},
        {"age": "1-3 days", "cases": 0},
        {"age": "3-7 days", "cases": 0},
        {"age": "7-30 days", "cases": 3},
        {"age": "over 30 days", "cases": 1},
    ]
    assert [r["cases"] for r in metrics.backlog(period, now=NOW)] == [1, 0, 0, 4, 1]


def test_reopen_rate(ap):
    assert metrics.reopen_rate(ap) == {"resolved": 4, "reopened": 1, "rate_pct": 25.0}


def test_satisfaction_combines_portal_ratings_and_case_surveys(ap):
    rows = metrics.satisfaction(ap)
    assert [r["answers"] for r in rows] == [0, 1, 1, 1, 1]
    assert metrics.summary_of(rows) == {"answers": 4, "average": 3.5}
    customers = dataclasses.replace(ap, party_type="customer")
    assert metrics.summary_of(metrics.satisfaction(customers)) == {"answers": 1, "average": 4.0}


def test_relationship_satisfaction(ap):
    rows = metrics.relationship_satisfaction(ap)
    assert metrics.summary_of(rows) == {"answers": 1, "average": 4.0}


def test_recent_comments_newest_first(ap):
    comments = metrics.recent_comments(ap)
    assert [c["comment"] for c in comments] == [
        "Easy to work with",
        "Took too long",
        "Quick and clear",
    ]
    assert comments[1]["rating"] == 2


def test_nothing_in_the_period_gives_empty_figures(ap_team, desk_data):
    empty = metrics.Filters(
        start=metrics.dt.date(2025, 1, 1), end=metrics.dt.date(2025, 1, 31), team=ap_team
    )
    assert metrics.sla_compliance(empty)[0]["compliance_pct"] is None
    assert metrics.reopen_rate(empty)["rate_pct"] is None
    assert metrics.summary_of(metrics.satisfaction(empty))["average"] is None
    assert all(r["median_hours"] is None for r in metrics.response_times(empty))


def test_bad_filters_are_refused():
    with pytest.raises(ValueError, match="to:"):
        metrics.Filters(start=metrics.dt.date(2026, 2, 1), end=metrics.dt.date(2026, 1, 1))
    with pytest.raises(ValueError, match="party:"):
        metrics.Filters(
            start=metrics.dt.date(2026, 1, 1), end=metrics.dt.date(2026, 1, 2), party_type="x"
        )
