"""Yesterday's bank statement for the demo: customers paying open invoices the way they do.

Written as a camt.053 file and imported through the real path (`receivables.services`), so the
cash queue shows what the engine applied by itself, what waits for an agent and what is held.
Most payers quote the invoice number; some mistype it, some pay two invoices at once, some pay
short, some give only their name, and one or two send money nobody can place.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from lxml import etree

from ledgerdesk.ledger.models import Direction, Invoice
from ledgerdesk.receivables import services

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
OUR_IBAN = "NL02ABNA0123456789"
CENT = Decimal("0.01")
# Typing slips a payer makes in an invoice number.
SLIPS = {"0": "O", "1": "I", "5": "S", "8": "B"}


def _el(parent, tag, text=None, **attrs):
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", **attrs)
    if text is not None:
        element.text = text
    return element


def _slip(number: str, rng: random.Random) -> str:
    spots = [i for i, ch in enumerate(number) if ch in SLIPS]
    if not spots:
        return number.replace("-", "")
    i = rng.choice(spots)
    return number[:i] + SLIPS[number[i]] + number[i + 1 :]


def _entries(rng: random.Random, invoices: list[Invoice]) -> list[dict]:
    """(amount, payer, IBAN, remittance) per line, with a mix of clean and messy payments."""
    entries = []
    queue = list(invoices)
    rng.shuffle(queue)
    while queue:
        invoice = queue.pop()
        party = invoice.party
        accounts = list(party.bank_accounts.all())  # prefetched
        iban = accounts[0].iban if accounts else ""
        roll = rng.random()
        amount, text = invoice.amount_open, f"Invoice {invoice.number}"
        if roll < 0.12 and queue and queue[-1].party_id == invoice.party_id:
            other = queue.pop()
            amount += other.amount_open
            text = f"Inv {invoice.number} + {other.number}"
        elif roll < 0.24:
            text = f"payment {_slip(invoice.number, rng)}"
        elif roll < 0.32:
            amount = (invoice.amount_open * Decimal("0.9")).quantize(CENT)
            text = f"{invoice.number} less 10% for the damaged pallet"
        elif roll < 0.42:
            text = f"{party.name} payment"
        entries.append({"amount": amount, "name": party.name, "iban": iban, "text": text})
    for name in ("J. SMITH", "PAYPAL EUROPE S.A R.L"):
        entries.append(
            {
                "amount": Decimal(rng.randint(5000, 90000)) / 100,
                "name": name,
                "iban": "",
                "text": "ref 88213-77",
            }  # fmt: skip
        )
    entries.append({"amount": Decimal("-12.50"), "name": "ABN AMRO", "iban": "",
                    "text": "Account fees November"})  # fmt: skip
    return entries


def camt053(entries: list[dict], day: dt.date, opening: Decimal) -> bytes:
    """The statement as a bank sends it: one Stmt, opening and closing balances, the entries."""
    closing = opening + sum((e["amount"] for e in entries), Decimal("0"))
    root = etree.Element(f"{{{NS}}}Document", nsmap={None: NS})
    message = _el(root, "BkToCstmrStmt")
    header = _el(message, "GrpHdr")
    _el(header, "MsgId", f"DEMO-{day:%Y%m%d}")
    _el(header, "CreDtTm", f"{day}T18:00:00")
    statement = _el(message, "Stmt")
    _el(statement, "Id", f"DEMO-STMT-{day:%Y%m%d}")
    _el(statement, "CreDtTm", f"{day}T18:00:00")
    account = _el(statement, "Acct")
    _el(_el(account, "Id"), "IBAN", OUR_IBAN)
    _el(account, "Ccy", "EUR")
    for code, amount in (("OPBD", opening), ("CLBD", closing)):
        balance = _el(statement, "Bal")
        _el(_el(_el(balance, "Tp"), "CdOrPrtry"), "Cd", code)
        _el(balance, "Amt", f"{abs(amount):.2f}", Ccy="EUR")
        _el(balance, "CdtDbtInd", "CRDT" if amount >= 0 else "DBIT")
        _el(_el(balance, "Dt"), "Dt", day.isoformat())
    for n, entry in enumerate(entries, start=1):
        credit = entry["amount"] > 0
        ntry = _el(statement, "Ntry")
        _el(ntry, "Amt", f"{abs(entry['amount']):.2f}", Ccy="EUR")
        _el(ntry, "CdtDbtInd", "CRDT" if credit else "DBIT")
        _el(ntry, "Sts", "BOOK")
        _el(_el(ntry, "BookgDt"), "Dt", day.isoformat())
        _el(_el(ntry, "ValDt"), "Dt", day.isoformat())
        _el(ntry, "AcctSvcrRef", f"DEMO{day:%y%m%d}{n:05d}")
        details = _el(_el(ntry, "NtryDtls"), "TxDtls")
        _el(_el(details, "Refs"), "EndToEndId", "NOTPROVIDED")
        parties = _el(details, "RltdPties")
        side, account_tag = ("Dbtr", "DbtrAcct") if credit else ("Cdtr", "CdtrAcct")
        _el(_el(parties, side), "Nm", entry["name"])
        if entry["iban"]:
            _el(_el(_el(parties, account_tag), "Id"), "IBAN", entry["iban"].replace(" ", ""))
        _el(_el(details, "RmtInf"), "Ustrd", entry["text"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def load_statement(rng: random.Random, today: dt.date, count: int = 60) -> dict[str, int]:
    """Write and import yesterday's statement paying up to `count` open EUR customer invoices."""
    invoices = list(
        Invoice.objects.filter(
            direction=Direction.RECEIVABLE,
            kind=Invoice.Kind.INVOICE,
            status=Invoice.Status.ISSUED,
            currency="EUR",
            amount_open__gt=0,
        )
        .select_related("party")
        .prefetch_related("party__bank_accounts")
        .order_by("due_date", "pk")[:count]
    )
    if not invoices:
        return {}
    day = today - dt.timedelta(days=1)
    data = camt053(_entries(rng, invoices), day, Decimal("182450.00"))
    outcome = services.import_bytes(data, f"demo-statement-{day:%Y%m%d}.camt053.xml")
    if outcome.rejected:
        raise RuntimeError(f"the demo statement was refused: {outcome.error}")
    summary = services.apply_cash(statement_ids=outcome.statement_ids)
    counts = services.state_counts(outcome.statement_ids)
    return {
        "bank_statement_lines": outcome.lines,
        "cash_applied_automatically": counts["auto"],
        "cash_to_review": counts["review"],
        "cash_held": counts["held"],
        "deduction_cases": summary.cases,
    }
