"""The invoice CSV that our ERP exports: one row per invoice line.

Columns (header names matched case-insensitively, in any order; * = required):
``direction``* (ap|ar), ``kind`` (invoice|credit_note, default invoice),
``number``*, ``party_name``*, ``party_tax_id``, ``party_email``,
``issue_date``* and ``due_date`` (YYYY-MM-DD), ``currency``* (ISO 4217),
``net_amount``*, ``tax_amount``*, ``total_amount``*, ``payable_amount``
(default: total), ``status``, ``po_number``, ``payment_reference``,
``line_description``, ``line_quantity`` (default 1), ``line_unit_price``,
``line_net_amount``, ``line_tax_rate`` (percent). Other columns are ignored.

Rows with the same direction, party name and number form one invoice and
must repeat the same invoice-level values; a row may carry no line at all.
The party is the seller for ``ap`` (a vendor's invoice) and the buyer for
``ar`` (our invoice to a customer). Text is UTF-8 with or without a BOM,
comma- or semicolon-separated; amounts use a decimal point and no thousands
separators, because "1.234" and "1,234" cannot be told apart safely.

The whole file is read before anything is returned, so a bad row on line
90,000 rejects the file instead of leaving half of it imported.
"""

from __future__ import annotations

import csv
import functools
import io
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .common import (
    KIND_CREDIT_NOTE,
    KIND_INVOICE,
    FormatError,
    ParsedInvoice,
    ParsedLine,
    ParsedParty,
)

DIRECTIONS = ("ap", "ar")
KINDS = (KIND_INVOICE, KIND_CREDIT_NOTE)
STATUSES = (
    "received",
    "in_approval",
    "approved",
    "scheduled",
    "paid",
    "disputed",
    "on_hold",
    "cancelled",
    "issued",
    "rejected",
)

# Invoice-level columns, in the order their parsed values are kept.
HEADER_COLUMNS = (
    "direction",
    "kind",
    "number",
    "party_name",
    "party_tax_id",
    "party_email",
    "issue_date",
    "due_date",
    "currency",
    "net_amount",
    "tax_amount",
    "total_amount",
    "payable_amount",
    "status",
    "po_number",
    "payment_reference",
)
LINE_COLUMNS = (
    "line_description",
    "line_quantity",
    "line_unit_price",
    "line_net_amount",
    "line_tax_rate",
)
COLUMNS = HEADER_COLUMNS + LINE_COLUMNS
REQUIRED_COLUMNS = frozenset(
    {
        "direction",
        "number",
        "party_name",
        "issue_date",
        "currency",
        "net_amount",
        "tax_amount",
        "total_amount",
    }
)

_DIRECTION = HEADER_COLUMNS.index("direction")
_NUMBER = HEADER_COLUMNS.index("number")
_PARTY = HEADER_COLUMNS.index("party_name")
_NOBODY = ParsedParty(name="")  # the side of the invoice that is us; frozen, so shared
_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_CURRENCY_RE = re.compile(r"[A-Za-z]{3}")


def _shown(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:60] + "…")


def _text(value: str) -> str:
    return value


def _choice(options: tuple[str, ...], default: str = "") -> Callable[[str], str]:
    def parse(value: str) -> str:
        if not value:
            return default
        lowered = value.lower()
        if lowered not in options:
            raise ValueError(f"{_shown(value)} is not one of {', '.join(options)}")
        return lowered

    return parse


def _date(value: str) -> date | None:
    if not value:
        return None
    # fromisoformat alone would also take "20260101" and week dates.
    if len(value) == 10 and value.isascii() and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{_shown(value)} is not a date (YYYY-MM-DD)")


# Quantities, prices and rates repeat across lines; caching them roughly halves the
# time for a large export. Decimal is immutable, so sharing results is safe.
@functools.lru_cache(maxsize=4096)
def _decimal(value: str) -> Decimal | None:
    if not value:
        return None
    if not _DECIMAL_RE.fullmatch(value):
        raise ValueError(f"{_shown(value)} is not an amount (digits with a decimal point)")
    return Decimal(value)


def _currency(value: str) -> str:
    if value and not _CURRENCY_RE.fullmatch(value):
        raise ValueError(f"{_shown(value)} is not a currency code (ISO 4217, 3 letters)")
    return value.upper()


_PARSERS: dict[str, Callable[[str], Any]] = {
    "direction": _choice(DIRECTIONS),
    "kind": _choice(KINDS, KIND_INVOICE),
    "status": _choice(STATUSES),
    "issue_date": _date,
    "due_date": _date,
    "currency": _currency,
    "net_amount": _decimal,
    "tax_amount": _decimal,
    "total_amount": _decimal,
    "payable_amount": _decimal,
    "line_quantity": _decimal,
    "line_unit_price": _decimal,
    "line_net_amount": _decimal,
    "line_tax_rate": _decimal,
}
_HEADER_PARSERS = tuple(_PARSERS.get(column, _text) for column in HEADER_COLUMNS)


@dataclass
class _Invoice:
    first_line: int
    raw: list[str]  # invoice-level values as written on the first row
    values: list[Any]  # the same, parsed
    lines: list[ParsedLine] = field(default_factory=list)


def decode(data: bytes, source: str = "") -> str:
    """UTF-8 text without its BOM, or FormatError naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FormatError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02X} at offset {exc.start}); "
            "export the file as UTF-8",
            f"line {line}",
            source,
        ) from None


def parse(data: bytes, source: str = "") -> list[ParsedInvoice]:
    return parse_text(decode(data, source), source)


def parse_text(text: str, source: str = "") -> list[ParsedInvoice]:
    """Every invoice in the file, in the order of its first row."""
    text = text.removeprefix("\ufeff")
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)

    def fail(reason: str, line: int) -> FormatError:
        return FormatError(reason, f"line {line}", source)

    try:
        header = next(reader, None)
        if header is None:
            raise fail("the file has no header row", 1)
        columns = _column_indexes(header, fail)
        width = len(header)
        # Absent optional columns read the "" appended to every row below.
        header_of = operator.itemgetter(*(columns.get(c, width) for c in HEADER_COLUMNS))
        line_of = operator.itemgetter(*(columns.get(c, width) for c in LINE_COLUMNS))
        invoices: dict[tuple[str, str, str], _Invoice] = {}
        # ERP exports repeat the invoice-level values verbatim on every line, so
        # the exact text finds the invoice without normalising or re-parsing it.
        by_text: dict[tuple[str, ...], _Invoice] = {}
        previous_end = reader.line_num
        for row in reader:
            line = previous_end + 1  # a quoted field may span lines; report where the row starts
            previous_end = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != width:
                raise fail(
                    f"{len(row)} fields but the header has {width}; "
                    f"check the delimiter ({delimiter!r}) and the quoting",
                    line,
                )
            row.append("")
            text_values = header_of(row)
            invoice = by_text.get(text_values)
            if invoice is None:
                raw = [value.strip() for value in text_values]
                key = (raw[_DIRECTION].lower(), raw[_PARTY].casefold(), raw[_NUMBER])
                invoice = invoices.get(key)
                if invoice is None:
                    invoice = _Invoice(line, raw, _parse_header(raw, line, fail))
                    invoices[key] = invoice
                else:
                    _check_agrees(raw, invoice, line, fail)
                by_text[text_values] = invoice
            line_values = line_of(row)
            if any(line_values):
                parsed_line = _parse_line(line_values, len(invoice.lines) + 1, line, fail)
                if parsed_line is not None:
                    invoice.lines.append(parsed_line)
    except csv.Error as exc:
        raise fail(f"malformed CSV: {exc}", reader.line_num or 1) from None
    return [_build(invoice, source) for invoice in invoices.values()]


def _column_indexes(header: list[str], fail: Callable[[str, int], FormatError]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        name = name.strip().lower()
        if name in columns:
            raise fail(f"column {name!r} appears twice", 1)
        if name in COLUMNS:
            columns[name] = index
    missing = sorted(REQUIRED_COLUMNS - columns.keys())
    if missing:
        raise fail(f"missing column(s): {', '.join(missing)}", 1)
    return columns


def _parse_header(raw: list[str], line: int, fail: Callable[[str, int], FormatError]) -> list[Any]:
    values: list[Any] = []
    for column, parser, value in zip(HEADER_COLUMNS, _HEADER_PARSERS, raw, strict=True):
        if not value and column in REQUIRED_COLUMNS:
            raise fail(f"{column}: required but empty", line)
        try:
            values.append(parser(value))
        except ValueError as exc:
            raise fail(f"{column}: {exc}", line) from None
    return values


def _check_agrees(
    raw: list[str], invoice: _Invoice, line: int, fail: Callable[[str, int], FormatError]
) -> None:
    """Invoice-level values repeat on every row; differently written equal values are fine."""
    values = _parse_header(raw, line, fail)
    for column, new, old, new_raw, old_raw in zip(
        HEADER_COLUMNS, values, invoice.values, raw, invoice.raw, strict=True
    ):
        if new != old:
            raise fail(
                f"{column}: {_shown(new_raw)} disagrees with {_shown(old_raw)} on line "
                f"{invoice.first_line} for invoice {invoice.raw[_NUMBER]}",
                line,
            )


def _parse_line(
    line_values: tuple[str, ...], line_id: int, line: int, fail: Callable[[str, int], FormatError]
) -> ParsedLine | None:
    raw = [value.strip() for value in line_values]
    if not any(raw):
        return None
    description, quantity, unit_price, net_amount, tax_rate = raw
    parsed: list[Decimal | None] = []
    for column, value in zip(LINE_COLUMNS[1:], raw[1:], strict=True):
        try:
            parsed.append(_decimal(value))
        except ValueError as exc:
            raise fail(f"{column}: {exc}", line) from None
    quantity_value, unit_price_value, net_value, tax_rate_value = parsed
    if net_value is None:
        raise fail("line_net_amount: required when the row describes a line", line)
    return ParsedLine(
        line_id=str(line_id),
        description=description,
        quantity=Decimal("1") if quantity_value is None else quantity_value,
        unit_code="",
        unit_price=unit_price_value,
        net_amount=net_value,
        tax_rate=tax_rate_value,
    )


def _build(invoice: _Invoice, source: str) -> ParsedInvoice:
    (
        direction,
        kind,
        number,
        party_name,
        party_tax_id,
        party_email,
        issue_date,
        due_date,
        currency,
        net_amount,
        tax_amount,
        total_amount,
        payable_amount,
        status,
        po_number,
        payment_reference,
    ) = invoice.values
    party = ParsedParty(name=party_name, tax_id=party_tax_id, email=party_email)
    return ParsedInvoice(
        syntax="csv",
        kind=kind,
        number=number,
        issue_date=issue_date,
        due_date=due_date,
        currency=currency,
        seller=party if direction == "ap" else _NOBODY,
        buyer=_NOBODY if direction == "ap" else party,
        net_amount=net_amount,
        tax_amount=tax_amount,
        total_amount=total_amount,
        payable_amount=total_amount if payable_amount is None else payable_amount,
        lines=tuple(invoice.lines),
        po_reference=po_number,
        payment_reference=payment_reference,
        source=source,
        direction=direction,
        status=status,
        extra={"line": invoice.first_line},
    )
