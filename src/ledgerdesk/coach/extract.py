"""Finding amounts, dates, invoice numbers and time frames in free text.

These are the facts a finance reply states. The accuracy check compares them
with the ledger; the follow-up and incident checks look for time frames. All
functions take the masked text (quoted customer text blanked out) and return
spans into it, which are spans into the original text as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# The full stop belongs to an abbreviation ("3 Jun. 2026") only; after a full
# month name it ends the sentence and must stay out of the date's span.
_MONTH = (
    r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november"
    r"|december|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?)"
)
# Written currencies: a symbol, or an ISO code limited to the ones a European
# shared-services hub sees, so that "PO 1234" or "GRN 55" never read as money.
CURRENCY_CODES = [
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "CZK",
    "HUF",
    "RON",
    "BGN",
    "JPY",
    "CNY",
    "CAD",
    "AUD",
    "NZD",
    "INR",
    "ZAR",
    "SGD",
    "HKD",
    "MXN",
    "BRL",
]
_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY"}
_CUR = r"(?:[€$£¥]|(?:" + "|".join(CURRENCY_CODES) + r")\b)"
# Thousands groups may be split by , . space, no-break space, narrow no-break
# space or apostrophe (Swiss); the decimal part by . or ,.
_GROUPED = r"\d{1,3}(?:[,.\u00a0\u202f'’ ]\d{3})+(?:[.,]\d{1,2})?"
_PLAIN = r"\d+(?:[.,]\d{1,2})?"
_NUM = rf"(?:{_GROUPED}|{_PLAIN})"

_MONEY = re.compile(
    rf"(?<![\w.,])(?:(?P<cur1>{_CUR})\s?(?P<num1>-?{_NUM})"
    rf"|(?P<num2>{_NUM})\s?(?P<cur2>{_CUR})"
    rf"|(?P<num3>\d{{1,3}}(?:[,.\u00a0\u202f'’ ]\d{{3}})*[.,]\d{{2}}))(?![\w%]|[.,]\d)",
    re.IGNORECASE,
)

_DATE_PATTERNS = [
    re.compile(r"(?<![\w.-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\w-])"),
    re.compile(
        rf"(?<![\w.])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"
        rf"(?:,?\s+(?P<y>\d{{4}}))?(?!\w)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?<!\w){_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?(?![\w:])",
        re.IGNORECASE,
    ),
    # 03/05/2026 and 3.5.2026: day-first in Europe, month-first in the US, so
    # both readings are kept and either may match the ledger.
    re.compile(r"(?<![\w./-])(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<y>\d{4}|\d{2})(?![\w/]|\.\d)"),
]

# The number itself is matched case-sensitively so that a lower-case word can
# never pass for a prefix ("invoice for 1,250.00" names no invoice "for 1").
_INVOICE_ID = r"(?:[A-Z]{1,5}[-/]?)?\d[\dA-Z]*(?:[-/][\dA-Z]+)*(?![.,]\d|\w)"
_INVOICE_REF = re.compile(
    r"(?i:\b(?:invoices?|inv\.?|bills?))\s*"
    r"(?i:no\.?|nos\.?|numbers?|nr\.?|#|ref\.?|reference)?"
    rf"\s*[:#]?\s*(?P<first>{_INVOICE_ID})"
    rf"(?P<rest>(?:\s*(?i:,|and|&|/|or|\+)\s*(?i:no\.?\s*|#\s*)?{_INVOICE_ID})*)"
)
_INVOICE_IN_LIST = re.compile(_INVOICE_ID)

_NUMBER_WORD = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fourteen"
    r"|twenty|thirty|forty-eight|twenty-four|seventy-two)"
)
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
TIMEFRAME = re.compile(
    r"\b(?:today|tonight|tomorrow|this\s+(?:morning|afternoon|evening|week)"
    rf"|(?:by|on|until|before|from|next|this|coming)\s+{_WEEKDAY}|{_WEEKDAY}(?:'s|’s)?"
    r"|next\s+(?:week|month)|end\s+of\s+(?:the\s+)?(?:day|week|month|today|play)"
    r"|(?:close|end)\s+of\s+business|eod|cob|midday|noon"
    rf"|within\s+(?:the\s+next\s+)?{_NUMBER_WORD}\s+(?:(?:working|business|calendar|bank)\s+)?"
    r"(?:hours?|days?|weeks?)"
    rf"|in\s+(?:the\s+next\s+)?{_NUMBER_WORD}\s+(?:(?:working|business|calendar|bank)\s+)?"
    r"(?:hours?|days?|weeks?)"
    rf"|{_NUMBER_WORD}\s+(?:working|business|bank)\s+days?"
    r"|within\s+the\s+hour|by\s+the\s+\d{1,2}(?:st|nd|rd|th)"
    r"|(?:by|at|before)\s+\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|h)?\b"
    r"|(?:the\s+)?same\s+day|(?:on|by)\s+(?:its|their|the)\s+due\s+dates?"
    r"|first\s+thing|overnight|from\s+now\s+on|from\s+today|with\s+immediate\s+effect"
    r"|(?:in|by|from|during|until|before|after|early|mid|late|end\s+of)[\s-]+(?:january|february"
    r"|march|april|may|june|july|august|september|october|november|december))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    amount: Decimal
    currency: str | None
    text: str


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    # Every (year, month, day) the text can mean; year None when not written.
    readings: tuple[tuple[int | None, int, int], ...]
    text: str


@dataclass(frozen=True)
class InvoiceRef:
    start: int
    end: int
    number: str


def parse_number_text(raw: str) -> Decimal | None:
    """Read "1,250.00", "1.250,00", "1 250,00", "1'250.00" or "1250" as a Decimal."""
    text = raw.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'").strip()
    negative = text.startswith("-")
    text = text.lstrip("-").strip()
    if not text or not re.fullmatch(r"[\d.,' ]+", text) or not text[0].isdigit():
        return None
    text = text.replace(" ", "").replace("'", "")
    last_dot, last_comma = text.rfind("."), text.rfind(",")
    decimal_sep = None
    if last_dot >= 0 and last_comma >= 0:
        decimal_sep = "." if last_dot > last_comma else ","
    elif last_dot >= 0 or last_comma >= 0:
        sep = "." if last_dot >= 0 else ","
        tail = text.rsplit(sep, 1)[1]
        # One separator followed by exactly three digits is a thousands group
        # ("1,250" / "1.250"); otherwise it is the decimal mark.
        if not (text.count(sep) >= 1 and len(tail) == 3):
            decimal_sep = sep
        if text.count(sep) > 1:
            decimal_sep = None
    if decimal_sep:
        whole, _, frac = text.rpartition(decimal_sep)
        whole = whole.replace(".", "").replace(",", "")
        text = f"{whole or '0'}.{frac}"
    else:
        text = text.replace(".", "").replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return -value if negative else value


def find_money(text: str, skip: list[tuple[int, int]] | None = None) -> list[Money]:
    """Amounts written with a currency, or with two decimals (1,250.00)."""
    found = []
    pos = 0
    while True:
        match = _MONEY.search(text, pos)
        if match is None:
            break
        start, end = match.span()
        pos = end
        if skip and any(s < end and start < e for s, e in skip):
            # "invoice 4411 EUR 1,520.00" first reads "4411 EUR"; retry just
            # past the invoice number so that "EUR 1,520.00" is found.
            pos = start + 1
            continue
        num = match.group("num1") or match.group("num2") or match.group("num3")
        cur = match.group("cur1") or match.group("cur2")
        if match.group("num3"):
            # A bare two-decimal number right after "at" is a time ("at 10.30").
            before = text[max(0, start - 4) : start].lower()
            if before.endswith("at ") or text[end : end + 3].lower().strip() in ("am", "pm"):
                continue
        amount = parse_number_text(num.strip())
        if amount is None:
            continue
        currency = None
        if cur:
            currency = _SYMBOLS.get(cur, cur.upper())
        found.append(Money(start, end, amount, currency, text[start:end]))
    return found


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    year = int(raw)
    return year + 2000 if year < 100 else year


def _valid(year: int | None, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31 and (year is None or 1900 <= year <= 2200)


def find_dates(text: str) -> list[DateMention]:
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            groups = match.groupdict()
            readings: list[tuple[int | None, int, int]] = []
            if "mon" in groups and groups["mon"]:
                month = MONTHS[groups["mon"].lower().rstrip(".")[:3]]
                readings.append((_year(groups.get("y")), month, int(groups["d"])))
            elif groups.get("a"):
                a, b, year = int(groups["a"]), int(groups["b"]), _year(groups["y"])
                readings.extend([(year, b, a), (year, a, b)])
            else:
                readings.append((_year(groups["y"]), int(groups["m"]), int(groups["d"])))
            readings = [r for r in dict.fromkeys(readings) if _valid(*r)]
            if readings:
                taken.append((start, end))
                found.append(DateMention(start, end, tuple(readings), text[start:end]))
    found.sort(key=lambda d: d.start)
    return found


def find_invoice_refs(text: str) -> list[InvoiceRef]:
    """Invoice numbers the text introduces as such: "invoice 4411", "invoices 12 and 13"."""
    refs = []
    for match in _INVOICE_REF.finditer(text):
        first = match.group("first")
        if not any(ch.isdigit() for ch in first):
            continue
        refs.append(InvoiceRef(match.start("first"), match.end("first"), first.strip()))
        rest_start = match.start("rest")
        for item in _INVOICE_IN_LIST.finditer(match.group("rest")):
            token = item.group().strip()
            if token.lower() in ("and", "or", "no") or not any(c.isdigit() for c in token):
                continue
            refs.append(InvoiceRef(rest_start + item.start(), rest_start + item.end(), token))
    return refs


def normalize_number(number: str) -> str:
    return re.sub(r"[^0-9a-z]", "", number.casefold())


def same_invoice_number(written: str, ledger: str) -> bool:
    """ "INV-004411", "inv 4411" and "4411" all name ledger invoice "INV-4411"."""
    a, b = normalize_number(written), normalize_number(ledger)
    if not a or not b:
        return False
    if a == b:
        return True
    digits_a, digits_b = re.sub(r"\D", "", a).lstrip("0"), re.sub(r"\D", "", b).lstrip("0")
    # Only the digits may be compared when one side has no letters at all:
    # "4411" names "INV-4411", but "CN-4411" (a credit note) does not.
    if a.isdigit() or b.isdigit():
        return bool(digits_a) and digits_a == digits_b
    # Both carry a prefix: the prefixes must agree; leading zeros may differ.
    letters_a, letters_b = re.sub(r"\d", "", a), re.sub(r"\d", "", b)
    return letters_a == letters_b and bool(digits_a) and digits_a == digits_b


def has_timeframe(text: str) -> bool:
    return bool(TIMEFRAME.search(text)) or bool(find_dates(text))
