from django import template
from django.utils.html import format_html

from ledgerdesk.core.money import Money

register = template.Library()

# Status colour and words together: colour for the eye, words for everyone.
_TONE = {
    "received": "info",
    "in_approval": "info",
    "approved": "good",
    "scheduled": "good",
    "paid": "done",
    "issued": "info",
    "disputed": "warn",
    "on_hold": "warn",
    "rejected": "bad",
    "cancelled": "muted",
    "strategic": "strong",
    "active": "good",
    "pending": "warn",
    "retired": "muted",
    "imported": "good",
    "nothing_new": "muted",
    # Payables: match results and approval steps.
    "ok": "good",
    "within_tolerance": "good",
    "mismatch": "bad",
    "waiting": "muted",
    "duplicate": "bad",
    "different": "good",
    "proposed": "info",
    "exported": "info",
    "included": "info",
    "returned": "bad",
    "failed": "bad",
}


@register.filter
def money(amount, currency):
    """`{{ invoice.total_amount|money:invoice.currency }}` → "€1,250.00"."""
    if amount is None or amount == "":
        return ""
    return Money(amount, currency).format()


@register.simple_tag
def badge(value, label=None):
    tone = _TONE.get(str(value), "muted")
    return format_html('<span class="badge badge-{}">{}</span>', tone, label or value)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed, for pagination links."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()
