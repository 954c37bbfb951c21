"""Find, in SQL, the few open AR invoices a batch of bank lines could be paying.

The engine decides; this module only makes sure it sees the invoices that matter without
loading a million open items into memory for ten lines. A line's candidates are the open
invoices (in its currency) that:

1. carry a number that appears in the remittance text (also with the separators dropped and
   with OCR slips such as O for 0 put right),
2. carry the structured creditor reference (RF…) the payer gave,
3. belong to the customer whose bank account is the one the money came from,
4. belong to the customer with the payer's name (normalised as parties do).

Each finding keeps why it is a candidate, shown to the agent beside the invoice.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from ledgerdesk.ledger.models import Invoice
from ledgerdesk.parties.models import BankAccount, Party, normalize_name

IN_BATCH = 500  # values per IN (...) list, well under every database's parameter limit
# A customer with thousands of open invoices: only those with a matching amount and the
# ones due first are handed to the engine for a payment that names none of them.
PARTY_CAP = 300

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_-]*[A-Za-z0-9]")
_OCR = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8"})


@dataclass
class Found:
    """Candidate invoice ids of one line, each with why."""

    why: dict[int, list[str]] = field(default_factory=dict)

    def add(self, invoice_id: int, reason: str) -> None:
        reasons = self.why.setdefault(invoice_id, [])
        if reason not in reasons:
            reasons.append(reason)


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
    compact = "".join(reference.split()).upper()
    if not compact:
        return []
    grouped = " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return list(dict.fromkeys([compact, grouped, reference.strip()]))


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


def gather(lines, currency: str) -> dict[int, Found]:
    """Candidates for each of `lines` (StatementLines of one currency), keyed by line pk."""
    found: dict[int, Found] = {line.pk: Found() for line in lines}
    base = open_receivables(currency)

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
        rows = base.filter(number__in=batch).values_list("pk", "number", "party_id", "amount_open")
        for pk, number, party_id, amount_open in rows:
            for line_pk, written in by_form.get(number, ()):
                why = "number in the remittance"
                if written != number:
                    why += f" (written {written})"
                found[line_pk].add(pk, why)
                named_payers[party_id].add(line_pk)
                named_open[line_pk][pk] = amount_open

    # 2. Structured creditor references (RF…) and payment references.
    by_reference: dict[str, list[int]] = defaultdict(list)
    for line in lines:
        for form in reference_variants(line.creditor_reference):
            by_reference[form].append(line.pk)
    for batch in _batches(by_reference):
        rows = base.filter(payment_reference__in=batch).values_list("pk", "payment_reference")
        for pk, reference in rows:
            for line_pk in by_reference.get(reference, ()):
                found[line_pk].add(pk, "payment reference given by the payer")

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
        rows = BankAccount.objects.filter(iban__in=batch, party__is_customer=True).values_list(
            "iban", "party_id"
        )
        for iban, party_id in rows:
            for line_pk in by_account[iban]:
                payer_lines[party_id].append((line_pk, "paid from the customer's bank account"))
    for batch in _batches(by_name):
        rows = Party.objects.customers().filter(name_key__in=batch).values_list("name_key", "pk")
        for name_key, party_id in rows:
            for line_pk in by_name[name_key]:
                payer_lines[party_id].append((line_pk, "payer's name is the customer's"))
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
        _gather_by_party(base, lines, payer_lines, found, beyond)
    return found


def _gather_by_party(base, lines, payer_lines, found: dict[int, Found], beyond=None) -> None:
    amounts = {line.pk: line.amount for line in lines}
    beyond = beyond or {}
    counts = dict(
        base.filter(party_id__in=list(payer_lines))
        .values_list("party_id")
        .annotate(n=Count("pk"))
        .values_list("party_id", "n")
    )
    small = [party for party, n in counts.items() if n <= PARTY_CAP]
    rows: list[tuple[int, int]] = []
    for batch in _batches(small):
        rows.extend(base.filter(party_id__in=batch).values_list("pk", "party_id"))
    for party in (party for party, n in counts.items() if n > PARTY_CAP):
        wanted = {amounts[line_pk] for line_pk, _ in payer_lines[party]}
        wanted |= {beyond[pk] for pk, _ in payer_lines[party] if beyond.get(pk, 0) > 0}
        rows.extend(
            base.filter(party_id=party, amount_open__in=list(wanted)[:IN_BATCH]).values_list(
                "pk", "party_id"
            )
        )
        rows.extend(
            base.filter(party_id=party)
            .order_by("due_date", "pk")
            .values_list("pk", "party_id")[:PARTY_CAP]
        )
    for pk, party_id in rows:
        for line_pk, why in payer_lines[party_id]:
            found[line_pk].add(pk, why)
