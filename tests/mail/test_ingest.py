"""Inbound mail end to end inside the process: parse, place on a case, acknowledge."""

from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core import mail

from ledgerdesk.desk.models import Case, Message
from ledgerdesk.mail.inbound import ingest
from ledgerdesk.mail.models import ProcessedMail, QuarantinedMail
from tests.factories import ContactFactory, InvoiceFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "emails"


def _mail(subject="When will invoice 4411 be paid?", body="Hello, when is 4411 paid?", **headers):
    msg = EmailMessage()
    msg["From"] = headers.pop("sender", "Jan de Vries <jan@acme.example>")
    msg["To"] = headers.pop("to", "ap@hub.example")
    msg["Subject"] = subject
    msg["Message-ID"] = headers.pop("message_id", "<q1@acme.example>")
    msg["Date"] = headers.pop("Date", "Mon, 23 Nov 2026 10:00:00 +0100")
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes()


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.eml")), ids=lambda p: p.name)
def test_every_real_sample_is_ingested(ap_team, path):
    result = ingest(path.read_bytes(), path.name)
    assert result.outcome in ("new_case", "threaded"), result.reason
    message = Message.objects.get(case=result.case, direction="in")
    assert message.sender_email
    assert result.case.subject
    assert ProcessedMail.objects.filter(case=result.case).exists()
    for attachment in message.attachments.all():
        assert attachment.file.size == attachment.size


def test_a_known_contact_opens_a_case_on_their_party_with_the_invoice(ap_team):
    contact = ContactFactory(email="jan@acme.example", name="Jan de Vries")
    invoice = InvoiceFactory(party=contact.party, number="4411")
    result = ingest(_mail(), "test")
    case = result.case
    assert result.outcome == "new_case"
    assert (case.party, case.contact) == (contact.party, contact)
    assert list(case.invoices.all()) == [invoice]
    assert case.team == ap_team and case.category == "payment_status"


def test_an_acknowledgement_goes_out_at_once_threaded(ap_team):
    ContactFactory(email="jan@acme.example", name="Jan de Vries")
    result = ingest(_mail(), "test")
    assert result.acknowledged
    [sent] = mail.outbox
    assert sent.to == ["jan@acme.example"]
    assert f"[{result.case.reference}]" in sent.subject
    assert sent.extra_headers["In-Reply-To"] == "<q1@acme.example>"
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    assert "Dear Jan de Vries" in sent.body and result.case.reference in sent.body
    result.case.refresh_from_db()
    assert result.case.acknowledged_at is not None


def test_the_same_message_twice_is_stored_once(ap_team):
    first = ingest(_mail(), "imap")
    again = ingest(_mail(), "smtp")
    assert again.outcome == "duplicate" and again.case == first.case
    assert Message.objects.filter(direction="in").count() == 1 and len(mail.outbox) == 1


def test_a_reply_threads_by_in_reply_to_and_by_subject_tag(ap_team):
    case = ingest(_mail(), "t").case
    ack_id = case.messages.get(direction="out").message_id
    by_header = ingest(
        _mail("Re: thanks", "ok", message_id="<q2@acme.example>", In_Reply_To=f"<{ack_id}>"), "t"
    )
    assert by_header.outcome == "threaded" and by_header.case == case
    by_tag = ingest(_mail(f"Re: [{case.reference}] more", "x", message_id="<q3@acme.example>"), "t")
    assert by_tag.case == case
    assert Case.objects.count() == 1 and len(mail.outbox) == 1  # no second acknowledgement


def test_a_customer_writing_again_reopens_a_resolved_case(ap_team):
    from ledgerdesk.desk import services

    case = ingest(_mail(), "t").case
    services.resolve(case)
    ingest(_mail(f"Re: [{case.reference}]", "still not paid", message_id="<q4@acme.example>"), "t")
    case.refresh_from_db()
    assert case.state == Case.State.OPEN


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X_Loop": "ap@hub.example"},
        {"sender": "AP desk <ap@hub.example>"},
        {"subject": "Automatic reply: Out of office"},
    ],
    ids=["auto-submitted", "precedence", "x-loop", "own-address", "out-of-office"],
)
def test_automatic_mail_never_opens_a_case_or_gets_a_reply(ap_team, headers):
    subject = headers.pop("subject", "Invoice")
    result = ingest(_mail(subject, **headers), "t")
    assert result.outcome == "ignored" and result.reason
    assert Case.objects.count() == 0 and len(mail.outbox) == 0


def test_an_out_of_office_on_a_case_is_noted_not_answered(ap_team):
    case = ingest(_mail(), "t").case
    ack_id = case.messages.get(direction="out").message_id
    ingest(
        _mail(
            "Automatic reply: back on the 12th",
            "I am away",
            message_id="<ooo@acme.example>",
            In_Reply_To=f"<{ack_id}>",
            Auto_Submitted="auto-replied",
        ),
        "t",
    )
    assert "Ignored an automatic message" in case.events.last().text
    assert case.messages.count() == 2 and len(mail.outbox) == 1


def test_unreadable_input_is_quarantined_with_the_reason_never_dropped(ap_team):
    result = ingest(b"\x00\x01 not an e-mail at all", "smtp:127.0.0.1")
    assert result.outcome == "quarantined"
    kept = QuarantinedMail.objects.get()
    assert kept.reason == result.reason and bytes(kept.raw).startswith(b"\x00\x01")
    assert ingest(b"\x00\x01 not an e-mail at all", "again").outcome == "duplicate"


def test_a_sender_of_a_known_domain_is_placed_on_that_party(ap_team):
    contact = ContactFactory(email="jan@acme.example")
    case = ingest(_mail(sender="Piet <piet@acme.example>"), "t").case
    assert case.party == contact.party and case.contact is None
    assert case.requester_email == "piet@acme.example"


def test_free_mail_domains_do_not_name_a_party(ap_team):
    ContactFactory(email="someone@gmail.com")
    case = ingest(_mail(sender="Other <other@gmail.com>"), "t").case
    assert case.party is None


def test_a_different_message_reusing_a_message_id_is_quarantined_not_dropped(ap_team):
    ingest(_mail(), "t")
    other = _mail("Completely different", "Another text under the same id")
    result = ingest(other, "t")
    assert result.outcome == "quarantined"
    assert "reused by a different message" in result.reason
    assert QuarantinedMail.objects.filter(reason=result.reason).exists()


def test_a_redelivery_with_other_route_headers_is_a_duplicate(ap_team):
    ingest(_mail(), "t")
    again = b"Received: from relay2.example by mx.hub.example; Mon, 23 Nov 2026\r\n" + _mail()
    assert ingest(again, "t").outcome == "duplicate"


def test_clocks_start_when_the_message_reached_us_not_at_its_date_header(ap_team):
    import datetime as dt

    received = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
    case = ingest(_mail(Date="Mon, 1 Jan 2001 00:00:00 +0000"), "t", received_at=received).case
    assert case.opened_at == received
    assert case.messages.get(direction="in").at == received
    assert case.acknowledged_at == received
