"""What the engine's parts share: deduction words, money in text and in cents, the payer as
found, and small ways of adjusting a proposal."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from ledgerdesk.receivables.matching import Proposal

ZERO = Decimal("0")
DISCOUNT = "early-payment discount"
FEE = "bank fee"
SHORT = "short payment"

# How sure the payer is known, by how it was found.
PAYER_CONFIDENCE = {
    "account": 0.95,  # the account is one of exactly one customer's known accounts
    "name": 0.93,  # the name, without legal form, is exactly one customer's
    "name and legal form": 0.91,  # several customers have that name, one that legal form
    "shared account": 0.85,  # the account is known for several customers
    "shared name": 0.8,  # several customers have that name
    "similar name": 0.75,  # most words of the name agree
}


@dataclass(frozen=True)
class Payer:
    parties: tuple[int, ...]
    how: str  # a key of PAYER_CONFIDENCE
    shown: str  # "account DE89…" or "name “Acme”"


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def cents(amount: Decimal) -> int | None:
    scaled = amount.scaleb(2)
    return int(scaled) if scaled == scaled.to_integral_value() else None


def label(items) -> str:
    numbers = [item.number for item in items]
    if len(numbers) == 1:
        return f"invoice {numbers[0]}"
    return "invoices " + ", ".join(numbers[:-1]) + " and " + numbers[-1]


def keys_of(items) -> tuple[int, ...]:
    return tuple(item.key for item in items)


def dedupe(keys) -> tuple[int, ...]:
    return tuple(dict.fromkeys(keys))


def noted(proposal: Proposal, notes: list[str]) -> Proposal:
    if not notes:
        return proposal
    reason = f"{proposal.reason} (note: {'; '.join(dict.fromkeys(notes))})"
    return with_changes(proposal, reason=reason)


def capped(proposal: Proposal, cap: float, others, why: str) -> Proposal:
    allocated = {a.item_key for a in proposal.allocations}
    extra = [item.key for item in others if item.key not in allocated]
    return with_changes(
        proposal,
        confidence=min(proposal.confidence, cap),
        reason=f"{proposal.reason}; but {why}",
        candidates=dedupe([*proposal.candidates, *extra]),
    )


def with_changes(proposal: Proposal, **changes) -> Proposal:
    return replace(proposal, **changes)
