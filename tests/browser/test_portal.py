"""The portal in a real browser: an agent invites a vendor's contact; the contact sets a
password, signs in with the e-mailed code, finds why an invoice is unpaid and when it will be,
and disputes a line; the dispute is a case in the agent's queue. Every page fits a phone.

With LEDGERDESK_SCREENSHOTS set, the invoice page at 390 px wide is saved to
docs/screenshots/portal-phone.png; without it nothing is written to the repository.
"""

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from ledgerdesk.desk.models import Case
from ledgerdesk.ledger.models import InvoiceLine, InvoiceStatusChange
from ledgerdesk.parties.models import BankAccount
from tests.browser.conftest import sign_in
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "copper-lantern-harbour-42"


@pytest.fixture
def vendor(ap_team, agent):
    acme = PartyFactory(name="Acme Supplies BV")
    contact = ContactFactory(
        party=acme, name="Jan de Vries", email="jan@acme.example", is_primary=True
    )
    BankAccount.objects.create(party=acme, iban="NL91 ABNA 0417 1602 31")
    invoice = InvoiceFactory(
        party=acme,
        number="4411",
        issue_date=dt.date(2026, 10, 28),
        due_date=dt.date(2026, 11, 27),
        total_amount=Decimal("1520.00"),
        amount_payable=Decimal("1520.00"),
        amount_open=Decimal("1520.00"),
        status="scheduled",
        scheduled_payment_date=dt.date(2026, 11, 27),
    )
    steps = [
        ("received", 29, "Peppol network", ""),
        ("in_approval", 30, "Approval workflow", "Routed to Maria Jansen (CC-4100)"),
        ("approved", 34, "Maria Jansen", ""),
        ("scheduled", 35, "Payment proposal", "Payment run 27 Nov 2026"),
    ]
    for status, day, by, note in steps:
        at = timezone.make_aware(dt.datetime(2026, 10, 1, 10) + dt.timedelta(days=day - 1))
        InvoiceStatusChange.objects.create(
            invoice=invoice, status=status, at=at, by_label=by, note=note
        )
    InvoiceLine.objects.create(
        invoice=invoice, position=1, description="Printer paper A4, 80 boxes",
        net_amount=Decimal("800.00"),
    )  # fmt: skip
    InvoiceLine.objects.create(
        invoice=invoice, position=2, description="Freight", net_amount=Decimal("456.20")
    )
    InvoiceFactory(party=acme, number="4468", status="in_approval")
    return contact


def _last_mail_matching(pattern: str) -> str:
    for message in reversed(mail.outbox):
        found = re.search(pattern, message.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no e-mail matches {pattern}")


def _fits(page, width=390):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_vendor_signs_in_finds_when_they_are_paid_and_disputes_a_line(
    browser, live_server, page, vendor
):
    # The agent invites the contact from the console.
    sign_in(page, "agent")
    page.goto(f"/portal/invite/{vendor.pk}/")
    page.click("text=Send the invitation")
    page.wait_for_selector("text=Invitation sent to Jan de Vries")
    link = _last_mail_matching(r"https?://[^/\s]+(/portal/welcome/\S+/)")

    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    jan = phone.new_page()
    jan.set_default_timeout(10_000)
    # The invitation: choose a password.
    jan.goto(link)
    jan.fill("#id_new_password1", PASSWORD)
    jan.fill("#id_new_password2", PASSWORD)
    jan.click("button[type=submit]")
    jan.wait_for_url("**/portal/login/")
    assert jan.locator(".flash").inner_text() == "Your password is set. Sign in with it now."
    # Password, then the code from the e-mail.
    jan.fill("#id_username", "jan@acme.example")
    jan.fill("#id_password", PASSWORD)
    jan.click("button[type=submit]")
    jan.wait_for_url("**/portal/login/code/")
    assert _fits(jan)
    jan.fill("#id_code", _last_mail_matching(r"\b(\d{6})\b"))
    jan.click("button[type=submit]")
    jan.wait_for_url("**/portal/")
    assert jan.locator("h1").inner_text() == "Hello, Jan de Vries"
    assert _fits(jan)

    # Why is 4411 unpaid, and when will it be paid?
    jan.click("nav[aria-label=Portal] >> text=Your invoices")
    jan.wait_for_url("**/portal/invoices/")
    assert _fits(jan)
    jan.click("text=Invoice 4411")
    jan.wait_for_url("**/portal/invoices/*/")
    headline = jan.locator(".status .headline").inner_text()
    assert "scheduled for payment on November 27, 2026" in headline
    assert "to the account ending 0231" in headline
    assert _fits(jan)
    if os.environ.get("LEDGERDESK_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        jan.screenshot(path=str(SCREENSHOTS / "portal-phone.png"), full_page=True)

    # A dispute on the freight line, from the invoice page, without JavaScript needed.
    jan.check("input[name=kind][value=dispute]")
    jan.check("label.choice:has-text('Freight') input")
    jan.fill("#id_message", "We agreed free delivery for orders over 500 euro.")
    jan.click("text=Send to us")
    jan.wait_for_url("**/portal/cases/*/")
    assert "We have your disagreement as case" in jan.locator(".flash").inner_text()
    assert _fits(jan)
    case = Case.objects.get(channel=Case.Channel.PORTAL)
    assert case.category == Case.Category.DISPUTE and case.contact == vendor
    assert "line 2: Freight" in case.messages.get(direction="in").text
    phone.close()

    # It is in the agent's queue.
    page.goto("/desk/")
    assert case.reference in page.locator("main").inner_text()
    assert "Dispute about invoice 4411" in page.locator("main").inner_text()


def test_the_portal_works_without_javascript(browser, live_server, vendor):
    from tests.portal.conftest import make_account

    make_account(vendor)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/portal/login/")
    page.fill("#id_username", vendor.email)
    page.fill("#id_password", "a-long-portal-passphrase")
    page.click("button[type=submit]")
    page.wait_for_url("**/portal/login/code/")
    page.fill("#id_code", _last_mail_matching(r"\b(\d{6})\b"))
    page.click("button[type=submit]")
    page.wait_for_url("**/portal/")
    page.goto("/portal/profile/")
    page.select_option("#id_language", "de")
    page.fill("#id_phone", "+31 20 555 0100")
    page.click("text=Save")
    page.wait_for_selector("text=Saved.")
    vendor.refresh_from_db()
    assert vendor.language == "de" and vendor.phone == "+31 20 555 0100"
    context.close()
