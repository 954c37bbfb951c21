"""Does the reply state the ledger's facts? Invoice numbers, amounts and due dates.

Only what the case's invoices can confirm is judged. An amount is tied to an
invoice when the same sentence names that invoice; a part payment, a fee or a
balance ("remaining 300.00") is not the invoice amount, so it is only flagged
when it looks like a slip of the invoice amount (1,250.00 for 1,520.00).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import combinations

from ledgerdesk.core.typos import one_change_or_swap

from ..context import Context, Invoice
from ..document import Document, Span
from ..engine import finding
from ..extract import (
    DateMention,
    Money,
    find_dates,
    find_invoice_refs,
    find_money,
    find_money_in_words,
    same_invoice_number,
)
from ..model import Finding
from ..registry import register
from ..ruleset import Rule, RuleSet

_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    invoice: Invoice | None  # None: an invoice number the ledger does not know
    written: str


def _mentions(doc: Document, invoices: tuple[Invoice, ...]) -> list[Mention]:
    text = doc.active[: doc.body_end]
    mentions: dict[int, Mention] = {}
    for ref in find_invoice_refs(text):
        match = next((inv for inv in invoices if same_invoice_number(ref.number, inv.number)), None)
        if match is None and _COUNT_AFTER.match(text, ref.end):
            continue  # "we pay invoices 30 days after receipt": a count, not a number
        mentions[ref.start] = Mention(ref.start, ref.end, match, ref.number)
    # A number shaped like the case's invoice numbers ("INV-2026-0024" beside
    # "INV-2026-0042") names an invoice even without the word "invoice".
    for shape in {_shape(inv.number) for inv in invoices} - {None}:
        for m in re.finditer(shape, text):
            if m.start() not in mentions and not any(
                x.start <= m.start() < x.end for x in mentions.values()
            ):
                found = next(
                    (i for i in invoices if same_invoice_number(m.group(), i.number)), None
                )
                mentions[m.start()] = Mention(m.start(), m.end(), found, m.group())
    # A known number written without the word "invoice" still names it.
    for inv in invoices:
        forms = {inv.number, re.sub(r"^\D+", "", inv.number)} - {""}
        for form in forms:
            pattern = rf"(?<![\w.,/-]){re.escape(form)}(?![\w/-]|[.,]\d)"
            for m in re.finditer(pattern, text, re.IGNORECASE):
                if not any(x.start <= m.start() < x.end for x in mentions.values()):
                    mentions[m.start()] = Mention(m.start(), m.end(), inv, m.group())
    # A digits-only number one slip away from a case's invoice number ("90616" beside
    # "90611", "44081" beside "44018") names that invoice, wrongly, even without "invoice".
    plain = {inv.number for inv in invoices if inv.number.isdigit() and len(inv.number) >= 4}
    for length in {len(n) for n in plain}:
        for m in re.finditer(rf"(?<![\w.,/-])\d{{{length}}}(?![\w/-]|[.,]\d)", text):
            if m.start() in mentions or m.group() in plain:
                continue
            if any(x.start <= m.start() < x.end for x in mentions.values()):
                continue
            if any(one_change_or_swap(m.group(), n) for n in plain if len(n) == length):
                mentions[m.start()] = Mention(m.start(), m.end(), None, m.group())
    # The same for numbers of digits and separators ("2026-1075" beside "2026-1057"):
    # only a slip of a case's number, as the shape alone is as generic as a date's.
    for number in {i.number for i in invoices if re.fullmatch(r"\d+(?:[-/.]\d+)+", i.number)}:
        if sum(ch.isdigit() for ch in number) < 6:
            continue
        body = re.sub(r"\d+", lambda d: rf"\d{{{len(d.group())}}}", re.escape(number))
        for m in re.finditer(rf"(?<![\w.,/-]){body}(?![\w/-]|[.,]\d)", text):
            if any(x.start <= m.start() < x.end for x in mentions.values()):
                continue
            if any(same_invoice_number(m.group(), i.number) for i in invoices):
                continue
            if one_change_or_swap(m.group(), number):
                mentions[m.start()] = Mention(m.start(), m.end(), None, m.group())
    return sorted(mentions.values(), key=lambda m: m.start)


# A number counting something: "invoices 30 days after we receive them", "bills 5% over".
_COUNT_AFTER = re.compile(
    r"\s*(?:%|per\s*cent\b|percent\b|(?:working\s+|business\s+|calendar\s+|banking\s+)?"
    r"(?:days?|weeks?|months?|years?|hours?|times)\b)",
    re.IGNORECASE,
)


def _shape(number: str) -> str | None:
    """A pattern for numbers like `number`, or None when it is digits only (too generic)."""
    if not re.search(r"[A-Za-z]", number) or not re.search(r"\d", number):
        return None
    body = re.sub(r"\d+", lambda m: rf"\d{{{len(m.group())}}}", re.escape(number))
    return rf"(?<![\w-]){body}(?![\w-])"


def _digits(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f").replace(".", "").lstrip("0")


def near_miss(written: Decimal, ledger: Decimal, swapped_only: bool = False) -> bool:
    """A likely slip: swapped digits, one digit off, or the decimal point moved.

    `swapped_only` for amounts the text calls a balance or part payment, which
    may well differ from the invoice by one digit (1,320.00 left of 1,520.00)
    but are unlikely to be its digits reordered.
    """
    if written == ledger or ledger == 0:
        return False
    a, b = _digits(written), _digits(ledger)
    if sorted(a) == sorted(b):
        return True
    if swapped_only:
        return False
    if len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1:
        return True
    return written * 10 == ledger or written == ledger * 10


def format_like(written: str, amount: Decimal) -> str:
    """`amount` written the way the agent wrote the wrong one ("EUR 1.250,00" style)."""
    number = re.search(r"\d[\d.,\u00a0\u202f'’ ]*\d|\d", written)
    if number is None:
        return f"{amount:,.2f}"
    raw = number.group()
    decimal_sep, group_sep = ".", ","
    tail = re.search(r"([.,])(\d{1,2})$", raw)
    if tail:
        decimal_sep = tail.group(1)
        group_sep = next((ch for ch in raw[: tail.start()] if not ch.isdigit()), "")
        if not group_sep:
            group_sep = "," if decimal_sep == "." else "."
    else:
        group_sep = next((ch for ch in raw if not ch.isdigit()), ",")
        decimal_sep = "," if group_sep == "." else "."
    whole, _, frac = f"{amount.quantize(Decimal('0.01')):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", group_sep)
    if re.match(r"\d{1,2},\d{2},", raw) and len(whole) > 5:
        # Indian grouping, as written: 2,75,000.00.
        grouped = re.sub(r"(\d)(?=(?:\d{2})*\d{3}$)", r"\1,", whole)
    shown = grouped + (decimal_sep + frac if tail or frac != "00" else "")
    return written[: number.start()] + shown + written[number.end() :]


def format_date_like(written: str, due: date) -> str:
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", written):
        return due.isoformat()
    year_first = re.fullmatch(r"\d{4}([/.])\d{1,2}[/.]\d{1,2}", written)
    if year_first:
        sep = year_first.group(1)
        return f"{due.year}{sep}{due.month:02d}{sep}{due.day:02d}"
    numeric = re.fullmatch(r"(\d{1,2})([./])(\d{1,2})[./](\d{2,4})", written)
    if numeric:
        sep = numeric.group(2)
        return f"{due.day:02d}{sep}{due.month:02d}{sep}{due.year}"
    month = _MONTH_NAMES[due.month - 1]
    has_year = bool(re.search(r"\d{4}", written))
    if re.match(r"[A-Za-z]", written):
        return f"{month} {due.day}, {due.year}" if has_year else f"{month} {due.day}"
    return f"{due.day} {month} {due.year}" if has_year else f"{due.day} {month}"


def _nearest(mentions: list[Mention], doc: Document, start: int, end: int) -> Mention | None:
    """The invoice a fact belongs to: the closest one named before it in the sentence
    ("invoice 4411 for 1,520.00"), else the closest after it ("1,520.00 for invoice 4411")."""
    sentence = doc.sentence_of(start)
    before = [m for m in mentions if sentence[0] <= m.start and m.end <= start]
    after = [m for m in mentions if end <= m.start < sentence[1]]
    # "... plus R 6,600.00 on BM-60288": the invoice right after it, with "on", "for" or
    # "against", is the one it is said of, whatever was named before.
    if after and _OWNER_AFTER.fullmatch(doc.active, end, after[0].start):
        return after[0]
    if before:
        return before[-1]
    return after[0] if after else None


_OWNER_AFTER = re.compile(
    r"\s*(?:\)\s*)?(?:on|for|against|under)\s+(?:(?:the\s+)?(?:invoice|bill)\s+)?"
    r"(?:no\.?\s*|number\s+|#\s*)?",
    re.IGNORECASE,
)


def _only_invoice(invoices: tuple[Invoice, ...]) -> Invoice | None:
    return invoices[0] if len(invoices) == 1 else None


# An invoice the reply marks as another one than the case's: "your next invoice",
# "future invoices", "another bill", "a corrected invoice", or another document
# altogether ("a credit note for ..."). A date or amount said of it is that one's,
# which the ledger data of the case cannot confirm.
_OTHER_INVOICE = re.compile(
    r"\b(?:(?:next|future|upcoming|coming|forthcoming|following|later|subsequent|new|other"
    r"|previous|earlier|prior|older|last\s+(?:month|year|quarter)[’']s"
    r"|another|further|more|second|third|corrected|revised|replacement|amended)\s+(?:[a-z]+\s+)?"
    r"(?:invoices?|bills?|ones?|statements?|orders?)|(?:credit|debit)\s+(?:notes?|memos?)"
    r"|(?-i:[CD][NM]s?))\b",
    re.IGNORECASE,
)


def _about_other_invoice(doc: Document, mentions: list[Mention], start: int, end: int) -> bool:
    """Whether the fact at start:end is said of another invoice than a case's one:
    one named as such ("your next invoice, due on 15 June") between the fact and the
    invoice it would otherwise belong to (or the start of its sentence)."""
    sentence = doc.sentence_of(start)
    before = [m for m in mentions if sentence[0] <= m.start and m.end <= start]
    since = before[-1].end if before else sentence[0]
    return _OTHER_INVOICE.search(doc.active, since, start) is not None


_NOT_FULL = re.compile(
    r"\b(?:partial|part|remaining|remainder|balance|outstanding|short|shortfall|difference|"
    r"deduct(?:ed|ion)?|fees?|charges?|credit(?:ed)?|discount|interest|instal+ments?|of\s+which|missing|"
    r"leaving|left|already|minus|less|withh[eo]ld(?:ing)?|vat|tax|so\s+far|received|paid|"
    r"transferred|refund(?:ed)?|over-?payment|underpaid|overpaid|total|adjust(?:ed|ment)|net|gross|"
    r"after|deducting|leaves|open|writ(?:e|ten|ing)\s+off|wrote\s+off|waiv(?:e|ed|ing))\b",
    re.IGNORECASE,
)


# A price per unit or per period ("12 pallets at EUR 126.67 each", "EUR 40.00 per
# hour", "EUR 9.90/month") is not an invoice total, nor a slip of one.
_RATE_AFTER = re.compile(
    r"\s*(?:/\s*[a-z]|(?:each|apiece"
    r"|per\s+(?!(?:our|your|the|my|this|that|its|their|his|her)\b)\w+"
    r"|an?\s+(?:unit|piece|item|pallet|hour|day|week|fortnight|month|quarter|year|term|night"
    r"|shift|session|visit|head|kg|kilo|litre|liter|box|case|licence|license|seat|user|page)s?"
    # An amount paid at intervals: "GBP 400 every two weeks", "USD 250 monthly".
    r"|every\s+(?:\w+\s+)?(?:days?|weeks?|fortnights?|months?|quarters?|years?)"
    r"|(?:daily|weekly|fortnightly|monthly|quarterly|yearly|annually))\b)",
    re.IGNORECASE,
)
_RATE_BEFORE = re.compile(r"\b\d+\s+(?:[a-z]+\s+){0,2}(?:at|@)\s*$", re.IGNORECASE)


def _is_rate(doc: Document, money: Money) -> bool:
    before = doc.active[max(0, money.start - 40) : money.start]
    return bool(_RATE_AFTER.match(doc.active, money.end) or _RATE_BEFORE.search(before))


_SET_APART_AFTER = re.compile(r"[\w/-]*\)?\s*,?\s*(?:instead\s+of|rather\s+than)\b", re.I)
_SET_APART_BEFORE = re.compile(
    r"\b(?:instead\s+of|rather\s+than|not)\s+(?:invoice\s+)?(?:no\.?\s*)?$"
    # The number a document was reissued under: "reissued it to your Basel entity as
    # 4471", "reposted ..., new number 4471", "replaced by 4471".
    r"|\b(?:re-?issued|re-?posted|re-?raised|re-?created|re-?numbered|re-?generated|re-?booked"
    r"|replaced|superseded|cancelled\s+and\s+re-?\w+)\b[^.!?\n]{0,50}?\b(?:as|by|with|under)"
    r"\s+(?:invoice\s+)?(?:no\.?\s*|number\s+)?$"
    r"|\bnew\s+(?:invoice\s+)?(?:number|no\.?|ref(?:erence)?)\s*(?:is\s+)?[:#]?\s*$"
    rf"|{_OTHER_INVOICE.pattern}[\s,:#(]*(?:no\.?|nos\.?|number|nr\.?|ref\.?)?[\s,:#]*$",
    re.I,
)


def _named_as_other(text: str, start: int) -> bool:
    """ "your next invoice, 4412", "a new invoice no. 9001", "4410 instead of 4411": a
    number the reply itself sets apart from the case's invoices, not a slip of one."""
    if _SET_APART_AFTER.match(text, start, start + 40):
        return True
    return bool(_SET_APART_BEFORE.search(text[max(0, start - 60) : start]))


def _named_in(text: str, number: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(number)}(?![\w-])", text, re.I) is not None


def _customer_names_both(ctx: Context, written: str) -> bool:
    """The customer's message names this number beside one of the case's own ("it's
    the June retainer, May was BWA-2219"): another invoice they know, not a slip."""
    message = ctx.customer_message or ""
    if not _named_in(message, written):
        return False
    return any(_named_in(message, inv.number) for inv in ctx.invoices or ())


@register("accuracy_invoice_number")
def accuracy_invoice_number(
    doc: Document, rule: Rule, ctx: Context, rules: RuleSet
) -> Iterator[Finding]:
    if not ctx.invoices:
        return
    known = ", ".join(inv.number for inv in ctx.invoices)
    mentions = _mentions(doc, ctx.invoices)
    # A number the reply sets apart once ("reissued as 4471") is that other document
    # wherever else the reply names it ("please pay against 4471 only").
    apart = {
        m.written.lower()
        for m in mentions
        if m.invoice is None and _named_as_other(doc.active, m.start)
    }
    for mention in mentions:
        if mention.invoice is not None or mention.written.lower() in apart:
            continue
        if _customer_names_both(ctx, mention.written):
            continue
        only = _only_invoice(ctx.invoices)
        yield finding(
            rule,
            (mention.start, mention.end),
            f"Invoice {mention.written} is not one of this case's invoices ({known}). "
            "Check the number against the ledger.",
            only.number if only else known,
        )


@register("accuracy_amount")
def accuracy_amount(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    if not ctx.invoices:
        return
    mentions = _mentions(doc, ctx.invoices)
    text = doc.active[: doc.body_end]
    skip = [(d.start, d.end) for d in find_dates(text)] + [(m.start, m.end) for m in mentions]
    amounts = [inv.amount for inv in ctx.invoices if inv.amount is not None]
    total = sum(amounts, Decimal(0))
    found = find_money(text, skip)
    # The figures of the conversation: the reply's and the customer's own.
    said = find_money(ctx.customer_message or "") + find_money_in_words(ctx.customer_message or "")
    figures = [m.amount for m in found] + [m.amount for m in said]
    customer = {m.amount for m in said}
    for money in found:
        original = _original_slip(doc, money, amounts, customer)
        if original is not None:
            yield finding(rule, (money.start, money.end), *original)
            continue
        # A correction, a difference, a part of a plan: not the total. Unless it is an
        # invoice amount with its digits reordered ("the second charge of 1,864.20" for
        # 1,846.20) that no other figure of the reply adds up to: that is a slip.
        if _role(doc, money, found, figures, amounts) and not (
            money.amount not in customer
            and any(
                near_miss(money.amount, a, swapped_only=True) and a - money.amount not in figures
                for a in amounts
            )
        ):
            continue
        yield from _judge_amount(doc, rule, ctx, mentions, money, amounts, total, customer)


# The amount of the invoice a correction replaces is the ledger's: "a corrected invoice
# replacing the original USD 14,212.00 one", "the original invoice of EUR 1,250.00".
_ORIGINAL_BEFORE = re.compile(
    r"\b(?:the|your|our)\s+original\s+(?:(?:invoice|bill)\s+)?(?:(?:amount|total|value)\s+)?"
    r"(?:(?:of|for|at)\s+)?$",
    re.IGNORECASE,
)
_ORIGINAL_AFTER = re.compile(r"\s*(?:one|invoice|bill|amount|total)\b", re.IGNORECASE)


def _original_slip(
    doc: Document, money: Money, amounts: list[Decimal], customer: set[Decimal]
) -> tuple[str, str] | None:
    if money.amount in amounts or money.amount in customer:
        return None
    before = doc.active[max(0, money.start - 50) : money.start]
    said = _ORIGINAL_BEFORE.search(before)
    if said is None:
        return None
    # "the original USD 14,212.00" must go on to say of what: "one", "invoice".
    if said.group().split()[-1].lower() == "original" and not _ORIGINAL_AFTER.match(
        doc.active, money.end
    ):
        return None
    for amount in amounts:
        if near_miss(money.amount, amount):
            correct = format_like(money.text, amount)
            return f"{money.text} looks like a slip: the original invoice is {correct}.", correct
    return None


# The role of an amount in its sentence, when that role says it is not the
# invoice's amount. Words that name a figure set against the invoice total:
# an agreed or corrected price ("the agreed price of USD 3,100.00"), a
# difference ("the EUR 420.00 difference", "a shortfall of ..."), what arrived
# ("only USD 2,935.00 arrived").
_ROLE_BEFORE = re.compile(
    r"\b(?:agreed|corrected|revised|reduced|adjusted|amended|new|quoted"
    r"|contract(?:ed|ual)?|discounted|lower|list|unit|catalog(?:ue)?|standard|old|previous|usual"
    r"|normal|retail|framework)\s+(?:unit\s+)?(?:price|amount|total|figure"
    r"|sum|value|fee|rate)s?\s*(?:(?:of|is|was|should\s+be|will\s+be|would\s+be|at|to|:|\()\s*)?"
    r"(?:(?:just|only|therefore|now)\s+)?$"
    # A figure of another document named before it: "the quote was £2,400", "differs from
    # our purchase order (PLN 11.50)", "the estimate of USD 900.00".
    r"|\b(?:the|our|your|their|that|this|its)\s+(?:original\s+|signed\s+|accepted\s+|agreed\s+"
    r"|latest\s+|written\s+)?(?:purchase\s+orders?|POs?|quot(?:e|es|ation|ations)|estimates?"
    r"|price\s*lists?|contracts?|agreements?|order\s+confirmations?|rate\s+cards?|tenders?"
    r"|proposals?)\s*(?:\(|:|(?:was|is|were|are|said|says|showed|shows|stated|states|gave|gives"
    r"|came\s+to|comes\s+to|of|for|at)\s+)(?:(?:just|only|clearly|actually)\s+)?$"
    # The figure an amount is changed to: "will be amended to £2,400.00", "reduced it to".
    r"|\b(?:amend(?:ed|ing)?|correct(?:ed|ing)?|reduc(?:ed|ing|e)|revis(?:ed|ing|e)|adjust(?:ed|ing)?"
    r"|chang(?:ed|ing|e)|lower(?:ed|ing)?|rais(?:ed|ing|e)|increas(?:ed|ing|e)|updat(?:ed|ing|e)"
    r"|brought\s+down|cut|re-?issu(?:ed|ing|e)|re-?invoic(?:ed|ing|e))"
    r"\s+(?:(?:it|them|this|that|the\s+(?:invoice|bill|amount|total))\s+)?to\s+$"
    r"|\b(?:difference|shortfall|discrepancy|gap|deduction|variance)\s+(?:of|is|was)\s+$"
    r"|\bonly\s+$"
    # The second of two figures set side by side: "invoiced at R 96.00 against R 91.00".
    r"|\d\s*(?:vs\.?|versus|against|compared\s+(?:with|to))\s+(?:the\s+)?(?:[A-Z]{1,3}\s?)?$"
    # A threshold, not a figure of the invoice: "invoices above EUR 5,000.00 need ...".
    r"|\b(?:above|below|exceeding|up\s+to|more\s+than|less\s+than|at\s+least"
    r"|at\s+most|limit\s+(?:of|is)|threshold\s+(?:of|is)|minimum\s+(?:of|is)|maximum\s+(?:of|is))\s+$"
    # The same said of a class of documents: "any invoice over EUR 10,000", "payments under".
    r"|\b(?:any|every|all|each|invoices|payments|amounts|bills|orders|items|transfers)\s+"
    r"(?:[\w-]+\s+){0,4}(?:of\s+)?(?:over|under)\s+$"
    # A difference said with "by": "exceeds the order by EUR 350.00", "is short by".
    r"|\b(?:exceed(?:s|ed|ing)?|over|under|higher|lower|more|less|above|below|short|out|off"
    r"|differs?|differed|increased|decreased|reduced|raised|overpaid|underpaid|overcharged"
    r"|undercharged)\b(?:\s+[\w-]+){0,3}\s+by\s+$"
    # The same sum in another currency: "EUR 1,520.00 (about USD 1,650.00)".
    r"|\b(?:about|approx(?:imately|\.)?|around|roughly|circa|equivalent\s+(?:of|to)|equals?"
    r"|converted\s+(?:to|into)|worth)\s+$"
    # A named allowance or fee set against the invoice: "a rebate of", "a fee of".
    r"|\b(?:rebate|write-?off|goodwill\s+(?:gesture|payment)|commission|surcharge|fee|charge"
    r"|discount|compensation|retention|holdback|advance|prepayment)s?\s+(?:of|for|is|was|at)\s+$",
    re.IGNORECASE,
)
_ROLE_AFTER = re.compile(
    r"\s*(?:\)\s*)?(?:(?:price|figure|quote)\b(?!\s+(?:of|on|for)\s+(?:invoice|bill)\b)"
    r"|(?:difference|shortfall|discrepancy|gap|deduction|variance|arrived|came\s+in"
    r"|reached\s+(?:you|your|us|our))\b"
    r"|(?:deducted|withheld|missing|short-?paid|held\s+back|taken\s+off|knocked\s+off"
    r"|netted|offset|set\s+off|credited|refunded)\s+(?:from|on|against|off|for)\b"
    r"|,?\s*(?:not|instead\s+of|rather\s+than)\s+(?:the\s+)?(?:[A-Z]{1,3}\$?\s*|[$€£¥₹]\s*)?\d"
    # Set against another figure: "EUR 12.40 invoiced vs EUR 11.90", "12.40 against 11.90".
    r"|(?:(?:invoiced|charged|billed|quoted|ordered)\s+)?,?\s*(?:vs\.?|versus|against"
    r"|compared\s+(?:with|to))\s+(?:the\s+)?(?:[A-Z]{1,3}\$?\s*|[$€£¥₹]\s*)?\d"
    # A figure of another document: "EUR 11.90 on our purchase order", "in the quote".
    r"|(?:on|in|from)\s+(?:our|your|the|their|that|this)\s+(?:original\s+|signed\s+|latest\s+)?"
    r"(?:purchase\s+orders?|POs?|quot(?:e|es|ation|ations)|price\s*lists?|contracts?"
    r"|agreements?|order\s+confirmations?|delivery\s+notes?|rate\s+cards?)\b)",
    re.IGNORECASE,
)
# A plan set out as a list: "we'll split it into two payments:" and then one line each.
_PLAN_INTRO = re.compile(
    r"\b(?:split|spread|instal+ments?|payments|parts|plan|schedule|as\s+follows)\b[^\n]*:\s*$",
    re.IGNORECASE,
)


# Words that state an amount as the invoice's own: "invoice 4411 for", "invoice 4411 (".
_CLAIM_BEFORE = re.compile(
    r"\b(?:invoice|bill)\s*(?:no\.?\s*|number\s*|#\s*)?[\w/-]*\d[\w/-]*\s*(?:\(|,|:|for|of|at"
    r"|over|totals?|totalling|totaling|amounts?\s+to|comes\s+to|(?:is|was)(?:\s+for)?)?\s*$",
    re.IGNORECASE,
)


def _role(
    doc: Document,
    money: Money,
    found: list[Money],
    figures: list[Decimal],
    amounts: list[Decimal],
) -> bool:
    """Whether the sentence gives the amount a role that makes it not the invoice's:
    set against another amount, a difference, a part of a plan, or one of several
    figures that add up to an invoice amount (a price less a credit note, two
    instalments, what arrived plus what a bank kept back)."""
    if money.amount in amounts:
        return False
    sentence = doc.sentence_of(money.start)
    before = doc.active[max(sentence[0], money.start - 60) : money.start]
    if _ROLE_BEFORE.search(before) or _ROLE_AFTER.match(doc.active, money.end):
        return True
    line_start = doc.active.rfind("\n", 0, money.start) + 1
    if _PLAN_INTRO.search(doc.active[max(0, line_start - 200) : line_start].rstrip(" \t")):
        return True
    if _CLAIM_BEFORE.search(before):
        return False  # "invoice 4411 for 1,250.00" claims the total, whatever else is said
    others = list(figures)
    others.remove(money.amount)
    for invoice_amount in amounts:
        if invoice_amount - money.amount in others:
            return True
        count = sum(1 for m in found if m.amount == money.amount)
        if count > 1 and money.amount * count == invoice_amount:
            return True
    return False


_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:%|per\s*cent\b|percent\b)", re.IGNORECASE)
_HALF = re.compile(r"\b(?:half|halves)\b", re.IGNORECASE)

# A corrected or new invoice named in the sentence: its total is not the ledger's.
_CORRECTED_DOC = re.compile(
    r"\b(?:corrected|revised|amended|re-?issued|replacement|updated)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:invoice|bill)s?\b",
    re.IGNORECASE,
)


def _share_of_invoice(text: str, money: Money, invoices: tuple[Invoice, ...]) -> bool:
    """The amount is a share the conversation states of an invoice, or the whole an
    invoice is that share of: "6% (USD 630.00) was withheld from AR-9914" when AR-9914
    is USD 10,500.00, "half now ($1,240.00)" of $2,480.00, the full quote of £6,200.00
    when the invoice is its 50% deposit. It checks out, so it is no slip."""
    rates = {Decimal(m.group(1).replace(",", ".")) for m in _PERCENT.finditer(text)}
    if _HALF.search(text):
        rates.add(Decimal(50))
    cent = Decimal("0.01")
    for rate in rates:
        if not 0 < rate < 100:
            continue
        for invoice in invoices:
            if invoice.amount is None:
                continue
            if (invoice.amount * rate / 100).quantize(cent) == money.amount:
                return True
            if (money.amount * rate / 100).quantize(cent) == invoice.amount:
                return True
    return False


# A day and month written with a dot after a word of time ("for 15.06", "by 30.6")
# is a date, not an amount without its currency.
_DOTTED_DATE = re.compile(r"(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])")
_TIME_WORD_BEFORE = re.compile(r"\b(?:on|for|by|until|till|from|before|after)\s*$", re.I)


def _date_not_amount(doc: Document, money: Money) -> bool:
    if money.currency or not _DOTTED_DATE.fullmatch(money.text.strip()):
        return False
    return bool(_TIME_WORD_BEFORE.search(doc.active[max(0, money.start - 12) : money.start]))


# A symbol several currencies share: "$75" is as much Australian or Canadian dollars
# as US ones, "¥" yen or yuan. Only an ISO code pins the currency down.
_SHARED_SYMBOLS = {
    "$": {
        "USD",
        "AUD",
        "CAD",
        "NZD",
        "SGD",
        "HKD",
        "MXN",
        "TWD",
        "ARS",
        "CLP",
        "COP",
        "BBD",
        "JMD",
        "TTD",
        "BSD",
        "BZD",
        "BMD",
        "KYD",
        "XCD",
        "FJD",
        "GYD",
        "NAD",
        "LRD",
        "SRD",
        "SBD",
        "BND",
        "ZWL",
        "UYU",
        "BRL",
    },
    "¥": {"JPY", "CNY"},
}


def _same_symbol(money: Money, currency: str, before: str) -> bool:
    if before.isalpha():
        return False  # "US$", "A$", "C$": the letters name the dollar
    return any(
        symbol in money.text and currency in codes for symbol, codes in _SHARED_SYMBOLS.items()
    )


_TOTAL_WORD = re.compile(
    r"\b(?:total(?:l?ing|s)?|altogether|combined|in\s+all|made\s+up|consisting|comprising)\b", re.I
)
_OWED_WORD = re.compile(
    r"\b(?:outstanding|owed|owing|overdue|unpaid|in\s+arrears|due|open|balance)\b", re.I
)
_BALANCE_WORD = re.compile(
    r"\b(?:balance|remaining|remainder|rest|left|outstanding|shortfall|difference|still\s+owed)\b",
    re.I,
)


def _sum_slip(
    doc: Document,
    money: Money,
    sentence: Span,
    amounts: list[Decimal],
    customer: set[Decimal],
) -> tuple[str, str] | None:
    """A figure worked out from the ledger with its digits swapped: a total of the
    case's invoices ("SEK 64,100.00 in total" for 42,500.00 + 18,900.00), or a balance
    left after a payment the conversation names ("the balance of JPY 540,000" of a
    JPY 1,650,000 invoice after JPY 1,200,000 was paid)."""
    near = " ".join(
        re.findall(r"[\w-]+", doc.active[max(sentence[0], money.start - 40) : money.start])[-4:]
        + re.findall(r"[\w-]+", doc.active[money.end : sentence[1]])[:2]
    )
    if money.amount in customer or money.amount in amounts:
        return None
    # What is owed on the account, said of several invoices ("Outstanding is £2,860.00:
    # TBC-5012 for £1,480.00 and TBC-5077 for £1,326.00"): their total, or a slip of it
    # when its digits are reordered (a balance may differ from it by any one digit).
    owed = _OWED_WORD.search(near) is not None
    if len(amounts) > 1 and owed and not _TOTAL_WORD.search(near):
        total = sum(amounts, Decimal(0))
        if money.amount != total and near_miss(money.amount, total, swapped_only=True):
            correct = format_like(money.text, total)
            return f"The case's invoices total {correct}, not {money.text}.", correct
    if len(amounts) > 1 and _TOTAL_WORD.search(near):
        total = sum(amounts, Decimal(0))
        # Every part-total of a few invoices; of many, only the whole (2^n grows fast).
        sums = {total}
        if len(amounts) <= 8:
            sums |= {
                sum(combo, Decimal(0))
                for size in range(2, len(amounts))
                for combo in combinations(amounts, size)
            }
        # A total of figures the reply itself lists (every invoice with its amount) is
        # plain addition: one digit off is a slip too, not only digits swapped.
        listed = {m.amount for m in _body_money(doc)}
        swapped_only = not set(amounts) <= listed
        if money.amount not in sums and near_miss(money.amount, total, swapped_only):
            correct = format_like(money.text, total)
            return f"The case's invoices total {correct}, not {money.text}.", correct
        # A total of some of them (the open ones) with its digits reordered.
        for part in sorted(sums - {total}):
            if money.amount not in sums and near_miss(money.amount, part, swapped_only=True):
                correct = format_like(money.text, part)
                return f"{money.text} looks like a slip: those invoices total {correct}.", correct
    if _BALANCE_WORD.search(near):
        here = [m.amount for m in _body_money(doc)] + sorted(customer)
        paid = {f for f in here if f != money.amount and f not in amounts}
        balances = {a - f for a in amounts for f in paid if Decimal(0) < f < a}
        if money.amount in balances:
            return None
        for balance in sorted(balances):
            if near_miss(money.amount, balance, swapped_only=True):
                correct = format_like(money.text, balance)
                return (
                    f"{money.text} looks like a slip: the balance works out at {correct}.",
                    correct,
                )
    return None


_REFUND_WORD = re.compile(r"\brefund(?:ed|ing|s)?\b", re.IGNORECASE)
_FULL_REFUND = re.compile(
    r"\b(?:full|complete|whole|entire)\s+refund\b|\brefund(?:ed)?\s+(?:it\s+)?in\s+full\b",
    re.IGNORECASE,
)
_TWICE = re.compile(
    r"\b(?:twice|two\s+times|double[- ]?(?:charged|charge|debit|payment|billed)|duplicate"
    r"|charged\s+again|a\s+second\s+(?:charge|debit|time))\b",
    re.IGNORECASE,
)


def _corrected_total(
    doc: Document, ctx: Context, money: Money, sentence: Span, invoices: tuple[Invoice, ...]
) -> bool:
    """The new total of a corrected invoice: "a corrected invoice for EUR 1,265.00" after
    "I have removed the EUR 40 fee" from EUR 1,305.00. The ledger still has the old one."""
    if not _CORRECTED_DOC.search(doc.active, sentence[0], money.start):
        return False
    said = _body_money(doc) + find_money(ctx.customer_message or "")
    figures = {m.amount for m in said} - {money.amount}
    return any(inv.amount is not None and inv.amount - money.amount in figures for inv in invoices)


def _body_money(doc: Document) -> list[Money]:
    """The amounts the agent's own words state, read once per review."""
    if "body_money" not in doc.memo:
        doc.memo["body_money"] = find_money(doc.active[: doc.body_end])
    return doc.memo["body_money"]  # type: ignore[return-value]


# A payment in another currency than the invoice's, which the sentence says was
# converted ("EUR 10,120.00, which our bank converted to GBP 8,652.30"), or which the
# customer says they sent in it ("our bank paid in euros instead of pounds").
_CONVERTED = re.compile(
    r"\b(?:convert(?:ed|ing|s)?|conversion|exchange(?:d)?|FX|changed\s+(?:in)?to)\b", re.I
)
_RECEIVED_BEFORE = re.compile(
    r"\b(?:received|receipt\s+of|paid|sent|arrived|transferred|remitted|credited|came\s+in"
    r"|payment\s+of|transfer\s+of|remittance\s+of)\b[^.!?\n]{0,25}$",
    re.I,
)
_CURRENCY_NAMES = {
    "EUR": r"euros?|€",
    "GBP": r"pounds?|sterling|£",
    "USD": r"(?:us\s+)?dollars?|US\$",
    "CHF": r"swiss\s+francs?|francs?",
    "JPY": r"yen",
    "CNY": r"yuan|renminbi|rmb",
    "SEK": r"(?:swedish\s+)?kron(?:a|or)",
    "NOK": r"(?:norwegian\s+)?kron(?:e|er)",
    "DKK": r"(?:danish\s+)?kron(?:e|er)",
    "PLN": r"z[łl]oty",
    "INR": r"rupees?|₹",
}


def _sent_in_other_currency(doc: Document, ctx: Context, money: Money, sentence: Span) -> bool:
    if money.currency is None:
        return False
    if _CONVERTED.search(doc.active, sentence[0], sentence[1]):
        return True
    before = doc.active[max(sentence[0], money.start - 40) : money.start]
    if not _RECEIVED_BEFORE.search(before):
        return False
    message = ctx.customer_message or ""
    names = _CURRENCY_NAMES.get(money.currency, "")
    pattern = rf"\b{re.escape(money.currency)}\b" + (rf"|(?<!\w)(?:{names})(?!\w)" if names else "")
    return re.search(pattern, message, re.I) is not None


def _with_currency(money: Money, currency: str) -> str:
    number = re.search(r"\d[\d.,\u00a0\u202f'’ ]*\d|\d", money.text)
    return f"{currency} {number.group() if number else money.text}"


def _judge_amount(
    doc: Document,
    rule: Rule,
    ctx: Context,
    mentions: list[Mention],
    money: Money,
    amounts: list[Decimal],
    total: Decimal,
    customer: set[Decimal] = frozenset(),
) -> Iterator[Finding]:
    invoices = ctx.invoices or ()
    sentence = doc.sentence_of(money.start)
    mention = _nearest(mentions, doc, money.start, money.end)
    if _about_other_invoice(doc, mentions, money.start, money.end) or _is_rate(doc, money):
        return
    # The rate may be said anywhere: in the sentence, elsewhere in the reply or by the
    # customer ("we paid after deducting 10% TDS").
    conversation = f"{doc.active[: doc.body_end]}\n{ctx.customer_message or ''}"
    if _share_of_invoice(conversation, money, invoices):
        return
    if _date_not_amount(doc, money):
        return
    if _corrected_total(doc, ctx, money, sentence, invoices):
        return
    slip = _sum_slip(doc, money, sentence, amounts, customer)
    if slip is not None:
        yield finding(rule, (money.start, money.end), slip[0], slip[1])
        return
    # Only the few words right before the amount, and after the invoice it
    # belongs to, say what it is: "paid invoice 12 for 1,000.00" is the full
    # amount, "paid 300.00 of invoice 12" a part.
    lead_from = sentence[0]
    if mention is not None and mention.end <= money.start:
        lead_from = mention.end
    words_before = " ".join(re.findall(r"[\w-]+", doc.active[lead_from : money.start])[-4:])
    words_after = " ".join(re.findall(r"[\w-]+", doc.active[money.end : sentence[1]])[:2])
    # A payment plan anywhere before it in the sentence ("in two parts: ... and
    # ..."), or "towards"/"on account" after it, makes it a part, not the total.
    part = bool(
        _NOT_FULL.search(words_before)
        or _PLAN.search(doc.active, sentence[0], money.start)
        or _PART_AFTER.match(words_after)
        or _PART_CLAUSE_AFTER.match(doc.active, money.end, sentence[1])
    )
    # An amount in a later clause than the invoice named before it ("invoice 12 is
    # approved, so 300.00 is still open") is not said to be that invoice's amount;
    # only a slip of the invoice amount is flagged there.
    tied = (
        mention is None
        or mention.end > money.start
        or not _NEW_CLAUSE.search(doc.active, mention.end, money.start)
    )
    full_amount = tied and not part
    invoice = mention.invoice if mention else None
    if mention is None and re.search(r"\binvoice\b", doc.active[sentence[0] : sentence[1]], re.I):
        invoice = _only_invoice(invoices)

    # The sentence states the invoice's own amount as well ("EUR 1,502.00 arrived, while
    # invoice 4411 is for EUR 1,520.00"): the other figure is set beside the total,
    # not claimed to be it.
    here = find_money(doc.active[sentence[0] : sentence[1]])
    if invoice is not None and money.amount != invoice.amount and mention is not None:
        for other in here:
            at = sentence[0] + other.start
            if (
                other.amount == invoice.amount
                and _nearest(mentions, doc, at, sentence[0] + other.end) == mention
            ):
                full_amount = False
    same_amount = [inv for inv in invoices if inv.amount == money.amount]
    target = invoice if invoice in same_amount else (same_amount[0] if same_amount else invoice)
    if (
        money.currency
        and target
        and target.currency
        and money.currency != target.currency
        and not _same_symbol(
            money, target.currency, doc.active[max(0, money.start - 1) : money.start]
        )
        and not _sent_in_other_currency(doc, ctx, money, sentence)
    ):
        yield finding(
            rule,
            (money.start, money.end),
            f"Invoice {target.number} is in {target.currency}, not {money.currency}.",
            _with_currency(money, target.currency),
        )
        return
    if same_amount or (money.amount == total and len(amounts) > 1):
        if invoice is None or invoice.amount is None or not full_amount:
            return
        if money.amount == invoice.amount or money.amount == total:
            return
    if invoice is not None and invoice.amount is not None and full_amount:
        if money.amount != invoice.amount:
            correct = format_like(money.text, invoice.amount)
            yield finding(
                rule,
                (money.start, money.end),
                f"The ledger has invoice {invoice.number} at {correct}, not {money.text}.",
                correct,
            )
        return
    # Not a slip: a figure the customer wrote ("the USD 3,100.00 price you
    # mention"), or one set beside the ledger amount itself in the same sentence
    # ("2,935.00 arrived instead of 2,975.00"): the writer has the right one in view.
    if money.amount in customer:
        return
    stated = {m.amount for m in here}
    # A refund of a charge taken twice gives back the charge itself: one digit off it
    # is a slip, as in a total.
    refund = bool(
        _REFUND_WORD.search(words_before)
        and (
            _TWICE.search(doc.active, 0, doc.body_end)
            or _TWICE.search(ctx.customer_message or "")
            # ... and so does a refund the reply calls full.
            or _FULL_REFUND.search(doc.active, 0, doc.body_end)
        )
    )
    for inv in invoices:
        if inv.amount in stated:
            continue
        if inv.amount is not None and near_miss(money.amount, inv.amount, part and not refund):
            correct = format_like(money.text, inv.amount)
            yield finding(
                rule,
                (money.start, money.end),
                f"{money.text} looks like a slip: the ledger has invoice {inv.number} "
                f"at {correct}.",
                correct,
            )
            return


def _date_matches(mention: DateMention, due: date) -> bool:
    return any(
        (year is None or year == due.year) and month == due.month and day == due.day
        for year, month, day in mention.readings
    )


# After the amount: a part ("towards", "on account") or one line of a breakdown
# ("EUR 152.00 of VAT", "EUR 270.00 for freight", "EUR 1,250.00 is for the goods").
_PART_AFTER = re.compile(
    r"(?:towards|toward|on\s+account|as\s+a\s+deposit|deposit"
    r"|of\s+(?:vat|tax|it|that|this|which)|(?:is|are|was|were)\s+(?:for|vat|tax)"
    r"|(?:in|for)\s+(?:vat|tax|fees?|charges?|freight|shipping|delivery|postage|goods|services"
    r"|interest|costs?|labour|labor|parts|materials|travel|expenses)"
    # A difference: "EUR 0.03 too high", "EUR 40.00 more than ordered".
    r"|too\s+(?:high|low|much|little)|(?:more|less|over|under|short)\b"
    # A named part: "the EUR 300.00 credit", "a USD 40.00 refund".
    r"|credit|refund|balance|instal+ment|part[- ]payment|deposit"
    # What is left of something ("USD 4,800.00 left on the order") or the share of some
    # units named before ("the GBP 1,200.00 for those two days").
    r"|left|remaining|still\s+(?:available|open|unused)|available"
    r"|(?:for|on)\s+(?:those|these)|for\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d+)"
    # A fee or an allowance named after it: "a EUR 25.00 bank charge", "the 2% discount".
    r"|(?:bank\s+|admin(?:istration)?\s+|handling\s+|transfer\s+|late\s+)?(?:fee|charge|surcharge"
    r"|commission)|discount|rebate|write-?off|retention|holdback|advance|prepayment|goodwill)\b",
    re.I,
)
# A clause after the amount that makes it a part: "EUR 300.00 was deducted from
# invoice 12", "the EUR 300.00 that was missing from our payment of invoice 12".
_PART_CLAUSE_AFTER = re.compile(
    r"\s*(?:(?:that|which)\s+)?(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+"
    r"(?:\w+ly\s+)?(?:deducted|withheld|missing|short|held\s+back|taken\s+off|knocked\s+off"
    r"|offset|set\s+off|netted\s+off|credited|refunded|disputed|underpaid|overpaid|left\s+open"
    r"|still\s+(?:open|outstanding|due|missing))\b"
    # ... or said with whoever took it, the amount being what was taken: "the $380.00 we
    # deducted from CL-3390", "the EUR 25.00 the bank kept back." (not "we withheld 5% tax").
    r"|\s*(?:that\s+|which\s+)?(?:we|I|you|they|the\s+bank|your\s+bank|our\s+bank)"
    r"(?:\s+(?:had|have|has)|[’']ve|[’']d)?\s+(?:\w+ly\s+)?(?:deducted|withheld|held\s+back"
    r"|kept\s+back|took\s+off|knocked\s+off|offset|set\s+off|netted\s+off|credited|refunded"
    r"|short-?paid|underpaid|overpaid)(?:\s+(?:from|off|on|against|in|at)\b|\s*[,.;:)!?]|\s*$)",
    re.I,
)
# Not ", which": a relative clause still speaks of the invoice ("invoice 12, which
# totals 1,000.00").
_NEW_CLAUSE = re.compile(r";|,\s*(?:so|and|but|while|whereas|leaving)\b", re.I)
_PLAN = re.compile(
    r"\b(?:remaining|remainder|balance|rest|instal+ments?|parts?|partial|payment\s+plan|schedule"
    r"|extension|extended|new\s+due\s+date)\b"
    # A due date moved by agreement: "we have moved the due date to 20 June".
    r"|\b(?:moved|postponed|pushed(?:\s+back)?|deferred|changed|revised|agreed|updated|amended)"
    r"\s+(?:\w+\s+){0,2}due\s+date"
    # A date the reader may take as the due date: "please treat the due date as 30 June".
    r"|\b(?:treat|take|consider|count|regard|use)\s+(?:\w+\s+){0,2}due\s+date\s+(?:(?:of|for)\s+(?:invoice\s+)?[\w/.-]+\s+)?as\b"
    # ... or the invoice itself: "please treat it as due on 17 July", "as due 30 days from today".
    r"|\b(?:treat|take|consider|count|regard)\s+(?:it|this|that|them|the\s+(?:invoice|bill))"
    r"\s+as\s+(?:being\s+)?(?:due|payable)\b"
    r"|\bdue\s+\w+\s+(?:days?|weeks?)\s+(?:from|after)\s+(?:today|now|receipt|the\s+date)\b"
    r"|\bdue\s+date\s+(?:has\s+been\s+|was\s+|is\s+now\s+|will\s+be\s+)?(?:moved|postponed"
    r"|pushed|deferred|changed|revised|extended|updated|amended)\b"
    # A count of parts, whatever they are called (or however misspelt): "three
    # instalments of", "two equal transfers of", "3 x EUR 1,800.00".
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+"
    r"(?:(?:equal|monthly|weekly|fortnightly|quarterly|separate|smaller|further)\s+)?[a-z]+s\s+of\b"
    r"|\b\d{1,2}\s?[x×](?=\s|$)",
    re.IGNORECASE,
)
# A payment or run still to come has its own date: "with your next payment, due by 30 June".
_NEXT_EVENT = re.compile(
    r"\b(?:next|future|upcoming|coming|forthcoming|following|later|subsequent)\s+(?:[a-z]+\s+)?"
    r"(?:payments?|transfers?|remittances?|(?:payment\s+|pay\s+)?runs?|instal+ments?)\b",
    re.IGNORECASE,
)
_DUE_CLAIM = re.compile(r"\b(?:due|payable\s+by)\b(?=[^.!?;\n]*$)", re.IGNORECASE)


# Someone else's bill falling due: "with salaries due on 1 June", "our rent is due".
_OWN_OBLIGATION = re.compile(
    r"\b(?:salar(?:y|ies)|wages?|payroll|rent|tax(?:es)?|loans?|mortgages?|EMIs?|premiums?"
    r"|(?:their|our)\s+(?:own\s+)?(?:bills?|suppliers?|creditors?))"
    r"\s+(?:(?:is|are|was|were|fall|falls|fell|come|comes|became|become)\s+)?$",
    re.IGNORECASE,
)


_DUE_AFTER = re.compile(
    r"\s*(?:\(|,|—|–|-)\s*(?:which\s+is\s+)?(?:its|the|their|that\s+invoice[’']s)\s+due\s+date\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(?:it|its|it[’']s|this\s+one|that\s+one)\b", re.IGNORECASE)


def _referent(
    doc: Document, mentions: list[Mention], invoices: tuple[Invoice, ...], sentence: Span
) -> Invoice | None:
    """The invoice a sentence that names none speaks of: the one whose exact amount
    it states ("we'll pay the EUR 412.00 on its due date"), else the one named last
    in the sentence before when this one refers back to it ("It's approved"), else
    the case's only invoice."""
    here = {m.amount for m in find_money(doc.active[sentence[0] : sentence[1]])}
    by_amount = [inv for inv in invoices if inv.amount is not None and inv.amount in here]
    if len(by_amount) == 1:
        return by_amount[0]
    index = doc.sentence_index(sentence[0])
    if index > 0 and _PRONOUN.search(doc.active, sentence[0], sentence[1]):
        previous = doc.sentences[index - 1]
        earlier = [m for m in mentions if previous[0] <= m.start < previous[1]]
        if earlier and earlier[-1].invoice is not None:
            return earlier[-1].invoice
    # Invoices that all fall due on one day: any of them said to be due is due then.
    dues = {inv.due_date for inv in invoices}
    if len(invoices) > 1 and len(dues) == 1 and None not in dues:
        return invoices[0]
    return _only_invoice(invoices)


# Between "due" and a date: the claim closed (a bracket) or another event named,
# whose date that is ("due 31 May) arrived on 8 June", "due in May, was paid on 3 June").
_EVENT_BETWEEN = re.compile(
    r"\)|\b(?:arrived|arrives|received|reached|landed|came\s+in|cleared|credited|paid|sent"
    r"|settled|booked|posted|transferred|went\s+out|left)\b",
    re.IGNORECASE,
)


# A date counted from the due date is not the due date: "fourteen days after its due
# date, which would be 20 November", "a week past the due date (3 July)".
_FROM_DUE = re.compile(
    r"\b(?:days?|weeks?|months?)\s+(?:of|after|from|past|beyond|following|before|since)\s+"
    r"(?:its|the|their|your|this\s+invoice[’']s|that\s+invoice[’']s)\s+$",
    re.IGNORECASE,
)
# The contract's payment date is the due date: "the payment date is 30 July, as in our
# agreement". Said alone, a payment date is more often the day we plan to pay.
_CONTRACT_PAYMENT_DATE = re.compile(
    r"\b(?:payment|pay)\s+date\s+(?:(?:of|for|on)\s+(?:invoice\s+)?[\w/.-]+\s+)?"
    r"(?:is|will\s+be|remains|stays)\s+(?:still\s+)?(?:on\s+)?$",
    re.IGNORECASE,
)
_AS_CONTRACTED = re.compile(
    r"[^.!?\n]*?\bas\s+(?:in|per|under|set\s+out\s+in|stated\s+in|agreed\s+in|laid\s+down\s+in)"
    r"\s+(?:our|the|your)\s+(?:\w+\s+)?(?:agreement|contract|terms)\b",
    re.IGNORECASE,
)


_PART_THEN_DUE = re.compile(
    r"[\s,(–-]*(?:(?:still\s+)?(?:open|left|outstanding|owing|unpaid)\s+)?"
    r"(?:(?:is|are|was|will\s+be|falls?|becomes?)\s+)?(?:now\s+|then\s+)?",
    re.IGNORECASE,
)


def _part_is_due(text: str, claim_start: int, amounts: list[Decimal]) -> bool:
    """ "- GBP 4,200.00 due 30 June": the subject of "due" is an amount that is not an
    invoice's (nor their total): an instalment, whose own date that is. An invoice's
    amount misstated ("Invoice 4411 for EUR 1,250.00 falls due on ..." for 1,520.00)
    is still the invoice, and so is its due date."""
    start = max(0, claim_start - 30)
    before = find_money(text[start:claim_start])
    if not before or not _PART_THEN_DUE.fullmatch(text, start + before[-1].end, claim_start):
        return False
    said = before[-1].amount
    # A part named as what is left ("still open") may well be one digit off the invoice.
    left = re.search(
        r"open|left|outstanding|owing|unpaid", text[start + before[-1].end : claim_start]
    )
    total = sum(amounts, Decimal(0))
    return said != total and not any(
        a == said or near_miss(said, a, swapped_only=bool(left)) for a in amounts
    )


def _in_listed_plan(text: str, at: int) -> bool:
    """A line of a plan set out as a list after "the plan is:" or "in three parts:"."""
    line_start = text.rfind("\n", 0, at) + 1
    intro = text[max(0, line_start - 300) : line_start]
    lines = [line for line in intro.split("\n") if line.strip()]
    # The intro line, then only list lines between it and this one; after a list, a
    # line of prose is no longer one of it ("The first two are due ...").
    listed = re.compile(r"\s*(?:[-*•–]|\d{1,2}[.)])\s")
    if lines and listed.match(lines[-1]) and not listed.match(text, line_start):
        return False
    for line in reversed(lines):
        if _PLAN_INTRO.search(line.rstrip(" \t")):
            return True
        if not re.match(r"\s*(?:[-*•–]|\d{1,2}[.)])\s", line):
            return False
    return False


# What is due somewhere or to arrive is a delivery: "due at our Leeds depot on 3 June",
# "due to arrive on", "due for delivery by".
_DUE_TO_ARRIVE = re.compile(
    r"\s+(?:to\s+(?:arrive|land|dock|reach|ship|be\s+(?:delivered|shipped|dispatched|collected"
    r"|installed|fitted))|(?:at|into|in|with)\s+(?:our|your|their)\s"
    r"|(?:at|into)\s+the\s+(?:[\w-]+\s+)?(?:warehouse|depot|site|dock|port|store|shop|plant|yard"
    r"|office|premises|factory|mill|hub|terminal)"
    r"|for\s+(?:delivery|collection|dispatch|shipping|installation|arrival))\b",
    re.IGNORECASE,
)


# One date for both: "due and paid 29 May" still says it is the due date.
_DUE_AND_EVENT = re.compile(
    r"\s+(?:and|&)\s+(?:paid|settled|received|cleared)\s+(?:on\s+)?", re.IGNORECASE
)


def _listed_with_next(text: str, mention: DateMention, dates: list[DateMention]) -> bool:
    later = [d for d in dates if d.start >= mention.end]
    if not later:
        return False
    between = text[mention.end : later[0].start]
    return bool(re.fullmatch(r"\s*(?:,|;|and|&|,\s*and|then|,\s*then)\s*", between, re.I))


@register("accuracy_due_date")
def accuracy_due_date(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    if not ctx.invoices:
        return
    mentions = _mentions(doc, ctx.invoices)
    text = doc.active[: doc.body_end]
    dates = find_dates(text)
    amounts = [inv.amount for inv in ctx.invoices if inv.amount is not None]
    for mention in dates:
        window = max(0, mention.start - 45)
        # "due on", "due date of", "falls due", "payable by": a due date claim.
        claims = list(_DUE_CLAIM.finditer(text, window, mention.start))
        # ... or named the due date right after it: "for 17 June (its due date)".
        named_after = _DUE_AFTER.match(text, mention.end) is not None
        contract = bool(
            _CONTRACT_PAYMENT_DATE.search(text, window, mention.start)
            and _AS_CONTRACTED.match(text, mention.end)
        )
        if not claims and not named_after and not contract:
            continue
        if (
            claims
            and not named_after
            and _FROM_DUE.search(text, max(0, claims[-1].start() - 40), claims[-1].start())
        ):
            continue  # "14 days after its due date, which is 20 November": counted from it
        if claims and not named_after and _part_is_due(text, claims[-1].start(), amounts):
            continue  # "GBP 4,200.00 due 30 June": an instalment's date
        if _in_listed_plan(text, mention.start):
            continue  # one line of a plan set out as a list
        due_at = claims[-1].end() if claims and not named_after else mention.start
        if claims and not named_after and _DUE_TO_ARRIVE.match(text, claims[-1].end()):
            continue  # "is due at our warehouse on 15 June": goods to arrive, not a bill
        if claims and not named_after and _OWN_OBLIGATION.search(text, window, claims[-1].start()):
            continue  # "with salaries due on 1 June": the reader's own bill, not the invoice
        if any(due_at <= other.start < mention.start for other in dates):
            continue  # "due on 3 May, paid on 5 May": the claim is about the first date
        if _EVENT_BETWEEN.search(text, due_at, mention.start) and not _DUE_AND_EVENT.fullmatch(
            text, due_at, mention.start
        ):
            continue  # "(due 31 May) arrived on 8 June": the date of another event
        if _listed_with_next(text, mention, dates):
            continue  # "due on 19 June, 17 July and 14 August": a schedule of parts
        sentence = doc.sentence_of(mention.start)
        if _PLAN.search(text, sentence[0], mention.start):
            continue  # an instalment or a balance has its own, agreed due date
        if _about_other_invoice(doc, mentions, mention.start, mention.end):
            continue  # "against your next invoice, due on 15 June"
        named = [m.end for m in mentions if sentence[0] <= m.start and m.end <= mention.start]
        if _NEXT_EVENT.search(text, max([sentence[0], *named]), mention.start):
            continue  # "add it to your next payment, due by 30 June"
        near = _nearest(mentions, doc, mention.start, mention.end)
        invoice = near.invoice if near else _referent(doc, mentions, ctx.invoices, sentence)
        if invoice is None or invoice.due_date is None:
            continue
        if _date_matches(mention, invoice.due_date):
            continue
        correct = format_date_like(mention.text, invoice.due_date)
        named = f"invoice {invoice.number}"
        if near is None and len(ctx.invoices) > 1 and len({i.due_date for i in ctx.invoices}) == 1:
            named = "all of this case's invoices"  # they share one due date
        yield finding(
            rule,
            (mention.start, mention.end),
            f"The ledger has {named} due on {invoice.due_date.isoformat()}, not {mention.text}.",
            correct,
        )
