"""One vendor invoice and its story: received, routed for approval, approved, scheduled
and paid, or stuck, held, disputed, refused or cancelled on the way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ledgerdesk.demo import catalog
from ledgerdesk.demo.purchasing import MISMATCH, purchase_order, tax_rate
from ledgerdesk.demo.story import (
    HISTORY_DAYS,
    Context,
    History,
    Settlement,
    invoice_line,
    squeeze,
    totals,
)
from ledgerdesk.ledger.models import Direction, Invoice, InvoiceLine, PurchaseOrder

S = Invoice.Status
DAY = dt.timedelta(days=1)
TALLIED = {
    "late_approval": "ap_late_approvals",
    "price_mismatch": "ap_price_mismatches",
    "qty_mismatch": "ap_quantity_mismatches",
}
AWAITING_RECEIPT = "Awaiting goods receipt from the warehouse"
SOURCES = ("AP inbox (e-mail)", "Peppol network", "Scanning service", "ERP import")


@dataclass
class Doc:
    invoice: Invoice
    scenario: str
    received: dt.date
    lines: list[InvoiceLine]
    pay_day: dt.date | None = None
    settlements: list[Settlement] = field(default_factory=list)


def age(ctx: Context, scenario: str, terms: int) -> int:
    low, high = {
        "paid": (max(terms - 8, 12), HISTORY_DAYS),
        "scheduled": (4, max(5, terms - 1)),
        "approved": (3, max(4, terms - 4)),
        "in_approval": (1, 12),
        "late_approval": (24, 75),
        "received": (0, 3),
        "price_mismatch": (4, 50),
        "qty_mismatch": (4, 50),
        "on_hold": (4, 80),
        "disputed": (8, 120),
        "cancelled": (8, 170),
        "rejected": (5, 150),
    }[scenario]
    return ctx.rng.randint(low, high)


def new_invoice(ctx, vendor, number, issue, lines, kind=Invoice.Kind.INVOICE, **fields):
    net, tax = totals(lines)
    invoice = Invoice(
        direction=Direction.PAYABLE,
        kind=kind,
        party=vendor.party,
        number=number,
        issue_date=issue,
        due_date=issue + dt.timedelta(days=vendor.terms),
        currency=vendor.currency,
        net_amount=net,
        tax_amount=tax,
        total_amount=net + tax,
        amount_payable=net + tax,
        amount_open=net + tax,
        payment_reference=number,
        source=Invoice.Source.DEMO,
        source_name="ledgerdesk demo",
        **fields,
    )
    for line in lines:
        line.invoice = invoice
    ctx.batch.invoice_lines.extend(lines)
    ctx.tally[f"ap_{kind}"] += 1
    return invoice


def free_lines(ctx: Context, vendor, issue: dt.date, line_count: int) -> list[InvoiceLine]:
    rng = ctx.rng
    lines = []
    for position, item in enumerate(rng.sample(vendor.sector.items, line_count), start=1):
        description = item.description
        if item.unit_code == "MON":
            description = f"{description}, {catalog.MONTHS[issue.month - 1]} {issue.year}"
        price = catalog.unit_price(rng, item)
        lines.append(
            invoice_line(
                position,
                description,
                catalog.quantity(rng, item),
                item.unit_code,
                price,
                tax_rate(ctx, vendor),
            )
        )
    return lines


def vendor_invoice(ctx: Context, vendor, scenario: str, issue: dt.date, number: str) -> Doc:
    rng, clock = ctx.rng, ctx.clock
    line_count = min(
        rng.choices((1, 2, 3, 4, 5), weights=(35, 25, 20, 12, 8))[0],
        ctx.scale.max_lines,
        len(vendor.sector.items),
    )
    hold = rng.choice(catalog.HOLD_REASONS) if scenario == "on_hold" else ""
    with_order = scenario in MISMATCH or (
        vendor.sector.uses_purchase_orders
        and rng.random() < ctx.scale.po_share
        and not hold.startswith("PO number missing")
    )
    order, note = None, ""
    if with_order:
        order, lines, note, no_receipt = purchase_order(ctx, vendor, scenario, issue, line_count)
        if scenario == "on_hold" and no_receipt:
            hold = AWAITING_RECEIPT
        elif hold == AWAITING_RECEIPT:
            hold = catalog.HOLD_REASONS[2]
    else:
        lines = free_lines(ctx, vendor, issue, line_count)
        if hold == AWAITING_RECEIPT:
            hold = catalog.HOLD_REASONS[0]
    approver, cost_centre = vendor.approver
    if rng.random() < 0.2:
        approver, cost_centre = rng.choice(ctx.approvers)
    invoice = new_invoice(
        ctx,
        vendor,
        number,
        issue,
        lines,
        purchase_order=order,
        po_reference=order.number if order else "",
        buyer_reference=cost_centre,
    )
    received = min(issue + dt.timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 5))), clock.today)
    doc = Doc(invoice, scenario, received, lines)
    if scenario in TALLIED:
        ctx.tally[TALLIED[scenario]] += 1
    history = History(clock, invoice)
    history.add(S.RECEIVED, received, rng.choice(SOURCES), hours=(7, 18))
    clerk = rng.choice(ctx.ap_clerks)
    route = f"Routed to {approver} ({cost_centre})"
    if scenario in MISMATCH:
        if scenario == "price_mismatch" and rng.random() < 0.25:
            history.add(S.IN_APPROVAL, received, "Three-way match", f"{note}; sent to the buyer")
        else:
            history.add(S.ON_HOLD, received, "Three-way match", note)
            invoice.hold_reason = note
    elif scenario == "on_hold":
        history.add(S.IN_APPROVAL, received, "Approval workflow", route)
        history.add(S.ON_HOLD, min(received + DAY * rng.randint(0, 3), clock.today), clerk, hold)
        invoice.hold_reason = hold
    elif scenario == "cancelled":
        day = min(received + DAY * rng.randint(1, 10), clock.today)
        history.add(S.CANCELLED, day, clerk, rng.choice(catalog.AP_CANCEL_REASONS))
    elif scenario == "received":
        pass
    else:
        history.add(
            S.IN_APPROVAL, received + DAY * rng.choice((0, 0, 1)), "Approval workflow", route
        )
        approval_story(ctx, vendor, doc, history, approver)
    history.close(ctx.batch)
    received_in_full = order is not None and order.status == PurchaseOrder.Status.RECEIVED
    if received_in_full and doc.pay_day and rng.random() < 0.6:
        order.status = PurchaseOrder.Status.CLOSED
    ctx.batch.invoices.append(invoice)
    return doc


def approval_story(ctx: Context, vendor, doc: Doc, history: History, approver: str) -> None:
    """From "in approval" on: approved, scheduled and paid, or stuck, or refused."""
    rng, clock, invoice = ctx.rng, ctx.clock, doc.invoice
    scenario = doc.scenario
    start = history.rows[-1].at.date()
    if scenario in ("in_approval", "late_approval"):
        return  # still waiting: for a few days, or (late) for weeks
    decided = start + DAY * rng.choice((0, 1, 1, 2, 2, 3, 4, 5, 7, 9, 12))
    if scenario == "disputed":
        day = min(decided, clock.today)
        history.add(
            S.DISPUTED, day, rng.choice(ctx.ap_clerks), rng.choice(catalog.AP_DISPUTE_REASONS)
        )
        return
    if scenario == "rejected":
        day = min(decided, clock.today)
        history.add(S.REJECTED, day, approver, rng.choice(catalog.AP_REJECT_REASONS))
        return
    if scenario == "approved":
        history.add(S.APPROVED, min(decided, clock.today), approver, hours=(8, 19))
        return
    scheduled = decided + DAY * rng.randint(0, 2)
    if scenario == "scheduled":
        approved, scheduled = squeeze([decided, scheduled], clock.today)
        run = clock.payment_run(max(invoice.due_date - DAY * 2, clock.today + DAY))
        history.add(S.APPROVED, approved, approver, hours=(8, 19))
        history.add(S.SCHEDULED, scheduled, "Payment proposal", f"Payment run {run:%d %b %Y}")
        invoice.scheduled_payment_date = run
        return
    # Paid: in the payment run just before the due date, or (one in six) late.
    target = invoice.due_date - DAY * rng.randint(0, 3)
    if rng.random() < 0.16:
        target = invoice.due_date + DAY * rng.randint(5, 30)
    pay_day = clock.payment_run(max(target, scheduled + DAY))
    if pay_day >= clock.today:
        pay_day = clock.payment_run(clock.today - DAY, step=-1)
    approved, scheduled, pay_day = squeeze([decided, scheduled, pay_day], clock.today - DAY)
    history.add(S.APPROVED, approved, approver, hours=(8, 19))
    history.add(S.SCHEDULED, scheduled, "Payment proposal", f"Payment run {pay_day:%d %b %Y}")
    history.add(S.PAID, pay_day, "Bank statement", "Paid in the payment run", hours=(6, 9))
    invoice.scheduled_payment_date = pay_day
    doc.pay_day = pay_day
    doc.settlements.append(Settlement(invoice, pay_day, invoice.amount_payable))
