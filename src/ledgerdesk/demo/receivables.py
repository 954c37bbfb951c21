"""A customer's six months with us (AR): our invoices, their payments, and the usual
mess: late payers, short payments with and without a reason, instalments,
overpayments, payments nobody could place, disputes and credit notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ledgerdesk.demo import catalog
from ledgerdesk.demo.story import (
    HISTORY_DAYS,
    ZERO,
    Context,
    History,
    Settlement,
    apply_settlements,
    invoice_line,
    money,
    offset_credit,
    totals,
    write_payments,
)
from ledgerdesk.ledger.models import Direction, Invoice, InvoiceLine, Payment

S = Invoice.Status
DAY = dt.timedelta(days=1)

WEIGHTS = {
    "paid_on_time": 55, "paid_late": 15, "issued": 12, "overdue": 6, "short_deduction": 3,
    "short_open": 2, "instalments": 1, "overpaid": 1, "disputed": 3, "cancelled": 1,
    "credit_note": 1.5,
}  # fmt: skip
SHOWCASE = [k for k in WEIGHTS if k != "paid_on_time"] + ["unapplied"]
FIRST = frozenset({"paid_on_time", "paid_late", "issued", "overdue"})
UNAPPLIED_SHARE = 0.06  # of customers, with a payment nobody could place yet


@dataclass
class Doc:
    invoice: Invoice
    scenario: str
    lines: list[InvoiceLine]
    pay_day: dt.date | None = None
    settlements: list[Settlement] = field(default_factory=list)


def _age(ctx: Context, scenario: str, terms: int) -> int:
    paid = (max(terms - 5, 7), HISTORY_DAYS)
    low, high = {
        "paid_on_time": paid,
        "short_deduction": paid,
        "short_open": paid,
        "overpaid": paid,
        "paid_late": (terms + 6, HISTORY_DAYS),
        "instalments": (terms + 35, HISTORY_DAYS),
        "issued": (0, terms - 1),
        "overdue": (terms + 1, HISTORY_DAYS),
        "disputed": (10, 150),
        "cancelled": (5, 170),
    }[scenario]
    return ctx.rng.randint(low, high)


def write_customer(ctx: Context, customer, count: int) -> None:
    rng = ctx.rng
    scenarios = [ctx.ar_deck.draw(FIRST)] + [ctx.ar_deck.draw() for _ in range(count - 1)]
    base = sorted(
        (ctx.clock.ago(_age(ctx, s, customer.terms)), s) for s in scenarios if s != "credit_note"
    )
    docs = [_invoice(ctx, customer, scenario, issue) for issue, scenario in base]
    targets = [d for d in docs if d.scenario != "cancelled"]
    credits = []
    for _ in range(scenarios.count("credit_note")):
        target = rng.choice(targets)
        credits.append(
            (min(target.invoice.issue_date + DAY * rng.randint(5, 45), ctx.clock.today), target)
        )
    credits.sort(key=lambda pair: pair[0])
    for issue, target in credits:
        docs.append(_credit_note(ctx, customer, target, issue))

    settlements, extra = [], {}
    for doc in docs:
        apply_settlements(doc.invoice, doc.settlements)
        settlements.extend(doc.settlements)
        if doc.scenario == "overpaid":
            paid = doc.invoice.amount_payable
            over = (paid // 100 + 1) * 100 - paid
            extra[doc.pay_day] = extra.get(doc.pay_day, ZERO) + money(over)
            ctx.tally["ar_overpayments"] += 1

    def reference(numbers: list[str]) -> str:
        if len(numbers) > 4:
            return "See remittance advice sent by e-mail"
        if len(numbers) > 1:
            return ", ".join(numbers)
        number = numbers[0]
        return rng.choice((number, f"Invoice {number}", number.replace("-", ""), f"INV {number}"))

    method = Payment.Method.DIRECT_DEBIT if customer.direct_debit else Payment.Method.BANK_TRANSFER
    write_payments(
        ctx.batch, customer.party, Direction.RECEIVABLE, settlements, reference, method,
        extra=extra,
    )  # fmt: skip
    if ctx.ar_deck.take("unapplied", UNAPPLIED_SHARE):
        _unapplied_payment(ctx, customer, docs)


def _new_invoice(ctx, customer, number, issue, lines, kind=Invoice.Kind.INVOICE, **fields):
    net, tax = totals(lines)
    invoice = Invoice(
        direction=Direction.RECEIVABLE,
        kind=kind,
        party=customer.party,
        number=number,
        issue_date=issue,
        due_date=issue + dt.timedelta(days=customer.terms),
        currency=customer.currency,
        net_amount=net,
        tax_amount=tax,
        total_amount=net + tax,
        amount_payable=net + tax,
        amount_open=net + tax,
        payment_reference=catalog.creditor_reference(ctx.rng),
        source=Invoice.Source.DEMO,
        source_name="ledgerdesk demo",
        **fields,
    )
    for line in lines:
        line.invoice = invoice
    ctx.batch.invoice_lines.extend(lines)
    ctx.tally[f"ar_{kind}"] += 1
    return invoice


def _line(position, item, quantity, price, rate) -> InvoiceLine:
    return invoice_line(position, item.description, quantity, item.unit_code, price, rate)


def _pay_day(ctx: Context, customer, invoice: Invoice, late: bool) -> dt.date:
    rng, clock = ctx.rng, ctx.clock
    due = invoice.due_date
    if late:
        day = due + DAY * rng.randint(5, 45)
    elif customer.direct_debit:
        day = due
    else:
        day = due + DAY * rng.randint(-10, 1)
        if customer.pay_weekday is not None:  # their weekly payment run
            day -= DAY * ((day.weekday() - customer.pay_weekday) % 7)
    return max(min(day, clock.today - DAY), invoice.issue_date + DAY)


def _invoice(ctx: Context, customer, scenario: str, issue: dt.date) -> Doc:
    rng, clock = ctx.rng, ctx.clock
    rate = customer.country.vat_rate
    count = min(rng.choices((1, 2, 3, 4), weights=(40, 30, 20, 10))[0], ctx.scale.max_lines)
    lines = []
    for position, item in enumerate(rng.sample(catalog.PRODUCTS, count), start=1):
        price = catalog.unit_price(rng, item)
        lines.append(_line(position, item, catalog.quantity(rng, item), price, rate))
    freight = None
    if ctx.scale.max_lines > 1 and rng.random() < 0.4:
        price = catalog.unit_price(rng, catalog.FREIGHT)
        freight = _line(len(lines) + 1, catalog.FREIGHT, Decimal(1), price, rate)
        lines.append(freight)
    invoice = _new_invoice(
        ctx,
        customer,
        ctx.sales_number(issue, "SI"),
        issue,
        lines,
        buyer_reference=f"PO {rng.randint(100000, 999999)}",
    )
    doc = Doc(invoice, scenario, lines)
    history = History(clock, invoice)
    history.add(S.ISSUED, issue, "Billing run", hours=(17, 20))
    payable = invoice.amount_payable
    if scenario in ("paid_on_time", "paid_late", "short_deduction", "overpaid"):
        doc.pay_day = _pay_day(ctx, customer, invoice, late=scenario == "paid_late")
        deduction, reason = ZERO, ""
        if scenario == "short_deduction":
            deduction, reason = _deduction(ctx, invoice, freight)
            ctx.tally["ar_short_payments"] += 1
        doc.settlements.append(
            Settlement(invoice, doc.pay_day, payable - deduction, deduction, reason)
        )
        note = f"Bank statement of {doc.pay_day:%d %b %Y}"
        history.add(S.PAID, doc.pay_day, "Cash application", note, hours=(9, 16))
    elif scenario == "short_open":
        short = rng.choice((Decimal("12.50"), Decimal("25.00"), money(payable * Decimal("0.03"))))
        doc.pay_day = _pay_day(ctx, customer, invoice, late=False)
        doc.settlements.append(Settlement(invoice, doc.pay_day, payable - short))
        ctx.tally["ar_short_payments"] += 1
    elif scenario == "instalments":
        first_day = _pay_day(ctx, customer, invoice, late=False)
        second_day = min(first_day + DAY * rng.randint(20, 40), clock.today - DAY)
        half = money(payable / 2)
        doc.settlements.append(Settlement(invoice, first_day, half))
        doc.settlements.append(Settlement(invoice, second_day, payable - half))
        history.add(S.PAID, second_day, "Cash application", "Second instalment", hours=(9, 16))
    elif scenario == "disputed":
        day = min(issue + DAY * rng.randint(5, 40), clock.today)
        by = rng.choice((*ctx.ar_clerks, "Customer portal"))
        history.add(S.DISPUTED, day, by, rng.choice(catalog.AR_DISPUTE_REASONS))
    elif scenario == "cancelled":
        day = min(issue + DAY * rng.randint(1, 10), clock.today)
        history.add(
            S.CANCELLED, day, rng.choice(ctx.ar_clerks), rng.choice(catalog.AR_CANCEL_REASONS)
        )
    history.close(ctx.batch)
    ctx.batch.invoices.append(invoice)
    return doc


def _deduction(ctx: Context, invoice: Invoice, freight: InvoiceLine | None) -> tuple[Decimal, str]:
    """What a customer kept back from an invoice, and the reason on their remittance."""
    rng = ctx.rng
    payable = invoice.amount_payable
    reason = rng.choice(catalog.DEDUCTION_REASONS)
    if freight is not None and rng.random() < 0.6:
        reason = "freight charge disputed"
    if reason == "freight charge disputed" and freight is not None:
        amount = money(freight.net_amount * (1 + (freight.tax_rate or ZERO) / 100))
    elif reason.startswith("early payment discount"):
        amount = money(payable * Decimal("0.02"))
    elif reason == "bank charges deducted":
        amount = rng.choice((Decimal("15.00"), Decimal("25.00")))
    else:
        amount = money(payable * Decimal(rng.randint(3, 12)) / 100)
        if reason == "freight charge disputed":
            reason = "price difference against the quotation"
    return min(amount, money(payable / 2)), reason


def _credit_note(ctx: Context, customer, target: Doc, issue: dt.date) -> Doc:
    """A credit note we issue against `target`; if the customer had not paid yet,
    they pay the invoice less the credit and both close."""
    rng, clock = ctx.rng, ctx.clock
    source = target.invoice
    freight = next(
        (line for line in target.lines if line.description == catalog.FREIGHT.description), None
    )
    if freight is not None:
        item, price, reason = catalog.FREIGHT, freight.unit_price, "Freight charged in error"
    else:
        share = Decimal(rng.randint(5, 25)) / 100
        price = max(money(source.net_amount * share), Decimal("1.00"))
        item, reason = catalog.PRODUCTS[0], rng.choice(catalog.CREDIT_REASONS)
    rate = target.lines[0].tax_rate
    line = _line(1, item, Decimal(1), price, rate)
    line.description = f"{reason}, invoice {source.number}"
    invoice = _new_invoice(
        ctx,
        customer,
        ctx.sales_number(issue, "SC"),
        issue,
        [line],
        kind=Invoice.Kind.CREDIT_NOTE,
        corrects=source,
        buyer_reference=source.buyer_reference,
    )
    doc = Doc(invoice, "credit_note", [line])
    history = History(clock, invoice)
    history.add(S.ISSUED, issue, rng.choice(ctx.ar_clerks), f"Corrects {source.number}")
    credit = invoice.amount_payable
    paid = target.settlements[0] if len(target.settlements) == 1 else None
    if (
        target.scenario in ("paid_on_time", "paid_late")
        and paid is not None
        and paid.day > issue + DAY * 2
        and credit < paid.cash
    ):
        offset_credit(paid, credit, f"Credit note {invoice.number} applied")
        doc.settlements.append(
            Settlement(invoice, paid.day, ZERO, credit, f"Applied to invoice {source.number}")
        )
        history.add(S.PAID, paid.day, "Cash application", "Applied with the invoice", (9, 16))
    history.close(ctx.batch)
    ctx.batch.dependent_invoices.append(invoice)
    return doc


def _unapplied_payment(ctx: Context, customer, docs: list[Doc]) -> None:
    """Money in from the customer that names no invoice we can find: it waits on account.
    Often it is exactly one open invoice's amount, which is what cash application looks for."""
    rng, clock = ctx.rng, ctx.clock
    open_docs = [d for d in docs if d.invoice.amount_open > 0 and d.invoice.status == S.ISSUED]
    if open_docs and rng.random() < 0.6:
        amount = rng.choice(open_docs).invoice.amount_payable
    else:
        amount = Decimal(rng.randint(25000, 900000)) / 100
    ctx.batch.payments.append(
        Payment(
            direction=Direction.RECEIVABLE,
            party=customer.party,
            date=clock.today - DAY * rng.randint(1, 45),
            amount=amount,
            currency=customer.currency,
            reference=rng.choice(catalog.UNAPPLIED_REFERENCES),
        )
    )
    ctx.tally["ar_unapplied_payments"] += 1
