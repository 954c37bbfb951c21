"""The desk's e-mail loop for real, over loopback SMTP, both ways.

The customer writes to the running LedgerDesk SMTP listener with smtplib; everything the
desk sends goes through Django's SMTP backend to a separate SMTP sink, the customer's
mailbox. Nothing in between is faked.
"""

import email
import smtplib
import socket
import time
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from ledgerdesk.desk import services
from ledgerdesk.desk.models import Case, Message
from ledgerdesk.mail import outbound, smtp

pytestmark = pytest.mark.django_db(transaction=True)  # the listener stores from its own thread

WAIT = 10  # seconds: the most any step may take on loopback


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An SMTP sink: the customer's mailbox."""

    def __init__(self):
        self.received: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.received.append(message)
        return "250 OK"

    def wait_for(self, count: int) -> EmailMessage:
        deadline = time.monotonic() + WAIT
        while len(self.received) < count:
            assert time.monotonic() < deadline, f"the mailbox holds {len(self.received)} mail(s)"
            time.sleep(0.02)
        return self.received[count - 1]


@pytest.fixture
def customer_mailbox(settings):
    sink = Mailbox()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    # conftest sends through locmem; this test goes through real SMTP.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = WAIT
    yield sink
    controller.stop()


@pytest.fixture
def desk_listener(ap_team):
    controller = smtp.listener("127.0.0.1", free_port())
    controller.start()
    yield controller
    controller.stop()


def customer_writes(listener, subject, body, message_id, **headers):
    msg = EmailMessage()
    msg["From"] = "Jan de Vries <jan@acme.example>"
    msg["To"] = "Accounts Payable <ap@hub.example>"
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    msg["Date"] = email.utils.formatdate(localtime=True)
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    with smtplib.SMTP(listener.hostname, listener.port, timeout=WAIT) as client:
        assert client.send_message(msg) == {}


def wait_for_case(**lookup) -> Case:
    deadline = time.monotonic() + WAIT
    while not (case := Case.objects.filter(**lookup).first()):
        assert time.monotonic() < deadline, f"no case with {lookup}"
        time.sleep(0.02)
    return case


def test_an_inquiry_by_smtp_is_acknowledged_answered_threaded_and_resolved(
    desk_listener, customer_mailbox, agent
):
    # 1. The customer writes to the desk's SMTP listener.
    customer_writes(
        desk_listener,
        "When will invoice 4411 be paid?",
        "Hello, our invoice 4411 was due last week. When will you pay it?\n\nJan",
        "<q1@acme.example>",
    )
    case = wait_for_case(requester_email="jan@acme.example")
    assert case.tier in (1, 2, 3) and case.tier_reason
    assert case.first_response_due is not None and case.resolution_due is not None
    assert case.owner == agent and case.state == Case.State.NEW

    # 2. The acknowledgement reaches the customer's mailbox, threaded under their message.
    ack = customer_mailbox.wait_for(1)
    assert ack["X-Envelope-To"] == "jan@acme.example"
    assert f"[{case.reference}]" in ack["Subject"]
    assert ack["In-Reply-To"] == "<q1@acme.example>"
    assert ack["Auto-Submitted"] == "auto-replied"
    assert case.reference in ack.get_content()
    case.refresh_from_db()
    assert case.acknowledged_at is not None

    # 3. The agent replies; the reply threads under the conversation.
    outbound.send(case, "Dear Jan,\n\nInvoice 4411 is in Friday's payment run.\n", author=agent)
    reply = customer_mailbox.wait_for(2)
    assert reply["In-Reply-To"] == "<q1@acme.example>"
    # Long ids are folded onto a continuation line ("Message-ID:\r\n <…>"), which is legal.
    ack_id = ack["Message-ID"].strip()
    assert reply["References"].split() == ["<q1@acme.example>", ack_id]
    assert f"[{case.reference}]" in reply["Subject"] and "Auto-Submitted" not in reply
    case.refresh_from_db()
    assert case.first_response_at is not None and case.state == Case.State.OPEN

    # 4. The customer answers the reply, with the tag edited out of the subject.
    customer_writes(
        desk_listener,
        "Re: When will invoice 4411 be paid?",
        "Thank you, that helps.\n\nJan",
        "<q2@acme.example>",
        In_Reply_To=reply["Message-ID"].strip(),
        References=f"{reply['References']} {reply['Message-ID'].strip()}",
    )
    answer = Message.objects.get(message_id="q2@acme.example")
    assert answer.case == case and answer.direction == Message.Direction.INBOUND
    assert Case.objects.count() == 1
    assert case.messages.filter(direction=Message.Direction.INBOUND).count() == 2
    assert len(customer_mailbox.received) == 2  # no second acknowledgement

    # 5. The agent resolves the case.
    services.resolve(case, "Paid in Friday's run.")
    case.refresh_from_db()
    assert case.state == Case.State.RESOLVED and case.resolved_at is not None
