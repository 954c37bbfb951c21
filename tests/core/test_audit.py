import pytest
from django.core.exceptions import PermissionDenied

from ledgerdesk.core import audit
from ledgerdesk.core.models import AuditEntry
from tests.factories import ContactFactory, PartyFactory

pytestmark = pytest.mark.django_db


def test_it_records_creation_with_actor(agent):
    with audit.acting_as(agent):
        party = PartyFactory(name="Acme BV")
    entry = AuditEntry.objects.get(object_type="parties.party", object_id=str(party.pk))
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == agent
    assert entry.actor_label == "agent"
    assert entry.after["name"] == "Acme BV"


def test_it_records_before_and_after_of_a_change():
    contact = ContactFactory(email="old@vendor.example")
    with audit.acting_as(label="cli:test"):
        contact.email = "new@vendor.example"
        contact.save()
    entry = AuditEntry.objects.filter(object_type="parties.contact", action="update").get()
    assert entry.before == {"email": "old@vendor.example"}
    assert entry.after == {"email": "new@vendor.example"}
    assert entry.actor_label == "cli:test"
    assert entry.changed_fields == ["email"]


def test_a_save_without_changes_writes_nothing():
    contact = ContactFactory()
    count = AuditEntry.objects.count()
    contact.save()
    assert AuditEntry.objects.count() == count


def test_it_records_deletion():
    contact = ContactFactory(name="Gone Person")
    pk = contact.pk
    contact.delete()
    entry = AuditEntry.objects.get(
        object_type="parties.contact", object_id=str(pk), action="delete"
    )
    assert entry.before["name"] == "Gone Person"


def test_entries_cannot_be_edited_or_deleted():
    entry = audit.record(AuditEntry.Action.UPDATE, PartyFactory(), {"a": 1}, {"a": 2})
    entry.note = "tampered"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.filter(pk=entry.pk).update(note="tampered")
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_no_role_may_change_or_delete_entries(agent, lead, manager, admin_user):
    for user in (agent, lead, manager, admin_user):
        assert not user.has_perm("core.change_auditentry")
        assert not user.has_perm("core.delete_auditentry")


def test_the_admin_shows_entries_read_only(client, db):
    from tests.factories import UserFactory

    boss = UserFactory(username="root", is_staff=True, is_superuser=True)
    entry = audit.record(AuditEntry.Action.UPDATE, PartyFactory(), {"a": 1}, {"a": 2})
    client.force_login(boss)
    page = client.get(f"/admin/core/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert (
        client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_web_changes_are_attributed_to_the_signed_in_user(agent_client, agent):
    contact = ContactFactory()
    response = agent_client.post(
        f"/parties/{contact.party_id}/contacts/{contact.pk}/",
        {
            "name": contact.name,
            "email": "changed@vendor.example",
            "preferred_channel": "phone",
            "language": "de",
            "time_zone": "Europe/Berlin",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_type="parties.contact", action="update")
    assert entry.actor == agent
    assert entry.after["email"] == "changed@vendor.example"
    assert entry.after["preferred_channel"] == "phone"
