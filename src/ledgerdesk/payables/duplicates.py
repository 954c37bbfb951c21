"""Suspected duplicate vendor invoices, never by one exact key only.

Pure: plain data in, plain data out. A vendor who sends the same bill twice rarely sends it
byte for byte: the number is retyped ("INV-0042" and "INV42"), read by OCR ("lNV-OO42"), or
the second copy carries a new number but the same amount on the same day. So a pair is
suspected on any of these, each with its reason:

- the same number once OCR slips are undone (O/0, I/l/1, S/5, B/8, Z/2, G/6), case, spaces,
  dashes, slashes, dots and leading zeros are ignored;
- a number one keystroke away (one character changed, added, dropped, or two swapped) with the
  same amount;
- the same amount within a few days of each other, with a number that shares its digits.

Only the same vendor and currency are compared, and only within `window_days` of the issue
date. `normalise` is exposed so the database can index the normalised number and ask only for
the few invoices worth comparing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from ledgerdesk.core.typos import one_keystroke

# What OCR and hurried typing turn into what: letters that look like digits become the digit.
_LOOKALIKE = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5",
                            "B": "8", "Z": "2", "G": "6"})  # fmt: skip
_SEPARATORS = re.compile(r"[\s\-_/.#:]+")


def normalise(number: str) -> str:
    """The invoice number as a comparison key: "lnv-OO42 " → "1NV42" → digits kept, zeros dropped.

    Case and separators go, look-alike letters become digits, and leading zeros of every run of
    digits are dropped ("INV-0042" and "INV42" are the same key).
    """
    text = _SEPARATORS.sub("", number.upper()).translate(_LOOKALIKE)
    return re.sub(r"(?<![0-9])0+(?=[0-9])", "", text)


def digits(number: str) -> str:
    return re.sub(r"[^0-9]", "", normalise(number))


@dataclass(frozen=True)
class Bill:
    key: int
    party_key: int
    number: str
    amount: Decimal
    currency: str
    issue_date: dt.date


@dataclass(frozen=True)
class Suspicion:
    key: int  # the earlier bill this one may repeat
    reasons: tuple[str, ...]
    score: float  # 0..1: how sure we are it is the same bill


def suspects(bill: Bill, others: list[Bill], *, window_days: int = 60) -> list[Suspicion]:
    """The bills in `others` that `bill` may duplicate, surest first."""
    key = normalise(bill.number)
    found = []
    for other in others:
        if other.key == bill.key or other.party_key != bill.party_key:
            continue
        if other.currency != bill.currency:
            continue
        days = abs((other.issue_date - bill.issue_date).days)
        if days > window_days:
            continue
        other_key = normalise(other.number)
        same_amount = other.amount == bill.amount
        reasons = []
        score = 0.0
        if other_key == key:
            if other.number.strip().upper() == bill.number.strip().upper():
                reasons.append(f"the same invoice number {other.number}")
            else:
                reasons.append(f"number {bill.number} reads as {other.number}")
            score = 0.7
        elif same_amount and _one_keystroke(key, other_key):
            reasons.append(f"number {bill.number} is one keystroke from {other.number}")
            score = 0.6
        if same_amount:
            reasons.append(f"the same amount {bill.currency} {bill.amount:,}")
            score += 0.2 if score else 0.0
            if not score and days <= 7 and _share_digits(key, other_key):
                reasons.append(f"issued {days} day{'s' if days != 1 else ''} apart")
                score = 0.5
        if score and days <= 7 and other_key == key:
            score += 0.1
        if score:
            found.append(Suspicion(other.key, tuple(reasons), round(min(score, 1.0), 2)))
    return sorted(found, key=lambda s: (-s.score, s.key))


def _one_keystroke(a: str, b: str) -> bool:
    """One edit apart, for numbers long enough that one edit is a slip, not a new number."""
    return min(len(a), len(b)) >= 3 and one_keystroke(a, b)


def _share_digits(a: str, b: str) -> bool:
    """Both numbers carry a run of at least three digits in common (the serial part)."""
    runs = set(re.findall(r"[0-9]{3,}", a))
    return any(run in b for run in runs)
