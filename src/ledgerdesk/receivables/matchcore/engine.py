"""The per-line reasoning of the cash-matching engine (see `ledgerdesk.receivables.matching`).

For each bank line, strongest evidence first:
1. references in the line (RF creditor reference, invoice numbers read with OCR tolerance), then
   the amount decides how the named items are settled (exact, discount, fee, short, over);
2. else the payer (account, else name) and, among the payer's items only, the amount: one open
   amount, one after its early-payment discount, or a combination of several;
3. dates: amounts are searched among items due within `date_window_days` of the payment; an
   exact amount is weighed against the payer's other items due as near to the payment (the
   nearer its due date, the fewer could coincide with it), and one falling due within
   `due_now_days` with a looser limit (customers pay what falls due); an invoice issued after
   the money arrived is not what it paid; tied candidates are listed nearest due date first —
   but a tie is never decided by age: it goes to an agent with the candidates. An amount the
   payer's items explain in a second way (another invoice less a whole-unit bank fee, rounded
   up to a round payment, or a run of other invoices due one after the other), and a sum of
   several invoices landing on a round amount, go to an agent. A euro payment from a SEPA
   account arrives in full, so it is never read as less a bank fee.

This module reads the references (1); `payer` weighs the payer, amounts and dates (2, 3).

Confidence levels are chosen so that only certain evidence clears the default threshold (0.9):
a reference plus an amount that explains itself, or a known account plus an amount that a random
payment would hit by chance less than `Config.coincidence_limit` of the time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ledgerdesk.receivables.matchcore import text
from ledgerdesk.receivables.matchcore.common import (
    DISCOUNT,
    FEE,
    SHORT,
    ZERO,
    Payer,
    capped,
    cents,
    label,
    money,
    noted,
    with_changes,
)
from ledgerdesk.receivables.matchcore.index import Index, as_list
from ledgerdesk.receivables.matchcore.payer import MAX_SUM_POOL, PayerEvidence
from ledgerdesk.receivables.matchcore.sums import combinations_summing_to
from ledgerdesk.receivables.matching import Allocation, Config, OpenItem, Proposal


@dataclass(frozen=True)
class Hit:
    """Items a piece of the remittance names."""

    items: tuple[OpenItem, ...]
    kind: str  # "invoice" or "reference"
    written: str  # the piece of text as the payer wrote it
    exact: bool  # written as the item's number/reference, apart from case and separators
    strong: bool  # long enough not to occur by chance
    loose: bool = False  # found only with leading zeros dropped ("SI-260909-1" for "…-0001")


class Matcher(PayerEvidence):
    def __init__(self, open_items, config: Config, party_sizes=None):
        self.config = config
        self.index = Index(open_items)
        self.party_sizes = dict(party_sizes or {})  # party -> open items, seen or not
        self.remaining: dict[int, Decimal] = {}  # only items a line has touched
        self.partly_paid: dict[int, list[OpenItem]] = {}  # by party: open for less than before
        self.by_key = {item.key: item for item in open_items}

    # --- State ---------------------------------------------------------------------------

    def rem(self, item: OpenItem) -> Decimal:
        return self.remaining.get(item.key, item.amount_open)

    def consume(self, proposal: Proposal, items: dict[int, OpenItem]) -> None:
        for allocation in proposal.allocations:
            item = items[allocation.item_key]
            left = self.rem(item) - allocation.amount - allocation.deduction
            if left > 0 and item.key not in self.remaining:
                self.partly_paid.setdefault(item.party_key, []).append(item)
            self.remaining[item.key] = left

    def discount(self, item: OpenItem, booking: dt.date) -> Decimal:
        """The early-payment discount the payer may take on this item today, else zero."""
        if item.discount_amount <= 0 or item.discount_until is None:
            return ZERO
        if booking > item.discount_until + dt.timedelta(days=self.config.discount_grace_days):
            return ZERO
        if self.rem(item) != item.amount_open or item.discount_amount >= item.amount_open:
            return ZERO
        return item.discount_amount

    # --- One line ------------------------------------------------------------------------

    def propose(self, line) -> Proposal:
        if line.amount <= 0:
            return Proposal(line.key, (), 0.0, "Not a payment received (amount is not positive)")
        hits, notes = self.hits(line)
        usable: list[Hit] = []
        for hit in hits:
            fit = []
            for item in hit.items:
                if item.currency != line.currency:
                    notes.append(
                        f"{item.number} is in {item.currency}, the payment in {line.currency}"
                    )
                elif self.rem(item) <= 0:
                    notes.append(f"{item.number} is already settled by an earlier line")
                else:
                    fit.append(item)
            if fit:
                usable.append(
                    Hit(tuple(fit), hit.kind, hit.written, hit.exact, hit.strong, hit.loose)
                )
        blocked = [item for hit in hits for item in hit.items if item not in _items(usable)]
        if usable:
            proposal = self.by_reference(line, usable, notes)
            if proposal is not None:
                return proposal
        return self.by_payer(line, notes, blocked, weak=_items(usable))

    def hits(self, line) -> tuple[list[Hit], list[str]]:
        notes: list[str] = []
        index = self.index
        words = " ".join(
            part for part in (line.creditor_reference, line.remittance, line.end_to_end_id) if part
        )
        runs = text.Runs(words)
        found = []
        for start, end, full, zero in runs.windows(index.window):
            if len(full) < 3:
                continue
            kind, items, loose = "invoice", index.numbers.get(full), 0
            if items is None:
                kind, items = "reference", index.references.get(full)
            if items is None:
                kind, items, loose = "invoice", index.zeroless.get(zero), 1
            if items is not None:
                found.append((loose, start - end, start, end, kind, as_list(items)))
        # Readings of the whole key first, then longest first. A reading inside one already
        # taken is a piece of it ("SI-261019-02" inside "SI-261019-02 93"); one that crosses
        # it is a rival reading of the same words.
        found.sort(key=lambda hit: hit[:3])
        taken: list[tuple[int, int, list]] = []
        hits = []
        rivals = []
        for loose, _, start, end, kind, items in found:
            if any(a <= start and end <= b for a, b, _ in taken):
                continue
            crossing = [other for a, b, other in taken if start <= b and a <= end]
            if crossing:
                rivals.extend(i for i in items if all(i not in other for other in crossing))
                continue
            taken.append((start, end, items))
            written = runs.written(start, end)
            written_plain = text.plain(written)

            def own(item, kind=kind):
                return item.number if kind == "invoice" else item.payment_reference

            literal = [item for item in items if text.plain(own(item)) == written_plain]
            if len(items) > 1 and len(literal) == 1:
                items = literal
            own_key = text.number_keys(own(items[0]))[0]
            strong = len(own_key) >= text.STRONG_KEY_LENGTH
            if kind == "reference" and own_key.startswith("RF"):
                strong = text.rf_is_valid(own(items[0]))
            hits.append(Hit(tuple(items), kind, written, bool(literal), strong, bool(loose)))
        hits.sort(key=lambda hit: runs.text.find(hit.written))
        if rivals:
            # Two readings of the same words: keep both sets of items, undecided.
            first = hits[0]
            hits[0] = Hit(
                tuple(dict.fromkeys([*first.items, *rivals])), first.kind, first.written,
                first.exact, first.strong,
            )  # fmt: skip
        if line.creditor_reference and not hits:
            reference = line.creditor_reference
            if text.plain(reference).startswith("RF") and not text.rf_is_valid(reference):
                notes.append(f"RF reference {reference} fails its check digits")
            else:
                notes.append(f"reference {reference} is on no open invoice")
        return hits, notes

    # --- Evidence 1: the line names items ---------------------------------------------------

    def by_reference(self, line, hits: list[Hit], notes: list[str]) -> Proposal | None:
        named: list[OpenItem] = []
        undecided: list[OpenItem] = []
        for hit in hits:
            if not hit.strong:
                continue
            if len(hit.items) == 1:
                if hit.items[0] not in named:
                    named.append(hit.items[0])
            else:
                undecided.extend(item for item in hit.items if item not in undecided)
        if undecided:
            parties = {item.party_key for item in named}
            same = [item for item in undecided if item.party_key in parties]
            exact = [item for item in undecided if self.rem(item) == line.amount]
            choice = same if len(same) == 1 else exact if len(exact) == 1 else []
            if choice:
                named.extend(item for item in choice if item not in named)
                undecided = [item for item in undecided if item not in choice]
        short_number = not named
        if short_number:
            # A short number ("1042") also turns up in amounts and dates: it counts only with
            # the exact amount, and applies by itself only when the payer's account agrees.
            weak = [item for hit in hits if not hit.strong for item in hit.items]
            fits = [item for item in weak if self.rem(item) == line.amount]
            if len(fits) != 1:
                return None
            named = fits
        exact_reading = all(hit.exact for hit in hits if set(hit.items) & set(named))
        base = 0.99 if exact_reading else 0.97
        reference_hits = [hit for hit in hits if set(hit.items) & set(named)]
        how = self._how_named(reference_hits, named)
        proposal = self.settle(line, named, base, how)
        total = sum((self.rem(item) for item in named), ZERO)
        if any(hit.loose for hit in reference_hits) and line.amount != total:
            # "SI-260909-1 57" reads as SI-260909-0001 only by dropping zeros and ignoring
            # the "57": with an amount that does not agree, that reading is a guess.
            proposal = capped(proposal, 0.85, [], "the number was read with zeros dropped")
        if undecided:
            proposal = capped(proposal, 0.7, undecided, "the text also fits other invoices")
        if short_number:
            payer = self.payer_from_account(line)
            if payer is None or named[0].party_key not in payer.parties:
                proposal = capped(proposal, 0.85, [], "the number is short enough to be chance")
            else:
                proposal = with_changes(proposal, confidence=min(proposal.confidence, 0.92))
        if notes:
            proposal = noted(proposal, notes)
        return proposal

    def _how_named(self, hits: list[Hit], named: list[OpenItem]) -> str:
        parts = []
        for hit in hits:
            for item in hit.items:
                if item not in named:
                    continue
                if hit.kind == "reference":
                    shown = f"Reference {item.payment_reference} names {item.number}"
                    if text.plain(hit.written) != text.plain(item.payment_reference):
                        shown += f" (read from “{hit.written}”)"
                else:
                    shown = f"Remittance names invoice {item.number}"
                    if text.plain(hit.written) != text.plain(item.number):
                        shown += f" (read from “{hit.written}”)"
                if shown not in parts:
                    parts.append(shown)
        return "; ".join(parts)

    def settle(self, line, named: list[OpenItem], base: float, how: str) -> Proposal:
        """Allocate the line to the items it names, reading the amount for how they were paid."""
        amount, booking, cfg = line.amount, line.booking_date, self.config
        rems = [self.rem(item) for item in named]
        total = sum(rems, ZERO)
        discounts = [self.discount(item, booking) for item in named]
        discounted = total - sum(discounts, ZERO)
        payer = self.payer_from_account(line)
        foreign = payer is not None and not {i.party_key for i in named} & set(payer.parties)

        def full(conf, reason, unapplied=ZERO, candidates=()):
            pairs = zip(named, rems, strict=True)
            allocations = tuple(Allocation(item.key, rem) for item, rem in pairs)
            return Proposal(line.key, allocations, conf, reason, unapplied, tuple(candidates))

        if amount == total:
            return full(base, f"{how}; amount matches exactly")
        if discounted < total and amount == discounted:
            allocations = tuple(
                Allocation(item.key, rem - off, off, DISCOUNT if off else "")
                for item, rem, off in zip(named, rems, discounts, strict=True)
            )
            reason = f"{how}; paid less the early-payment discount of {money(total - amount)}"
            return Proposal(line.key, allocations, base - 0.01, reason)
        # A fee alone is common; a discount and a fee at once could as well be a short
        # payment, so that reading goes to an agent. A euro payment from a SEPA account
        # arrives in full: what is missing there the customer kept (a short payment).
        readings = (
            ()
            if text.credited_in_full(line.currency, line.counterparty_account)
            else ((total, None, base - 0.03), (discounted, discounts, 0.8))
        )
        for reference_total, offs, conf in readings:
            gap = reference_total - amount
            if ZERO < gap <= cfg.fee_tolerance and (offs is None or reference_total < total):
                proposal = self._with_fee(line, named, rems, offs, gap, conf, how)
                if proposal is not None:
                    return _foreign(proposal, foreign, payer)
        if amount > total:
            excess = amount - total
            reason = f"{how}; paid {money(excess)} more than is open: held as unapplied"
            proposal = full(base - 0.04, reason, unapplied=excess)
            others = self._explains(named, excess, line)
            if others:
                proposal = capped(
                    proposal, 0.8, others, f"the excess equals the open amounts of {label(others)}"
                )
            elif excess * 2 >= total:
                # Half as much again or more than the named items: more likely a payment of
                # other invoices too (their numbers mistyped or left out) than an overpayment.
                proposal = capped(
                    proposal, 0.8, (), "paid far more than the named invoices: it may pay others"
                )
            return _foreign(proposal, foreign, payer)
        # Short: less than the named items, by more than a bank fee.
        if len(named) > 1:
            subset = combinations_summing_to(
                [cents(rem) or 0 for rem in rems], cents(amount) or -1, len(named)
            )
            if len(subset.solutions) == 1 and subset.complete:
                paid = [named[i] for i in subset.solutions[0]]
                rest = [item for item in named if item not in paid]
                allocations = tuple(Allocation(item.key, self.rem(item)) for item in paid)
                reason = f"{how}; the amount pays {label(paid)} exactly, not {label(rest)}"
                return Proposal(line.key, allocations, 0.85, reason, ZERO, tuple(rest))
            allocations, left = [], amount
            for item, rem in zip(named, rems, strict=True):
                if left <= 0:
                    break
                part = min(rem, left)
                why = SHORT if part < rem else ""
                allocations.append(Allocation(item.key, part, rem - part, why))
                left -= part
            reason = f"{how}; {money(total - amount)} short across several invoices: which one?"
            return Proposal(line.key, tuple(allocations), 0.6, reason, ZERO, ())
        item, rem = named[0], rems[0]
        reason = f"{how}; paid {money(rem - amount)} short: a deduction to clear up"
        allocation = Allocation(item.key, amount, rem - amount, SHORT)
        proposal = Proposal(line.key, (allocation,), base - 0.05, reason)
        others = self._other_open(named, amount, line.currency)
        if others:
            reason = f"{how}, but the amount equals the open amount of {label(others)}"
            candidates = (item.key, *(other.key for other in others))
            proposal = Proposal(line.key, (), 0.6, reason + ": which was paid?", amount, candidates)
        return _foreign(proposal, foreign, payer)

    def _with_fee(self, line, named, rems, offs, fee, conf, how) -> Proposal | None:
        offs = offs or [ZERO] * len(named)
        # The fee goes on the largest item, so no allocation can drop to zero or below.
        largest = max(range(len(named)), key=lambda i: (rems[i] - offs[i], -named[i].key))
        if rems[largest] - offs[largest] - fee <= 0:
            return None
        allocations = []
        for i, (item, rem, off) in enumerate(zip(named, rems, offs, strict=True)):
            cut = off + (fee if i == largest else ZERO)
            reasons = [r for r, v in ((DISCOUNT, off), (FEE, fee if i == largest else 0)) if v]
            allocations.append(Allocation(item.key, rem - cut, cut, " and ".join(reasons)))
        extra = " and the early-payment discount" if any(offs) else ""
        reason = f"{how}; paid less a bank fee of {money(fee)}{extra}"
        return Proposal(line.key, tuple(allocations), conf, reason)

    def _explains(self, named, excess, line) -> list[OpenItem]:
        """Other open items of the named items' customers that the excess would pay: perhaps
        the payer paid them too and their numbers did not make it into the text."""
        single = self._other_open(named, excess, line.currency)
        if single:
            return single
        named_keys = {item.key for item in named}
        target = cents(excess)
        parties = sorted({item.party_key for item in named})
        pool = [
            item
            for item in self._window(line, parties)
            if item.key not in named_keys and cents(self.rem(item)) is not None
        ]
        # What a payment run leaves out of its text falls due with what it names.
        named_days = [item.due_date or item.issue_date for item in named]
        pool.sort(key=lambda item: (_days_from(item, named_days), item.key))
        pool = pool[:MAX_SUM_POOL]
        if target is None or len(pool) < 2:
            return []
        values = [cents(self.rem(item)) for item in pool]
        search = combinations_summing_to(values, target, self.config.max_invoices_in_sum - 1)
        return [pool[i] for solution in search.solutions for i in solution]

    def _other_open(self, named, amount, currency) -> list[OpenItem]:
        named_keys = {item.key for item in named}
        found = []
        for party in sorted({item.party_key for item in named}):
            full, _ = self.index.amounts(party)
            for item in [*full.get(amount, ()), *self.partly_paid.get(party, ())]:
                fits = item.currency == currency and self.rem(item) == amount
                if fits and item.key not in named_keys and item not in found:
                    found.append(item)
        return sorted(found, key=lambda item: item.key)


# --- Small helpers ------------------------------------------------------------------------


def _days_from(item: OpenItem, days: list[dt.date]) -> int:
    own = item.due_date or item.issue_date
    return min(abs((own - day).days) for day in days)


def _items(hits: list[Hit]) -> list[OpenItem]:
    return [item for hit in hits for item in hit.items]


def _foreign(proposal: Proposal, foreign: bool, payer: Payer | None) -> Proposal:
    """A named invoice of another customer than the account's owner, with an amount that does
    not explain itself, is for an agent to confirm."""
    if not foreign or payer is None:
        return proposal
    return with_changes(
        proposal,
        confidence=min(proposal.confidence, 0.75),
        reason=f"{proposal.reason}; but the payer's {payer.shown} belongs to another customer",
    )
