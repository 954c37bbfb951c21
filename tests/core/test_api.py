import pytest
from django.test import Client

from ledgerdesk.core.models import ApiToken
from tests.factories import ContactFactory, InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(agent):
    _, key = ApiToken.issue(agent, "test")
    return key


def _get(url, key):
    return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_openapi_is_published(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/invoices" in response.json()["paths"]


def test_a_token_reads_invoices(token):
    invoice = InvoiceFactory(number="4411")
    response = _get("/api/v1/invoices?number=4411", token)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["party_name"] == invoice.party.name
    assert body["items"][0]["amount_open"] == "1210.00"


def test_invoice_detail_has_lines_and_history(token):
    invoice = InvoiceFactory()
    invoice.lines.create(position=1, description="Paper", net_amount="10.00")
    body = _get(f"/api/v1/invoices/{invoice.pk}", token).json()
    assert body["lines"][0]["description"] == "Paper"
    assert body["history"] == []


def test_parties_and_payments(token):
    contact = ContactFactory(name="Jan")
    PaymentFactory(party=contact.party)
    body = _get(f"/api/v1/parties/{contact.party_id}", token).json()
    assert body["contacts"][0]["name"] == "Jan"
    assert _get(f"/api/v1/payments?party={contact.party_id}", token).json()["count"] == 1


def test_no_or_bad_token_is_refused(db):
    assert Client().get("/api/v1/invoices").status_code == 401
    assert _get("/api/v1/invoices", "ld_wrong").status_code == 401


def test_a_token_of_a_user_without_role_is_refused(outsider):
    _, key = ApiToken.issue(outsider, "x")
    assert _get("/api/v1/invoices", key).status_code == 401


def test_only_the_hash_is_stored(token):
    stored = ApiToken.objects.get()
    assert token not in stored.key_hash and stored.key_hash == ApiToken.hash(token)


def test_the_browser_session_works_too(agent_client):
    assert agent_client.get("/api/v1/invoices").status_code == 200


def test_unknown_ids_are_404(token):
    assert _get("/api/v1/invoices/999999", token).status_code == 404
    assert _get("/api/v1/parties/999999", token).status_code == 404
