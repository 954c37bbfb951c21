"""Notices: telling the customer their case has a new owner answers nothing, so it stops no
clock; and it is a person's action, not an auto-reply, so it is not marked Auto-Submitted."""

import pytest
from django.core import mail

from ledgerdesk.desk import services
from ledgerdesk.desk.models import Case, Message
from ledgerdesk.mail import outbound
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


def _running(case, clock):
    return case.sla_clocks[clock]["stopped_at"] is None


def test_the_reassignment_notice_stops_no_clock(agent_client, agent, case):
    colleague = UserFactory(username="dana", first_name="Dana", last_name="Smit", role="Agent")
    response = agent_client.post(f"/desk/cases/{case.reference}/assign/", {"owner": colleague.pk})
    assert response.status_code == 302
    [sent] = mail.outbox
    assert "Auto-Submitted" not in sent.extra_headers
    assert sent.extra_headers["In-Reply-To"] == "<q1@acme.example>"
    notice = case.messages.get(direction="out")
    assert not notice.is_acknowledgement and notice.author == agent
    case.refresh_from_db()
    assert case.acknowledged_at is None and case.first_response_at is None
    assert _running(case, "acknowledge") and _running(case, "first_response")
    assert case.state == Case.State.NEW
    assert case.last_message_at == notice.at


def test_a_reply_after_the_notice_is_the_first_response(agent_client, case):
    outbound.send(case, "Dana has your case now.", notice=True)
    reply = outbound.send(case, "Hi Jan, the corrected invoice is attached.")
    case.refresh_from_db()
    assert case.first_response_at == reply.at and case.acknowledged_at == reply.at
    assert not _running(case, "first_response") and case.state == Case.State.OPEN


def test_an_acknowledgement_still_counts_as_one(case):
    ack = outbound.acknowledge(case)
    case.refresh_from_db()
    assert mail.outbox[0].extra_headers["Auto-Submitted"] == "auto-replied"
    assert ack.is_acknowledgement and case.acknowledged_at == ack.at
    assert case.first_response_at is None and _running(case, "first_response")
