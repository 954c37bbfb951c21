"""Helpers the statement parsers share: decoding, errors that name a position, reconciling."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ledgerdesk.core.money import is_currency

from ..statement import Entry, Statement, StatementError

IBAN_RE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_SPACES_RE = re.compile(r"\s+")


def fail(filename: str, where: str, reason: str) -> StatementError:
    """A StatementError reading "<file>: <where>: <reason>" (parts that are empty are left out)."""
    return StatementError(": ".join(part for part in (filename, where, reason) if part))


def shown(value: str, limit: int = 40) -> str:
    """A value quoted for a message, cut short so a huge cell stays readable."""
    if len(value) > limit:
        value = value[:limit] + "…"
    return repr(value)


def decode_text(data: bytes, filename: str) -> str:
    """Text of a line-based file: UTF-8 (with or without BOM), else Latin-1 as banks still use.

    Latin-1 maps every byte, so a legacy file never fails to decode; line numbers hold either way.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def split_lines(text: str) -> list[str]:
    """Lines without their CR/LF; a file may use CRLF, LF or (old Macs) CR."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def collapse(text: str) -> str:
    """Runs of white space as one space, trimmed."""
    return _SPACES_RE.sub(" ", text).strip()


def check_currency(code: str, filename: str, where: str, what: str = "currency") -> str:
    """The upper-cased ISO 4217 code; `what` starts the message ("currency", ":60F: currency")."""
    code = code.strip().upper()
    if not is_currency(code):
        raise fail(filename, where, f"{what} {shown(code)} is not an ISO 4217 currency code")
    return code


def signed_total(entries: tuple[Entry, ...] | list[Entry]) -> Decimal:
    """The sum of the booked entries: what moves the balance."""
    return sum((entry.amount for entry in entries if entry.booked), Decimal("0"))


def balance_difference(statement: Statement) -> Decimal | None:
    """closing - (opening + entries), or None when the statement lacks one of the balances."""
    if statement.opening is None or statement.closing is None:
        return None
    return statement.closing.amount - (statement.opening.amount + signed_total(statement.entries))


def check_balances(statement: Statement, filename: str) -> None:
    """Raise when opening + entries != closing (both balances given), naming id and difference."""
    opening, closing = statement.opening, statement.closing
    if opening is None or closing is None:
        return
    for balance, name in ((opening, "opening"), (closing, "closing")):
        if balance.currency != statement.currency:
            raise fail(
                filename,
                statement.source,
                f"statement {statement.statement_id!r}: the {name} balance is in "
                f"{balance.currency}, the statement in {statement.currency}",
            )
    difference = balance_difference(statement)
    if difference:
        total = signed_total(statement.entries)
        raise fail(
            filename,
            statement.source,
            f"statement {statement.statement_id!r} does not reconcile: opening "
            f"{opening.amount} + entries {total} = {opening.amount + total}, but the closing "
            f"balance is {closing.amount} (difference {difference} {statement.currency})",
        )


def span(statement_dates: list[dt.date]) -> tuple[dt.date | None, dt.date | None]:
    if not statement_dates:
        return None, None
    return min(statement_dates), max(statement_dates)
