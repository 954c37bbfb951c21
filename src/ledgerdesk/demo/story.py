"""What the AP and AR stories share: the clock, the batch of rows to write,
amounts that add up, status histories, and payments built from settlements.

Rows are model instances that refer to each other before they are saved; the
batch writes them parents first, and `bulk_create` fills in the foreign keys
from the parents' new primary keys.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from ledgerdesk.ledger.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    Invoice,
    InvoiceLine,
    InvoiceStatusChange,
    Payment,
    PaymentAllocation,
    PurchaseOrder,
    PurchaseOrderLine,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HISTORY_DAYS = 182  # about six months, ending today


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def totals(lines: Iterable[InvoiceLine]) -> tuple[Decimal, Decimal]:
    """Net and tax of a document: tax is worked out per rate, as invoices print it."""
    by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line in lines:
        by_rate[line.tax_rate or ZERO] += line.net_amount
    net = sum(by_rate.values(), ZERO)
    tax = sum((money(amount * rate / 100) for rate, amount in by_rate.items()), ZERO)
    return money(net), money(tax)


def invoice_line(position, description, quantity, unit_code, price, rate, po_line=None):
    """A line whose net is its quantity times its price; the invoice is set by the caller."""
    return InvoiceLine(
        position=position,
        line_id=str(position),
        description=description,
        quantity=quantity,
        unit_code=unit_code,
        unit_price=price,
        net_amount=money(quantity * price),
        tax_rate=rate,
        po_line=po_line,
    )


class Clock:
    """Today and now, and business-hour timestamps on a given day."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.tz = timezone.get_current_timezone()
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.start = self.today - dt.timedelta(days=HISTORY_DAYS)

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def at(self, day: dt.date, first_hour: int = 8, last_hour: int = 17) -> dt.datetime:
        minute = self.rng.randint(first_hour * 60, last_hour * 60 + 59)
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=self.tz)

    def payment_run(self, day: dt.date, step: int = 1) -> dt.date:
        """Our payment runs go out on Tuesdays and Fridays: the first one on or after
        `day` (or, with step=-1, on or before it)."""
        while day.weekday() not in (1, 4):
            day += dt.timedelta(days=step)
        return day


def squeeze(days: list[dt.date], latest: dt.date) -> list[dt.date]:
    """Keep a story's dates in order and none after `latest`."""
    out = list(days)
    out[-1] = min(out[-1], latest)
    for i in range(len(out) - 2, -1, -1):
        out[i] = min(out[i], out[i + 1])
    return out


@dataclass
class Settlement:
    """Money, or a deduction, that settles (part of) one invoice on one day."""

    invoice: Invoice
    day: dt.date
    cash: Decimal
    deduction: Decimal = ZERO
    reason: str = ""


@dataclass
class Batch:
    """Rows waiting to be written, in the order their foreign keys need."""

    orders: list = field(default_factory=list)
    order_lines: list = field(default_factory=list)
    receipts: list = field(default_factory=list)
    receipt_lines: list = field(default_factory=list)
    invoices: list = field(default_factory=list)
    # Credit notes and held duplicates point at an invoice of the same batch,
    # so they are written after it.
    dependent_invoices: list = field(default_factory=list)
    invoice_lines: list = field(default_factory=list)
    status_history: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    allocations: list = field(default_factory=list)

    WRITE_ORDER = (
        ("orders", PurchaseOrder),
        ("order_lines", PurchaseOrderLine),
        ("receipts", GoodsReceipt),
        ("receipt_lines", GoodsReceiptLine),
        ("invoices", Invoice),
        ("dependent_invoices", Invoice),
        ("invoice_lines", InvoiceLine),
        ("status_history", InvoiceStatusChange),
        ("payments", Payment),
        ("allocations", PaymentAllocation),
    )

    @property
    def document_count(self) -> int:
        return len(self.invoices) + len(self.dependent_invoices)

    def flush(self, counts: Counter) -> None:
        for name, model in self.WRITE_ORDER:
            rows = getattr(self, name)
            if rows:
                model.objects.bulk_create(rows, batch_size=2000)
                counts[name] += len(rows)
                rows.clear()


class History:
    """One invoice's status changes, in order, never after now."""

    def __init__(self, clock: Clock, invoice: Invoice):
        self.clock = clock
        self.invoice = invoice
        self.rows: list[InvoiceStatusChange] = []

    def add(self, status, day: dt.date, by: str, note: str = "", hours=(8, 17)):
        at = self.clock.at(day, *hours)
        if self.rows and at <= self.rows[-1].at:
            at = self.rows[-1].at + dt.timedelta(minutes=self.clock.rng.randint(3, 90))
        self.rows.append(
            InvoiceStatusChange(
                invoice=self.invoice, status=status, at=at, by_label=by, note=note[:300]
            )
        )

    def close(self, batch: Batch) -> None:
        """Pull times that would lie in the future back to just before now, keep the
        order, and leave the invoice in its last status."""
        latest = self.clock.now - dt.timedelta(minutes=1)
        for row in reversed(self.rows):
            if row.at > latest:
                row.at = latest
            latest = row.at - dt.timedelta(minutes=1)
        last = self.rows[-1]
        self.invoice.status = last.status
        self.invoice.status_changed_at = last.at
        batch.status_history.extend(self.rows)


def offset_credit(paid: Settlement, credit: Decimal, reason: str) -> None:
    """Settle part of an invoice with a credit note instead of cash (a netted payment)."""
    paid.cash -= credit
    paid.deduction += credit
    paid.reason = f"{paid.reason}; {reason}"[:200] if paid.reason else reason


def apply_settlements(invoice: Invoice, settlements: list[Settlement]) -> None:
    """Set what stays open on the invoice: payable less cash and deductions."""
    settled = sum((s.cash + s.deduction for s in settlements), ZERO)
    invoice.amount_open = invoice.amount_payable - settled


def write_payments(
    batch: Batch,
    party,
    direction: str,
    settlements: list[Settlement],
    reference,
    method: str = Payment.Method.BANK_TRANSFER,
    bank_account=None,
    extra: dict | None = None,
) -> None:
    """One payment per day for a party, allocated to the invoices it settles.

    `reference(numbers)` words the payment's reference from the invoice numbers
    it pays; `extra` maps a day to money paid beyond the invoices (an overpayment).
    """
    by_day: dict[dt.date, list[Settlement]] = defaultdict(list)
    for item in settlements:
        by_day[item.day].append(item)
    for day in sorted(by_day):
        items = by_day[day]
        cash = sum((s.cash for s in items), ZERO) + (extra or {}).get(day, ZERO)
        payment = Payment(
            direction=direction,
            party=party,
            date=day,
            amount=cash,
            currency=items[0].invoice.currency,
            method=method,
            reference=reference([s.invoice.number for s in items])[:140],
            bank_account=bank_account,
        )
        batch.payments.append(payment)
        batch.allocations.extend(
            PaymentAllocation(
                payment=payment,
                invoice=s.invoice,
                amount=s.cash,
                deduction_amount=s.deduction,
                deduction_reason=s.reason[:200],
            )
            for s in items
        )


class Deck:
    """Deals scenarios: first one of each in `showcase` (so even the tiny set has
    every kind of mess), then at random by weight."""

    def __init__(self, rng: random.Random, weights: dict[str, float], showcase: Iterable[str]):
        self.rng = rng
        self.pending = list(showcase)
        self.keys = list(weights)
        self.cum_weights = _cumulative(weights[k] for k in self.keys)
        self._subsets: dict[frozenset, tuple[list[str], list[float]]] = {}
        self.weights = weights

    def draw(self, allowed: frozenset | None = None) -> str:
        for i, scenario in enumerate(self.pending):
            if scenario in self.weights and (allowed is None or scenario in allowed):
                return self.pending.pop(i)
        if allowed is None:
            return self.rng.choices(self.keys, cum_weights=self.cum_weights)[0]
        if allowed not in self._subsets:
            keys = [k for k in self.keys if k in allowed]
            self._subsets[allowed] = (keys, _cumulative(self.weights[k] for k in keys))
        keys, cum_weights = self._subsets[allowed]
        return self.rng.choices(keys, cum_weights=cum_weights)[0]

    def take(self, scenario: str, probability: float) -> bool:
        """For an extra (not an invoice): dealt once for sure, then by chance."""
        if scenario in self.pending:
            self.pending.remove(scenario)
            return True
        return self.rng.random() < probability


def _cumulative(weights: Iterable[float]) -> list[float]:
    out, running = [], 0.0
    for weight in weights:
        running += weight
        out.append(running)
    return out


@dataclass
class Scale:
    name: str
    vendors: int
    customers: int
    both: int  # of the vendors, how many are customers too
    payable_documents: int
    receivable_documents: int
    max_lines: int
    po_share: float  # of the vendor invoices of sectors that order, how many have a PO
    batch_documents: int  # documents per write; large runs commit per batch


SCALES = {
    "tiny": Scale("tiny", 8, 6, 2, 36, 24, 3, 0.85, 5000),
    "standard": Scale("standard", 300, 150, 15, 4500, 2500, 5, 0.85, 5000),
    "large": Scale("large", 13_500, 7_000, 500, 650_000, 350_000, 1, 0.5, 8000),
}


@dataclass
class Context:
    """Everything a party's story needs besides the party."""

    rng: random.Random
    clock: Clock
    scale: Scale
    approvers: list[tuple[str, str]]  # (name, cost centre)
    ap_clerks: list[str]
    ar_clerks: list[str]
    buyers: list[str]
    ap_deck: Deck
    ar_deck: Deck
    batch: Batch = field(default_factory=Batch)
    tally: Counter = field(default_factory=Counter)
    next_po: int = 4500010001
    next_receipt: int = 5000010001
    sales_counters: dict = field(default_factory=dict)

    def po_number(self) -> str:
        self.next_po += 1
        return str(self.next_po - 1)

    def receipt_number(self) -> str:
        self.next_receipt += 1
        return str(self.next_receipt - 1)

    def sales_number(self, day: dt.date, prefix: str) -> str:
        """Our own (AR) numbers, SI for invoices and SC for credit notes: counted per
        issue day, as the ERP's billing run makes them."""
        count = self.sales_counters.get((prefix, day), 0) + 1
        self.sales_counters[(prefix, day)] = count
        return f"{prefix}-{day:%y%m%d}-{count:04d}"
