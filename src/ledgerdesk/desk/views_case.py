"""The case page: the whole story of a case and its party on one screen, and the composer.

Every POST validates a form, calls `desk.services` (or `mail.outbound.send`, which records
through the services), and redirects back (post/redirect/get). An invalid form renders the
page again with the error next to its field and the agent's text kept, with status 400.

Every reply is reviewed by the coach here, on the server, whatever the composer showed: the
review is stored with the sent message, and a reply scoring below the team's threshold goes
out only with the agent's reason.
"""

from __future__ import annotations

import smtplib
import zoneinfo

from django.contrib import messages
from django.db.models import F, Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ledgerdesk.core.access import console_view
from ledgerdesk.desk import canned, clocks, coaching, services
from ledgerdesk.desk.forms import (
    AssignForm,
    MergeForm,
    ReplyForm,
    SplitForm,
    StateForm,
    add_service_error,
    assignable_users,
)
from ledgerdesk.desk.models import Attachment, Case, Message
from ledgerdesk.ledger.models import Invoice, Payment
from ledgerdesk.mail import outbound

CASE_RELATED = ("team", "party", "contact", "owner", "merged_into", "split_from")
PANEL_ROWS = 8
# What the mail server may raise when it refuses or cannot be reached.
MAIL_ERRORS = (OSError, smtplib.SMTPException)
# Far beyond any reply (a 300-word reply is ~2,000 characters); keeps one request cheap.
MAX_COACH_TEXT = 50_000


def _case(reference: str) -> Case:
    return get_object_or_404(Case.objects.select_related(*CASE_RELATED), reference=reference)


def state_actions(case: Case) -> list[tuple[str, str]]:
    """The state buttons for this case: (state, label), as `services.change_state` allows."""
    s = Case.State
    actions = []
    if case.state in (s.NEW, s.OPEN, s.WAITING_THIRD_PARTY):
        actions.append((s.WAITING_CUSTOMER, "Waiting on customer"))
    if case.state in (s.NEW, s.OPEN, s.WAITING_CUSTOMER):
        actions.append((s.WAITING_THIRD_PARTY, "Waiting on third party"))
    if case.state in (s.WAITING_CUSTOMER, s.WAITING_THIRD_PARTY):
        actions.append((s.OPEN, "Back to open"))
    if case.is_open:
        actions += [(s.RESOLVED, "Resolve"), (s.CLOSED, "Close")]
    elif case.state == s.RESOLVED:
        actions += [(s.OPEN, "Reopen"), (s.CLOSED, "Close")]
    elif case.state == s.CLOSED:
        actions.append((s.OPEN, "Reopen"))
    return actions


def _timeline(case: Case) -> tuple[list[dict], list[Message]]:
    """Messages and events in time order; at the same moment the event comes first
    ("Case opened" before the e-mail that opened it)."""
    attachments = Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    case_messages = list(case.messages.select_related("author").prefetch_related(attachments))
    events = case.events.select_related("actor")
    entries = [{"type": "event", "at": e.at, "item": e} for e in events]
    entries += [{"type": "message", "at": m.at, "item": m} for m in case_messages]
    entries.sort(key=lambda e: (e["at"], e["type"] == "message"))
    return entries, case_messages


def _party_panel(case: Case) -> dict:
    if not case.party_id:
        return {}
    party = case.party
    open_invoices = (
        Invoice.objects.for_party(party)
        .open()
        .order_by(F("due_date").asc(nulls_last=True), "id")[:PANEL_ROWS]
    )
    other_cases = (
        Case.objects.open()
        .for_party(party)
        .exclude(pk=case.pk)
        .select_related("owner")
        .order_by(F("next_due").asc(nulls_last=True), "opened_at")[:PANEL_ROWS]
    )
    return {
        "open_invoices": open_invoices,
        "recent_payments": Payment.objects.filter(party=party).order_by("-date", "-id")[:5],
        "other_cases": other_cases,
    }


def _contact_now(case: Case):
    """The contact's wall-clock time now, so the agent knows whether a call would wake them."""
    if not case.contact_id:
        return None
    try:
        return timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(case.contact.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _render_case(request, case: Case, *, status: int = 200, coach=None, **forms):
    invoices = canned.linked_invoices(case)
    replies = canned.replies_for(case)
    reply_form = forms.get("reply")
    picked = None
    if reply_form is None:
        initial = {}
        wanted = request.GET.get("canned", "")
        picked = next((r for r in replies if str(r.pk) == wanted), None)
        if picked is not None:
            initial["text"] = canned.render_for(picked, case, request.user, invoices)
        reply_form = ReplyForm(initial=initial)
    timeline, case_messages = _timeline(case)
    context = {
        "case": case,
        "clocks": clocks.status(case),
        "timeline": timeline,
        "case_messages": case_messages,
        "invoices": invoices,
        "contact": case.contact,
        "contact_now": _contact_now(case),
        "replies": replies,
        "picked": picked,
        "unfilled": canned.unfilled(reply_form.initial.get("text", "")) if picked else [],
        "reply_form": reply_form,
        "state_actions": state_actions(case),
        "state_form": forms.get("state") or StateForm(),
        "assign_form": forms.get("assign") or AssignForm(case=case),
        # Rendered by hand from one list: a ModelChoiceField queries again on each iteration.
        "owners": list(assignable_users()),
        "merge_form": forms.get("merge") or MergeForm(),
        "split_form": forms.get("split"),
        "can_write": case.state != Case.State.MERGED,
        "coach": coach,
        **_party_panel(case),
    }
    return render(request, "desk/case.html", context, status=status)


@console_view(perm="desk.view_case")
def case_detail(request, reference):
    return _render_case(request, _case(reference))


@require_POST
@console_view(perm="desk.change_case")
def reply(request, reference):
    case = _case(reference)
    form = ReplyForm(request.POST)
    if form.is_valid() and form.sends and not case.reply_to_address:
        form.add_error(
            "text", "This case has no e-mail address to answer: add an internal note instead."
        )
    if not form.is_valid():
        return _render_case(request, case, status=400, reply=form)
    text, action = form.cleaned_data["text"], form.cleaned_data["action"]
    if action == ReplyForm.NOTE:
        services.add_note(case, text)
        messages.success(request, "Internal note added. The customer does not see it.")
        return redirect(case)
    review = coaching.review_for_case(case, text)
    coach = coaching.for_composer(review, case, text)
    reason = form.cleaned_data["override_reason"] if coach["below_threshold"] else ""
    if coach["below_threshold"] and not reason:
        form.add_error(
            "override_reason",
            f"The coach scores this reply {review.score} of 100, below your team's bar of "
            f"{coach['threshold']}. Change it, or say why it should go as it is.",
        )
        return _render_case(request, case, status=400, coach=coach, reply=form)
    try:
        outbound.send(
            case,
            text,
            author=request.user,
            review=coaching.stored_review(review, case),
            override_reason=reason,
        )
    except services.DeskError as exc:
        add_service_error(form, exc, "text")
    except MAIL_ERRORS as exc:
        form.add_error(
            "text", f"The mail server did not take the reply, so nothing was sent ({exc})."
        )
    if form.errors:
        return _render_case(request, case, status=400, coach=coach, reply=form)
    done = f"Reply sent to {case.reply_to_address}."
    if action == ReplyForm.SEND_AND_RESOLVE:
        try:
            services.resolve(case)
            done += " The case is resolved."
        except services.DeskError as exc:
            messages.warning(request, f"The reply went out, but the case stays as it was: {exc}")
    messages.success(request, done)
    return redirect(case)


@require_POST
@console_view(perm="desk.change_case")
def coach_review(request, reference):
    """The composer's live review of a draft (form field `text`), as JSON, for this case."""
    case = _case(reference)
    text = request.POST.get("text", "")
    if len(text) > MAX_COACH_TEXT:
        return JsonResponse(
            {"error": f"text: longer than {MAX_COACH_TEXT:,} characters; not reviewed"},
            status=413,
        )
    return JsonResponse(coaching.for_composer(coaching.review_for_case(case, text), case, text))


@require_POST
@console_view(perm="desk.change_case")
def change_state(request, reference):
    case = _case(reference)
    form = StateForm(request.POST)
    if form.is_valid():
        try:
            services.change_state(case, form.cleaned_data["state"], form.cleaned_data["note"])
        except services.DeskError as exc:
            add_service_error(form, exc, "state")
    if not form.is_valid():
        return _render_case(request, case, status=400, state=form)
    messages.success(request, f"The case is now {case.get_state_display().lower()}.")
    return redirect(case)


def handover_text(case: Case, owner) -> str:
    """What the customer reads when their case changes hands: who has it now, and that they
    need not repeat themselves."""
    name = case.reply_to_name
    who = owner.get_full_name() or owner.get_username()
    return (
        f"{f'Dear {name}' if name else 'Hello'},\n\n"
        f"A short note about your case {case.reference}: {who} of our {case.team.name} team "
        f"is now looking after it and will be your contact from here on. Everything you have "
        f"sent us stays with the case, so there is nothing you need to repeat.\n\n"
        f"If you have anything to add, simply reply to this e-mail and it will reach {who} "
        f"directly.\n\n"
        f"Kind regards,\n{case.team.name}"
    )


@require_POST
@console_view(perm="desk.change_case")
def assign(request, reference):
    case = _case(reference)
    form = AssignForm(request.POST, case=case)
    if not form.is_valid():
        return _render_case(request, case, status=400, assign=form)
    owner = form.cleaned_data["owner"]
    if owner.pk == case.owner_id:
        messages.info(request, f"{owner.get_full_name() or owner} already owns this case.")
        return redirect(case)
    services.assign(case, owner, form.cleaned_data["note"])
    who = owner.get_full_name() or owner.get_username()
    if not case.reply_to_address:
        messages.success(request, f"{who} owns the case now (no customer address to tell).")
        return redirect(case)
    try:
        # A notice: telling the customer who has the case answers nothing, so no clock stops.
        outbound.send(case, handover_text(case, owner), author=request.user, notice=True)
    except (services.DeskError, *MAIL_ERRORS) as exc:
        messages.warning(request, f"{who} owns the case now, but the customer was not told: {exc}")
        return redirect(case)
    messages.success(request, f"{who} owns the case now, and the customer has been told.")
    return redirect(case)


@require_POST
@console_view(perm="desk.change_case")
def merge(request, reference):
    case = _case(reference)
    form = MergeForm(request.POST)
    if form.is_valid() and case.state == Case.State.MERGED:
        form.add_error("target", f"This case was already merged into {case.merged_into}.")
    if form.is_valid():
        try:
            target = services.merge(case, form.cleaned_data["target"])
        except services.DeskError as exc:
            add_service_error(form, exc, "target")
    if not form.is_valid():
        return _render_case(request, case, status=400, merge=form)
    messages.success(request, f"{case.reference} is merged into this case.")
    return redirect(target)


@require_POST
@console_view(perm="desk.change_case")
def split(request, reference):
    case = _case(reference)
    form = SplitForm(request.POST, case=case)
    if form.is_valid():
        try:
            new = services.split(
                case, form.cleaned_data["messages"], form.cleaned_data["subject"].strip()
            )
        except services.DeskError as exc:
            add_service_error(form, exc, "messages")
    if not form.is_valid():
        return _render_case(request, case, status=400, split=form)
    messages.success(request, f"Split off from {case.reference} into this new case.")
    return redirect(new)
