"""The SMTP listener on a loopback port: what it accepts, what it refuses, and when it says 250.

The listener answers from aiosmtpd's own thread and stores through a worker thread, so
these tests commit for real (`transaction=True`) instead of inside a test transaction.
"""

import smtplib
import socket
from email.message import EmailMessage

import pytest
from django.core import mail
from django.core.management import call_command

from ledgerdesk.desk.models import Case
from ledgerdesk.mail import smtp
from ledgerdesk.mail.management.commands import smtp_listener
from ledgerdesk.mail.models import ProcessedMail, QuarantinedMail

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def inquiry(message_id="<q1@acme.example>", to="ap@hub.example", body="When is 4411 paid?"):
    msg = EmailMessage()
    msg["From"] = "Jan de Vries <jan@acme.example>"
    msg["To"] = to
    msg["Subject"] = "When will invoice 4411 be paid?"
    msg["Message-ID"] = message_id
    msg["Date"] = "Mon, 23 Nov 2026 10:00:00 +0100"
    msg.set_content(body)
    return msg


@pytest.fixture
def listening(ap_team):
    controller = smtp.listener("127.0.0.1", free_port())
    controller.start()
    yield controller
    controller.stop()


def connect(controller) -> smtplib.SMTP:
    return smtplib.SMTP(controller.hostname, controller.port, timeout=10)


def test_it_stores_the_message_before_it_answers_250(listening):
    with connect(listening) as client:
        refused = client.send_message(inquiry())
    assert refused == {}
    case = Case.objects.get()  # no waiting: 250 came after the case was written
    assert case.requester_email == "jan@acme.example"
    assert ProcessedMail.objects.get().origin == "smtp:127.0.0.1"
    assert len(mail.outbox) == 1  # the acknowledgement


def test_it_refuses_to_relay_for_addresses_that_are_not_ours(listening):
    with connect(listening) as client, pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        client.send_message(inquiry(to="someone@elsewhere.example"))
    [(code, text)] = refused.value.recipients.values()
    assert code == 550 and b"relay" in text
    assert not Case.objects.exists()


def test_it_takes_only_its_own_recipients_of_a_mixed_list(listening):
    with connect(listening) as client:
        refused = client.send_message(inquiry(to="ap@hub.example, other@elsewhere.example"))
    assert list(refused) == ["other@elsewhere.example"]
    assert Case.objects.count() == 1


@pytest.mark.django_db  # no listener thread: the test transaction will do
def test_configured_addresses_and_domains_are_accepted(ap_team, settings):
    settings.LEDGERDESK_SMTP_RECIPIENTS = ["invoices@hub.example", "@ledger.example"]
    assert smtp.accepts("AP@hub.example")
    assert smtp.accepts("<invoices@hub.example>")
    assert smtp.accepts("anyone@ledger.example")
    assert not smtp.accepts("anyone@hub.example")
    assert not smtp.accepts("ap@hub.example.evil.example")
    assert not smtp.accepts("")


def test_unreadable_data_is_kept_in_quarantine_and_answered_250(listening):
    with connect(listening) as client:
        refused = client.sendmail("jan@acme.example", ["ap@hub.example"], b"\x00\x01 garbage\r\n")
    assert refused == {}
    kept = QuarantinedMail.objects.get()
    assert kept.origin == "smtp:127.0.0.1" and bytes(kept.raw).startswith(b"\x00\x01")


def test_a_bounce_with_the_null_sender_opens_no_case(listening):
    with connect(listening) as client:
        client.send_message(inquiry(), from_addr="")
    processed = ProcessedMail.objects.get()
    assert processed.outcome == ProcessedMail.Outcome.IGNORED
    assert "empty Return-Path" in processed.note
    assert not Case.objects.exists() and not mail.outbox


def test_a_second_delivery_of_the_same_message_is_stored_once(listening):
    for _ in range(2):  # a sender that lost our 250 delivers again
        with connect(listening) as client:
            client.send_message(inquiry())
    assert Case.objects.count() == 1 and ProcessedMail.objects.count() == 1


def test_a_message_over_the_size_limit_gets_552(ap_team, settings):
    settings.LEDGERDESK_SMTP_MAX_BYTES = 4000
    controller = smtp.listener("127.0.0.1", free_port())
    controller.start()
    try:
        with connect(controller) as client, pytest.raises(smtplib.SMTPResponseException) as err:
            client.send_message(inquiry(body="x" * 8000))
    finally:
        controller.stop()
    assert err.value.smtp_code == 552
    assert not ProcessedMail.objects.exists()


def test_a_message_too_big_for_the_handler_gets_552_even_without_a_server_limit(ap_team):
    handler = smtp.DeskHandler(max_bytes=100)
    controller = smtp.listener("127.0.0.1", free_port(), handler=handler)
    controller.SMTP_kwargs["data_size_limit"] = None  # a server built without the limit
    controller.start()
    try:
        with connect(controller) as client, pytest.raises(smtplib.SMTPDataError) as err:
            client.send_message(inquiry())
    finally:
        controller.stop()
    assert err.value.smtp_code == 552


def test_an_unexpected_failure_answers_451_so_the_sender_retries(listening, monkeypatch):
    def broken(raw, origin):
        raise RuntimeError("database is away")

    monkeypatch.setattr(smtp, "ingest", broken)
    with connect(listening) as client, pytest.raises(smtplib.SMTPDataError) as err:
        client.send_message(inquiry())
    assert err.value.smtp_code == 451
    monkeypatch.undo()
    with connect(listening) as client:  # the retry is stored
        client.send_message(inquiry())
    assert Case.objects.count() == 1


def test_the_command_listens_until_stopped(ap_team, monkeypatch, capsys):
    port = free_port()

    def deliver_then_stop(command):
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.send_message(inquiry())

    monkeypatch.setattr(smtp_listener.Command, "wait", deliver_then_stop)
    call_command("smtp_listener", "--port", str(port))
    out = capsys.readouterr().out
    assert f"Listening for mail on smtp://127.0.0.1:{port} for ap@hub.example" in out
    assert "SMTP listener stopped." in out
    assert Case.objects.count() == 1
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass  # the port is closed again
