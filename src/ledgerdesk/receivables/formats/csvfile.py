"""A simple CSV statement that banks export and a person can write by hand.

The first row is a header; column names are matched without regard to case or surrounding
spaces, and their order does not matter. Columns:

=======================  ========  ==========================================================
column                   required  content
=======================  ========  ==========================================================
``booking_date``         yes       ISO date, ``2024-03-31``
``amount``               yes       signed, ``.`` decimal, optional ``,`` thousands:
                                   ``-1,234.50`` (positive is money in)
``currency``             yes       ISO 4217 code, ``EUR``
``value_date``           no        ISO date
``reference``            no        the bank's reference for the entry
``remittance``           no        what the payer wrote (invoice numbers …)
``counterparty_name``    no        payer or payee
``counterparty_account`` no        their IBAN or account number
``account``              no        our account; one statement per account
``statement_id``         no        groups rows into statements (default: one per account)
``creditor_reference``   no        structured ISO 11649 reference, ``RF18539007547034``
=======================  ========  ==========================================================

Other columns are ignored. The file is UTF-8 with or without a BOM; the delimiter (``,`` or
``;``) is taken from the header row. Rows of a statement share one currency. A CSV carries no
balances, so ``opening`` and ``closing`` are None. Errors read "line 7, column amount: …".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from ..statement import Entry, Statement
from ._common import check_currency, collapse, fail, shown

REQUIRED = ("booking_date", "amount", "currency")
OPTIONAL = (
    "value_date",
    "reference",
    "remittance",
    "counterparty_name",
    "counterparty_account",
    "account",
    "statement_id",
    "creditor_reference",
)
_AMOUNT_RE = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse(data: bytes, filename: str = "") -> list[Statement]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fail(filename, f"line {line}", "the file is not UTF-8 text") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise fail(filename, "line 1", "the file is empty") from None
    except csv.Error as exc:
        raise fail(filename, "line 1", f"cannot read the header row: {exc}") from None
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = name.strip().lower()
        if key in columns:
            raise fail(filename, "line 1", f"the column {key!r} appears twice in the header")
        columns[key] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise fail(
            filename,
            "line 1",
            f"the header has no {', '.join(repr(m) for m in missing)} column "
            f"(required: {', '.join(REQUIRED)}; found: {', '.join(h.strip() for h in header)})",
        )
    groups: dict[tuple[str, str], dict] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            _row(row, line, columns, groups, filename)
    except csv.Error as exc:
        raise fail(filename, f"line {reader.line_num}", f"cannot read the row: {exc}") from None
    if not groups:
        raise fail(filename, "line 2", "the file has a header but no rows")
    return [_statement(key, group) for key, group in groups.items()]


def _row(row: list[str], line: int, columns: dict[str, int], groups: dict, filename: str) -> None:
    def cell(name: str) -> str:
        index = columns.get(name)
        if index is None or index >= len(row):
            return ""
        return row[index].strip()

    def where(name: str) -> str:
        return f"line {line}, column {name}"

    def date(name: str, *, required: bool) -> dt.date | None:
        value = cell(name)
        if not value:
            if required:
                raise fail(filename, where(name), "is empty; a date (YYYY-MM-DD) is required")
            return None
        if _DATE_RE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise fail(filename, where(name), f"{shown(value)} is not a date (YYYY-MM-DD)")

    booking_date = date("booking_date", required=True)
    assert booking_date is not None
    value_date = date("value_date", required=False)
    amount_text = cell("amount").replace(" ", "")
    if not _AMOUNT_RE.fullmatch(amount_text):
        raise fail(
            filename,
            where("amount"),
            f"{shown(cell('amount'))} is not an amount (e.g. -1,234.56: '.' decimal, "
            "optional ',' thousands)",
        )
    amount = Decimal(amount_text.replace(",", ""))
    if not cell("currency"):
        raise fail(filename, where("currency"), "is empty; a currency code (EUR) is required")
    currency = check_currency(cell("currency"), filename, where("currency"))
    account = cell("account")
    key = (cell("statement_id"), account)
    group = groups.setdefault(key, {"currency": currency, "line": line, "entries": []})
    if group["currency"] != currency:
        raise fail(
            filename,
            where("currency"),
            f"{currency} differs from {group['currency']} of the statement's first row "
            f"(line {group['line']})",
        )
    group["entries"].append(
        Entry(
            position=len(group["entries"]) + 1,
            booking_date=booking_date,
            amount=amount,
            currency=currency,
            value_date=value_date,
            bank_reference=cell("reference"),
            creditor_reference=cell("creditor_reference").replace(" ", ""),
            remittance=collapse(cell("remittance")),
            counterparty_name=collapse(cell("counterparty_name")),
            counterparty_account=cell("counterparty_account").replace(" ", ""),
            source=f"line {line}",
        )
    )


def _statement(key: tuple[str, str], group: dict) -> Statement:
    statement_id, account = key
    entries: list[Entry] = group["entries"]
    dates = [entry.booking_date for entry in entries]
    if not statement_id:
        statement_id = f"{account or 'csv'}:{min(dates).isoformat()}:{max(dates).isoformat()}"
    return Statement(
        format="csv",
        statement_id=statement_id,
        account=account,
        currency=group["currency"],
        date_from=min(dates),
        date_to=max(dates),
        entries=tuple(entries),
        source=f"line {group['line']}",
    )
