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
    # Further ISO 4217 codes met in shared services (Africa, the Middle East, Asia,
    # Latin America). Only a code written beside a number counts as money.
    "NGN",
    "KES",
    "GHS",
    "EGP",
    "MAD",
    "TRY",
    "ILS",
    "AED",
    "SAR",
    "QAR",
    "KWD",
    "THB",
    "MYR",
    "IDR",
    "PHP",
    "KRW",
    "TWD",
    "VND",
    "PKR",
    "BDT",
    "LKR",
    "ARS",
    "CLP",
    "COP",
    "PEN",
    "UAH",
    "ISK",
    "RSD",
    "XOF",
    "XAF",
]
_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY"}
_CUR = r"(?:[€$£¥]|(?:" + "|".join(CURRENCY_CODES) + r")\b)"
# Thousands groups may be split by , . space, no-break space, narrow no-break
# space or apostrophe (Swiss); the decimal part by . or ,.
# Indian grouping (lakh and crore) puts the comma every two digits above the
# thousands: 5,00,000.00 and 1,25,50,000.
_GROUPED = (
    r"(?:\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?"
    r"|\d{1,3}(?:[,.\u00a0\u202f'’ ]\d{3})+(?:[.,]\d{1,2})?)"
)
_PLAIN = r"\d+(?:[.,]\d{1,2})?"
_NUM = rf"(?:{_GROUPED}|{_PLAIN})"

_MONEY = re.compile(
    rf"(?<![\w.,])(?:(?P<cur1>{_CUR})\s?(?P<num1>-?{_NUM})"
    rf"|(?P<num2>{_NUM})\s?(?P<cur2>{_CUR})"
    rf"|(?P<num3>\d{{1,2}}(?:,\d{{2}})+,\d{{3}}\.\d{{2}}"  # Indian grouping: Rs 4,72,000.00
    rf"|\d{{1,3}}(?:[,.\u00a0\u202f'’ ]\d{{3}})*[.,]\d{{2}}))(?![\w%]|[.,]\d)",
    re.IGNORECASE,
)

_DATE_PATTERNS = [
    re.compile(r"(?<![\w.-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\w-])"),
    # Year first with slashes or dots, as Japanese, Chinese and Hungarian writers
    # put it: 2026/05/31, 2026.05.31.
    re.compile(r"(?<![\w./-])(?P<y>\d{4})([/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?![\w/-]|\.\d)"),
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

_ONE_NUMBER = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fourteen"
    r"|twenty|thirty|forty-eight|twenty-four|seventy-two)"
)
# A single count or a range of them: "5", "1-2", "two to three", "one or two".
_NUMBER_WORD = rf"(?:{_ONE_NUMBER}(?:\s*(?:-|–|to|or)\s*{_ONE_NUMBER})?)"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# A time tied to a named turn of a regular cycle: "with your May salary", "in the
# June payroll", "in this month's pay run". A cycle without saying which turn ("in
# a payment run", "with the next payment run") tells the reader nothing about when.
_CYCLE = (
    r"(?:with|in|on|from|at|by|for|through)\s+(?:(?:the|your|our|their)\s+(?:january|february"
    r"|march|april|may|june|july|august|september|october|november|december)(?:['’]s)?"
    r"|this\s+month['’]s)\s+(?:(?:monthly|weekly|regular|usual)\s+)?"
    r"(?:salary|salaries|payroll|pay\s*runs?|payment\s+runs?|pay\s*day|payday|wages?"
    r"|pay\s*slip|payslip|billing\s+run|invoice\s+run)"
)
# A time set by the reader's own step: "once we receive them", "as soon as you send
# the corrected invoice". The reader decides when, so they know when ours follows.
# Not an internal event ("once it is approved"), whose time the reader cannot know.
_ON_READER = (
    r"(?:(?:once|after|as\s+soon\s+as|when|the\s+(?:day|moment)|within\s+\w+\s+\w+\s+of)\s+"
    r"(?:we|I)\s+(?:receive|get|have)\s+(?:it|them|this|these|that|those|your\b|the\s+(?:signed"
    r"|corrected|completed|new|updated|missing|revised|form|documents?|details|funds|money"
    r"|payment|transfer|balance|remittance)\b)"
    r"|(?:once|as\s+soon\s+as|the\s+(?:day|moment))\s+you\s+(?:send|return|sign|confirm|upload"
    r"|submit|resubmit)"
    # The reader's payment reaching us: "I'll confirm receipt as soon as it reaches us".
    r"|(?:once|as\s+soon\s+as|the\s+(?:day|moment))\s+(?:it|your\s+(?:payment|transfer)"
    r"|the\s+(?:payment|money|funds))\s+(?:reaches|arrives\s+with|lands\s+with|is\s+with)\s+us)"
)

TIMEFRAME = re.compile(
    # "tommorow", "tomorow": the commonest slips of "tomorrow" (Spelling reports them).
    r"\b(?:today|tonight|tomm?orr?ow|this\s+(?:morning|afternoon|evening|week)"
    # A day and month without a year, as in "the 30/06 run" or "for 16/06".
    r"|(?<![\d/.])(?:0?[1-9]|[12]\d|3[01])/(?:0[1-9]|1[0-2])(?![\d/])"
    # The same with a dot after a preposition of time: "for 15.06", "by 30.6".
    r"|(?:on|for|by|until|from|before|after)\s+(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])"
    r"(?![\d.,]\d)"
    rf"|(?:by|on|until|before|from|next|this|coming)\s+{_WEEKDAY}|{_WEEKDAY}(?:'s|’s|s)?"
    # A standing schedule: "every week", "each calendar month", "the next working day".
    r"|(?:every|each)\s+(?:(?:calendar|working|business|other)\s+)?(?:day|week|fortnight|month"
    r"|quarter)|(?:the\s+)?(?:next|following)\s+(?:(?:working|business|bank)\s+)?day"
    r"|(?:(?:later|early|earlier)\s+)?(?:next|this)\s+(?:week|month|fortnight)"
    r"|end\s+of\s+(?:the\s+)?(?:day|week|month|today|play)"
    # "the first week of May", "the second half of next month", "the end of June".
    r"|(?:week|half|fortnight|end|start|beginning|middle)\s+of\s+(?:the\s+)?(?:(?:this|next)\s+"
    r"month|month|january|february|march|april|may|june|july|august|september|october"
    r"|november|december)"
    r"|(?:by|on|before|from|until|after)\s+the\s+\d{1,2}(?:st|nd|rd|th)"
    r"|(?:close|end)\s+of\s+business|eod|cob|midday|noon"
    rf"|within\s+(?:the\s+next\s+)?{_NUMBER_WORD}\s+(?:(?:working|business|calendar|bank)\s+)?"
    r"(?:hours?|days?|weeks?|fortnights?|months?)"
    rf"|in\s+(?:the\s+next\s+)?{_NUMBER_WORD}\s+(?:(?:working|business|calendar|bank)\s+)?"
    r"(?:hours?|days?|weeks?|fortnights?|months?)"
    rf"|{_NUMBER_WORD}\s+(?:working|business|bank)\s+days?"
    # Working or business days in short: "within 5 WD", "in 3 BD".
    r"|(?:within|in)\s+\d{1,2}\s*(?:WD|BD|wd|bd)s?\b"
    r"|within\s+the\s+hour"
    r"|(?:by|at|before)\s+\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|h)?\b"
    r"|(?:the\s+)?same\s+day|(?:on|by)\s+(?:its|their|the)\s+due\s+dates?"
    r"|first\s+thing|overnight|from\s+now\s+on|from\s+today|with\s+immediate\s+effect"
    # A standing change, and where it starts: "all future invoices", "from your next
    # invoice onwards".
    r"|(?:all|any|every)\s+future|from\s+(?:your|the|our)\s+next\s+(?:invoice|payment|statement"
    r"|order|delivery|pay\s*run|payment\s+run|run|claim)s?"
    # "imediately", "immediatly": its common slips (Spelling reports them).
    r"|im+ediate?ly|straight\s+away|right\s+away|right\s+now|at\s+once|as\s+we\s+speak"
    # Under way as we write: "I'm re-sending it to you now".
    r"|(?:I['’]m|I\s+am|we['’]re|we\s+are)\s+(?:now\s+)?[a-z-]+ing\b[^.!?;\n]{0,40}?\bnow"
    r"|(?:in|by|from|during|until|before|after|early|mid|late|end\s+of)[\s-]+(?:january|february"
    r"|march|april|may|june|july|august|september|october|november|december)"
    rf"|{_CYCLE}|{_ON_READER})\b",
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


# An amount with its currency in words, as customers write it: "632 euro", "75 dollars".
_MONEY_WORDS = re.compile(
    rf"(?<![\w.,])(?P<num>{_NUM})\s?(?:euros?|dollars?|bucks|pounds?|quid|francs?|kronor"
    r"|kroner|kronur|yen|yuan|rupees?|rand|pesos?|zloty|zlotys|reais|lei|forint)\b",
    re.IGNORECASE,
)


def find_money_in_words(text: str) -> list[Money]:
    """Amounts written with the currency's name after them ("632 euro"); the currency
    itself is left unknown, since a word like "dollars" names several."""
    found = []
    for match in _MONEY_WORDS.finditer(text):
        amount = parse_number_text(match.group("num"))
        if amount is not None:
            found.append(Money(match.start(), match.end(), amount, None, match.group()))
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


CALENDAR_WORDS = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent swaps, or limit + 1 once it is over limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if (
                before is not None
                and i > 1
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
            ):
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return row[-1]


_DAY_BEFORE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?$")
_DAY_AFTER = re.compile(r"\s+\d{1,4}\b")


def misspelt_calendar_word(text: str, start: int, end: int) -> str | None:
    """The day or month name the word at text[start:end] is a slip of ("Wensday",
    "3 Febuary"), capitalised as written; None when it is one already or is not
    close to any. Names can be close to a month ("Marco", "Julie"), so a month
    needs a day or a year next to it; a day needs the -day ending."""
    word = text[start:end]
    lowered = word.lower()
    if len(lowered) < 5 or lowered in CALENDAR_WORDS or not lowered.isalpha():
        return None
    dated = bool(
        _DAY_BEFORE.search(text[max(0, start - 12) : start]) or _DAY_AFTER.match(text, end)
    )
    for name in CALENDAR_WORDS:
        if name.endswith("day") and not lowered.endswith(("day", "dy", "ay")):
            continue
        if not name.endswith("day") and not dated:
            continue
        if name[0] == lowered[0] and _edit_distance(lowered, name, 2) <= 2:
            return name.capitalize() if word[0].isupper() else name
    return None


# A day or month after a word that introduces a time ("by Wensday", "on Thrusday").
_CALENDAR_SLOT = re.compile(
    r"\b(?:by|on|until|till|before|next|this|from|after|in|early|mid|late|end of)\s+"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?)?([A-Za-z]{5,10})\b",
    re.IGNORECASE,
)


def has_timeframe(text: str) -> bool:
    if TIMEFRAME.search(text) or find_dates(text):
        return True
    # A misspelt day still sets the time: "I'll send it by Wensday" (Spelling reports it).
    return any(
        misspelt_calendar_word(text, m.start(1), m.end(1)) for m in _CALENDAR_SLOT.finditer(text)
    )
