"""Tier 1-3 from criticality rules a lead edits without code. Pure: facts and rules in, tier out.

Tier 3 is the default; each matching rule can raise the case to tier 2 or 1
(1 is the most critical). The reason lists every rule that matched, so the
agent sees why the desk thinks this case is urgent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

DEFAULT_TIER = 3


@dataclass(frozen=True)
class TierFacts:
    amount_at_stake: Decimal = Decimal("0")  # open amount of the invoices concerned
    currency: str = ""
    strategic_party: bool = False
    days_overdue: int = 0  # the most overdue invoice concerned
    repeat_contacts: int = 0  # other cases of this party on the same matter in 30 days
    frustration: int = 0  # 0 calm … 100 furious


@dataclass(frozen=True)
class Rule:
    criterion: str  # one of CRITERIA
    threshold: Decimal
    tier: int


def _amount(facts: TierFacts, rule: Rule) -> str | None:
    if facts.amount_at_stake >= rule.threshold > 0:
        return f"{facts.amount_at_stake:,.2f} {facts.currency} at stake (≥ {rule.threshold:,.0f})"
    return None


def _strategic(facts: TierFacts, rule: Rule) -> str | None:
    return "strategic party" if facts.strategic_party else None


def _overdue(facts: TierFacts, rule: Rule) -> str | None:
    if facts.days_overdue >= rule.threshold > 0:
        return f"invoice {facts.days_overdue} days overdue (≥ {rule.threshold:.0f})"
    return None


def _repeat(facts: TierFacts, rule: Rule) -> str | None:
    if facts.repeat_contacts >= rule.threshold > 0:
        return f"{facts.repeat_contacts} earlier contacts on this matter (≥ {rule.threshold:.0f})"
    return None


def _frustration(facts: TierFacts, rule: Rule) -> str | None:
    if facts.frustration >= rule.threshold > 0:
        return f"frustrated message ({facts.frustration}/100)"
    return None


CRITERIA = {
    "amount_at_stake": _amount,
    "strategic_party": _strategic,
    "days_overdue": _overdue,
    "repeat_contacts": _repeat,
    "frustration": _frustration,
}


def decide(facts: TierFacts, rules: list[Rule]) -> tuple[int, str]:
    """The tier and a plain-words reason, e.g. (1, "Tier 1: strategic party; …")."""
    tier = DEFAULT_TIER
    reasons: list[tuple[int, str]] = []
    for rule in rules:
        check = CRITERIA.get(rule.criterion)
        if check is None:
            raise ValueError(f"criterion: unknown {rule.criterion!r}")
        why = check(facts, rule)
        if why:
            reasons.append((rule.tier, why))
            tier = min(tier, rule.tier)
    if not reasons:
        return tier, f"Tier {tier}: no criticality rule matched"
    decisive = "; ".join(why for rule_tier, why in sorted(reasons) if rule_tier == tier)
    others = "; ".join(why for rule_tier, why in sorted(reasons) if rule_tier != tier)
    reason = f"Tier {tier}: {decisive}"
    if others:
        reason += f" (also: {others})"
    return tier, reason[:300]
