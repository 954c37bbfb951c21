import pytest
from django.contrib.auth.models import Group

from ledgerdesk.core import roles

pytestmark = pytest.mark.django_db


def test_the_four_roles_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Agent",
        "Lead",
        "Manager",
        "Admin",
    }


@pytest.mark.parametrize(
    ("role", "perm", "allowed"),
    [
        ("Agent", "core.use_console", True),
        ("Agent", "ledger.view_invoice", True),
        ("Agent", "parties.change_contact", True),
        ("Agent", "parties.change_party", False),
        ("Agent", "core.view_auditentry", False),
        ("Lead", "parties.change_party", True),
        ("Lead", "core.view_auditentry", False),
        ("Manager", "core.view_auditentry", True),
        ("Manager", "parties.delete_party", False),
        ("Admin", "parties.delete_party", True),
        ("Admin", "auth.change_user", True),
        ("Admin", "core.change_auditentry", False),
    ],
)
def test_role_permissions(role, perm, allowed):
    from tests.factories import UserFactory

    user = UserFactory(username=f"u-{role}", role=role)
    assert user.has_perm(perm) is allowed


def test_sync_is_idempotent():
    roles.sync_roles()
    roles.sync_roles()
    assert Group.objects.filter(name="Agent").count() == 1


def test_role_of_names_the_highest_role():
    from tests.factories import UserFactory

    user = UserFactory(username="two-hats", role="Agent")
    user.groups.add(Group.objects.get(name="Lead"))
    assert roles.role_of(user) == "Lead"
