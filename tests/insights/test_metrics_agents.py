"""Per-agent figures: cases, times, SLA, satisfaction and the reply coach's scores."""

import dataclasses

import pytest

from ledgerdesk.insights import metrics
from tests.insights.conftest import NOW


@pytest.fixture
def ap(period, ap_team, desk_data):
    return dataclasses.replace(period, team=ap_team)


def test_each_agent(ap, desk_data):
    rows = {r["agent"]: r for r in metrics.agents(ap, now=NOW)}
    assert set(rows) == {"Alice Archer", "Bob Baker"}
    alice, bob = rows["Alice Archer"], rows["Bob Baker"]
    assert alice == {
        "agent_id": desk_data["alice"].pk,
        "agent": "Alice Archer",
        "cases": 3,
        "resolved": 3,
        "avg_first_response_hours": 2.3,  # (1 + 2 + 4) / 3
        "avg_resolution_hours": 26.7,  # (10 + 50 + 20) / 3
        "first_response_met_pct": 100.0,
        "ratings": 3,
        "avg_rating": 3.67,  # (5 + 2 + 4) / 3
        "replies_reviewed": 3,
        "avg_coach_score": 76.7,  # (80 + 60 + 90) / 3
    }
    assert bob["cases"] == 3
    assert bob["resolved"] == 0
    assert bob["avg_first_response_hours"] == 6.5
    assert bob["avg_resolution_hours"] is None
    assert bob["first_response_met_pct"] == 50.0
    assert (bob["ratings"], bob["avg_rating"]) == (0, None)
    assert (bob["replies_reviewed"], bob["avg_coach_score"]) == (1, 50.0)


def test_agents_of_all_teams_count_the_other_team_too(period, desk_data):
    rows = {r["agent"]: r for r in metrics.agents(period, now=NOW)}
    assert rows["Alice Archer"]["cases"] == 4  # c8 is an AR case of hers


def test_coach_trend_by_week(ap):
    rows = metrics.coach_trend(ap)
    assert [(r["week"].isoformat(), r["replies"], r["avg_score"]) for r in rows] == [
        ("2026-11-02", 3, 63.3),  # (80 + 60 + 50) / 3
        ("2026-11-09", 1, 90.0),
    ]


def test_coach_trend_by_agent(ap):
    rows = metrics.coach_trend_by_agent(ap)
    assert [(r["agent"], r["week"].isoformat(), r["replies"], r["avg_score"]) for r in rows] == [
        ("Alice Archer", "2026-11-02", 2, 70.0),
        ("Alice Archer", "2026-11-09", 1, 90.0),
        ("Bob Baker", "2026-11-02", 1, 50.0),
    ]
