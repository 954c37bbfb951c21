"""Questions and disputes from the portal become cases in the agent's queue; the party follows
them in plain words and answers on them."""

from __future__ import annotations

import pytest
from django.core import mail

from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Case, Message

pytestmark = pytest.mark.django_db


def test_a_vendor_disputes_lines_and_the_case_lands_in_the_agents_queue(world, agent_client):
    url = f"/portal/invoices/{world.a.invoice.pk}/ask/"
    response = world.a.client.post(
        url,
        {"kind": "dispute", "lines": [world.a.line.pk], "message": "We delivered 10 boxes."},
    )
    case = Case.objects.latest("id")
    assert (
        response.status_code == 302 and response["Location"] == f"/portal/cases/{case.reference}/"
    )
    assert case.channel == Case.Channel.PORTAL and case.category == Case.Category.DISPUTE
    assert case.subject == "Dispute about invoice 4411"
    assert list(case.invoices.all()) == [world.a.invoice]
    assert (case.party, case.contact) == (world.a.party, world.a.contact)
    assert case.team.direction == "ap" and case.owner is not None
    message = case.messages.get(direction=Message.Direction.INBOUND)
    assert "We delivered 10 boxes." in message.text
    assert "line 1: Printer paper A4 (€1,000.00)" in message.text
    # The confirmation e-mail names the case; the agent sees the case in their queue.
    assert any(case.reference in m.subject for m in mail.outbox)
    queue = agent_client.get("/desk/").content.decode()
    assert case.reference in queue and "Dispute about invoice 4411" in queue
    page = world.a.client.get(response["Location"]).content.decode()
    assert "We have your disagreement as case" in page and "We delivered 10 boxes." in page


def test_a_question_gets_a_guessed_category(world):
    world.c.client.post(
        f"/portal/invoices/{world.c.invoice.pk}/ask/",
        {"kind": "question", "message": "When is the payment due, and can I pay by card?"},
    )
    case = Case.objects.latest("id")
    assert case.category != Case.Category.DISPUTE and case.team.direction == "ar"
    assert case.subject == "Question about invoice SI-2026-0042"


def test_a_dispute_without_lines_is_refused_next_to_the_field(world):
    response = world.a.client.post(
        f"/portal/invoices/{world.a.invoice.pk}/ask/", {"kind": "dispute", "message": "Wrong."}
    )
    html = response.content.decode()
    field = html[html.index('id="field-lines"') :]
    assert "Choose the lines you disagree with." in field[: field.index("</fieldset>")]
    empty = world.a.client.post(f"/portal/invoices/{world.a.invoice.pk}/ask/", {"kind": "question"})
    html = empty.content.decode()
    field = html[html.index('id="field-message"') :]
    assert "This field is required." in field[: field.index("</div>")]


def test_the_party_sees_its_cases_with_owner_state_and_next_step(world, agent):
    html = world.a.client.get("/portal/cases/").content.decode()
    assert world.a.case.reference in html and world.b.case.reference not in html
    assert f"with {agent.first_name}" in html and "Received" in html
    detail = world.a.client.get(f"/portal/cases/{world.a.case.reference}/").content.decode()
    assert f"{agent.first_name} is looking after it." in detail
    assert f"{agent.first_name} has your message and will answer you by" in detail


def test_replying_records_an_inbound_message_and_reopens_a_resolved_case(world):
    case = world.a.case
    desk.resolve(case, "Paid on the 27th.")
    response = world.a.client.post(f"/portal/cases/{case.reference}/", {"text": "Not received."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.OPEN
    message = case.messages.latest("at")
    assert message.direction == Message.Direction.INBOUND and message.text == "Not received."
    assert message.sender_email == world.a.contact.email


def test_an_empty_reply_is_refused_next_to_the_field(world):
    html = world.a.client.post(f"/portal/cases/{world.a.case.reference}/", {"text": " "}).content
    html = html.decode()
    field = html[html.index('id="field-text"') :]
    assert "This field is required." in field[: field.index("</div>")]


def test_internal_and_merged_cases_are_not_shown(world, ap_team):
    internal = desk.open_case(
        team=ap_team, subject="Internal: check vendor", channel=Case.Channel.INTERNAL,
        party=world.a.party,
    )  # fmt: skip
    assert world.a.client.get(f"/portal/cases/{internal.reference}/").status_code == 404
    other = desk.open_case(team=ap_team, subject="Second mail", party=world.a.party)
    desk.merge(other, world.a.case)
    assert world.a.client.get(f"/portal/cases/{other.reference}/").status_code == 404
    assert internal.reference not in world.a.client.get("/portal/cases/").content.decode()
