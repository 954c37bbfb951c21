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

from ..context import Context, Invoice
from ..document import Document
from ..engine import finding
from ..extract import (
    DateMention,
    Money,
    find_dates,
    find_invoice_refs,
    find_money,
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
    return sorted(mentions.values(), key=lambda m: m.start)


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
    shown = grouped + (decimal_sep + frac if tail or frac != "00" else "")
    return written[: number.start()] + shown + written[number.end() :]


def format_date_like(written: str, due: date) -> str:
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", written):
        return due.isoformat()
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
    if before:
        return before[-1]
    after = [m for m in mentions if end <= m.start < sentence[1]]
    return after[0] if after else None


def _only_invoice(invoices: tuple[Invoice, ...]) -> Invoice | None:
    return invoices[0] if len(invoices) == 1 else None


_NOT_FULL = re.compile(
    r"\b(?:partial|part|remaining|remainder|balance|outstanding|short|shortfall|difference|"
    r"deduct(?:ed|ion)?|fees?|charges?|credit(?:ed)?|discount|interest|instal+ments?|of\s+which|"
    r"leaving|left|already|minus|less|withh[eo]ld(?:ing)?|vat|tax|so\s+far|received|paid|"
    r"transferred|refund(?:ed)?|over-?payment|underpaid|overpaid|total|adjust(?:ed|ment)|net|gross|"
    r"after|deducting|leaves|open)\b",
    re.IGNORECASE,
)


@register("accuracy_invoice_number")
def accuracy_invoice_number(
    doc: Document, rule: Rule, ctx: Context, rules: RuleSet
) -> Iterator[Finding]:
    if not ctx.invoices:
        return
    known = ", ".join(inv.number for inv in ctx.invoices)
    for mention in _mentions(doc, ctx.invoices):
        if mention.invoice is not None:
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
    for money in find_money(text, skip):
        yield from _judge_amount(doc, rule, ctx, mentions, money, amounts, total)


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
) -> Iterator[Finding]:
    invoices = ctx.invoices or ()
    sentence = doc.sentence_of(money.start)
    mention = _nearest(mentions, doc, money.start, money.end)
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
    full_amount = not (
        _NOT_FULL.search(words_before)
        or _PLAN.search(doc.active, sentence[0], money.start)
        or _PART_AFTER.match(words_after)
    )
    invoice = mention.invoice if mention else None
    if mention is None and re.search(r"\binvoice\b", doc.active[sentence[0] : sentence[1]], re.I):
        invoice = _only_invoice(invoices)

    same_amount = [inv for inv in invoices if inv.amount == money.amount]
    target = invoice if invoice in same_amount else (same_amount[0] if same_amount else invoice)
    if money.currency and target and target.currency and money.currency != target.currency:
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
    for inv in invoices:
        if inv.amount is not None and near_miss(money.amount, inv.amount, not full_amount):
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


_PART_AFTER = re.compile(r"(?:towards|toward|on\s+account|as\s+a\s+deposit|deposit)\b", re.I)
_PLAN = re.compile(
    r"\b(?:remaining|remainder|balance|rest|instal+ments?|parts?|partial|payment\s+plan|schedule"
    r"|extension|extended|new\s+due\s+date)\b",
    re.IGNORECASE,
)
_DUE_CLAIM = re.compile(r"\b(?:due|payable\s+by)\b(?=[^.!?;\n]*$)", re.IGNORECASE)


@register("accuracy_due_date")
def accuracy_due_date(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    if not ctx.invoices:
        return
    mentions = _mentions(doc, ctx.invoices)
    text = doc.active[: doc.body_end]
    dates = find_dates(text)
    for mention in dates:
        window = max(0, mention.start - 45)
        # "due on", "due date of", "falls due", "payable by": a due date claim.
        claims = list(_DUE_CLAIM.finditer(text, window, mention.start))
        if not claims:
            continue
        due_at = claims[-1].end()
        if any(due_at <= other.start < mention.start for other in dates):
            continue  # "due on 3 May, paid on 5 May": the claim is about the first date
        sentence = doc.sentence_of(mention.start)
        if _PLAN.search(text, sentence[0], mention.start):
            continue  # an instalment or a balance has its own, agreed due date
        near = _nearest(mentions, doc, mention.start, mention.end)
        invoice = near.invoice if near else _only_invoice(ctx.invoices)
        if invoice is None or invoice.due_date is None:
            continue
        if _date_matches(mention, invoice.due_date):
            continue
        correct = format_date_like(mention.text, invoice.due_date)
        yield finding(
            rule,
            (mention.start, mention.end),
            f"The ledger has invoice {invoice.number} due on {invoice.due_date.isoformat()}, "
            f"not {mention.text}.",
            correct,
        )
