import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from ledgerdesk.desk import services
from ledgerdesk.desk.escalation import sweep
from ledgerdesk.desk.models import Case

pytestmark = pytest.mark.django_db

MONDAY_10 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def case(ap_team):
    ap_team.lead.email = "lena@hub.example"
    ap_team.lead.save()
    return services.open_case(
        team=ap_team, subject="Late", requester_email="v@vendor.example", opened_at=MONDAY_10
    )


def test_nothing_to_escalate_early(case):
    assert sweep(MONDAY_10 + dt.timedelta(hours=1)).escalated == 0
    assert mail.outbox == []


def test_at_risk_then_breached_each_escalate_once(case):
    # Tier 3 by default: first response within 16 business hours; 75 % is 12 h, reached on
    # Tuesday 14:00 local (Monday 10-17 is 7 h, Tuesday 9-14 is 5 h).
    at_risk = MONDAY_10 + dt.timedelta(days=1, hours=4)
    assert sweep(at_risk).escalated == 1
    assert sweep(at_risk + dt.timedelta(minutes=5)).escalated == 0  # idempotent
    [first] = mail.outbox
    assert "SLA at risk" in first.subject and first.to == ["agent@hub.example", "lena@hub.example"]
    breached = MONDAY_10 + dt.timedelta(days=4)
    assert sweep(breached).escalated == 1
    case.refresh_from_db()
    assert case.sla_escalation.endswith(":breached")
    assert "Escalated to the lead" in case.events.filter(kind="sla").last().text


def test_paused_and_resolved_cases_are_left_alone(case):
    services.change_state(case, Case.State.WAITING_CUSTOMER, at=MONDAY_10)
    assert sweep(MONDAY_10 + dt.timedelta(days=10)).escalated == 0


def test_the_command_reports(case, capsys):
    call_command("sla_sweep")
    assert "1 open case(s) checked" in capsys.readouterr().out


def test_cases_of_a_deactivated_owner_are_handed_over(case, ap_team, agent):
    from tests.factories import UserFactory

    colleague = UserFactory(username="colleague", role="Agent")
    ap_team.members.add(colleague)
    agent.is_active = False
    agent.save()
    result = sweep(MONDAY_10 + dt.timedelta(minutes=5))
    case.refresh_from_db()
    assert result.handed_over == 1 and case.owner == colleague
    assert "Agent Morgan is no longer active" in case.events.filter(kind="assigned").last().text
