"""Plain words: who reads (language, time zone) and our clerks' reasons in everyday language.

Pure, like `explain`: no database and no Django. `plain_reason` knows the reasons the desk
types most often and gives the sentence a vendor or customer understands, with what they can
do about it; anything else has our internal words ("PO", "GRN", "vendor master") scrubbed out.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

PAYABLE, RECEIVABLE = "ap", "ar"


def babel_locale(language: str) -> str:
    """`fr-CA` → `fr_CA`; anything Babel does not know is English."""
    try:
        return str(Locale.parse((language or "en").replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return "en"


@dataclass(frozen=True)
class Reader:
    """Who reads: their locale and time zone, and what "today" is for them."""

    locale: str = "en"
    time_zone: str = "Europe/Amsterdam"
    today: dt.date | None = None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def day(self, value) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                return value.astimezone(self.zone).date()
            return value.date()
        return value

    def date(self, value, style: str = "long") -> str:
        day = self.day(value)
        return format_date(day, style, locale=self.locale) if day else ""

    def money(self, amount, currency: str) -> str:
        return format_currency(amount, currency, locale=self.locale)

    def number(self, value) -> str:
        return format_decimal(value, locale=self.locale)

    def current_day(self) -> dt.date:
        return self.today or dt.datetime.now(self.zone).date()


# --- Reasons in plain words ------------------------------------------------------------------

_JARGON = [
    (re.compile(r"\bvendor master\b", re.I), "our records"),
    (re.compile(r"\bvendor'?s\b", re.I), "your"),
    (re.compile(r"\bvendor\b", re.I), "you"),
    (re.compile(r"\bcustomer'?s\b", re.I), "your"),
    (re.compile(r"\bcustomer\b", re.I), "you"),
    (
        re.compile(r"\b(3WM|three[- ]way match(ing)?)\b", re.I),
        "the check against order and delivery",
    ),
    (re.compile(r"\bGRN\b"), "delivery confirmation"),
    (re.compile(r"\bgoods receipt\b", re.I), "delivery confirmation"),
    (re.compile(r"\bPOs\b"), "purchase orders"),
    (re.compile(r"\bPO\b"), "purchase order"),
    (re.compile(r"\bVAT id\b", re.I), "VAT number"),
    (re.compile(r"\bAP\b"), "our payables team"),
    (re.compile(r"\bAR\b"), "our receivables team"),
    (re.compile(r"\bERP\b"), "our accounting system"),
    (re.compile(r"\bcost cent(er|re)\s*\S*", re.I), "department"),
]


def scrub(text: str) -> str:
    """A clerk's note with our internal words replaced by everyday ones, as a clause."""
    text = " ".join((text or "").split()).strip().rstrip(".")
    for pattern, words in _JARGON:
        text = pattern.sub(words, text)
    if text[:1].isupper() and not text[1:2].isupper():
        text = text[0].lower() + text[1:]
    return text


ASK_BELOW = "ask us a question below"


def _quantity(reader: Reader, raw: str) -> str:
    try:
        return reader.number(Decimal(raw).normalize())
    except InvalidOperation:
        return raw


def plain_reason(
    note: str, status: str, direction: str, reader: Reader, currency: str = ""
) -> tuple[str, str]:
    """(why, what to do) for a hold, rejection, dispute or cancellation note."""
    text = " ".join((note or "").split())
    if not text:
        return "", ""
    found = _known_reason(text, status, direction, reader, currency)
    if found:
        return found
    why = scrub(text)
    if status == "on_hold":
        return why, (
            "We are sorting this out and will contact you if we need anything from you. "
            f"If you can help us clear it sooner, {ASK_BELOW}."
        )
    if status == "rejected":
        return why, f"If you think this is a mistake, {ASK_BELOW}."
    return why, ""


def _known_reason(text, status, direction, reader, currency):  # noqa: C901 - one table, read down
    low = text.lower()
    if m := re.search(r"quantity mismatch on line (\d+): billed ([\d.]+), received ([\d.]+)", low):
        line, billed, got = m.group(1), _quantity(reader, m[2]), _quantity(reader, m[3])
        return (
            f"line {line} charges for {billed}, but so far we have received {got}",
            "If the rest is still on its way, we pay once it has arrived. If it is not coming, "
            "send us a credit note for the difference.",
        )
    if m := re.search(
        r"price mismatch on line (\d+): invoiced ([\d.]+) ([a-z]{3}).*?says ([\d.]+)", low
    ):
        code = m.group(3).upper()
        return (
            f"the price on line {m[1]} ({reader.money(Decimal(m[2]), code)}) is not the price "
            f"on our order ({reader.money(Decimal(m[4]), code)})",
            "Send us a credit note for the difference, or tell us why the price changed: "
            f"{ASK_BELOW}.",
        )
    if m := re.search(r"suspected duplicate of invoice (\S+?)(\s|:|$)", text, re.IGNORECASE):
        return (
            f"it looks like a second copy of invoice {m[1]}, which we already have",
            "If it is a copy, there is nothing to do: we pay the invoice once. If it is a "
            f"different invoice, {ASK_BELOW} and tell us how it differs.",
        )
    table = [
        (
            "po number missing",
            "the invoice does not show our purchase order number",
            "Send us a corrected invoice that shows our purchase order number; you find it on "
            "the order we sent you.",
        ),
        (
            "bank details on the invoice differ",
            "the bank details on the invoice are not the ones we have for you, so we are "
            "checking them first",
            "We will call you on the phone number we have on file to confirm them. For your "
            "safety, please do not send new bank details by e-mail.",
        ),
        (
            "vat id missing",
            "the invoice does not show your VAT number",
            "Send us a corrected invoice that shows your VAT number.",
        ),
        (
            "awaiting goods receipt",
            "we are waiting for our warehouse to confirm that the delivery arrived",
            "There is nothing you need to do. If the goods were delivered, sending us the signed "
            "delivery note helps us speed this up.",
        ),
        (
            "wrong legal entity",
            "the invoice is addressed to a different company of our group than the one that "
            "placed the order",
            "Send us a credit note for this invoice and a new invoice addressed to the company "
            "named on the order.",
        ),
        (
            "not ordered by us",
            "we have no order of ours for it",
            "If we did order it, ask us a question below with the order number or the name of "
            "the person who ordered it.",
        ),
        (
            "services not rendered",
            "we have no record that the service was delivered",
            "If it was delivered, ask us a question below with the date and who received it.",
        ),
        (
            "already invoiced under an earlier number",
            "it was already invoiced under an earlier number",
            "There is nothing to do: we pay the earlier invoice.",
        ),
        (
            "goods damaged on arrival",
            "the goods arrived damaged; we sent you photos",
            "",
        ),
        ("service not delivered as agreed", "the service was not delivered as agreed", ""),
        ("price differs from the quotation", "the price is not the one in your quotation", ""),
        (
            "delivered after the agreed date",
            "it was delivered after the agreed date, so the late-delivery penalty in our "
            "agreement applies",
            "",
        ),
        ("goods were not received", "you told us the goods did not arrive", ""),
        ("price not as agreed", "you told us the price is not the one agreed in the contract", ""),
        ("service visit was not carried out", "you told us the service visit did not happen", ""),
        ("disputes the freight charge", "you questioned the freight charge", ""),
    ]
    for key, why, what in table:
        if key in low:
            return why, what
    return None


def plain_deduction(reason: str) -> str:
    # "bank charges deducted" reads "€10.00 was deducted: bank charges" after the amount.
    text = re.sub(r"\s+deducted$", "", scrub(reason), flags=re.IGNORECASE)
    if m := re.search(r"credit note (\S+?) applied", text, re.IGNORECASE):
        return f"credit note {m[1]} was set off against it"
    if m := re.search(r"applied to invoice (\S+)", text, re.IGNORECASE):
        return f"it was set off against invoice {m[1]}"
    return text
