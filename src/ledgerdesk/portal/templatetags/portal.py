"""Dates and amounts in the portal reader's language and time zone (Babel).

`{% pdate invoice.issue_date %}`, `{% pdate message.at "medium" %}`,
`{% pmoney invoice.amount_open invoice.currency %}`. The reader is the signed-in contact's
(set by `portal_view`), or the page's `reader` (the signed link), or English.
"""

from babel.dates import format_datetime
from django import template

from ledgerdesk.portal.explain import TONES
from ledgerdesk.portal.plainwords import Reader

register = template.Library()


def _reader(context) -> Reader:
    if context.get("reader") is not None:
        return context["reader"]
    portal = getattr(context.get("request"), "portal", None)
    return portal.reader if portal is not None else Reader()


@register.simple_tag(takes_context=True)
def pdate(context, value, style="long"):
    return _reader(context).date(value, style) if value else ""


@register.simple_tag(takes_context=True)
def ptime(context, value):
    """A moment as date and time of day, e.g. for messages."""
    reader = _reader(context)
    if not value:
        return ""
    return format_datetime(value, "medium", tzinfo=reader.zone, locale=reader.locale)


@register.simple_tag(takes_context=True)
def pmoney(context, amount, currency):
    if amount is None or amount == "":
        return ""
    return _reader(context).money(amount, currency)


@register.filter
def tone(status: str) -> str:
    return TONES.get(str(status), "muted")
