import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledgerdesk.parties.models import Party
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_party_list_query_count_is_constant(agent_client):
    PartyFactory()
    few, _ = _count(agent_client, "/parties/")
    for _ in range(25):
        PartyFactory()
    many, page = _count(agent_client, "/parties/")
    assert many == few
    assert "Supplier" in page


def test_party_search_by_name_tax_id_and_email(agent_client):
    acme = PartyFactory(name="Acme Supplies BV", tax_id="NL999")
    ContactFactory(party=acme, email="jan@acme.example")
    PartyFactory(name="Other Ltd")
    for query in ("acme", "NL999", "jan@acme.example"):
        page = agent_client.get(f"/parties/?q={query}").content.decode()
        assert "Acme Supplies BV" in page and "Other Ltd" not in page, query


def test_party_filters_by_kind(agent_client):
    PartyFactory(name="Only Vendor")
    PartyFactory(name="Only Customer", is_vendor=False, is_customer=True)
    PartyFactory(name="Key Account", criticality=Party.Criticality.STRATEGIC)
    page = agent_client.get("/parties/?kind=customer").content.decode()
    assert "Only Customer" in page and "Only Vendor" not in page
    page = agent_client.get("/parties/?kind=strategic").content.decode()
    assert "Key Account" in page and "Only Vendor" not in page


def test_party_page_shows_contacts_notes_balance_and_payments(agent_client):
    party = PartyFactory(name="Acme BV", criticality=Party.Criticality.STRATEGIC)
    ContactFactory(
        party=party,
        name="Jan de Vries",
        personal_notes="Back from vacation on the 12th",
        preferred_channel="phone",
    )
    InvoiceFactory(party=party, number="4411", due_date="2020-01-01")
    PaymentFactory(party=party, reference="PAY-9")
    count, page = _count(agent_client, f"/parties/{party.pk}/")
    for text in (
        "Acme BV",
        "Strategic",
        "Jan de Vries",
        "Back from vacation on the 12th",
        "Prefers phone",
        "4411",
        "PAY-9",
        "€1,210.00",
    ):
        assert text in page, text
    assert count <= 12


def test_contact_form_shows_errors_next_to_the_field(agent_client):
    party = PartyFactory()
    response = agent_client.post(
        f"/parties/{party.pk}/contacts/new/",
        {
            "name": "",
            "email": "nope",
            "preferred_channel": "email",
            "language": "en",
            "time_zone": "Europe/Paris",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="field has-error"') == 2
    assert party.contacts.count() == 0


def test_a_contact_of_another_party_is_not_editable_through_this_party(agent_client):
    contact = ContactFactory()
    other = PartyFactory()
    assert agent_client.get(f"/parties/{other.pk}/contacts/{contact.pk}/").status_code == 404
