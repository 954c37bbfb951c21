from decimal import Decimal

import pytest

from ledgerdesk.ledger import services
from ledgerdesk.ledger.models import Invoice
from tests.browser.conftest import sign_in
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_agent_finds_why_an_invoice_is_on_hold(page, agent):
    vendor = PartyFactory(name="Acme Supplies BV", criticality="strategic")
    ContactFactory(party=vendor, name="Jan de Vries", personal_notes="Back on the 12th")
    invoice = InvoiceFactory(party=vendor, number="4411", total_amount=Decimal("1520.00"))
    services.set_status(invoice, Invoice.Status.ON_HOLD, "Price differs from PO 7001")

    sign_in(page, "agent")
    page.click("nav[aria-label=Main] >> summary:text-is('Ledger')")  # Parties is in the Ledger menu
    page.click("nav[aria-label=Main] >> text=Parties")
    page.fill("input[name=q]", "acme")
    page.click("text=Search")
    page.click("text=Acme Supplies BV")
    assert page.locator("h1").inner_text().startswith("Acme Supplies BV")
    assert "Back on the 12th" in page.content()
    page.click("a:text('4411')")
    banner = page.locator(".flash-warning").inner_text()
    assert "On hold: Price differs from PO 7001" in banner
    assert page.locator(".badge-warn").first.inner_text() == "On hold"


def test_the_console_is_usable_on_a_phone(browser, live_server, agent, tmp_path):
    InvoiceFactory(number="PHONE-1")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, "agent")
    page.goto("/ledger/invoices/")
    # Nothing wider than the screen except inside the scrolling table card.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    context.close()
