"""The signed-in contact names which of the party's contacts is the contact person; the change
is audited, and only the party's own contacts can be chosen."""

from __future__ import annotations

import pytest

from ledgerdesk.core.models import AuditEntry
from ledgerdesk.parties.models import Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

URL = "/portal/profile/contact-person/"


def _primary(party):
    return list(Contact.objects.filter(party=party, is_primary=True))


def test_the_profile_offers_only_the_partys_contacts(world):
    ContactFactory(party=world.a.party, name="Petra Colleague", is_primary=False)
    html = world.a.client.get("/portal/profile/").content.decode()
    field = html[html.index('id="field-contact_person"') :]
    field = field[: field.index("</div>")]
    assert "Petra Colleague" in field and world.a.contact.name in field
    assert world.b.contact.name not in field
    assert f'value="{world.a.contact.pk}" selected' in field


def test_changing_the_contact_person_moves_the_flag_and_is_audited(world):
    colleague = ContactFactory(party=world.a.party, name="Petra Colleague", is_primary=False)
    response = world.a.client.post(URL, {"contact_person": colleague.pk})
    assert response.status_code == 302 and response["Location"] == "/portal/profile/"
    assert _primary(world.a.party) == [colleague]
    assert _primary(world.b.party) == [world.b.contact]  # other parties untouched
    entries = AuditEntry.objects.filter(object_type="parties.contact", action="update")
    made = entries.get(object_id=str(colleague.pk))
    cleared = entries.get(object_id=str(world.a.contact.pk))
    assert (made.before, made.after) == ({"is_primary": False}, {"is_primary": True})
    assert (cleared.before, cleared.after) == ({"is_primary": True}, {"is_primary": False})
    assert made.actor == cleared.actor == world.a.account.user


def test_choosing_the_current_contact_person_changes_nothing(world):
    before = AuditEntry.objects.count()
    response = world.a.client.post(URL, {"contact_person": world.a.contact.pk})
    assert response.status_code == 302
    assert _primary(world.a.party) == [world.a.contact]
    assert AuditEntry.objects.count() == before


def test_another_partys_contact_is_refused_next_to_the_field(world):
    before = AuditEntry.objects.count()
    response = world.a.client.post(URL, {"contact_person": world.b.contact.pk})
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('id="field-contact_person"') :]
    assert "Select a valid choice" in field[: field.index("</div>")]
    assert _primary(world.a.party) == [world.a.contact]
    assert _primary(world.b.party) == [world.b.contact]
    assert AuditEntry.objects.count() == before


def test_the_contact_person_page_only_takes_a_post_from_a_signed_in_user(world):
    from django.test import Client

    assert world.a.client.get(URL).status_code == 405
    anonymous = Client().post(URL, {"contact_person": world.a.contact.pk})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/portal/login/")
