"""Personas and shared fixtures.

Like Healthchecks' base test case: every access test has someone who may and
someone who may not. Staff personas hold one role each; `outsider` is signed
in but has no role at all.
"""

import pytest

from ledgerdesk.core import roles
from ledgerdesk.desk.models import Team, TierRule
from tests.factories import UserFactory


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_inline():
    """Tasks run where they are enqueued, in memory, so a test sees their effect."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing with Argon2 at full strength costs ~50 ms a user; tests create many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agent(db):
    return UserFactory(username="agent", role=roles.AGENT)


@pytest.fixture
def lead(db):
    return UserFactory(username="lead", role=roles.LEAD)


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", role=roles.MANAGER)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=roles.ADMIN, is_staff=True)


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def ap_team(db, agent):
    team = Team.objects.create(
        code="ap",
        name="Accounts Payable",
        direction="ap",
        email="ap@hub.example",
        lead=UserFactory(username="ap-lead", role="Lead", first_name="Lena", last_name="Lead"),
    )
    team.members.add(agent)
    TierRule.objects.create(criterion="strategic_party", tier=1)
    TierRule.objects.create(criterion="amount_at_stake", threshold=10000, tier=2)
    TierRule.objects.create(criterion="frustration", threshold=60, tier=2)
    return team


@pytest.fixture
def ar_team(db, agent):
    team = Team.objects.create(
        code="ar", name="Accounts Receivable", direction="ar", email="ar@hub.example"
    )
    team.members.add(agent)
    return team
