"""Find, in SQL, the few open AR invoices a batch of bank lines could be paying.

The engine decides; this module only makes sure it sees the invoices that matter without
loading a million open items into memory for ten lines. A line's candidates are the open
invoices (in its currency) that:

1. carry a number that appears in the remittance text (also with the separators dropped and
   with OCR slips such as O for 0 put right),
2. carry the structured creditor reference (RF…) the payer gave, or one written in the text
   (compared upper case without spaces, through an index on that expression),
3. belong to the customer whose bank account is the one the money came from,
4. belong to the customer with the payer's name (normalised as parties do),
5. for a line whose payer is unknown or too big to hand over whole: carry a number the text
   spells apart or with slips, read as the engine reads numbers (an index on that too).

Each finding keeps why it is a candidate, shown to the agent beside the invoice. A payer's
invoices are listed once for all the lines it pays (`Pool`), with the columns the engine
reads: the engine's input comes with the search.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from ledgerdesk.ledger.models import NUMBER_KEY, PAYMENT_REFERENCE_KEY, Invoice
from ledgerdesk.parties.models import BankAccount, Party, normalize_name

IN_BATCH = 500  # values per IN (...) list, well under every database's parameter limit
# A customer with thousands of open invoices: only those with a matching amount and the
# ones due first are handed to the engine for a payment that names none of them.
PARTY_CAP = 300

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_-]*[A-Za-z0-9]")
_RUN = re.compile(r"[A-Z0-9]+")
_RF_GROUPS = 8  # groups of four an RF reference (at most 25 characters) is printed in
_RF_LONGEST = 25
# How NUMBER_KEY reads an invoice number: separators dropped, letters OCR confuses with
# digits read as those digits (as the engine reads numbers).
_KEY_DROPS = frozenset("-. /_")
_KEY_DIGITS = str.maketrans("OILSBZG", "0115826")
_KEY_SHORTEST = 6  # shorter keys also occur by chance in amounts and dates
_KEY_LONGEST = 32
_OCR = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8"})


@dataclass
class Pool:
    """The open invoices handed over for each payer of a batch of lines, shared by its lines
    (a large customer pays many times in a statement: its invoices are listed once)."""

    items: dict[int, list[int]] = field(default_factory=dict)  # party -> invoice ids, ascending
    party_of: dict[int, int] = field(default_factory=dict)  # invoice id -> party
    # party -> how many open invoices it has (in the currency), of which at most PARTY_CAP
    # (those of the amounts paid, the ones due first) are handed over: for the engine's
    # estimate of how likely an amount matches one of them by chance.
    sizes: dict[int, int] = field(default_factory=dict)

    def add(self, party: int, invoice_id: int) -> None:
        if invoice_id not in self.party_of:
            self.party_of[invoice_id] = party
            self.items.setdefault(party, []).append(invoice_id)

    def seal(self) -> None:
        for ids in self.items.values():
            ids.sort()


@dataclass
class Found:
    """Candidate invoice ids of one line, each with why: those the line names (`named`), and
    the invoices of its payers in the pool, each payer with why it is the payer."""

    named: dict[int, list[str]] = field(default_factory=dict)
    payers: dict[int, list[str]] = field(default_factory=dict)
    pool: Pool = field(default_factory=Pool, repr=False)

    def add(self, invoice_id: int, reason: str) -> None:
        reasons = self.named.setdefault(invoice_id, [])
        if reason not in reasons:
            reasons.append(reason)

    def add_payer(self, party: int, reason: str) -> None:
        reasons = self.payers.setdefault(party, [])
        if reason not in reasons:
            reasons.append(reason)

    def reasons(self, invoice_id: int) -> list[str]:
        """Why the invoice is a candidate ([] when it is not one)."""
        named = self.named.get(invoice_id, [])
        party = self.pool.party_of.get(invoice_id)
        if party is None or party not in self.payers:
            return list(named)
        return list(dict.fromkeys([*named, *self.payers[party]]))

    def ids(self):
        """Every candidate invoice id (an id may come twice)."""
        yield from self.named
        for party in self.payers:
            yield from self.pool.items.get(party, ())

    def best(self, count: int) -> list[int]:
        """The `count` candidates with the most reasons, then the lowest ids first."""
        scored = [(-len(self.reasons(pk)), pk) for pk in self.named]
        for party, reasons in self.payers.items():
            taken = 0
            for pk in self.pool.items.get(party, ()):
                if taken >= count:
                    break  # the rest of this payer's invoices rank below these
                if pk not in self.named:
                    scored.append((-len(reasons), pk))
                    taken += 1
        return [pk for _, pk in sorted(scored)[:count]]

    @property
    def why(self) -> dict[int, list[str]]:
        """Every candidate with its reasons (for tests and small lists: `best` and `reasons`
        read a line of a large customer without listing all its invoices)."""
        return {pk: self.reasons(pk) for pk in dict.fromkeys(self.ids())}


def number_variants(text: str) -> dict[str, str]:
    """Spellings of the invoice numbers that may be in `text`, each mapped to what was written."""
    variants: dict[str, str] = {}
    for match in _TOKEN.finditer(text.upper()):
        token = match.group()
        if len(token) < 4 or not any(c.isdigit() for c in token):
            continue
        compact = re.sub(r"[^A-Z0-9]", "", token)
        for form in (token, compact, _ocr_fix(token), _ocr_fix(compact)):
            variants.setdefault(form, token)
    return variants


def _ocr_fix(token: str) -> str:
    """Letters read for digits after the first digit put right: INV-2O26-0O44 → INV-2026-0044."""
    first = next((i for i, c in enumerate(token) if c.isdigit()), len(token))
    return token[:first] + token[first:].translate(_OCR)


def reference_variants(reference: str) -> list[str]:
    """The keys (upper case, no spaces, as `PAYMENT_REFERENCE_KEY` reads the invoice's) of a
    payment reference the payer gave; with letters read for digits put right."""
    compact = "".join(reference.split()).upper()
    if not compact:
        return []
    return list(dict.fromkeys([compact, _ocr_fix(compact)]))


def rf_variants(text: str) -> list[str]:
    """The RF creditor references that may be in a free text, as keys: "RF18 5390 0754 7034"
    written in groups (as printed on the invoice) is read as the groups joined, each number of
    groups in turn (the engine reads it so; what follows it in the text may be words)."""
    runs = _RUN.findall(text.upper())
    keys: list[str] = []
    for start, run in enumerate(runs):
        if not run.startswith("RF"):
            continue
        joined = ""
        for part in runs[start : start + _RF_GROUPS]:
            joined += part
            if len(joined) > _RF_LONGEST:
                break
            if len(joined) >= 5:
                keys.extend((joined, _ocr_fix(joined)))
    return list(dict.fromkeys(keys))


def open_receivables(currency: str):
    return (
        Invoice.objects.receivable()
        .filter(currency=currency, amount_open__gt=0, duplicate_of__isnull=True)
        .exclude(status__in=Invoice.CLOSED_STATUSES)
    )


def _batches(values: Iterable, size: int = IN_BATCH):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# What the engine reads of an invoice (`application.load_open_items`), fetched with it.
ITEM_FIELDS = [
    "pk",
    "number",
    "party_id",
    "currency",
    "amount_open",
    "total_amount",
    "issue_date",
    "due_date",
    "payment_reference",
]
ITEM_FIELDS += [
    name
    for name in ("discount_amount", "discount_until")
    if any(f.name == name for f in Invoice._meta.get_fields())
]


def gather(lines, currency: str, rows: dict | None = None) -> dict[int, Found]:
    """Candidates for each of `lines` (StatementLines of one currency), keyed by line pk.

    `rows`, if given, receives each candidate's ITEM_FIELDS (a tuple by invoice id): the
    engine's input comes with the search, not in a second round of queries.
    """
    pool = Pool()
    found: dict[int, Found] = {line.pk: Found(pool=pool) for line in lines}
    base = open_receivables(currency)
    rows = {} if rows is None else rows

    # 1. Invoice numbers in the remittance text.
    by_form: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for line in lines:
        text = " ".join(
            (line.remittance, line.additional_info, line.end_to_end_id, line.creditor_reference)
        )
        for form, written in number_variants(text).items():
            by_form[form].append((line.pk, written))
    named_payers: dict[int, set[int]] = defaultdict(set)  # party -> lines naming its invoices
    named_open: dict[int, dict[int, Decimal]] = defaultdict(dict)  # line -> named invoice: open
    for batch in _batches(by_form):
        for row in base.filter(number__in=batch).values_list(*ITEM_FIELDS):
            pk, number, party_id, _, amount_open = row[:5]
            rows[pk] = row
            for line_pk, written in by_form.get(number, ()):
                why = "number in the remittance"
                if written != number:
                    why += f" (written {written})"
                found[line_pk].add(pk, why)
                named_payers[party_id].add(line_pk)
                named_open[line_pk][pk] = amount_open

    # 2. Structured creditor references (RF…) and payment references: the one given in its
    # field, and RF references written in the text. Compared as the engine compares them
    # (upper case, spaces dropped), on the invoices' side by an index on that expression.
    by_reference: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for line in lines:
        given = reference_variants(line.creditor_reference)
        for form in given:
            by_reference[form].append((line.pk, "payment reference given by the payer"))
        text = " ".join((line.remittance, line.additional_info, line.end_to_end_id))
        for form in rf_variants(text):
            if form not in given:
                by_reference[form].append((line.pk, "RF reference in the remittance"))
    keyed = base.alias(reference_key=PAYMENT_REFERENCE_KEY)
    for batch in _batches(by_reference):
        for row in keyed.filter(reference_key__in=batch).values_list(*ITEM_FIELDS):
            pk, reference = row[0], row[8]
            rows[pk] = row
            for line_pk, why in by_reference.get(reference.replace(" ", "").upper(), ()):
                found[line_pk].add(pk, why)

    # 3 and 4. The payer: by bank account, then by name.
    payer_lines: dict[int, list[tuple[int, str]]] = defaultdict(list)
    by_account: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    for line in lines:
        if line.counterparty_account:
            by_account[line.counterparty_account].append(line.pk)
        key = normalize_name(line.counterparty_name) if line.counterparty_name else ""
        if key:
            by_name[key].append(line.pk)
    for batch in _batches(by_account):
        payers = BankAccount.objects.filter(iban__in=batch, party__is_customer=True).values_list(
            "iban", "party_id"
        )
        for iban, party_id in payers:
            for line_pk in by_account[iban]:
                payer_lines[party_id].append((line_pk, "paid from the customer's bank account"))
    for batch in _batches(by_name):
        payers = Party.objects.customers().filter(name_key__in=batch).values_list("name_key", "pk")
        for name_key, party_id in payers:
            for line_pk in by_name[name_key]:
                payer_lines[party_id].append((line_pk, "payer's name is the customer's"))
    counts = _counts(base, set(payer_lines) | set(named_payers))

    # 5. For a line whose payer is unknown or has too many open invoices to hand over, the
    # numbers as the engine reads them: the letters and digits of a few neighbouring groups
    # joined ("SI-261005 -0625", "SI26I005-0626"), letters that OCR confuses with digits read
    # as digits, compared with the invoices' numbers read the same way (an index on that).
    line_payers: dict[int, set[int]] = defaultdict(set)
    for party_id, entries in payer_lines.items():
        for line_pk, _ in entries:
            line_payers[line_pk].add(party_id)
    for party_id, line_pks in named_payers.items():
        for line_pk in line_pks:
            line_payers[line_pk].add(party_id)
    by_key: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for line in lines:
        if any(0 < counts.get(party, 0) <= PARTY_CAP for party in line_payers[line.pk]):
            continue  # the engine sees all the payer's open invoices anyway
        text = " ".join((line.remittance, line.additional_info, line.creditor_reference))
        for key, written in number_keys(text).items():
            by_key[key].append((line.pk, written))
    keyed = base.alias(number_key=NUMBER_KEY)
    for batch in _batches(by_key):
        for row in keyed.filter(number_key__in=batch).values_list(*ITEM_FIELDS):
            pk, number, party_id, _, amount_open = row[:5]
            rows[pk] = row
            for line_pk, written in by_key.get(_number_key(number), ()):
                if pk in found[line_pk].named:
                    continue
                found[line_pk].add(pk, f"number in the remittance (written {written})")
                named_payers[party_id].add(line_pk)
                named_open[line_pk][pk] = amount_open
    counts.update(_counts(base, set(named_payers) - set(counts)))

    # A line that names one invoice of a customer may be paying more of theirs (the rest
    # mistyped or left out of the text): the engine sees that customer's other open items too,
    # so it can find the sum instead of taking the named one alone for certain.
    for party_id, line_pks in named_payers.items():
        for line_pk in line_pks:
            payer_lines[party_id].append((line_pk, "the customer of an invoice the payer names"))
    if payer_lines:
        # What a line pays beyond the invoices it names: for a customer with too many open
        # invoices to hand over, the ones of exactly that amount are the likely others.
        beyond = {
            line.pk: line.amount - sum(named_open[line.pk].values(), Decimal("0"))
            for line in lines
            if named_open.get(line.pk)
        }
        counts = {party: n for party, n in counts.items() if party in payer_lines}
        _gather_by_party(base, lines, payer_lines, found, beyond, pool, rows, counts)
    pool.seal()
    return found


def _counts(base, parties: set[int]) -> dict[int, int]:
    """How many open invoices each of `parties` has (those with none are left out)."""
    counts: dict[int, int] = {}
    for batch in _batches(sorted(parties), 5 * IN_BATCH):
        counts.update(
            base.filter(party_id__in=batch)
            .values_list("party_id")
            .annotate(n=Count("pk"))
            .values_list("party_id", "n")
        )
    return counts


def _number_key(number: str) -> str:
    """An invoice number as NUMBER_KEY reads it in SQL."""
    return "".join(c for c in number.upper() if c not in _KEY_DROPS).translate(_KEY_DIGITS)


def number_keys(text: str) -> dict[str, str]:
    """Keys (as `_number_key`) of up to four neighbouring groups of letters and digits in the
    text, joined, each mapped to how it was written."""
    upper = text.upper()
    spans = [m.span() for m in _RUN.finditer(upper)]
    keys: dict[str, str] = {}
    for i, (start, _) in enumerate(spans):
        joined = ""
        for j in range(i, min(i + 4, len(spans))):
            joined += upper[spans[j][0] : spans[j][1]]
            if len(joined) > _KEY_LONGEST:
                break
            if len(joined) >= _KEY_SHORTEST and any(c.isdigit() for c in joined):
                keys.setdefault(joined.translate(_KEY_DIGITS), upper[start : spans[j][1]])
    return keys


def _gather_by_party(
    base, lines, payer_lines, found, beyond, pool: Pool, rows: dict, counts: dict[int, int]
) -> None:
    amounts = {line.pk: line.amount for line in lines}
    beyond = beyond or {}
    pool.sizes.update(counts)
    small = [party for party, n in counts.items() if n <= PARTY_CAP]
    fetched: list[tuple] = []
    for batch in _batches(small):
        fetched.extend(base.filter(party_id__in=batch).values_list(*ITEM_FIELDS))
    for party in (party for party, n in counts.items() if n > PARTY_CAP):
        wanted = {amounts[line_pk] for line_pk, _ in payer_lines[party]}
        wanted |= {beyond[pk] for pk, _ in payer_lines[party] if beyond.get(pk, 0) > 0}
        fetched.extend(
            base.filter(party_id=party, amount_open__in=list(wanted)[:IN_BATCH]).values_list(
                *ITEM_FIELDS
            )
        )
        fetched.extend(
            base.filter(party_id=party)
            .order_by("due_date", "pk")
            .values_list(*ITEM_FIELDS)[:PARTY_CAP]
        )
    for row in fetched:
        rows[row[0]] = row
        pool.add(row[2], row[0])
    for party_id in counts:
        for line_pk, why in payer_lines[party_id]:
            found[line_pk].add_payer(party_id, why)
