"""A bank change request in a real browser: the vendor submits new details in the portal and
sees them held; one agent records the call-back on the number on file; a lead approves; only
then does the portal show the new account in use and do payments go to it."""

import pytest

from ledgerdesk.parties import bank_changes
from ledgerdesk.parties.models import BankAccount, BankDetailsChange
from tests.browser.conftest import portal_sign_in, sign_in
from tests.factories import ContactFactory, PartyFactory
from tests.portal.conftest import PASSWORD, make_account

pytestmark = pytest.mark.django_db(transaction=True)

OFFICE = "+31 20 555 0100"


@pytest.fixture
def vendor(db):
    acme = PartyFactory(name="Acme Supplies BV")
    contact = ContactFactory(
        party=acme, name="Jan de Vries", email="jan@acme.example", phone=OFFICE, is_primary=True
    )
    BankAccount.objects.create(party=acme, iban="NL91 ABNA 0417 1602 31")
    make_account(contact)
    return contact


def _staff_page(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, username)
    return context, page


def test_a_bank_change_stays_held_until_verified_and_approved(
    browser, live_server, page, vendor, agent, lead
):
    acme = vendor.party
    # The vendor signs in to the portal and asks for payments to a new account.
    portal_sign_in(page, vendor.email, PASSWORD)
    page.goto("/portal/profile/")
    page.click("text=See or change the bank account we pay you into")
    page.wait_for_url("**/portal/profile/bank/")
    page.fill("#id_iban", "DE89 3704 0044 0532 0130 00")
    page.fill("#id_holder_name", "Acme Supplies BV")
    page.click("text=Send the new bank details")
    page.wait_for_selector(".flash")
    assert "Held until we have called you back on the number we have on file" in (
        page.locator(".flash").inner_text()
    )
    assert "On hold" in page.locator("#bank-changes").inner_text()
    assert "0231" in page.locator("#current-account").inner_text()
    change = BankDetailsChange.objects.get(party=acme)
    assert bank_changes.payable_account(acme).last4 == "0231"

    # Agent 1 calls back on the number on file and records it.
    first, desk = _staff_page(browser, live_server, "agent")
    desk.goto(acme.get_absolute_url())
    desk.click("text=Bank detail change to the account ending 3000")
    desk.check(f"input[name=phone_called][value='{OFFICE}']")
    desk.fill("#id_note", "Spoke to Jan de Vries, he confirmed the new account.")
    desk.click("button:has-text('Record call-back')")
    desk.wait_for_selector("text=Call-back recorded")
    assert "a second colleague must approve" in desk.locator("main").inner_text()
    assert desk.locator("button:has-text('Approve')").count() == 0
    first.close()
    page.reload()
    assert "We have called you back" in page.locator("#bank-changes").inner_text()
    assert bank_changes.payable_account(acme).last4 == "0231"

    # Agent 2 (a lead) approves.
    second, lead_page = _staff_page(browser, live_server, "lead")
    lead_page.goto(change.get_absolute_url())
    lead_page.click("button:has-text('Approve')")
    lead_page.wait_for_selector("text=Approved: payments now go to the account ending 3000")
    second.close()

    # The portal shows the change in effect; payments now go to the new account only.
    page.reload()
    assert "3000" in page.locator("#current-account").inner_text()
    assert "In use since" in page.locator("#bank-changes").inner_text()
    payable = bank_changes.payable_account(acme)
    assert payable.last4 == "3000" and payable.status == BankAccount.Status.ACTIVE
    assert acme.bank_accounts.get(iban="NL91 ABNA 0417 1602 31").status == "retired"
