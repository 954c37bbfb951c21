"""Portal pages for talking to us: ask about or dispute an invoice, follow and answer one's
cases, and keep one's own contact preferences current."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from ledgerdesk.core.pagination import paginate
from ledgerdesk.desk.models import Case, Message
from ledgerdesk.ledger.models import Invoice, InvoiceLine
from ledgerdesk.portal import explain, ratings, services
from ledgerdesk.portal.forms import PreferencesForm, QuestionForm, RatingForm, ReplyForm
from ledgerdesk.portal.scoping import get_scoped, party_for, portal_view, scoped
from ledgerdesk.portal.services import PortalError
from ledgerdesk.portal.views import PAGE_SIZE
from ledgerdesk.portal.views_account import contact_person_form


def _first_name(user) -> str:
    if user is None:
        return ""
    return user.first_name or user.get_full_name() or ""


def case_words(case: Case, reader) -> explain.CaseWords:
    due = case.first_response_due if case.first_response_at is None else None
    return explain.explain_case(case.state, _first_name(case.owner), due, reader)


def _add_error(form, exc: PortalError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@portal_view
def ask(request, pk):
    party, reader = party_for(request), request.portal.reader
    invoice = get_scoped(Invoice.objects.all(), party, pk=pk)
    lines = scoped(InvoiceLine.objects.filter(invoice=invoice), party)

    def describe(line):
        amount = reader.money(line.net_amount, invoice.currency)
        return f"Line {line.position}: {line.description or 'no description'} ({amount})"

    kind = "dispute" if request.GET.get("kind") == "dispute" else "question"
    form = QuestionForm(
        request.POST or None, lines=lines, describe=describe, initial={"kind": kind}
    )
    if request.method == "POST" and form.is_valid():
        dispute = form.cleaned_data["kind"] == "dispute"
        try:
            case = services.raise_question(
                request.portal.account,
                invoice,
                text=form.cleaned_data["message"],
                dispute=dispute,
                lines=form.cleaned_data["lines"],
            )
        except PortalError as exc:
            _add_error(form, exc)
        else:
            owner = _first_name(case.owner) or "our team"
            what = "disagreement" if dispute else "question"
            messages.success(
                request,
                f"Thank you. We have your {what} as case {case.reference}, and {owner} "
                "will answer you. We also sent you a confirmation by e-mail.",
            )
            return redirect("portal:case", case.reference)
    return render(request, "portal/ask.html", {"invoice": invoice, "form": form})


@portal_view
def case_list(request):
    party, reader = party_for(request), request.portal.reader
    cases = scoped(Case.objects.select_related("owner"), party).order_by("-opened_at", "-id")
    page = paginate(request, cases, PAGE_SIZE)
    rows = [{"case": case, "words": case_words(case, reader)} for case in page]
    return render(request, "portal/case_list.html", {"page": page, "rows": rows})


@portal_view
def case_detail(request, reference):
    party, reader = party_for(request), request.portal.reader
    case = get_scoped(Case.objects.select_related("owner", "team"), party, reference=reference)
    rating_post = request.method == "POST" and request.POST.get("action") == "rate"
    form = ReplyForm(None if rating_post else (request.POST or None))
    rating_form = RatingForm(request.POST if rating_post else None)
    if rating_post and rating_form.is_valid():
        try:
            ratings.rate(
                request.portal.account,
                case,
                rating_form.cleaned_data["rating"],
                rating_form.cleaned_data["comment"],
            )
        except PortalError as exc:
            _add_error(rating_form, exc)
        else:
            messages.success(request, "Thank you for rating how we helped you.")
            return redirect("portal:case", case.reference)
    if request.method == "POST" and not rating_post and form.is_valid():
        try:
            services.reply(request.portal.account, case, form.cleaned_data["text"])
        except PortalError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, "Thank you. Your answer is with us.")
            return redirect("portal:case", case.reference)
    thread = scoped(Message.objects.filter(case=case), party).select_related("author")
    rows = [
        {
            "message": m,
            "from_us": m.direction == Message.Direction.OUTBOUND,
            "who": "You"
            if m.direction == Message.Direction.INBOUND
            else (_first_name(m.author) or case.team.name),
        }
        for m in thread.order_by("at", "id")
    ]
    context = {
        "case": case,
        "words": case_words(case, reader),
        "rows": rows,
        "invoices": scoped(Invoice.objects.filter(cases=case), party),
        "form": form,
        "rating": ratings.rating_of(case),
        "can_rate": ratings.can_rate(case),
        "rating_form": rating_form,
    }
    status = 400 if rating_post else 200  # a rating that got here was refused
    return render(request, "portal/case_detail.html", context, status=status)


@portal_view
def profile(request):
    contact = request.portal.contact
    form = PreferencesForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        form.save()  # Contact is audited by signals: who, when, before and after
        messages.success(request, "Saved. Thank you for keeping your details up to date.")
        return redirect("portal:profile")
    context = {
        "form": form,
        "person_form": contact_person_form(party_for(request)),
        "contact": contact,
    }
    return render(request, "portal/profile.html", context)
