"""Credit-control panels for other apps' pages, so their views need not know about us.

`{% credit_invoice_panel invoice %}` on the invoice page, `{% credit_party_panel party %}` on
the party page, `{% due_follow_ups %}` on the desk queue (one query).
"""

from django import template
from django.utils import timezone

from ledgerdesk.creditcontrol.models import FeeWaiver, FollowUp, Reminder

register = template.Library()


@register.inclusion_tag("creditcontrol/_invoice_panel.html", takes_context=True)
def credit_invoice_panel(context, invoice):
    if invoice.direction != "ar":
        return {"invoice": invoice}  # the panel is for customer invoices only: no queries
    return {
        "invoice": invoice,
        "perms": context.get("perms"),
        "request": context.get("request"),
        "reminders": Reminder.objects.filter(invoice=invoice).order_by("sent_at", "id"),
        "waivers": FeeWaiver.objects.filter(invoice=invoice).select_related(
            "requested_by", "decided_by"
        ),
        "follow_ups": FollowUp.objects.open().filter(invoice=invoice).select_related("owner"),
        "arrangements": invoice.arrangements.all(),
    }


@register.inclusion_tag("creditcontrol/_party_panel.html", takes_context=True)
def credit_party_panel(context, party):
    return {
        "party": party,
        "perms": context.get("perms"),
        "request": context.get("request"),
        "follow_ups": FollowUp.objects.open().filter(party=party).select_related("owner")[:10],
    }


@register.inclusion_tag("creditcontrol/_due_follow_ups.html", takes_context=True)
def due_follow_ups(context, limit=10):
    request = context.get("request")
    user = getattr(request, "user", None)
    tasks = []
    if user is not None and user.is_authenticated:
        tasks = list(
            FollowUp.objects.due(timezone.localdate())
            .filter(owner=user)
            .select_related("party", "case", "invoice")
            .order_by("due_on", "id")[:limit]
        )
    return {
        "tasks": tasks,
        "request": request,
        "perms": context.get("perms"),
        "today": timezone.localdate(),
    }
