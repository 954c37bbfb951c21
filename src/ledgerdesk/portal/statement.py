"""A customer's statement of account for a period: opening balance, every movement, closing.

Movements, per currency (a customer billed in two currencies gets two sections):
an invoice we issued adds to what they owe; a credit note, a payment and a deduction we
accepted take from it; a credit note used against an invoice appears as a deduction on both
(they cancel out, so the balance is right whichever way the ledger recorded the netting).
Cancelled invoices and held suspected duplicates are not on a statement.

The opening balance is summed in the database (one grouped query per kind of movement), so
a statement of one month costs the same for a customer of twenty years.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from ledgerdesk.ledger.models import Direction, Invoice, Payment, PaymentAllocation
from ledgerdesk.parties.models import Party
from ledgerdesk.portal.plainwords import plain_deduction
from ledgerdesk.portal.scoping import scoped

ZERO = Decimal("0")
CENT = Decimal("0.01")
# Where a row sorts within a day: what they were billed first, then what settled it.
_ORDER = {"invoice": 0, "credit_note": 1, "payment": 2, "deduction": 3}


@dataclass
class Row:
    day: dt.date
    kind: str
    description: str
    reference: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    balance: Decimal = ZERO


@dataclass
class Section:
    currency: str
    opening: Decimal
    rows: list[Row] = field(default_factory=list)

    @property
    def closing(self) -> Decimal:
        return self.rows[-1].balance if self.rows else self.opening

    @property
    def debits(self) -> Decimal:
        return sum((r.debit for r in self.rows), ZERO)

    @property
    def credits(self) -> Decimal:
        return sum((r.credit for r in self.rows), ZERO)


@dataclass
class Statement:
    party: Party
    start: dt.date
    end: dt.date
    sections: list[Section]


def _documents(party):
    return (
        scoped(Invoice.objects.receivable(), party)
        .exclude(status=Invoice.Status.CANCELLED)
        .filter(duplicate_of__isnull=True)
    )


def _payments(party):
    return scoped(Payment.objects.filter(direction=Direction.RECEIVABLE), party)


def _deductions(party):
    return scoped(
        PaymentAllocation.objects.filter(
            payment__direction=Direction.RECEIVABLE, deduction_amount__gt=0
        ),
        party,
    ).exclude(invoice__status=Invoice.Status.CANCELLED)


def balances_before(party: Party, day: dt.date) -> dict[str, Decimal]:
    """What `party` owed us at the start of `day`, per currency (negative: in their favour)."""
    result: dict[str, Decimal] = defaultdict(lambda: ZERO)
    docs = (
        _documents(party)
        .filter(issue_date__lt=day)
        .values("currency", "kind")
        .annotate(total=Sum("amount_payable"))
        .order_by()
    )
    for row in docs:
        sign = -1 if row["kind"] == Invoice.Kind.CREDIT_NOTE else 1
        result[row["currency"]] += sign * row["total"]
    paid = (
        _payments(party)
        .filter(date__lt=day)
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in paid:
        result[row["currency"]] -= row["total"]
    deducted = (
        _deductions(party)
        .filter(payment__date__lt=day)
        .values("invoice__currency", "invoice__kind")
        .annotate(total=Sum("deduction_amount"))
        .order_by()
    )
    for row in deducted:
        sign = 1 if row["invoice__kind"] == Invoice.Kind.CREDIT_NOTE else -1
        result[row["invoice__currency"]] += sign * row["total"]
    # SQLite's SUM drops the scale ("50" for 50.00); a statement shows cents either way.
    return {currency: amount.quantize(CENT) for currency, amount in result.items()}


def build(party: Party, start: dt.date, end: dt.date) -> Statement:
    opening = balances_before(party, start)
    rows: dict[str, list[Row]] = defaultdict(list)
    documents = _documents(party).filter(issue_date__range=(start, end))
    for doc in documents.only("kind", "number", "issue_date", "currency", "amount_payable"):
        if doc.kind == Invoice.Kind.CREDIT_NOTE:
            row = Row(doc.issue_date, "credit_note", f"Credit note {doc.number}", doc.number)
            row.credit = doc.amount_payable
        else:
            row = Row(doc.issue_date, "invoice", f"Invoice {doc.number}", doc.number)
            row.debit = doc.amount_payable
        rows[doc.currency].append(row)
    for payment in _payments(party).filter(date__range=(start, end)):
        row = Row(payment.date, "payment", "Payment received", payment.reference)
        row.credit = payment.amount
        rows[payment.currency].append(row)
    deductions = (
        _deductions(party)
        .filter(payment__date__range=(start, end))
        .select_related("payment", "invoice")
    )
    for item in deductions:
        invoice, why = item.invoice, plain_deduction(item.deduction_reason)
        if invoice.kind == Invoice.Kind.CREDIT_NOTE:
            text = f"Credit note {invoice.number} used" + (f": {why}" if why else "")
            row = Row(
                item.payment.date, "deduction", text, invoice.number, debit=item.deduction_amount
            )
        else:
            text = f"Deducted from invoice {invoice.number}" + (f": {why}" if why else "")
            row = Row(item.payment.date, "deduction", text, invoice.number)
            row.credit = item.deduction_amount
        rows[invoice.currency].append(row)
    currencies = sorted(set(opening) | set(rows), key=lambda c: (c != party.default_currency, c))
    sections = []
    for currency in currencies:
        section = Section(currency, opening.get(currency, ZERO))
        balance = section.opening
        for row in sorted(rows[currency], key=lambda r: (r.day, _ORDER[r.kind], r.reference)):
            balance += row.debit - row.credit
            row.balance = balance
            section.rows.append(row)
        sections.append(section)
    return Statement(party, start, end, sections)


def _cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula (a payment reference is the payer's text)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(statement: Statement) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Date", "Description", "Reference", "Currency", "Debit", "Credit", "Balance"])
    for section in statement.sections:
        cur = section.currency
        writer.writerow(
            [statement.start.isoformat(), "Opening balance", "", cur, "", "", section.opening]
        )
        for row in section.rows:
            writer.writerow(
                [
                    row.day.isoformat(),
                    _cell(row.description),
                    _cell(row.reference),
                    cur,
                    row.debit or "",
                    row.credit or "",
                    row.balance,
                ]
            )
        writer.writerow(
            [statement.end.isoformat(), "Closing balance", "", cur, "", "", section.closing]
        )
    return out.getvalue()
