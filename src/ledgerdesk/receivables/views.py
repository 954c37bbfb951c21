"""The cash-application console: statements, the queue of lines waiting, one line's decision."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ledgerdesk.core.access import console_view
from ledgerdesk.core.pagination import paginate
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.receivables import services, tasks
from ledgerdesk.receivables.forms import ConfirmForm, DecisionForm, UploadForm
from ledgerdesk.receivables.models import BankStatement, StatementLine
from ledgerdesk.receivables.services.candidates import open_receivables

State = StatementLine.State
VIEW = "receivables.view_statementline"
CHANGE = "receivables.change_statementline"
UPLOAD = "receivables.add_bankstatement"


def _statements_page(request, per_page: int = 10):
    # A second list on the page: its own page parameter, so both paginate independently.
    statements = BankStatement.objects.order_by("-imported_at", "-id")
    return Paginator(statements, per_page).get_page(request.GET.get("spage"))


@console_view(perm=VIEW)
def queue(request):
    filters = {
        "state": request.GET.get("state", ""),
        "currency": request.GET.get("currency", "").upper()[:3],
        "q": request.GET.get("q", "").strip(),
        "statement": request.GET.get("statement", ""),
    }
    lines = StatementLine.objects.waiting().select_related("statement")
    if filters["state"] in StatementLine.WAITING_STATES:
        lines = lines.filter(state=filters["state"])
    if filters["currency"]:
        lines = lines.filter(currency=filters["currency"])
    if filters["statement"].isdigit():
        lines = lines.filter(statement_id=int(filters["statement"]))
    if filters["q"]:
        lines = lines.filter(
            Q(counterparty_name__icontains=filters["q"])
            | Q(remittance__icontains=filters["q"])
            | Q(end_to_end_id__iexact=filters["q"])
        )
    context = {
        "page": paginate(request, lines.order_by("booking_date", "pk")),
        "filters": filters,
        "states": [(s, State(s).label) for s in StatementLine.WAITING_STATES],
        "statements": _statements_page(request),
        "upload_form": UploadForm() if request.user.has_perm(UPLOAD) else None,
    }
    return render(request, "receivables/queue.html", context)


@console_view(perm=UPLOAD)
@require_POST
def upload(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect("receivables:queue")
    upload = form.cleaned_data["file"]
    outcome = services.import_bytes(upload.read(), upload.name)
    if outcome.rejected:
        messages.error(request, f"Nothing imported from {upload.name}: {outcome.error}")
    elif outcome.already_imported:
        messages.warning(request, f"{upload.name} was already imported; nothing posted.")
    else:
        # Matching a large statement takes a while: the worker does it, the page returns now.
        tasks.apply_cash(outcome.statement_ids)
        messages.success(
            request,
            f"Imported {upload.name}: {outcome.statements} statement(s), {outcome.lines} "
            f"line(s), {outcome.credits} money in. Cash application is running.",
        )
    return redirect("receivables:queue")


@console_view(perm=VIEW)
def statement_detail(request, pk):
    statement = get_object_or_404(BankStatement, pk=pk)
    lines = statement.lines.select_related("payment").order_by("position", "pk")
    context = {
        "statement": statement,
        "page": paginate(request, lines),
        "counts": services.state_counts([statement.pk]),
    }
    return render(request, "receivables/statement.html", context)


def _prefill(line: StatementLine, invoices: list[Invoice]) -> dict[int, Decimal]:
    """Amounts to start from: an invoice whose open amount is the cash exactly, else the
    first candidate (the engine's best), never spread over the oldest invoices."""
    cash = line.unapplied_amount
    exact = next((inv for inv in invoices if inv.amount_open == cash), None)
    first = exact or (invoices[0] if invoices else None)
    return {first.pk: min(cash, first.amount_open)} if first else {}


def _invoices_for(line: StatementLine, extra_ids, find: str) -> list[Invoice]:
    ids = [int(pk) for pk in line.candidates]
    ids += [pk for pk in extra_ids if pk not in ids]
    base = open_receivables(line.currency).select_related("party")
    found = {inv.pk: inv for inv in base.filter(pk__in=ids)}
    invoices = [found[pk] for pk in ids if pk in found]
    if find:
        for inv in base.filter(number__iexact=find).exclude(pk__in=ids)[:5]:
            invoices.append(inv)
    return invoices


@console_view(perm=VIEW)
def line_detail(request, pk):
    line = get_object_or_404(StatementLine.objects.select_related("statement", "payment"), pk=pk)
    find = request.GET.get("find", "").strip()[:64]
    extra = [int(v) for v in request.POST.getlist("invoice") if v.isdigit()]
    invoices = _invoices_for(line, extra, find)
    waiting = line.state in StatementLine.WAITING_STATES
    confirm_form = ConfirmForm(line=line, invoices=invoices, prefill=_prefill(line, invoices))
    decision_form = DecisionForm()
    if request.method == "POST":
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied
        action = request.POST.get("action", "confirm")
        if not waiting:
            messages.error(request, f"This line is already {line.get_state_display().lower()}.")
            return redirect(line)
        try:
            if action == "confirm":
                confirm_form = ConfirmForm(request.POST, line=line, invoices=invoices)
                if confirm_form.is_valid():
                    cases = services.confirm(line, confirm_form.placements(), request.user)
                    note = f" {cases} deduction case(s) opened." if cases else ""
                    messages.success(request, f"Cash applied.{note}")
                    return redirect("receivables:queue")
            else:
                decision_form = DecisionForm(request.POST)
                if decision_form.is_valid():
                    decide = {
                        "hold": services.hold,
                        "refund": services.refund,
                        "ignore": services.ignore,
                    }[decision_form.cleaned_data["action"]]
                    decide(line, decision_form.cleaned_data["note"], request.user)
                    messages.success(request, "Decision recorded.")
                    return redirect("receivables:queue")
        except services.PlacementError as exc:
            form = confirm_form if action == "confirm" else decision_form
            target = exc.field if exc.field in form.fields else None
            form.add_error(target, exc.message)
    reasons = line.candidate_reasons or {}
    rows = [
        (invoice, amount, deduction, reasons.get(str(invoice.pk), ["found by number"]))
        for invoice, amount, deduction in confirm_form.rows()
    ]
    context = {
        "line": line,
        "rows": rows,
        "confirm_form": confirm_form,
        "decision_form": decision_form,
        "find": find,
        "waiting": waiting,
        "can_change": request.user.has_perm(CHANGE),
        "allocations": (
            line.payment.allocations.select_related("invoice") if line.payment_id else []
        ),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "receivables/line.html", context, status=status)
