"""The dashboard pages: who may see them, what they show, what they cost, and their CSV."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PartyFactory
from tests.insights.conftest import at, make_case

PAGES = ["/insights/", "/insights/agents/", "/insights/finance/"]
PERIOD = "from=2026-11-02&to=2026-11-15"


@pytest.mark.parametrize("url", [*PAGES, "/insights/csv/sla/"])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["agent", "outsider"])
@pytest.mark.parametrize("url", [*PAGES, "/insights/csv/sla/"])
def test_agents_and_outsiders_are_refused(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("persona", ["lead", "manager", "admin_user"])
@pytest.mark.parametrize("url", PAGES)
def test_leads_and_above_see_the_dashboards(client, request, persona, url, ap_team):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url)
    assert response.status_code == 200
    assert b"<svg" in response.content
    assert b"Download CSV" in response.content


def test_the_nav_links_the_dashboards_for_a_lead_only(client, lead, agent):
    client.force_login(lead)
    assert b'href="/insights/"' in client.get("/").content
    client.force_login(agent)
    assert b'href="/insights/"' not in client.get("/").content


def test_desk_page_shows_figures_with_status_in_words(lead_client, desk_data):
    response = lead_client.get(f"/insights/?team=ap&{PERIOD}")
    page = response.content.decode()
    assert "SLA compliance" in page
    assert "Quick and clear" in page  # a recent comment
    assert "Reopened: 1 of 4 resolved cases (25.0 %)" in page
    assert "relationship satisfaction 4.0 / 5 from 1 answers" in page
    assert 'class="badge badge-' in page
    # Every chart's CSV link keeps the filters.
    assert f'href="/insights/csv/channel/?team=ap&amp;{PERIOD.replace("&", "&amp;")}"' in page


def test_agents_page_frames_figures_for_coaching(lead_client, desk_data):
    page = lead_client.get(f"/insights/agents/?team=ap&{PERIOD}").content.decode()
    assert "For coaching conversations, not rankings" in page
    assert "Alice Archer" in page and "Bob Baker" in page
    assert "Weekly coach score of Alice Archer" in page  # the sparkline's accessible title


def test_finance_page(lead_client, finance_data):
    page = lead_client.get(f"/insights/finance/?{PERIOD}").content.decode()
    for title in (
        "Vendor invoice cycle time",
        "Receivables aging",
        "Days sales outstanding",
        "Cash applied automatically or by hand",
        "Early-payment discounts",
    ):
        assert title in page
    assert "17.5" in page  # the EUR DSO


def test_bad_filters_are_named_and_the_page_still_answers(lead_client):
    response = lead_client.get("/insights/?from=yesterday")
    assert response.status_code == 200
    assert "from: &#x27;yesterday&#x27; is not a date (YYYY-MM-DD)" in response.content.decode()
    response = lead_client.get("/insights/?team=nope")
    assert "team: there is no team &#x27;nope&#x27;" in response.content.decode()
    response = lead_client.get("/insights/?from=2026-11-10&to=2026-11-01")
    assert "to: the period ends before it starts" in response.content.decode()


def test_csv_is_exactly_the_charts_data(lead_client, desk_data):
    response = lead_client.get(f"/insights/csv/channel/?team=ap&{PERIOD}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="channel-2026-11-02-2026-11-15.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["channel", "cases"],
        ["E-mail", "4"],
        ["Portal", "1"],
        ["Phone", "1"],
        ["Web form", "0"],
        ["Internal", "0"],
        ["Proactive", "0"],
    ]
    customers = lead_client.get(f"/insights/csv/channel/?team=ap&party=customer&{PERIOD}")
    assert customers.content.decode().splitlines()[1:3] == ["E-mail,0", "Portal,1"]


def test_finance_csv(lead_client, finance_data):
    response = lead_client.get(f"/insights/csv/cycle/?{PERIOD}")
    assert response.content.decode().splitlines() == [
        "stage,invoices,median_days,p90_days",
        "Received → approved,3,2.0,6.0",
        "Approved → paid,2,4.0,8.0",
        "Received → paid,2,4.5,10.0",
    ]


def test_csv_refuses_bad_input(lead_client):
    response = lead_client.get("/insights/csv/nope/")
    assert response.status_code == 400
    assert b"chart: there is no chart 'nope'" in response.content
    response = lead_client.get("/insights/csv/sla/?party=robots")
    assert response.status_code == 400
    assert b"party: 'robots' is not vendor or customer" in response.content


def _add_cases(team, owner, count, start=0):
    party = PartyFactory()
    for n in range(start, start + count):
        make_case(
            team,
            at(2 + n % 12, 8 + n % 10),
            owner=owner,
            party=party,
            channel=("email", "portal", "phone")[n % 3],
            tier=1 + n % 3,
            first=1 + n % 7,
            first_due=4,
            resolved=(n % 40) or None,
            resolution_due=30,
            state="resolved" if n % 40 else "open",
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_queries_do_not_grow_with_the_data(lead_client, ap_team, agent, url):
    url = f"{url}?{PERIOD}"
    _add_cases(ap_team, agent, 5)
    few = _queries(lead_client, url)
    _add_cases(ap_team, agent, 45, start=5)
    many = _queries(lead_client, url)
    assert few == many


def test_desk_page_query_budget(lead_client, ap_team, agent, django_assert_max_num_queries):
    _add_cases(ap_team, agent, 20)
    # session + user + permissions (3), teams for the filter, then per chart: SLA (1),
    # weekly SLA (1), times (2 grouped + 6 tiers × (count + median + p90) + SLA targets),
    # weekly volume, 3 volumes, backlog, 2 satisfaction sources, relationship, reopen rate,
    # 3 comment sources.
    with django_assert_max_num_queries(45):
        lead_client.get(f"/insights/?{PERIOD}")
