"""Every console page × every persona: who gets in, who gets 403, who is sent to sign in."""

import pytest

from tests.factories import ContactFactory, InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects():
    invoice = InvoiceFactory()
    contact = ContactFactory(party=invoice.party)
    payment = PaymentFactory(party=invoice.party)
    return invoice, contact, payment


def _pages(objects):
    invoice, contact, payment = objects
    party = invoice.party_id
    return {
        "/": "core.use_console",
        "/parties/": "core.use_console",
        f"/parties/{party}/": "core.use_console",
        f"/parties/{party}/contacts/new/": "parties.change_contact",
        f"/parties/{party}/contacts/{contact.pk}/": "parties.change_contact",
        "/ledger/invoices/": "core.use_console",
        f"/ledger/invoices/{invoice.pk}/": "core.use_console",
        "/ledger/payments/": "core.use_console",
        f"/ledger/payments/{payment.pk}/": "core.use_console",
        "/ledger/imports/": "core.view_importrun",
        "/audit/": "core.view_auditentry",
    }


@pytest.mark.parametrize("persona", ["agent", "lead", "manager", "admin_user", "outsider"])
def test_console_matrix(client, request, objects, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    for url, perm in _pages(objects).items():
        expected = 200 if user.has_perm(perm) else 403
        assert client.get(url).status_code == expected, (persona, url)


def test_anonymous_is_sent_to_sign_in(client, objects):
    for url in _pages(objects):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/")


def test_unknown_ids_answer_404(agent_client):
    for url in ("/parties/999999/", "/ledger/invoices/999999/", "/ledger/payments/999999/"):
        assert agent_client.get(url).status_code == 404
