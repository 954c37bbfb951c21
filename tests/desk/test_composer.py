"""The composer and the case actions: send, send and resolve, internal notes, state changes,
merge and split. Errors come back next to their field with the agent's text kept."""

import smtplib

import pytest
from django.core import mail
from django.test import Client

from ledgerdesk.desk import services
from ledgerdesk.desk.models import Case, CaseEvent, Message
from tests.factories import ContactFactory, PartyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(ap_team, agent):
    vendor = PartyFactory(name="Acme Supplies BV")
    contact = ContactFactory(party=vendor, name="Jan de Vries", email="jan@acme.example")
    case = services.open_case(
        team=ap_team, subject="Invoice 4411 not paid", party=vendor, contact=contact, owner=agent
    )
    services.record_inbound(
        case,
        Message(
            message_id="first@acme.example",
            sender_email="jan@acme.example",
            subject="Invoice 4411 not paid",
            text="When will 4411 be paid?",
        ),
    )
    return case


def _post(client, case, endpoint, **data):
    return client.post(f"/desk/cases/{case.reference}/{endpoint}/", data)


def test_send_reply_goes_out_threaded_and_lands_on_the_timeline(agent_client, agent, case):
    response = _post(agent_client, case, "reply", text="It is paid on Friday.", action="send")
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    [sent] = mail.outbox
    assert sent.to == ["jan@acme.example"]
    assert sent.subject == f"Re: [{case.reference}] Invoice 4411 not paid"
    assert sent.extra_headers["In-Reply-To"] == "<first@acme.example>"
    assert "<first@acme.example>" in sent.extra_headers["References"]
    reply = case.messages.get(direction="out")
    assert reply.text == "It is paid on Friday." and reply.author == agent
    case.refresh_from_db()
    assert case.state == Case.State.OPEN and case.first_response_at is not None
    page = agent_client.get(case.get_absolute_url()).content.decode()
    assert "Reply sent to jan@acme.example." in page and "It is paid on Friday." in page


def test_send_and_resolve(agent_client, case):
    _post(
        agent_client, case, "reply", text="Paid today, sorry for the wait.", action="send_resolve"
    )
    case.refresh_from_db()
    assert len(mail.outbox) == 1 and case.state == Case.State.RESOLVED


def test_an_internal_note_is_never_sent(agent_client, case):
    response = _post(agent_client, case, "reply", text="Treasury says Thursday.", action="note")
    assert response.status_code == 302
    assert mail.outbox == []
    assert case.events.filter(kind=CaseEvent.Kind.NOTE, text="Treasury says Thursday.").exists()


def test_an_empty_reply_is_refused_next_to_the_field(agent_client, case):
    response = _post(agent_client, case, "reply", text="  ", action="send")
    assert response.status_code == 400
    assert "Write a reply or a note first." in response.content.decode()
    assert mail.outbox == []


def test_a_reply_with_an_unfilled_marker_is_not_sent(agent_client, case):
    text = "Dear Jan, invoice [invoice number] is paid."
    response = _post(agent_client, case, "reply", text=text, action="send")
    page = response.content.decode()
    assert response.status_code == 400 and mail.outbox == []
    assert "Fill in [invoice number] before sending" in page
    assert "invoice [invoice number] is paid.</textarea>" in page  # the draft is kept
    # A note may hold a marker: it is for colleagues.
    assert _post(agent_client, case, "reply", text=text, action="note").status_code == 302


def test_a_case_without_an_address_takes_notes_only(agent_client, ap_team):
    case = services.open_case(team=ap_team, subject="Phone call", channel="phone")
    page = agent_client.get(case.get_absolute_url()).content.decode()
    assert 'value="send"' not in page and "notes only" in page
    response = _post(agent_client, case, "reply", text="Called back.", action="send")
    assert response.status_code == 400
    assert "no e-mail address to answer" in response.content.decode()


def test_a_refusing_mail_server_keeps_the_draft(agent_client, case, monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("connection closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    response = _post(agent_client, case, "reply", text="Paid on Friday.", action="send")
    page = response.content.decode()
    assert response.status_code == 400
    assert "did not take the reply, so nothing was sent (connection closed)" in page
    assert "Paid on Friday.</textarea>" in page
    assert not case.messages.filter(direction="out").exists()


@pytest.mark.parametrize(
    ("state", "label"),
    [
        ("waiting_customer", "waiting on customer"),
        ("waiting_third_party", "waiting on third party"),
        ("resolved", "resolved"),
        ("closed", "closed"),
    ],
)
def test_state_buttons(agent_client, case, state, label):
    response = _post(agent_client, case, "state", state=state, note="as agreed")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == state
    assert case.events.filter(kind="state").last().text.endswith("as agreed")
    page = agent_client.get(case.get_absolute_url()).content.decode()
    assert f"The case is now {label}." in page


def test_a_resolved_case_reopens(agent_client, case):
    services.resolve(case)
    page = agent_client.get(case.get_absolute_url()).content.decode()
    assert 'value="open">Reopen</button>' in page and 'value="waiting_customer"' not in page
    _post(agent_client, case, "state", state="open")
    case.refresh_from_db()
    assert case.state == Case.State.OPEN and case.resolved_at is None


def test_a_forbidden_state_change_is_explained(agent_client, case):
    services.change_state(case, Case.State.CLOSED)
    response = _post(agent_client, case, "state", state="waiting_customer")
    assert response.status_code == 400
    assert "a case that is closed cannot become waiting on customer" in response.content.decode()
    assert _post(agent_client, case, "state", state="merged").status_code == 400


def test_merge_into_another_case(agent_client, case, ap_team):
    target = services.open_case(team=ap_team, subject="Same matter", requester_email="a@b.example")
    response = _post(agent_client, case, "merge", target=target.reference.lower())
    assert response.status_code == 302 and response["Location"] == target.get_absolute_url()
    case.refresh_from_db()
    assert case.state == Case.State.MERGED and case.merged_into == target
    assert target.messages.filter(message_id="first@acme.example").exists()


@pytest.mark.parametrize(
    ("target", "error"),
    [
        ("AP-2026-999999", "There is no case AP-2026-999999."),
        ("self", "cannot be merged into itself"),
    ],
)
def test_merge_errors_show_next_to_the_field(agent_client, case, target, error):
    target = case.reference if target == "self" else target
    response = _post(agent_client, case, "merge", target=target)
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page and '<details class="more-actions" open>' in page


def test_split_moves_chosen_messages_to_a_new_case(agent_client, case):
    message = case.messages.get()
    response = _post(agent_client, case, "split", messages=[message.pk], subject="Separate matter")
    new = Case.objects.get(split_from=case)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.subject == "Separate matter" and list(new.messages.all()) == [message]


def test_split_needs_a_message(agent_client, case):
    response = _post(agent_client, case, "split", subject="Nothing chosen")
    assert response.status_code == 400
    assert "Choose the messages to move to a new case." in response.content.decode()


def test_posts_need_the_csrf_token(agent, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    response = _post(client, case, "reply", text="Hello", action="send")
    assert response.status_code == 403 and mail.outbox == []
    page = client.get(case.get_absolute_url()).content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 5  # reply, state, assign, merge, split
