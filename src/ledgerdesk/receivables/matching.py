"""The cash-matching engine: bank lines and open items in, proposed allocations out.

Pure: plain dataclasses in and out, no Django, no database, no clock. The same input always
gives the same output. See `match`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class OpenItem:
    """An invoice (or other receivable) the customer still owes, as the engine sees it."""

    key: int  # the invoice's primary key, opaque to the engine
    number: str
    party_key: int
    party_name: str
    currency: str
    amount_open: Decimal  # > 0
    amount_total: Decimal
    issue_date: dt.date
    due_date: dt.date | None = None
    payment_reference: str = ""  # e.g. the RF creditor reference printed on the invoice
    party_accounts: tuple[str, ...] = ()  # the customer's known IBANs / account numbers
    discount_amount: Decimal = Decimal("0")  # early-payment discount on offer, if any
    discount_until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class BankLine:
    """A credit on our bank account: money a customer sent."""

    key: int  # the statement line's primary key, opaque to the engine
    amount: Decimal  # > 0
    currency: str
    booking_date: dt.date
    remittance: str = ""
    creditor_reference: str = ""
    end_to_end_id: str = ""
    counterparty_name: str = ""
    counterparty_account: str = ""


@dataclass(frozen=True)
class Allocation:
    item_key: int
    amount: Decimal  # applied to the item's open amount, > 0
    # What the customer kept off this item, with why ("early-payment discount", "bank fee",
    # "short payment"); zero when the item is paid in full by `amount`.
    deduction: Decimal = Decimal("0")
    deduction_reason: str = ""


@dataclass(frozen=True)
class Proposal:
    line_key: int
    allocations: tuple[Allocation, ...]
    confidence: float  # 0.0 – 1.0
    reason: str  # plain words: "RF reference RF18 5390 0754 7034 names INV-2026-004411"
    # What is left of the line after the allocations: an overpayment or unidentified cash.
    unapplied: Decimal = Decimal("0")
    # Other items the agent should see side by side when confidence is below the threshold,
    # best first. A guess made without any reference (payer and amount only) that falls below
    # the threshold is put here rather than in `allocations`, so that it reserves nothing.
    candidates: tuple[int, ...] = field(default_factory=tuple)
    # The customer the engine believes paid (by the items named, the account or the name), when
    # it is one customer: where unapplied cash is held. None when unknown.
    party_key: int | None = None


@dataclass(frozen=True)
class Config:
    auto_threshold: float = 0.9
    date_window_days: int = 120
    max_invoices_in_sum: int = 6
    fee_tolerance: Decimal = Decimal("25.00")  # the most a bank fee may eat off a payment
    # Days after `discount_until` a payment may still take the discount (bank transit time).
    discount_grace_days: int = 3
    # Without a reference, an amount explained by the payer's open items is applied
    # automatically only if a random payment would be explained that way less often than this.
    coincidence_limit: float = 0.002
    # Customers pay what falls due. One open amount paid exactly, on an invoice due within
    # `due_now_days` of the payment, is weighed against the payer's items due then only, and
    # a chance of up to `due_now_coincidence_limit` is accepted: that a payment of another
    # kind (short, over, part) lands to the cent on an invoice falling due the same fortnight
    # is far rarer than that the customer paid the invoice falling due.
    due_now_days: int = 14
    due_now_coincidence_limit: float = 0.05


def match(
    lines, open_items, config: Config | None = None, party_sizes: Mapping[int, int] | None = None
) -> list[Proposal]:
    """One `Proposal` per bank line, in the order of `lines`.

    Lines are worked in order, and what a line allocates is gone for the lines after it: two
    lines never both pay the same open amount. The order of `open_items` does not matter. A
    proposal's allocations never exceed the line's amount nor any item's open amount; what is
    left of the line is `unapplied`. Only a confidence at or above `Config.auto_threshold` is
    meant to be applied without a person; below it `candidates` lists what an agent should see.

    `party_sizes` says how many open items a customer really has when only some of them are
    handed over (a database caps what it loads for a customer with thousands): the engine's
    estimate of how likely an amount fits by chance then counts the ones it does not see.
    """
    from ledgerdesk.receivables.matchcore.engine import Matcher

    config = config or Config()
    matcher = Matcher(list(open_items), config, party_sizes)
    by_key = matcher.by_key
    proposals = []
    for line in lines:
        proposal = matcher.propose(line)
        allocated = sum((a.amount for a in proposal.allocations), Decimal("0"))
        parties = {by_key[a.item_key].party_key for a in proposal.allocations}
        party = proposal.party_key
        if party is None and len(parties) == 1:
            party = next(iter(parties))
        proposal = replace(
            proposal,
            unapplied=line.amount - allocated if line.amount > 0 else Decimal("0"),
            confidence=round(min(1.0, max(0.0, proposal.confidence)), 3),
            party_key=party,
        )
        matcher.consume(proposal, by_key)
        proposals.append(proposal)
    return proposals
