"""The cash-application queue: statements and the lines waiting for an agent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ledgerdesk.receivables.models import BankStatement, StatementLine
from tests.receivables.test_line_page import make_line

pytestmark = pytest.mark.django_db
State = StatementLine.State
QUEUE = reverse("receivables:queue")


def test_it_lists_lines_waiting_and_statements(agent_client):
    make_line("10.00", state=State.REVIEW, counterparty_name="Waiting Review Ltd")
    make_line("20.00", state=State.HELD, counterparty_name="Held Cash Ltd")
    make_line("30.00", state=State.APPLIED, counterparty_name="Done Already Ltd")

    response = agent_client.get(QUEUE)

    text = response.content.decode()
    assert response.status_code == 200
    assert "Waiting Review Ltd" in text and "Held Cash Ltd" in text
    assert "Done Already Ltd" not in text
    assert 'badge-bad">Held' in text and 'badge-warn">To review' in text
    assert "S1" in text  # the statement
    assert "Upload a statement" not in text  # agents do not upload


def test_it_filters_by_state_and_payer(agent_client):
    make_line("10.00", state=State.REVIEW, counterparty_name="Waiting Review Ltd")
    make_line("20.00", state=State.HELD, counterparty_name="Held Cash Ltd")

    held = agent_client.get(QUEUE, {"state": "held"}).content.decode()
    named = agent_client.get(QUEUE, {"q": "waiting review"}).content.decode()

    assert "Held Cash Ltd" in held and "Waiting Review Ltd" not in held
    assert "Waiting Review Ltd" in named and "Held Cash Ltd" not in named


def test_the_queue_takes_a_fixed_number_of_queries(agent_client, django_assert_max_num_queries):
    for n in range(30):
        make_line(f"{n + 1}.00", state=State.HELD if n % 2 else State.REVIEW)
    for n in range(12):
        BankStatement.objects.create(
            account="NL91ABNA0417164300",
            statement_id=f"S-{n}",
            format="mt940",
            currency="EUR",
            fingerprint=f"{n:064d}",
            imported_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        )

    # session, user, permissions (user, group), lines: count and page (with their
    # statements), statements: count and page, the user's role for the top bar.
    with django_assert_max_num_queries(9):
        response = agent_client.get(QUEUE)
    assert response.status_code == 200
    assert len(response.context["page"]) == 30


def test_statement_page_lists_its_lines(agent_client, django_assert_max_num_queries):
    line = make_line("10.00", state=State.APPLIED)
    make_line("-5.00", state=State.IGNORED, reason="money out")

    with django_assert_max_num_queries(9):
        response = agent_client.get(reverse("receivables:statement", args=[line.statement_id]))

    text = response.content.decode()
    assert "money out" in text and "Ignored" in text
    assert Decimal("10.00") == line.amount
