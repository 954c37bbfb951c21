"""The Django admin for reference data, as the Admin role uses it."""

import pytest

from ledgerdesk.core.models import AuditEntry
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db


def test_an_admin_edits_a_party_and_the_change_is_audited(client, admin_user):
    party = PartyFactory(name="Acme BV", payment_terms_days=30)
    client.force_login(admin_user)
    page = client.get(f"/admin/parties/party/{party.pk}/change/")
    assert page.status_code == 200
    form = {
        "name": "Acme BV",
        "tax_id": party.tax_id,
        "external_id": "",
        "is_vendor": "on",
        "default_currency": "EUR",
        "payment_terms_days": "45",
        "criticality": "normal",
        "country": "",
        "city": "",
        "address": "",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "bank_accounts-TOTAL_FORMS": "0",
        "bank_accounts-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/parties/party/{party.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    party.refresh_from_db()
    assert party.payment_terms_days == 45
    entry = AuditEntry.objects.get(object_type="parties.party", action="update")
    assert entry.actor == admin_user
    assert (entry.before, entry.after) == ({"payment_terms_days": 30}, {"payment_terms_days": 45})


@pytest.mark.parametrize(
    "url",
    [
        "/admin/parties/party/",
        "/admin/ledger/invoice/",
        "/admin/ledger/payment/",
        "/admin/ledger/purchaseorder/",
        "/admin/core/auditentry/",
        "/admin/core/importrun/",
    ],
)
def test_admin_lists_open_for_the_admin_role(client, admin_user, url):
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_agents_cannot_use_the_admin(client, agent):
    client.force_login(agent)
    assert client.get("/admin/parties/party/").status_code == 302  # to the admin login


def test_the_invoice_admin_keeps_money_read_only(client, admin_user):
    from tests.factories import InvoiceFactory

    invoice = InvoiceFactory()
    client.force_login(admin_user)
    page = client.get(f"/admin/ledger/invoice/{invoice.pk}/change/").content.decode()
    assert 'name="amount_payable"' not in page and 'name="due_date"' in page


def test_bank_accounts_cannot_be_added_or_changed_in_the_admin(client, admin_user):
    party = PartyFactory()
    party.bank_accounts.create(iban="NL91ABNA0417164300", status="active")
    client.force_login(admin_user)
    page = client.get(f"/admin/parties/party/{party.pk}/change/").content.decode()
    assert 'name="bank_accounts-0-iban"' not in page
    assert 'name="bank_accounts-0-status"' not in page
    assert "NL91ABNA0417164300" in page  # shown, read-only
