"""A vendor's six months with us (AP): orders, receipts, invoices, approvals, payment runs,
and the usual mess: late approvals, price and quantity mismatches, duplicates, holds,
disputes, cancellations and credit notes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ledgerdesk.demo import catalog
from ledgerdesk.demo.story import (
    ZERO,
    Context,
    History,
    Settlement,
    apply_settlements,
    invoice_line,
    money,
    offset_credit,
    write_payments,
)
from ledgerdesk.demo.vendor_invoices import (
    SOURCES,
    Doc,
    age,
    approval_story,
    new_invoice,
    vendor_invoice,
)
from ledgerdesk.ledger.models import Direction, Invoice, InvoiceLine, Payment

S = Invoice.Status
DAY = dt.timedelta(days=1)

WEIGHTS = {
    "paid": 60, "scheduled": 6, "approved": 4, "in_approval": 4, "late_approval": 3,
    "received": 3, "price_mismatch": 3, "qty_mismatch": 3, "on_hold": 2.5, "disputed": 2,
    "cancelled": 1.5, "rejected": 1, "near_duplicate": 1.5, "exact_duplicate": 0.5,
    "credit_note": 2,
}  # fmt: skip
SHOWCASE = [k for k in WEIGHTS if k != "paid"]
# A vendor's first document is an ordinary one, so that a duplicate or a credit
# note always has an invoice to copy or correct.
FIRST = frozenset({"paid", "scheduled", "approved"})
DEPENDENT = frozenset({"near_duplicate", "exact_duplicate", "credit_note"})


def write_vendor(ctx: Context, vendor, count: int) -> None:
    rng = ctx.rng
    scenarios = [ctx.ap_deck.draw(FIRST)] + [ctx.ap_deck.draw() for _ in range(count - 1)]
    base = sorted(
        ((ctx.clock.ago(age(ctx, s, vendor.terms)), s) for s in scenarios if s not in DEPENDENT),
        key=lambda pair: pair[0],
    )
    docs: list[Doc] = []
    used: set[str] = set()
    for issue, scenario in base:
        vendor.counter += rng.randint(1, 25)
        number = catalog.vendor_number(vendor.style[0], vendor.counter, issue.year)
        used.add(number)
        docs.append(vendor_invoice(ctx, vendor, scenario, issue, number))
    dependents = [s for s in scenarios if s in DEPENDENT]
    targets = [d for d in docs[: len(base)] if d.scenario not in ("cancelled", "rejected")]
    credits = []
    for scenario in dependents:
        if scenario == "near_duplicate":
            docs.append(_near_duplicate(ctx, vendor, rng.choice(targets), used))
        elif scenario == "exact_duplicate":
            docs.append(_exact_duplicate(ctx, vendor, rng.choice(targets)))
        else:
            target = rng.choice(targets)
            day = target.invoice.issue_date + DAY * rng.randint(3, 40)
            credits.append((min(day, ctx.clock.today), target))
    credits.sort(key=lambda pair: pair[0])
    for issue, target in credits:
        docs.append(_credit_note(ctx, vendor, target, issue))
    settlements = []
    for doc in docs:
        apply_settlements(doc.invoice, doc.settlements)
        settlements.extend(doc.settlements)
    write_payments(
        ctx.batch,
        vendor.party,
        Direction.PAYABLE,
        settlements,
        lambda numbers: "Payment run: " + ", ".join(numbers),
        method=Payment.Method.DIRECT_DEBIT if vendor.direct_debit else Payment.Method.BANK_TRANSFER,
        bank_account=None if vendor.direct_debit else vendor.bank_account,
    )


def _copy_lines(doc: Doc) -> list[InvoiceLine]:
    return [
        invoice_line(c.position, c.description, c.quantity, c.unit_code, c.unit_price, c.tax_rate,
              c.po_line)
        for c in doc.lines
    ]  # fmt: skip


def _near_duplicate(ctx: Context, vendor, target: Doc, used: set[str]) -> Doc:
    """The same invoice again under a number typed slightly differently: the copy a
    vendor sends with a reminder. One in four got through and was paid twice."""
    rng, clock = ctx.rng, ctx.clock
    number = catalog.near_same_number(target.invoice.number, rng)
    while number in used:
        number = catalog.near_same_number(number, rng)
    used.add(number)
    source = target.invoice
    invoice = new_invoice(
        ctx,
        vendor,
        number,
        source.issue_date,
        _copy_lines(target),
        purchase_order=source.purchase_order,
        po_reference=source.po_reference,
        buyer_reference=source.buyer_reference,
    )
    received = min(target.received + DAY * rng.randint(3, 25), clock.today)
    doc = Doc(invoice, "near_duplicate", received, [])
    history = History(clock, invoice)
    history.add(S.RECEIVED, received, "AP inbox (e-mail)", "Copy sent with a payment reminder")
    approver = vendor.approver[0]
    history.add(S.IN_APPROVAL, received, "Approval workflow", f"Routed to {approver}")
    waited = (clock.today - received).days
    if waited >= 12 and rng.random() < 0.25:
        doc.scenario = "paid"
        approval_story(ctx, vendor, doc, history, approver)
        ctx.tally["ap_paid_twice"] += 1
    elif waited >= 4 and rng.random() < 0.5:
        history.add(S.APPROVED, received + DAY * rng.randint(1, 3), approver)
    history.close(ctx.batch)
    ctx.batch.invoices.append(invoice)
    ctx.tally["ap_near_duplicates"] += 1
    return doc


def _exact_duplicate(ctx: Context, vendor, target: Doc) -> Doc:
    """The same number again with a new date: held beside the original for review."""
    rng, clock = ctx.rng, ctx.clock
    source = target.invoice
    issue = min(source.issue_date + DAY * rng.randint(2, 20), clock.today)
    invoice = new_invoice(
        ctx,
        vendor,
        source.number,
        issue,
        _copy_lines(target),
        purchase_order=source.purchase_order,
        po_reference=source.po_reference,
        buyer_reference=source.buyer_reference,
        duplicate_of=source,
    )
    received = min(max(issue, target.received) + DAY * rng.randint(0, 5), clock.today)
    reason = (
        f"Suspected duplicate of invoice {source.number} received {target.received:%d %b %Y}: "
        "same vendor and number, different date"
    )
    history = History(clock, invoice)
    history.add(S.RECEIVED, received, "Peppol network")
    history.add(S.ON_HOLD, received, "Duplicate check", reason)
    invoice.hold_reason = reason
    history.close(ctx.batch)
    ctx.batch.dependent_invoices.append(invoice)
    ctx.tally["ap_exact_duplicates"] += 1
    return Doc(invoice, "exact_duplicate", received, [])


def _credit_note(ctx: Context, vendor, target: Doc, issue: dt.date) -> Doc:
    """A credit note correcting `target`. If the target was still to be paid, the
    payment run nets the two: the invoice is paid less the credit, and both close."""
    rng, clock = ctx.rng, ctx.clock
    source = target.invoice
    reason = rng.choice(catalog.CREDIT_REASONS)
    share = Decimal(rng.randint(3, 25)) / 100
    first = target.lines[0] if target.lines else None
    rate = first.tax_rate if first else vendor.country.vat_rate
    price = max(money(source.net_amount * share), Decimal("1.00"))
    line = invoice_line(1, f"{reason}, invoice {source.number}", Decimal(1), "C62", price, rate)
    vendor.credit_counter += rng.randint(1, 6)
    number = catalog.vendor_number(vendor.style[1], vendor.credit_counter, issue.year)
    invoice = new_invoice(
        ctx,
        vendor,
        number,
        issue,
        [line],
        kind=Invoice.Kind.CREDIT_NOTE,
        corrects=source,
        buyer_reference=source.buyer_reference,
        po_reference=source.po_reference,
    )
    received = min(issue + DAY * rng.randint(0, 3), clock.today)
    doc = Doc(invoice, "credit_note", received, [line])
    history = History(clock, invoice)
    history.add(S.RECEIVED, received, rng.choice(SOURCES))
    clerk = rng.choice(ctx.ap_clerks)
    history.add(S.APPROVED, received + DAY * rng.randint(0, 2), clerk, f"Corrects {source.number}")
    credit = invoice.amount_payable
    paid = target.settlements[0] if len(target.settlements) == 1 else None
    if (
        paid is not None
        and target.pay_day is not None
        and target.pay_day > received + DAY * 2
        and credit < paid.cash
    ):
        offset_credit(paid, credit, f"Offset by credit note {number}")
        doc.settlements.append(
            Settlement(
                invoice, target.pay_day, ZERO, credit, f"Offset against invoice {source.number}"
            )
        )
        history.add(S.PAID, target.pay_day, "Bank statement", "Offset in the payment run", (6, 9))
        ctx.tally["ap_credit_notes_offset"] += 1
    history.close(ctx.batch)
    ctx.batch.dependent_invoices.append(invoice)
    return doc
