"""Bank statement parsers: bytes in, `receivables.statement.Statement`s out. Pure, no Django.

`parse(data, filename)` picks the parser by the content (`detect`), not by the name alone:

- ``camt053`` / ``camt054``: ISO 20022 XML, any version ``camt.05x.001.02`` … ``.001.08`` and
  later (`formats.camt`);
- ``mt940``: SWIFT MT940 and MT942, with or without the ``{1:…}{4:…-}`` envelope
  (`formats.mt940`; an MT942 interim report comes back as a Statement with format ``mt942``);
- ``bai2``: BAI version 2 cash management files (`formats.bai2`);
- ``csv``: the simple CSV described in `formats.csvfile`.

Every problem is a `StatementError` whose message names the file position ("line 14: …" or an
XPath such as ``/Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt``) and what is wrong.

When a statement states both an opening and a closing balance, opening + entries must equal
closing; `parse` raises otherwise. ``check_balances=False`` skips that check (for looking at a
file that is known not to add up: the anonymised samples in the tests are such files).
"""

from __future__ import annotations

import re

from ..statement import Balance, Entry, Statement, StatementError
from . import bai2, camt, csvfile, mt940
from ._common import balance_difference
from ._common import check_balances as _check_balances

__all__ = [
    "ACCEPTED",
    "FORMATS",
    "Balance",
    "Entry",
    "Statement",
    "StatementError",
    "balance_difference",
    "detect",
    "parse",
]

FORMATS = ("camt053", "camt054", "mt940", "bai2", "csv")
ACCEPTED = (
    "ISO 20022 camt.053 or camt.054 XML, SWIFT MT940/MT942, BAI2, "
    "or CSV with a header row (booking_date, amount, currency, …)"
)

_CAMT_RE = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:camt\.05([34])\.")
_CAMT_ROOT_RE = re.compile(rb"<(?:[A-Za-z0-9_]+:)?(BkToCstmrStmt|BkToCstmrDbtCdtNtfctn)[\s>]")
_MT940_RE = re.compile(rb"(?:^|[\r\n{])\s*(?:\{4:\s*)?:(?:20|25|28C?|60[FM]|61|62[FM]):", re.M)
_BAI2_RE = re.compile(rb"01,[^\r\n]*[\r\n]+\s*02,")
_HEADER_WORDS = (b"booking_date", b"amount")


def _body(data: bytes) -> bytes:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.lstrip(b" \t\r\n\x00\x01")


def detect(data: bytes, filename: str = "") -> str:
    """The format of `data`: one of FORMATS. Raises StatementError for an empty or unknown file."""
    body = _body(data)
    if not body.strip():
        raise StatementError(f"{filename + ': ' if filename else ''}the file is empty")
    head = body[:8192]
    if body.startswith(b"<"):
        match = _CAMT_RE.search(head)
        if match:
            return "camt053" if match.group(1) == b"3" else "camt054"
        root = _CAMT_ROOT_RE.search(head)
        if root:
            return "camt053" if root.group(1) == b"BkToCstmrStmt" else "camt054"
    elif body.startswith(b"01,") and (_BAI2_RE.match(head) or b"\n02," in head):
        return "bai2"
    elif _MT940_RE.search(head):
        return "mt940"
    else:
        first_line = head.split(b"\n", 1)[0].lower()
        if filename.lower().endswith(".csv") or all(w in first_line for w in _HEADER_WORDS):
            return "csv"
    where = f"{filename}: " if filename else ""
    raise StatementError(
        f"{where}line 1: not a bank statement format we read; accepted: {ACCEPTED}"
    )


_PARSERS = {
    "camt053": camt.parse,
    "camt054": camt.parse,
    "mt940": mt940.parse,
    "bai2": bai2.parse,
    "csv": csvfile.parse,
}


def parse(data: bytes, filename: str = "", *, check_balances: bool = True) -> list[Statement]:
    """Every statement in `data` (at least one), in file order.

    `filename` only labels messages and helps to tell a CSV file apart.
    """
    statements = _PARSERS[detect(data, filename)](data, filename)
    if not statements:
        raise StatementError(f"{filename + ': ' if filename else ''}no statement in the file")
    if check_balances:
        for statement in statements:
            _check_balances(statement, filename)
    return statements
