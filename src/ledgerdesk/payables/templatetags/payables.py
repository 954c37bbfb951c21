"""The payables panel on the invoice page: match findings, suspected duplicates, approvals."""

from django import template

from ledgerdesk.payables.models import ApprovalStep, InvoiceMatch, SuspectedDuplicate

register = template.Library()


@register.inclusion_tag("payables/_invoice_panel.html", takes_context=True)
def payables_panel(context, invoice):
    if invoice.direction != "ap":
        return {"show": False}
    return {
        "show": True,
        "invoice": invoice,
        "request": context.get("request"),
        "match": InvoiceMatch.objects.filter(invoice=invoice).first(),
        "suspicions": SuspectedDuplicate.objects.filter(invoice=invoice).select_related("earlier"),
        "steps": ApprovalStep.objects.filter(invoice=invoice).select_related(
            "approver", "on_behalf_of"
        ),
        "user": context.get("user"),
    }
