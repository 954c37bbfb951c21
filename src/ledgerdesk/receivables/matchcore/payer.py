"""Evidence 2 and 3: who paid (account, else name), then which of their open items the amount
and the dates explain. Used by `engine.Matcher`, which holds the state these methods read."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from decimal import Decimal

from ledgerdesk.receivables.matchcore import text
from ledgerdesk.receivables.matchcore.common import (
    DISCOUNT,
    FEE,
    PAYER_CONFIDENCE,
    ZERO,
    Payer,
    capped,
    cents,
    dedupe,
    keys_of,
    label,
    money,
    noted,
    with_changes,
)
from ledgerdesk.receivables.matchcore.index import as_list
from ledgerdesk.receivables.matchcore.sums import (
    band,
    combinations_summing_to,
    count_sums_between,
)
from ledgerdesk.receivables.matching import Allocation, OpenItem, Proposal

MAX_SUM_POOL = 40  # a payer's items (nearest due dates first) searched for combinations
NEAR_DUE_DAYS = 10  # due within this many days of a payment counts as due with it
ROUND = 10_000  # cents: a payment of a whole multiple of 100 is a round amount
ROUND_CAP = 0.8  # the most a sum of several invoices on a round amount is trusted
ROUND_UP = Decimal(100)  # what a customer rounding up to a round amount adds at most


class PayerEvidence:
    def payer_from_account(self, line) -> Payer | None:
        key = text.account_key(line.counterparty_account)
        parties = self.index.accounts.get(key) if key else None
        if not parties:
            return None
        how = "account" if len(parties) == 1 else "shared account"
        return Payer(tuple(parties), how, f"account {line.counterparty_account}")

    def payer(self, line) -> Payer | None:
        found = self.payer_from_account(line)
        if found is not None or not line.counterparty_name.strip():
            return found
        tokens = text.name_tokens(line.counterparty_name)
        cut = text.cut_legal_form(line.counterparty_name)
        if cut:  # "HALFALVEN LIMITE": the bank cut the legal form short
            tokens = tokens - {cut}
        if not tokens:
            return None
        words = self.index.words
        postings = sorted((len(words.get(word, ())), word) for word in tokens)
        # Common words ("trading", "services") are skipped unless nothing rarer is there.
        usable = [word for size, word in postings if 0 < size <= 5000] or [
            word for size, word in postings[:1] if size
        ]
        candidates = sorted({party for word in usable for party in words[word]})
        last = text.last_word(line.counterparty_name)
        scored = [
            (text.name_similarity(tokens, self.index.party_tokens[party], last), party)
            for party in candidates
        ]
        best = max((score for score, _ in scored), default=0.0)
        if best < 0.6:
            return None
        parties = tuple(party for score, party in scored if score == best)
        how = "similar name"
        if best == 1.0:
            how = "name" if len(parties) == 1 else "shared name"
        if how == "shared name":
            # "Eckdel Limited" and "Eckdel AG" are different customers: the legal form decides.
            form = text.legal_forms(line.counterparty_name)
            same = [p for p in parties if form and text.legal_forms(self._name(p)) == form]
            if len(same) == 1:
                parties, how = (same[0],), "name and legal form"
        return Payer(parties, how, f"name “{line.counterparty_name}”")

    def _name(self, party: int) -> str:
        return self.index.party_display[party]

    def by_payer(self, line, notes, blocked, weak) -> Proposal:
        payer = self.payer(line)
        if payer is None:
            return self.unidentified(line, notes, blocked, weak)
        proposal = self._from_payer(line, payer, notes, blocked)
        if len(payer.parties) == 1 and proposal.party_key is None:
            proposal = with_changes(proposal, party_key=payer.parties[0])
        return proposal

    def _from_payer(self, line, payer: Payer, notes, blocked) -> Proposal:
        cap = 0.8 if blocked else 1.0  # the text names something that cannot be it
        amount = line.amount
        level = min(PAYER_CONFIDENCE[payer.how], cap)
        who = ", ".join(self.index.party_display[p] for p in payer.parties)
        intro = f"Payer identified by {payer.shown} as {who}"
        window = self._window(line, payer.parties)
        proposal = self._single(line, payer.parties, window, level, intro)
        if proposal is None:
            proposal = self._combination(line, window, level, intro)
        if proposal is None:
            proposal = self._fee_only(line, window, intro)
        if proposal is None:
            near = sorted(window, key=lambda item: (abs(self.rem(item) - amount), item.key))[:5]
            reason = f"{intro}; nothing open matches {money(amount)}: held as unapplied"
            proposal = Proposal(line.key, (), 0.2, reason, amount, keys_of(near))
        if proposal.confidence < self.config.auto_threshold and proposal.allocations:
            # Without a reference a guess reserves nothing: a later line that names the
            # invoice must still find it open. The guess leads the candidates instead.
            guessed = keys_of(self._items_of(proposal))
            proposal = with_changes(
                proposal,
                allocations=(),
                unapplied=amount,
                candidates=dedupe([*guessed, *proposal.candidates]),
            )
        return noted(proposal, notes)

    def _items_of(self, proposal: Proposal) -> list[OpenItem]:
        return [self.by_key[a.item_key] for a in proposal.allocations]

    def _chance(
        self, values: list[int], target: int, sizes: int, parties, runs: bool = False
    ) -> float:
        """How often a payment of about this size would be explained by these amounts by
        chance: combinations (or runs) of up to `sizes` amounts whose totals fall near the
        target, per cent (minor unit) of the band. 1.0 when that cannot be counted in time.
        When the parties have more open items than were handed over, the count is scaled up
        as if the unseen ones were like the seen (runs grow with the items, combinations of
        up to `sizes` of them with its power)."""
        low, high = band(target)
        scale = self._unseen(parties)
        if runs:
            count = sum(1 for total in _run_totals(values, sizes) if low <= total <= high)
            count *= scale
        else:
            count, complete = count_sums_between(values, low, high, sizes)
            if not complete:
                return 1.0
            count *= scale**sizes
        return max(count - 1, 0) / (high - low + 1)

    def _unseen(self, parties) -> float:
        """How many times more open items the parties have than the engine was given."""
        seen = real = 0
        for party in set(parties):
            handed = len(self.index.by_party.get(party, ()))
            seen += handed
            real += max(handed, self.party_sizes.get(party, 0))
        return real / seen if seen else 1.0

    def _window(self, line, parties, days: int | None = None) -> list[OpenItem]:
        """The payer's open items in the line's currency due within `days` (by default
        `date_window_days`) of the payment, by due date (a slice of each party's items, not a
        scan of them)."""
        days = self.config.date_window_days if days is None else days
        day = line.booking_date.toordinal()
        remaining, currency = self.remaining, line.currency
        window = []
        for party in parties:
            dues, items = self.index.by_due(party)
            for item in items[bisect_left(dues, day - days) : bisect_right(dues, day + days)]:
                if item.currency == currency and remaining.get(item.key, item.amount_open) > 0:
                    window.append(item)
        return window

    def _single(self, line, parties, window, level, intro) -> Proposal | None:
        """One open amount (or one less its early-payment discount) equals the payment."""
        amount, booking = line.amount, line.booking_date
        single: list[OpenItem] = []
        for party in parties:
            full, discounted = self.index.amounts(party)
            for item in [*full.get(amount, ()), *self.partly_paid.get(party, ())]:
                if item.currency == line.currency and self.rem(item) == amount:
                    single.append(item)
            for item in discounted.get(amount, ()):
                off = self.discount(item, booking)
                if off and item.currency == line.currency and self.rem(item) - off == amount:
                    single.append(item)
        single = sorted(set(single), key=lambda item: item.key)
        if not single:
            return None
        plausible = [item for item in single if item.issue_date <= booking] or single
        ranked = sorted(plausible, key=lambda item: (self._distance(item, booking), item.key))
        if len(ranked) > 1:
            # Never the oldest, never the newest: the same amount twice is for a person.
            reason = (
                f"{intro}; {len(ranked)} of its invoices are open for {money(amount)} "
                "and the payment names none of them: an agent should choose"
            )
            return Proposal(line.key, (), 0.5, reason, amount, keys_of(ranked))
        conf = level
        item = ranked[0]
        distance = self._distance(item, booking)
        in_window = distance <= self.config.date_window_days
        # The payer's items a coincidence could come from: those due at least as close to the
        # payment as this one (customers pay what falls due; an item due then is likelier).
        reach = max(distance, NEAR_DUE_DAYS)
        nearby = self._window(line, parties, reach)
        values = [cents(self.rem(other)) or 0 for other in nearby]
        limit = self.config.coincidence_limit
        if distance <= self.config.due_now_days:
            limit = self.config.due_now_coincidence_limit
        if not in_window or self._chance(values, cents(amount) or 0, 1, parties) > limit:
            conf = min(conf, 0.85)
        if len(plausible) < len(single):
            conf -= 0.03
        off = self.discount(item, booking) if self.rem(item) != amount else ZERO
        detail = " after its early-payment discount" if off else ""
        reason = f"{intro}; amount matches {label([item])} exactly{detail}"
        allocation = Allocation(item.key, amount, off, DISCOUNT if off else "")
        proposal = Proposal(line.key, (allocation,), conf, reason)
        if conf < self.config.auto_threshold:
            return proposal
        rival = self._rival(line, nearby, item)
        if rival is not None:
            other, how = rival
            return capped(proposal, 0.85, [other], f"it could as well be {how}")
        run = self._run_rival(line, window, item)
        if run:
            return capped(proposal, 0.85, run, f"it could as well pay {label(run)} together")
        return proposal

    def _rival(self, line, nearby, item) -> tuple[OpenItem, str] | None:
        """Another of the payer's items `nearby` (due as near to the payment) that explains
        the amount as well: settled less a whole-unit bank fee (what intermediary banks
        deduct: 10.00, 15.00, 25.00; never on a euro payment from a SEPA account, which is
        credited in full), or rounded up to this round amount. Then an exact match to `item`
        is no longer proof."""
        whole, rounded = Decimal(1), (cents(line.amount) or 1) % ROUND == 0
        fee_possible = not text.credited_in_full(line.currency, line.counterparty_account)
        for other in nearby:
            if other is item:
                continue
            gap = self.rem(other) - line.amount
            if fee_possible and ZERO < gap <= self.config.fee_tolerance and gap % whole == 0:
                return other, f"{label([other])} less {money(gap)}, a usual bank fee"
            if rounded and -ROUND_UP < gap < ZERO:
                return other, f"{label([other])} rounded up"
        return None

    def _run_rival(self, line, window, item) -> list[OpenItem]:
        """Other items of the payer, due one after the other, whose open amounts add up to
        the payment: a payment run that happens to total one invoice's amount."""
        amount, booking = line.amount, line.booking_date
        ordered = [o for o in window if o is not item and o.issue_date <= booking]
        if len({o.party_key for o in ordered}) > 1:  # one payer's window is in due order
            ordered.sort(key=lambda o: (o.due_date or o.issue_date, o.key))
        # An item open for the whole payment or more ends every run it is in.
        over = (cents(amount) or 0) + 1
        values = [over if (rem := self.rem(o)) >= amount else cents(rem) or 0 for o in ordered]
        runs = _runs_to(values, over - 1, self.config.max_invoices_in_sum)
        return [ordered[i] for start, end in runs[:1] for i in range(start, end + 1)]

    def _distance(self, item: OpenItem, booking: dt.date) -> int:
        return abs(((item.due_date or item.issue_date) - booking).days)

    def _combination(self, line, pool: list[OpenItem], level, intro) -> Proposal | None:
        """Several of the payer's open amounts add up to the payment."""
        cfg, booking = self.config, line.booking_date
        target = cents(line.amount)
        window = [
            item
            for item in pool
            if self._distance(item, booking) <= cfg.date_window_days
            and item.issue_date <= booking
            and cents(self.rem(item)) is not None
        ]
        if len(window) < 2 or target is None:
            return None
        run = self._payment_run(window, target)
        if run is not None:
            allocations = tuple(Allocation(item.key, self.rem(item)) for item in run)
            reason = (
                f"{intro}; the open amounts of {label(run)}, due one after the other, "
                "add up to the payment"
            )
            return _unless_round(Proposal(line.key, allocations, level - 0.02, reason), target)
        window.sort(key=lambda item: (self._distance(item, booking), item.key))
        window = window[:MAX_SUM_POOL]
        values = [cents(self.rem(item)) for item in window]
        search = combinations_summing_to(values, target, cfg.max_invoices_in_sum)
        if not search.solutions:
            return None
        found = [[window[i] for i in solution] for solution in search.solutions]
        if len(found) > 1 or not search.complete:
            keys = keys_of(sorted({item for items in found for item in items}, key=lambda i: i.key))
            why = "several combinations" if len(found) > 1 else "a combination (search cut short)"
            reason = f"{intro}; {why} of its open invoices add up to {money(line.amount)}"
            return Proposal(line.key, (), 0.5, reason, line.amount, keys)
        items = sorted(found[0], key=lambda item: item.key)
        chance = self._chance(values, target, len(items), {item.party_key for item in window})
        conf = level - 0.02 if chance <= cfg.coincidence_limit else min(level, 0.8)
        allocations = tuple(Allocation(item.key, self.rem(item)) for item in items)
        reason = f"{intro}; the open amounts of {label(items)} add up to the payment"
        return _unless_round(Proposal(line.key, allocations, conf, reason), target)

    def _payment_run(self, window, target) -> list[OpenItem] | None:
        """The invoices due one after the other (the way a payment run pays what has fallen
        due) whose open amounts add up to `target` — when exactly one such run exists, no
        invoice in it could be swapped for another of the same amount, and runs of invoices
        hit totals near this one rarely enough (`Config.coincidence_limit`)."""
        ordered = sorted(window, key=lambda item: (item.due_date or item.issue_date, item.key))
        values = [cents(self.rem(item)) for item in ordered]
        most = self.config.max_invoices_in_sum
        found = _runs_to(values, target, most)
        if len(found) != 1:
            return None
        start, end = found[0]
        inside = set(values[start : end + 1])
        outside = values[:start] + values[end + 1 :]
        if any(value in inside for value in outside):
            return None
        parties = {item.party_key for item in window}
        if self._chance(values, target, most, parties, runs=True) > self.config.coincidence_limit:
            return None
        return ordered[start : end + 1]

    def _fee_only(self, line, pool, intro) -> Proposal | None:
        if text.credited_in_full(line.currency, line.counterparty_account):
            return None
        fits = [
            item
            for item in pool
            if ZERO < self.rem(item) - line.amount <= self.config.fee_tolerance
        ]
        if len(fits) != 1:
            return None
        item = fits[0]
        fee = self.rem(item) - line.amount
        reason = (
            f"{intro}; the amount is {label([item])} less {money(fee)}, perhaps a bank fee "
            "(no reference to confirm it)"
        )
        return Proposal(line.key, (Allocation(item.key, line.amount, fee, FEE),), 0.7, reason)

    def unidentified(self, line, notes, blocked, weak) -> Proposal:
        table = self.index.by_amount()
        same = [
            item
            for item in as_list(table.get((line.currency, line.amount)))
            if self.rem(item) == line.amount
        ]
        keys = keys_of([*blocked, *weak]) + keys_of(same[:10])
        reason = "No reference, known account or customer name identifies the payer"
        if same:
            reason += f"; {len(same)} open invoice(s) of other customers are for this amount"
        reason += ": held as unidentified cash"
        return noted(Proposal(line.key, (), 0.0, reason, line.amount, dedupe(keys)), notes)


def _unless_round(proposal: Proposal, target: int) -> Proposal:
    """A sum of several invoices that lands on a round amount (a whole multiple of 100) is
    not proof: customers pay round amounts on account, or round up what they owe, far more
    often than the spread of invoice amounts suggests. An agent confirms it."""
    if target % ROUND or proposal.confidence <= ROUND_CAP:
        return proposal
    reason = f"{proposal.reason}, but {money(Decimal(target) / 100)} is a round amount, "
    reason += "which customers also pay on account: an agent should confirm"
    return with_changes(proposal, confidence=ROUND_CAP, reason=reason)


def _runs_to(values: list[int], target: int, most: int) -> list[tuple[int, int]]:
    """(first, last) index of each run of 2 to `most` consecutive values adding up to
    `target` (values are open amounts, so positive)."""
    found = []
    for start in range(len(values)):
        total = 0
        for end in range(start, min(len(values), start + most)):
            total += values[end]
            if total >= target:
                if total == target and end > start:
                    found.append((start, end))
                break
    return found


def _run_totals(values: list[int], most: int):
    for start in range(len(values)):
        total = 0
        for end in range(start, min(len(values), start + most)):
            total += values[end]
            if end > start:
                yield total
