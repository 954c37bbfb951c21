"""Canned replies: fill a template's placeholders from the case, never silently.

A placeholder the case has no data for becomes a visible marker such as
`[invoice number]`; the composer refuses to send a reply that still holds one,
so a customer never reads "Dear ," or "invoice  for ".

Placeholders come from the case's first linked invoice (the one linked first):
`{amount}` is its open amount with currency, `{expected_pay_date}` its
scheduled payment date or else its due date, both written the way the
contact's language writes them (Babel).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from django.db.models import Q

from ledgerdesk.core.money import Money
from ledgerdesk.desk.models import CannedReply, Case
from ledgerdesk.ledger.models import Invoice

# Placeholder name → the words of its marker when the data is missing.
PLACEHOLDERS: dict[str, str] = {
    "contact_name": "contact name",
    "invoice_number": "invoice number",
    "amount": "amount",
    "expected_pay_date": "expected pay date",
    "case_reference": "case reference",
    "agent_name": "agent name",
}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_MARKERS = tuple(f"[{words}]" for words in PLACEHOLDERS.values())


def marker(name: str) -> str:
    return f"[{PLACEHOLDERS.get(name, name.replace('_', ' '))}]"


def locale_for(language: str) -> Locale:
    """The contact's language ("de", "fr-CA", "pt_BR") as a Babel locale; English if unknown."""
    try:
        return Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


def linked_invoices(case: Case) -> list[Invoice]:
    """The case's invoices in the order they were linked (the link table's id), in one query."""
    links = Case.invoices.through.objects.filter(case=case).select_related("invoice")
    return [link.invoice for link in links.order_by("id")]


def values_for(case: Case, agent, invoices: Iterable[Invoice] | None = None) -> dict[str, str]:
    """The placeholder values this case can fill; a missing one is simply absent.

    `invoices` lets the case page pass the linked invoices it already loaded (in link order);
    without it they are read here.
    """
    invoices = linked_invoices(case) if invoices is None else list(invoices)
    language = case.contact.language if case.contact_id else "en"
    locale = locale_for(language)
    values: dict[str, str] = {"case_reference": case.reference}
    if case.reply_to_name:
        values["contact_name"] = case.reply_to_name
    if agent is not None:
        name = agent.get_full_name() or agent.get_username()
        if name:
            values["agent_name"] = name
    if invoices:
        invoice = invoices[0]
        if invoice.number:
            values["invoice_number"] = invoice.number
        if invoice.amount_open is not None and invoice.currency:
            values["amount"] = Money(invoice.amount_open, invoice.currency).format(str(locale))
        pay_date = invoice.scheduled_payment_date or invoice.due_date
        if pay_date:
            values["expected_pay_date"] = format_date(pay_date, format="long", locale=locale)
    return values


def render(body: str, values: Mapping[str, str]) -> str:
    """`body` with each {placeholder} replaced by its value or by a visible [marker]."""

    def fill(match: re.Match) -> str:
        value = values.get(match.group(1))
        return value if value else marker(match.group(1))

    return _PLACEHOLDER.sub(fill, body)


def render_for(reply: CannedReply, case: Case, agent, invoices=None) -> str:
    return render(reply.body, values_for(case, agent, invoices))


def unfilled(text: str) -> list[str]:
    """The markers (and raw placeholders) still in `text` that the agent must fill in."""
    found = [m for m in _MARKERS if m in text]
    names = dict.fromkeys(_PLACEHOLDER.findall(text))
    return found + [f"{{{name}}}" for name in names if name in PLACEHOLDERS]


def replies_for(case: Case) -> list[CannedReply]:
    """The team's and everyone's canned replies, those for the case's category first."""
    replies = CannedReply.objects.filter(Q(team=case.team_id) | Q(team__isnull=True))
    return sorted(replies, key=lambda r: (r.category != case.category, r.title.lower()))
