"""The receivables API: statements and lines, for staff with the permission only."""

import pytest

from ledgerdesk.receivables.models import StatementLine
from tests.receivables.test_line_page import make_line

pytestmark = pytest.mark.django_db


def test_an_agent_lists_lines_waiting(agent_client, django_assert_max_num_queries):
    make_line("10.00", state=StatementLine.State.REVIEW)
    make_line("20.00", state=StatementLine.State.APPLIED)

    with django_assert_max_num_queries(8):
        response = agent_client.get("/api/v1/receivables/lines", {"state": "review"})

    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["amount"] for item in items] == ["10.00"]
    assert items[0]["state"] == "review"


def test_an_agent_reads_a_line_and_the_statements(agent_client):
    line = make_line("10.00")

    assert agent_client.get(f"/api/v1/receivables/lines/{line.pk}").json()["id"] == line.pk
    statements = agent_client.get("/api/v1/receivables/statements").json()["items"]
    assert [s["statement_id"] for s in statements] == ["S1"]


def test_an_outsider_gets_nothing(client, outsider):
    line = make_line("10.00")
    client.force_login(outsider)

    assert client.get("/api/v1/receivables/lines").status_code == 401
    assert client.get(f"/api/v1/receivables/lines/{line.pk}").status_code == 401
