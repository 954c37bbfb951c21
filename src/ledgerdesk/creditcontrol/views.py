"""Console pages of credit control: follow-ups, reminders sent, fee waivers, arrangements and
statements. Thin: a form validates, a service acts, the page renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ledgerdesk.core import roles
from ledgerdesk.core.access import console_view
from ledgerdesk.core.pagination import paginate
from ledgerdesk.creditcontrol import forms, services
from ledgerdesk.creditcontrol import waivers as authority
from ledgerdesk.creditcontrol.common import CreditControlError
from ledgerdesk.creditcontrol.followups import may_act_for_others
from ledgerdesk.creditcontrol.models import FeeWaiver, FollowUp, PaymentArrangement, Reminder
from ledgerdesk.desk.models import Case
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.parties.models import Party

FOLLOW_UP_RELATED = ("party", "case", "invoice", "owner")
RECENT = 20  # the requester's own latest requests under the approval list


def _said(exc: CreditControlError) -> str:
    """A service error for a flash message on a list page, without its field prefix: the
    button that failed is the field."""
    return str(exc).partition(": ")[2] or str(exc)


def _back(request, default):
    """Where a row's button returns to: only a path on this site ("/\\evil" is refused too)."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe and target.startswith("/") else default


@console_view(perm="creditcontrol.view_followup")
def follow_ups(request):
    show = request.GET.get("show", "")
    tasks = FollowUp.objects.open().select_related(*FOLLOW_UP_RELATED)
    if show != "team":
        tasks = tasks.filter(owner=request.user)
    page = paginate(request, tasks.order_by("due_on", "id"))
    context = {
        "page": page,
        "show": show,
        "today": timezone.localdate(),
        "section": "follow_ups",
        # Buttons only where they work: on one's own tasks, or anyone's for a lead.
        "act_for_others": may_act_for_others(request.user),
    }
    return render(request, "creditcontrol/follow_ups.html", context)


def _subject(request):
    source = request.POST if request.method == "POST" else request.GET
    subject = {}
    if source.get("invoice", "").isdigit():
        subject["invoice"] = get_object_or_404(Invoice, pk=int(source["invoice"]))
    if source.get("case", ""):
        subject["case"] = get_object_or_404(Case, reference=source["case"])
    if source.get("party", "").isdigit():
        subject["party"] = get_object_or_404(Party, pk=int(source["party"]))
    return subject


@console_view(perm="creditcontrol.add_followup")
def follow_up_new(request):
    subject = _subject(request)
    if not subject:
        raise PermissionDenied("A follow-up is set from a party, case or invoice page.")
    form = forms.FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.set_follow_up(owner=request.user, **form.cleaned_data, **subject)
        except CreditControlError as exc:
            forms.service_error(form, exc)
        else:
            messages.success(request, f"Follow-up set for {task.due_on:%d %b %Y}.")
            return redirect("creditcontrol:follow_ups")
    context = {"form": form, "subject": subject, "section": "follow_ups"}
    return render(request, "creditcontrol/follow_up_form.html", context)


@require_POST
@console_view(perm="creditcontrol.change_followup")
def follow_up_done(request, pk):
    task = get_object_or_404(FollowUp, pk=pk)
    try:
        services.mark_done(task, request.user)
    except CreditControlError as exc:
        messages.error(request, _said(exc))
    else:
        messages.success(request, "Follow-up done.")
    return redirect(_back(request, "creditcontrol:follow_ups"))


@require_POST
@console_view(perm="creditcontrol.change_followup")
def follow_up_snooze(request, pk):
    task = get_object_or_404(FollowUp, pk=pk)
    form = forms.SnoozeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Snooze: choose the day to see it again.")
    else:
        try:
            task = services.snooze(task, request.user, form.cleaned_data["until"])
        except CreditControlError as exc:
            messages.error(request, f"Snooze: {_said(exc)}")
        else:
            messages.success(request, f"Snoozed to {task.due_on:%d %b %Y}.")
    return redirect(_back(request, "creditcontrol:follow_ups"))


@console_view(perm="creditcontrol.view_reminder")
def reminders(request):
    rows = Reminder.objects.select_related("invoice", "invoice__party", "case").order_by(
        "-sent_at", "-id"
    )
    context = {"page": paginate(request, rows), "section": "reminders"}
    return render(request, "creditcontrol/reminders.html", context)


def _decidable_by(user, role: str, role_limits: dict):
    """Pending requests this user may decide, filtered in the database: waiting for their
    role or one below it, within their limit in the waiver's own currency, not their own."""
    within = Q(pk__in=[])
    for currency, amount in role_limits.items():
        within |= Q(currency=currency, amount__lte=amount)
    return (
        FeeWaiver.objects.filter(within, state=FeeWaiver.State.PENDING)
        .filter(approver_role__in=authority.roles_up_to(role))
        .exclude(requested_by=user)
        .select_related("invoice", "invoice__party", "requested_by")
        .order_by("requested_at", "id")
    )


@console_view(perm="creditcontrol.view_feewaiver")
def waivers(request):
    role = roles.role_of(request.user)
    role_limits = authority.limits_of_role(role) if role else {}
    mine = (
        FeeWaiver.objects.filter(requested_by=request.user)
        .select_related("invoice", "invoice__party", "decided_by", "credit_note")
        .order_by("-requested_at", "-id")[:RECENT]
    )
    context = {
        "page": paginate(request, _decidable_by(request.user, role, role_limits)),
        "mine": mine,
        "role": role,
        "limits": sorted(role_limits.items()),
        "section": "waivers",
    }
    return render(request, "creditcontrol/waivers.html", context)


@console_view(perm="creditcontrol.add_feewaiver")
def waiver_new(request, pk):
    invoice = get_object_or_404(Invoice.objects.select_related("party"), pk=pk)
    form = forms.WaiverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            waiver = services.request_waiver(
                invoice, form.cleaned_data["amount"], form.cleaned_data["reason"], request.user
            )
        except CreditControlError as exc:
            forms.service_error(form, exc)
        else:
            if waiver.state == FeeWaiver.State.APPLIED:
                messages.success(request, "Waived: a credit note now reduces the open amount.")
            else:
                messages.success(
                    request, f"Above your limit: sent to a {waiver.approver_role} for approval."
                )
            return redirect(invoice.get_absolute_url())
    role, limit = authority.limit_of(request.user, invoice.currency)
    context = {"form": form, "invoice": invoice, "role": role, "limit": limit}
    return render(request, "creditcontrol/waiver_form.html", context)


# Deciding needs change_feewaiver (a lead and above); the service then checks the role's
# limit in the waiver's currency and that nobody decides their own request.
@require_POST
@console_view(perm="creditcontrol.change_feewaiver")
def waiver_decide(request, pk):
    waiver = get_object_or_404(FeeWaiver, pk=pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Approve or Reject.")
        return redirect("creditcontrol:waivers")
    try:
        if form.cleaned_data["decision"] == "approve":
            services.approve(waiver, request.user, form.cleaned_data["note"])
            messages.success(request, f"Approved and applied to {waiver.invoice.number}.")
        else:
            services.reject(waiver, request.user, form.cleaned_data["note"])
            messages.success(request, "Rejected; the requester sees your note.")
    except CreditControlError as exc:
        messages.error(request, _said(exc))
    return redirect("creditcontrol:waivers")


@console_view(perm="creditcontrol.view_paymentarrangement")
def arrangements(request):
    rows = PaymentArrangement.objects.select_related("party", "owner").order_by(
        "status", "-created_at"
    )
    status = request.GET.get("status", "")
    if status in PaymentArrangement.Status.values:
        rows = rows.filter(status=status)
    context = {
        "page": paginate(request, rows),
        "status": status,
        "statuses": PaymentArrangement.Status.choices,
        "section": "arrangements",
    }
    return render(request, "creditcontrol/arrangements.html", context)


@console_view(perm="creditcontrol.add_paymentarrangement")
def arrangement_new(request, pk):
    party = get_object_or_404(Party, pk=pk)
    form = forms.ArrangementForm(request.POST or None, party=party)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_arrangement(
                party=party,
                invoices=list(data["invoices"]),
                amount_agreed=data["amount_agreed"],
                instalments=services.parse_instalments(data["instalments"]),
                owner=request.user,
                grace_business_days=data["grace_business_days"],
                note=data["note"],
            )
        except CreditControlError as exc:
            forms.service_error(form, exc)
        else:
            messages.success(request, "Arrangement recorded; reminders pause while it is on track.")
            return redirect("creditcontrol:arrangements")
    return render(request, "creditcontrol/arrangement_form.html", {"form": form, "party": party})


@console_view(perm="parties.view_party")
def statement(request, pk):
    party = get_object_or_404(Party, pk=pk)
    start, end = forms.this_month()
    form = forms.StatementForm(
        request.GET if "format" in request.GET else None,
        initial={"start": start, "end": end, "format": "pdf"},
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            name, content, kind = services.render_statement(
                party, data["start"], data["end"], data["format"]
            )
        except CreditControlError as exc:
            forms.service_error(form, exc)
        else:
            response = HttpResponse(content, content_type=kind)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    schedule = getattr(party, "statement_schedule", None)
    context = {
        "form": form,
        "party": party,
        "send_form": forms.PeriodForm(initial={"start": start, "end": end}, prefix="send"),
        "schedule_form": forms.ScheduleForm(
            initial={"frequency": schedule.frequency if schedule else "none"}
        ),
    }
    return render(request, "creditcontrol/statement.html", context)


@require_POST
@console_view(perm="creditcontrol.add_statementsent")
def statement_send(request, pk):
    """Send the statement of a period to the customer now, by their preferred channel."""
    party = get_object_or_404(Party, pk=pk)
    form = forms.PeriodForm(request.POST, prefix="send")
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        messages.error(request, f"Send, {field}: {errors[0]}")
        return redirect("creditcontrol:statement", pk=party.pk)
    try:
        record = services.send_statement(
            party, form.cleaned_data["start"], form.cleaned_data["end"], scheduled=False
        )
    except CreditControlError as exc:
        messages.error(request, str(exc))
    else:
        how = f"by e-mail to {record.sent_to}" if record.sent_to else "as a follow-up to post it"
        messages.success(request, f"Statement sent {how}; case {record.case.reference}.")
    return redirect("creditcontrol:statement", pk=party.pk)


@require_POST
@console_view(perm="creditcontrol.change_statementschedule")
def statement_schedule(request, pk):
    party = get_object_or_404(Party, pk=pk)
    form = forms.ScheduleForm(request.POST)
    if form.is_valid():
        row = services.set_schedule(party, form.cleaned_data["frequency"])
        messages.success(request, f"Statements: {row.get_frequency_display().lower()}.")
    else:
        messages.error(request, "Frequency: choose monthly or only on request.")
    return redirect("creditcontrol:statement", pk=party.pk)
