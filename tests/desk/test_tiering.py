from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgerdesk.desk.tiering import Rule, TierFacts, decide

RULES = [
    Rule("amount_at_stake", Decimal("10000"), 2),
    Rule("amount_at_stake", Decimal("100000"), 1),
    Rule("strategic_party", Decimal("0"), 1),
    Rule("days_overdue", Decimal("30"), 2),
    Rule("repeat_contacts", Decimal("2"), 2),
    Rule("frustration", Decimal("60"), 2),
]


def test_no_rule_matched_is_tier_3_and_says_so():
    assert decide(TierFacts(), RULES) == (3, "Tier 3: no criticality rule matched")


def test_a_strategic_party_is_tier_1_with_the_reason():
    tier, reason = decide(TierFacts(strategic_party=True, frustration=70), RULES)
    assert tier == 1
    assert reason == "Tier 1: strategic party (also: frustrated message (70/100))"


def test_amount_thresholds():
    facts = TierFacts(amount_at_stake=Decimal("15000"), currency="EUR")
    assert decide(facts, RULES) == (2, "Tier 2: 15,000.00 EUR at stake (≥ 10,000)")
    assert decide(TierFacts(amount_at_stake=Decimal("150000")), RULES)[0] == 1


def test_overdue_and_repeats():
    tier, reason = decide(TierFacts(days_overdue=45, repeat_contacts=3), RULES)
    assert tier == 2
    assert "invoice 45 days overdue" in reason and "3 earlier contacts" in reason


def test_unknown_criterion_is_an_error():
    with pytest.raises(ValueError, match="criterion"):
        decide(TierFacts(), [Rule("moon_phase", Decimal("1"), 1)])


@given(
    amount=st.decimals(min_value=0, max_value=10**7, places=2),
    strategic=st.booleans(),
    overdue=st.integers(0, 400),
    repeats=st.integers(0, 10),
    frustration=st.integers(0, 100),
)
def test_more_critical_facts_never_lower_the_tier(amount, strategic, overdue, repeats, frustration):
    base = TierFacts(amount, "EUR", strategic, overdue, repeats, frustration)
    worse = TierFacts(
        amount * 2, "EUR", True, overdue + 10, repeats + 1, min(100, frustration + 10)
    )
    assert decide(worse, RULES)[0] <= decide(base, RULES)[0]
    assert decide(base, RULES)[0] in (1, 2, 3)
