"""The help desk's acceptance in a real browser: an agent signs in, opens the top case of the
queue, replies with a canned reply, and resolves it. Also: the case page fits a phone.

With LEDGERDESK_SCREENSHOTS set, the queue and the case page are saved at 1280 px wide to
docs/screenshots/ (desk-queue.png, desk-case.png); without it nothing is written to the repo.
"""

import datetime as dt
import os
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from ledgerdesk.desk import services
from ledgerdesk.desk.models import CannedReply, Case
from ledgerdesk.mail.inbound import ingest
from tests.browser.conftest import sign_in
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory, PaymentFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CANNED_BODY = (
    "Dear {contact_name},\n\nThank you for checking with us, and I'm sorry for the wait. "
    "Invoice {invoice_number} for {amount} is approved and scheduled for payment on "
    "{expected_pay_date}.\n\nKind regards,\n{agent_name}"
)


def _screenshot(page, name):
    if os.environ.get("LEDGERDESK_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def _inquiry(days_ago: int) -> bytes:
    message = EmailMessage()
    message["From"] = "Jan de Vries <jan@acme.example>"
    message["To"] = "Accounts Payable <ap@hub.example>"
    message["Subject"] = "Invoice 4411 - when will it be paid?"
    message["Date"] = format_datetime(timezone.now() - dt.timedelta(days=days_ago))
    message["Message-ID"] = make_msgid(domain="acme.example")
    message.set_content(
        "Hello,\n\nOur invoice 4411 over EUR 1,520.00 was due last week and we have not "
        "received the payment yet. Could you tell us when it will be paid?\n\n"
        "Kind regards,\nJan de Vries\nAcme Supplies BV\n+31 20 555 0100\n\n"
        "On Mon, 16 Nov 2026 at 10:02, Accounts Payable <ap@hub.example> wrote:\n"
        "> Thank you, we have received your invoice 4411.\n"
    )
    message.add_attachment(
        b"%PDF-1.4\n% statement\n", maintype="application", subtype="pdf", filename="statement.pdf"
    )
    return message.as_bytes()


@pytest.fixture
def desk(ap_team, agent):
    """A morning at the AP desk: an overdue inquiry by e-mail, and a few other cases."""
    acme = PartyFactory(name="Acme Supplies BV", criticality="normal")
    ContactFactory(
        party=acme,
        name="Jan de Vries",
        email="jan@acme.example",
        role="Accounts receivable",
        preferred_channel="email",
        personal_notes="Prefers a call after 14:00. Back from holiday on the 12th.",
        is_primary=True,
    )
    InvoiceFactory(
        party=acme,
        number="4411",
        total_amount=Decimal("1520.00"),
        amount_payable=Decimal("1520.00"),
        amount_open=Decimal("1520.00"),
        due_date=dt.date(2026, 11, 16),
        status="scheduled",
        scheduled_payment_date=dt.date(2026, 11, 27),
    )
    InvoiceFactory(party=acme, number="4468", due_date=dt.date(2026, 12, 20), status="in_approval")
    PaymentFactory(party=acme, reference="PAY-20931", date=dt.date(2026, 10, 30))
    CannedReply.objects.create(
        title="Payment scheduled", category="payment_status", body=CANNED_BODY
    )
    CannedReply.objects.create(
        title="Copy of invoice", category="missing_invoice", body="Dear {contact_name}"
    )

    result = ingest(
        _inquiry(days_ago=6), "test:browser", received_at=timezone.now() - dt.timedelta(days=6)
    )
    top = result.case

    strategic = PartyFactory(name="Nordwind Logistik GmbH", criticality="strategic")
    nordwind = ContactFactory(party=strategic, name="Petra Lange", language="de")
    services.open_case(
        team=ap_team,
        subject="Gutschrift 7781 fehlt",
        party=strategic,
        contact=nordwind,
        owner=agent,
        opened_at=timezone.now() - dt.timedelta(hours=20),
    )
    other = services.open_case(
        team=ap_team,
        subject="Bank details change for Brightline",
        party=PartyFactory(name="Brightline Office Ltd"),
        requester_email="finance@brightline.example",
        category="bank_details",
        owner=agent,
        opened_at=timezone.now() - dt.timedelta(days=1),
    )
    services.change_state(other, Case.State.WAITING_CUSTOMER, "Asked for the signed bank letter.")
    services.open_case(
        team=ap_team,
        subject="Statement of account for Q3",
        party=PartyFactory(name="Kestrel Paper Co"),
        requester_email="ar@kestrel.example",
        owner=agent,
    )
    mail.outbox.clear()  # the acknowledgement of the inquiry
    return top


def test_an_agent_answers_the_top_case_with_a_canned_reply_and_resolves_it(page, desk):
    sign_in(page, "agent")
    page.click("nav[aria-label=Main] >> text=Cases")
    page.wait_for_url("**/desk/")
    assert page.locator("h1").inner_text().startswith("My queue")
    _screenshot(page, "desk-queue.png")

    page.locator("table.cases tbody tr").first.locator("a.ref").click()
    page.wait_for_url(f"**/desk/cases/{desk.reference}/")
    assert "Invoice 4411 - when will it be paid?" in page.locator("h1").inner_text()
    assert page.locator("details.quoted summary").first.inner_text() == "Show quoted text"
    assert page.locator("ul.attachments a").inner_text() == "statement.pdf"

    # Choosing a canned reply inserts it, rendered on the server for this case.
    page.select_option("#id_canned", label="Payment scheduled · fits this case")
    page.wait_for_url("**canned=*")
    text = page.locator("#id_text").input_value()
    assert text.startswith("Dear Jan de Vries,")
    assert (
        "Invoice 4411 for €1,520.00 is approved and scheduled for payment on November 27, 2026"
        in text
    )
    assert "[" not in text
    _screenshot(page, "desk-case.png")

    page.click("button[value=send]")
    page.wait_for_selector("text=Reply sent to jan@acme.example.")
    [reply] = mail.outbox
    assert reply.to == ["jan@acme.example"]
    assert reply.subject == f"Re: [{desk.reference}] Invoice 4411 - when will it be paid?"
    first = desk.messages.filter(direction="in").get()
    assert reply.extra_headers["In-Reply-To"] == f"<{first.message_id}>"
    assert reply.extra_headers["X-LedgerDesk-Case"] == desk.reference
    assert "scheduled for payment on November 27, 2026" in reply.body

    page.click(".state-buttons button[value=resolved]")
    page.wait_for_selector("text=The case is now resolved.")
    assert page.locator(".case-badges .state").inner_text() == "Resolved"
    desk.refresh_from_db()
    assert desk.state == Case.State.RESOLVED


def test_the_case_page_fits_a_phone(browser, live_server, desk):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, "agent")
    for url in (desk.get_absolute_url(), "/desk/"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    context.close()
