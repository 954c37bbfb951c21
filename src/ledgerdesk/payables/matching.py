"""Two- and three-way match: what a vendor billed against what we ordered and received.

Pure: plain dataclasses in, a `Result` out; no Django, no database, no clock. Every finding is
a sentence a vendor understands as well as an agent ("you billed 12, we received 10"), so the
portal and the console show the same words.

- Two-way: invoice lines against the order's lines (quantity ordered, price agreed).
- Three-way: also against what the goods receipts say arrived (quantity received).

A line is paired with the order line it names; a line that names none is paired with the order
line that describes the same thing (words in common, then the closest price). A billed price
above the agreed one by more than the tolerance is a mismatch; within it, the line passes and
says so. Billing below the agreed price is never held against the vendor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")

OK = "ok"
WITHIN = "within_tolerance"
MISMATCH = "mismatch"

TWO_WAY = "two_way"
THREE_WAY = "three_way"
NO_ORDER = "no_order"


@dataclass(frozen=True)
class Tolerance:
    """How far a bill may stray from the order before a person must look."""

    price_pct: Decimal = Decimal("2")  # unit price above the order's, in per cent
    quantity_pct: Decimal = Decimal("0")  # quantity above what was received (or ordered)
    amount: Decimal = Decimal("5.00")  # the whole bill above the matched value, in its currency
    require_receipt: bool = True  # three-way (goods) or two-way (services, subscriptions)


@dataclass(frozen=True)
class OrderLine:
    key: int
    position: int
    description: str
    quantity: Decimal
    unit_price: Decimal
    received: Decimal = ZERO  # sum of the goods receipts against this line
    invoiced_before: Decimal = ZERO  # quantity already billed on the vendor's other invoices


@dataclass(frozen=True)
class BilledLine:
    key: int
    position: int
    description: str
    quantity: Decimal
    net_amount: Decimal
    unit_price: Decimal | None = None
    order_line_key: int | None = None  # when the invoice (or the importer) named the order line


@dataclass(frozen=True)
class Finding:
    kind: str  # price, quantity, not_received, not_ordered, arithmetic, total, no_order
    message: str
    within_tolerance: bool = False


@dataclass(frozen=True)
class LineResult:
    billed_key: int
    billed_position: int
    order_line_key: int | None
    status: str
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Result:
    mode: str
    status: str
    lines: tuple[LineResult, ...] = ()
    findings: tuple[Finding, ...] = ()  # about the invoice as a whole
    currency: str = ""

    @property
    def ok(self) -> bool:
        return self.status != MISMATCH

    def messages(self) -> list[str]:
        """Every finding, line by line, then the invoice's own."""
        out = [f.message for line in self.lines for f in line.findings]
        return out + [f.message for f in self.findings]

    def mismatch_kinds(self) -> list[str]:
        kinds = [f.kind for line in self.lines for f in line.findings if not f.within_tolerance]
        kinds += [f.kind for f in self.findings if not f.within_tolerance]
        return sorted(set(kinds))


def match(
    billed: list[BilledLine],
    ordered: list[OrderLine] | None,
    *,
    currency: str,
    tolerance: Tolerance = Tolerance(),
    order_number: str = "",
) -> Result:
    """Match the invoice's lines against its order; `ordered` is None when it names no order."""
    if ordered is None:
        finding = Finding(
            "no_order",
            "The invoice does not name one of our orders, so we cannot check it against "
            "what was agreed; please add the order number we gave you.",
        )
        return Result(NO_ORDER, MISMATCH, findings=(finding,), currency=currency)

    mode = THREE_WAY if tolerance.require_receipt else TWO_WAY
    pairs = _pair(billed, ordered)
    by_key = {line.key: line for line in ordered}
    results = []
    matched_value = ZERO
    for line in sorted(billed, key=lambda b: (b.position, b.key)):
        order_line = by_key.get(pairs.get(line.key))
        findings = _check_line(line, order_line, mode, tolerance, currency, order_number)
        if order_line is not None:
            # What the bill would come to at the agreed prices: the yardstick for the total.
            matched_value += _money(line.quantity * order_line.unit_price)
        results.append(
            LineResult(
                billed_key=line.key,
                billed_position=line.position,
                order_line_key=order_line.key if order_line else None,
                status=_worst(findings),
                findings=tuple(findings),
            )
        )

    overall = []
    billed_total = sum((line.net_amount for line in billed), ZERO)
    excess = billed_total - matched_value
    if results and excess > tolerance.amount and all(r.status != MISMATCH for r in results):
        # Each line passed on its own, but together they bill more than the order allows
        # (rounding on many lines, or tolerances adding up).
        overall.append(
            Finding(
                "total",
                f"Together the lines come to {_fmt(billed_total, currency)}, "
                f"{_fmt(excess, currency)} more than the same quantities at the prices we agreed "
                f"(we accept up to {_fmt(tolerance.amount, currency)}).",
            )
        )
    status = _worst([f for r in results for f in r.findings] + overall)
    return Result(mode, status, tuple(results), tuple(overall), currency)


def _check_line(line, order_line, mode, tolerance, currency, order_number) -> list[Finding]:
    name = _line_name(line)
    if order_line is None:
        on = f" {order_number}" if order_number else ""
        return [Finding("not_ordered", f"{name} is not on our order{on}.")]

    findings = []
    price = _price(line)
    if line.unit_price is not None and line.quantity:
        expected = _money(line.quantity * line.unit_price)
        if abs(expected - line.net_amount) > CENT:
            findings.append(
                Finding(
                    "arithmetic",
                    f"{name}: {_qty(line.quantity)} × {_fmt(line.unit_price, currency)} is "
                    f"{_fmt(expected, currency)}, but the line says "
                    f"{_fmt(line.net_amount, currency)}.",
                )
            )

    if order_line.unit_price > 0 and price > order_line.unit_price:
        over = ((price - order_line.unit_price) / order_line.unit_price * HUNDRED).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )
        within = over <= tolerance.price_pct
        findings.append(
            Finding(
                "price",
                f"{name}: billed at {_fmt(price, currency)} each; our order agreed "
                f"{_fmt(order_line.unit_price, currency)}, {over}% more "
                f"(we accept up to {_pct(tolerance.price_pct)}).",
                within_tolerance=within,
            )
        )

    allowed = _allowed(order_line, mode)
    if line.quantity > allowed:
        limit = allowed * (1 + tolerance.quantity_pct / HUNDRED)
        within = line.quantity <= limit
        if mode == THREE_WAY and order_line.received - order_line.invoiced_before <= 0:
            kind = "not_received"
            what = (
                f"{name}: billed {_qty(line.quantity)}, but nothing more has been "
                "received against this order line yet"
            )
            if order_line.invoiced_before:
                what += f" ({_qty(order_line.invoiced_before)} already billed before)"
            message = what + "; we pay once the goods are booked in."
        else:
            kind = "quantity"
            basis = "received" if mode == THREE_WAY else "ordered"
            counted = order_line.received if mode == THREE_WAY else order_line.quantity
            message = (
                f"{name}: billed {_qty(line.quantity)}, we {basis} {_qty(counted)}"
                + (
                    f" and {_qty(order_line.invoiced_before)} were billed before"
                    if order_line.invoiced_before
                    else ""
                )
                + f", so {_qty(line.quantity - allowed)} more than we can pay for now."
            )
        findings.append(Finding(kind, message, within_tolerance=within))
    return findings


def _allowed(order_line: OrderLine, mode: str) -> Decimal:
    """The quantity that may still be billed on this order line."""
    basis = order_line.received if mode == THREE_WAY else order_line.quantity
    if mode == THREE_WAY:
        basis = min(basis, order_line.quantity) if order_line.quantity else basis
    return max(basis - order_line.invoiced_before, ZERO)


def _price(line: BilledLine) -> Decimal:
    if line.unit_price is not None:
        return line.unit_price
    if line.quantity:
        return (line.net_amount / line.quantity).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    return line.net_amount


def _pair(billed: list[BilledLine], ordered: list[OrderLine]) -> dict[int, int]:
    """Billed line key → order line key. Named pairs first, then by description, then price."""
    keys = {line.key for line in ordered}
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for line in billed:
        if line.order_line_key in keys:
            pairs[line.key] = line.order_line_key
            taken.add(line.order_line_key)
    rest = [line for line in billed if line.key not in pairs]
    for line in sorted(rest, key=lambda b: (b.position, b.key)):
        words = _words(line.description)
        best = None
        for order_line in sorted(ordered, key=lambda o: (o.position, o.key)):
            if order_line.key in taken:
                continue
            common = len(words & _words(order_line.description))
            if not common and words:
                continue
            gap = abs(_price(line) - order_line.unit_price)
            score = (common, -gap, -order_line.position)
            if best is None or score > best[0]:
                best = (score, order_line.key)
        if best is None and len(ordered) == 1 == len(billed):
            # A one-line invoice against a one-line order: they are about the same thing.
            best = ((0,), ordered[0].key)
        if best is not None:
            pairs[line.key] = best[1]
            taken.add(best[1])
    return pairs


_STOP = {"the", "and", "for", "of", "with", "a", "an", "in", "per", "x"}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 1 and w not in _STOP}


def _worst(findings: list[Finding]) -> str:
    if any(not f.within_tolerance for f in findings):
        return MISMATCH
    return WITHIN if findings else OK


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _fmt(amount: Decimal, currency: str) -> str:
    places = CENT if amount == amount.quantize(CENT) else Decimal("0.0001")
    return f"{currency} {amount.quantize(places, ROUND_HALF_UP):,}".strip()


def _qty(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}"


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _line_name(line: BilledLine) -> str:
    label = f"Line {line.position}"
    if line.description:
        label += f" ({line.description[:60]})"
    return label
