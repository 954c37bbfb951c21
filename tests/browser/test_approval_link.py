"""An approver approves a vendor's bill from the link in their e-mail, and the vendor sees, in
the portal, that it is approved and when it will be paid."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from ledgerdesk.ledger.models import InvoiceLine, PurchaseOrder, PurchaseOrderLine
from ledgerdesk.payables import services
from ledgerdesk.payables.models import ApprovalRule, Tolerance
from tests.browser.conftest import portal_sign_in
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory, UserFactory
from tests.portal.conftest import PASSWORD, make_account

pytestmark = pytest.mark.django_db(transaction=True)


def _last_link() -> str:
    for message in reversed(mail.outbox):
        found = re.search(r"https?://\S+/payables/approve/\S+/", message.body)
        if found:
            return found.group(0)
    raise AssertionError("no approval link was e-mailed")


def test_approver_approves_from_the_email_link_and_the_vendor_sees_it(
    page, live_server, settings, ap_team
):
    settings.SITE_URL = live_server.url
    vendor = PartyFactory(name="Papeterie Dupont SARL")
    contact = ContactFactory(party=vendor, name="Jeanne Dupont", email="jeanne@dupont.example")
    make_account(contact)
    approver = UserFactory(username="marie", first_name="Marie", last_name="Jansen", role="Agent")
    ApprovalRule.objects.create(name="Office supplies", approver=approver)
    order = PurchaseOrder.objects.create(
        party=vendor, number="4500012345", order_date=dt.date(2026, 9, 1), currency="EUR",
        category="services",
    )  # fmt: skip
    PurchaseOrderLine.objects.create(
        order=order, position=1, description="Translation", quantity=1, unit_price=Decimal("800")
    )
    Tolerance.objects.create(category="services", require_receipt=False)
    due = timezone.localdate() + dt.timedelta(days=20)
    invoice = InvoiceFactory(
        party=vendor, number="F-2026-0042", purchase_order=order, due_date=due,
        net_amount=Decimal("800"), tax_amount=Decimal("0"), total_amount=Decimal("800"),
        amount_payable=Decimal("800"), amount_open=Decimal("800"),
    )  # fmt: skip
    InvoiceLine.objects.create(
        invoice=invoice, position=1, description="Translation", quantity=1,
        unit_price=Decimal("800"), net_amount=Decimal("800"),
    )  # fmt: skip
    assert services.intake(invoice).outcome == "routed"

    # The approver opens the link from the e-mail: no console sign-in needed.
    page.goto(_last_link())
    assert "Invoice F-2026-0042 from Papeterie Dupont SARL" in page.inner_text("h1")
    page.click("button[value=approve]")
    page.wait_for_selector("text=Payment is planned for")
    invoice.refresh_from_db()
    assert invoice.status == "scheduled" and invoice.scheduled_payment_date == due

    # Opening the link again shows the decision; it cannot decide twice.
    page.reload()
    assert page.locator("button[value=approve]").count() == 0

    # The vendor signs in to the portal and reads the new status and the date.
    portal_sign_in(page, contact.email, PASSWORD)
    page.goto(f"/portal/invoices/{invoice.pk}/")
    text = page.inner_text("main")
    assert "Payment scheduled" in text
    assert f"{due:%B} {due.day}, {due.year}" in text, text
    assert "Marie Jansen" in text
