"""Reassigning: the history is kept, and the customer is told who has the case now."""

import pytest
from django.core import mail

from ledgerdesk.desk import services
from ledgerdesk.desk.models import Message
from tests.factories import ContactFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(ap_team, agent):
    contact = ContactFactory(party=PartyFactory(), name="Jan de Vries", email="jan@acme.example")
    case = services.open_case(
        team=ap_team, subject="Wrong amount", party=contact.party, contact=contact, owner=agent
    )
    services.record_inbound(
        case, Message(message_id="q1@acme.example", sender_email="jan@acme.example", text="?")
    )
    return case


@pytest.fixture
def colleague(ap_team):
    return UserFactory(username="dana", first_name="Dana", last_name="Smit", role="Agent")


def test_reassigning_tells_the_customer_who_has_the_case(agent_client, case, colleague):
    response = agent_client.post(
        f"/desk/cases/{case.reference}/assign/", {"owner": colleague.pk, "note": "Dana knows them"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.owner == colleague
    event = case.events.filter(kind="assigned").last()
    assert event.text == "Owner changed from Agent Morgan to Dana Smit. Dana knows them"
    [notice] = mail.outbox
    assert notice.to == ["jan@acme.example"]
    assert notice.subject == f"Re: [{case.reference}] Wrong amount"
    assert notice.extra_headers["In-Reply-To"] == "<q1@acme.example>"
    assert notice.body.startswith("Dear Jan de Vries,")
    assert "Dana Smit of our Accounts Payable team is now looking after it" in notice.body
    assert "Dana knows them" not in notice.body  # the reason is internal
    # Telling the customer is not the first human answer: the clock keeps running.
    assert case.first_response_at is None
    page = agent_client.get(case.get_absolute_url()).content.decode()
    assert "Dana Smit owns the case now, and the customer has been told." in page
    assert "replied · by Agent Morgan" in page
    assert notice.extra_headers.get("Auto-Submitted") is None  # a person wrote it


def test_the_owner_choice_is_agents_and_leads_only(agent_client, case, outsider, lead):
    page = agent_client.get(case.get_absolute_url()).content.decode()
    assert f'<option value="{lead.pk}"' in page
    assert f'<option value="{outsider.pk}"' not in page
    response = agent_client.post(f"/desk/cases/{case.reference}/assign/", {"owner": outsider.pk})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert mail.outbox == []


def test_the_same_owner_changes_nothing(agent_client, agent, case):
    response = agent_client.post(f"/desk/cases/{case.reference}/assign/", {"owner": agent.pk})
    assert response.status_code == 302 and mail.outbox == []
    assert not case.events.filter(kind="assigned", text__startswith="Owner changed").exists()


def test_an_inactive_user_cannot_own_a_case(agent_client, case, colleague):
    colleague.is_active = False
    colleague.save()
    response = agent_client.post(f"/desk/cases/{case.reference}/assign/", {"owner": colleague.pk})
    assert response.status_code == 400


def test_without_an_address_only_the_owner_changes(agent_client, ap_team, colleague):
    case = services.open_case(team=ap_team, subject="Phoned in", channel="phone")
    agent_client.post(f"/desk/cases/{case.reference}/assign/", {"owner": colleague.pk})
    case.refresh_from_db()
    assert case.owner == colleague and mail.outbox == []
