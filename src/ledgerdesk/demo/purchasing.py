"""Purchase orders and goods receipts behind vendor invoices: the first two legs of a
three-way match, and the invoice lines a vendor bills against them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ledgerdesk.demo import catalog
from ledgerdesk.demo.story import ZERO, Context, invoice_line, money
from ledgerdesk.ledger.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    PurchaseOrder,
    PurchaseOrderLine,
)

MISMATCH = frozenset({"price_mismatch", "qty_mismatch"})


def tax_rate(ctx, vendor) -> Decimal:
    # Dutch suppliers charge the reduced 9 % on some lines (food, books, events).
    if vendor.country.code == "NL" and ctx.rng.random() < 0.1:
        return Decimal("9")
    return vendor.country.vat_rate


def purchase_order(ctx: Context, vendor, scenario: str, issue: dt.date, line_count: int):
    """A purchase order with its lines and usually a goods receipt, and the
    invoice lines the vendor bills against it (with a mismatch if the story says so).

    Returns (order, invoice lines without an invoice yet, hold note).
    """
    rng = ctx.rng
    items = rng.sample(vendor.sector.items, line_count)
    order_day = issue - dt.timedelta(days=rng.randint(5, 40))
    approver = vendor.approver
    order = PurchaseOrder(
        party=vendor.party,
        number=ctx.po_number(),
        order_date=order_day,
        currency=vendor.currency,
        requester=rng.choice(ctx.buyers),
        cost_centre=approver[1],
    )
    ctx.batch.orders.append(order)
    order_lines = []
    for position, item in enumerate(items, start=1):
        quantity = catalog.quantity(rng, item)
        if scenario == "qty_mismatch" and position == 1:
            quantity = max(quantity, Decimal(4))
        order_lines.append(
            PurchaseOrderLine(
                order=order,
                position=position,
                description=item.description,
                quantity=quantity,
                unit_price=catalog.unit_price(rng, item),
            )
        )
    ctx.batch.order_lines.extend(order_lines)
    order.total_amount = money(sum((ol.quantity * ol.unit_price for ol in order_lines), ZERO))

    no_receipt = (scenario in ("received", "in_approval") and rng.random() < 0.3) or (
        scenario not in MISMATCH and rng.random() < 0.04
    )
    partial = scenario == "qty_mismatch" or (not no_receipt and rng.random() < 0.08)
    received = {ol.position: ol.quantity for ol in order_lines}
    if partial:
        first = order_lines[0]
        if first.quantity < 2:
            first.quantity = Decimal(2)
        short = Decimal(max(1, int(first.quantity * Decimal(rng.uniform(0.4, 0.9)))))
        received[1] = min(short, first.quantity - 1)
    if no_receipt:
        order.status = PurchaseOrder.Status.OPEN
    else:
        receipt = GoodsReceipt(
            order=order,
            number=ctx.receipt_number(),
            received_on=min(order_day + dt.timedelta(days=rng.randint(1, 12)), issue),
            received_by=rng.choice(ctx.buyers),
        )
        ctx.batch.receipts.append(receipt)
        ctx.batch.receipt_lines.extend(
            GoodsReceiptLine(receipt=receipt, order_line=ol, quantity=received[ol.position])
            for ol in order_lines
        )
        order.status = (
            PurchaseOrder.Status.PARTLY_RECEIVED if partial else PurchaseOrder.Status.RECEIVED
        )

    lines, note = [], ""
    mismatch_line = rng.randint(1, len(order_lines))
    for ol in order_lines:
        billed = received[ol.position] if not no_receipt else ol.quantity
        price = ol.unit_price
        unit = items[ol.position - 1].unit_code
        if scenario == "qty_mismatch" and ol.position == 1:
            billed = ol.quantity
            note = (
                f"Quantity mismatch on line 1: billed {billed:f}, received {received[1]:f} "
                f"(PO {order.number})"
            )
        if scenario == "price_mismatch" and ol.position == mismatch_line:
            price = money(ol.unit_price * (1 + Decimal(rng.randint(3, 15)) / 100))
            note = (
                f"Price mismatch on line {ol.position}: invoiced {price} {vendor.currency}, "
                f"PO {order.number} says {money(ol.unit_price)}"
            )
        lines.append(
            invoice_line(
                ol.position, ol.description, billed, unit, price, tax_rate(ctx, vendor), ol
            )
        )
    ctx.tally["goods_receipts_partial"] += int(partial and not no_receipt)
    return order, lines, note, no_receipt
