"""Approvers decide: from the console, or from the link in their e-mail."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ledgerdesk.core.access import console_view
from ledgerdesk.core.pagination import paginate
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.payables import services
from ledgerdesk.payables.models import ApprovalStep, SuspectedDuplicate


@console_view(perm="payables.view_approvalstep")
def my_approvals(request):
    page = paginate(request, services.waiting_for(request.user))
    return render(request, "payables/approvals.html", {"page": page})


@require_POST
@console_view(perm="payables.view_approvalstep")
def decide_in_console(request, pk):
    step = get_object_or_404(ApprovalStep.objects.select_related("invoice"), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide(step, request.user, approve, request.POST.get("note", ""))
    except services.PayablesError as exc:
        messages.error(request, str(exc))
    else:
        verb = "approved" if approve else "rejected"
        messages.success(request, f"Invoice {step.invoice.number} {verb}.")
    return redirect(request.POST.get("next") or "payables:approvals")


@require_http_methods(["GET", "POST"])
def decide_by_link(request, token):
    """The link in the approver's e-mail: the signed token stands for the approver.

    It names one step and one approver, expires, and works only while the step is pending;
    a GET only shows the invoice, the decision is a POST (with CSRF) from the page.
    """
    try:
        step = services.step_from_token(token)
    except services.PayablesError as exc:
        raise Http404(str(exc)) from exc
    error = ""
    if request.method == "POST" and step.state == ApprovalStep.State.PENDING:
        approve = request.POST.get("decision") == "approve"
        try:
            services.decide(step, step.approver, approve, request.POST.get("note", ""))
        except services.PayablesError as exc:
            error = str(exc)
        else:
            step.refresh_from_db()
    invoice = step.invoice
    context = {
        "step": step,
        "invoice": invoice,
        "lines": invoice.lines.all(),
        "match": getattr(invoice, "match", None),
        "error": error,
    }
    return render(request, "payables/decide.html", context)


@require_POST
@console_view(perm="payables.change_suspectedduplicate")
def decide_duplicate(request, pk):
    suspicion = get_object_or_404(SuspectedDuplicate.objects.select_related("invoice"), pk=pk)
    same = request.POST.get("decision") == "same"
    try:
        services.decide_duplicate(suspicion, request.user, same)
    except services.PayablesError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Cancelled as a copy: it will not be paid twice."
            if same
            else "Marked as a different invoice; it continues to matching and approval.",
        )
    return redirect(suspicion.invoice.get_absolute_url() + "#checks")


@require_POST
@console_view(perm="ledger.change_invoice")
def recheck(request, pk):
    invoice = get_object_or_404(Invoice, pk=pk)
    try:
        outcome = services.recheck(invoice)
    except services.PayablesError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Checked again: {outcome.outcome}.")
    return redirect(invoice.get_absolute_url() + "#checks")
