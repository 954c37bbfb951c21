import pytest

from ledgerdesk.desk.models import Team, TierRule
from tests.factories import UserFactory


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
