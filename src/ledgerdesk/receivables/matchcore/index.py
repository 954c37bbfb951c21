"""Look-up tables over the open items, built once per `match` call.

Every look-up a bank line needs is a dictionary access: invoice number keys, payment references,
the payer's account, the words of the payer's name, a party's own items. Nothing scans all open
items for a line. Lists of several items under one key are kept as lists; a single item is kept
bare (most keys are unique, and a million one-element lists cost memory and time).
"""

from __future__ import annotations

from collections import defaultdict

from ledgerdesk.receivables.matchcore import text

MAX_WINDOW = 8  # the most letter/digit groups a number may be spread over in a remittance


def _put(table: dict, key, item) -> None:
    found = table.get(key)
    if found is None:
        table[key] = item
    elif type(found) is list:
        found.append(item)
    else:
        table[key] = [found, item]


def as_list(found) -> list:
    if found is None:
        return []
    if type(found) is list:
        return sorted(found, key=lambda item: item.key)
    return [found]


class Index:
    def __init__(self, items):
        numbers: dict = {}
        zeroless: dict = {}
        references: dict = {}
        by_party: dict = defaultdict(list)
        party_names: dict = defaultdict(set)
        party_accounts: dict = defaultdict(set)
        widest = 1
        number_keys = text.number_keys
        reference_key = text.reference_key
        last_party = last_name = last_accounts = None
        for item in items:
            full, zero, groups = number_keys(item.number)
            if full:
                found = numbers.get(full)
                if found is None:
                    numbers[full] = item
                else:
                    _put(numbers, full, item)
                if zero != full:
                    _put(zeroless, zero, item)
                if groups > widest:
                    widest = groups
            if item.payment_reference:
                ref_key = reference_key(item.payment_reference)
                if ref_key:
                    if ref_key in references:
                        _put(references, ref_key, item)
                    else:
                        references[ref_key] = item
            party = item.party_key
            by_party[party].append(item)
            # Items of one party usually come together and share their name and accounts.
            if party != last_party or item.party_name != last_name:
                party_names[party].add(item.party_name)
            if item.party_accounts and (
                party != last_party or item.party_accounts != last_accounts
            ):
                party_accounts[party].update(item.party_accounts)
            last_party, last_name, last_accounts = party, item.party_name, item.party_accounts
        self.numbers = numbers
        self.zeroless = zeroless
        self.references = references
        self.by_party = by_party
        # Extra groups for a number written with extra spaces or dashes ("SI 2601 14-0042").
        self.window = min(MAX_WINDOW, widest + 3)
        self.accounts: dict[str, list[int]] = defaultdict(list)
        for party in sorted(party_accounts):
            for account in sorted(party_accounts[party]):
                key = text.account_key(account)
                if key and party not in self.accounts[key]:
                    self.accounts[key].append(party)
        self.party_tokens: dict[int, frozenset[str]] = {}
        self.party_display: dict[int, str] = {}
        self.words: dict[str, list[int]] = defaultdict(list)
        for party in sorted(party_names):
            names = sorted(party_names[party])
            self.party_display[party] = names[0]
            tokens = frozenset().union(*(text.name_tokens(name) for name in names))
            self.party_tokens[party] = tokens
            for word in tokens:
                self.words[word].append(party)
        self._sorted_parties: set[int] = set()
        self._by_due: dict[int, tuple[list[int], list]] = {}
        self._amounts: dict[int, tuple[dict, dict]] = {}
        self._by_amount: dict | None = None

    def party_items(self, party: int) -> list:
        """The party's items in key order (sorted on first use, so the input order of the open
        items never changes a result)."""
        items = self.by_party.get(party, [])
        if party not in self._sorted_parties:
            items.sort(key=lambda item: item.key)
            self._sorted_parties.add(party)
        return items

    def by_due(self, party: int) -> tuple[list[int], list]:
        """The party's items ordered by due date, with the due dates as day numbers beside
        them, so the items due around a payment are a slice found by bisection."""
        cached = self._by_due.get(party)
        if cached is None:
            items = sorted(
                self.by_party.get(party, []),
                key=lambda item: ((item.due_date or item.issue_date).toordinal(), item.key),
            )
            days = [(item.due_date or item.issue_date).toordinal() for item in items]
            cached = self._by_due[party] = (days, items)
        return cached

    def amounts(self, party: int) -> tuple[dict, dict]:
        """The party's items by open amount, and by open amount less the discount on offer
        (as the items came in: callers check what is still open)."""
        cached = self._amounts.get(party)
        if cached is None:
            full: dict = {}
            discounted: dict = {}
            for item in self.party_items(party):
                full.setdefault(item.amount_open, []).append(item)
                if item.discount_amount > 0:
                    net = item.amount_open - item.discount_amount
                    discounted.setdefault(net, []).append(item)
            cached = self._amounts[party] = (full, discounted)
        return cached

    def by_amount(self) -> dict:
        """(currency, open amount) → items, for suggesting candidates for unidentified cash.
        Built on first need only."""
        if self._by_amount is None:
            table: dict = {}
            for items in self.by_party.values():
                for item in items:
                    _put(table, (item.currency, item.amount_open), item)
            self._by_amount = table
        return self._by_amount
