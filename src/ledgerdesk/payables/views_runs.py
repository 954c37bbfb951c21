"""Payment runs in the console: propose, approve (a second person), send to the bank, mark paid."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ledgerdesk.core.access import console_view
from ledgerdesk.core.pagination import paginate
from ledgerdesk.payables import payruns
from ledgerdesk.payables.models import PayingAccount, PaymentRun, PaymentRunItem


@console_view(perm="payables.view_paymentrun")
def run_list(request):
    runs = PaymentRun.objects.select_related("account", "created_by", "approved_by")
    return render(request, "payables/run_list.html", {"page": paginate(request, runs)})


def _parse_new(data) -> tuple[dict, dict]:
    errors, values = {}, {}
    try:
        values["run_date"] = dt.date.fromisoformat(data.get("run_date", ""))
    except ValueError:
        errors["run_date"] = "Enter the date as YYYY-MM-DD."
    account = PayingAccount.objects.filter(pk=data.get("account") or 0).first()
    if account is None:
        errors["account"] = "Choose the account the payments leave from."
    values["account"] = account
    cash = (data.get("cash_available") or "").replace(",", "").strip()
    values["cash_available"] = None
    if cash:
        try:
            values["cash_available"] = Decimal(cash)
        except InvalidOperation:
            errors["cash_available"] = "Enter an amount such as 250000.00, or leave it empty."
    try:
        values["horizon_days"] = int(data.get("horizon_days") or 0)
    except ValueError:
        errors["horizon_days"] = "Enter a whole number of days."
    return values, errors


@console_view(perm="payables.add_paymentrun")
def run_new(request):
    accounts = PayingAccount.objects.all()
    values, errors = {}, {}
    if request.method == "POST":
        values, errors = _parse_new(request.POST)
        if not errors:
            try:
                run = payruns.propose(
                    values["run_date"],
                    values["account"].currency,
                    values["account"],
                    cash_available=values["cash_available"],
                    horizon_days=values["horizon_days"],
                    user=request.user,
                )
            except payruns.RunError as exc:
                field, _, message = str(exc).partition(": ")
                errors[field] = message
            else:
                messages.success(request, f"{run} proposed: {run.items.count()} payment(s).")
                return redirect("payables:run", run.pk)
    context = {
        "accounts": accounts,
        "errors": errors,
        "data": request.POST if request.method == "POST" else {},
        "today": timezone.localdate(),
    }
    return render(request, "payables/run_new.html", context, status=400 if errors else 200)


@console_view(perm="payables.view_paymentrun")
def run_detail(request, pk):
    run = get_object_or_404(
        PaymentRun.objects.select_related("account", "created_by", "approved_by"), pk=pk
    )
    items = run.items.select_related("invoice__party", "vendor_account")
    return render(request, "payables/run_detail.html", {"run": run, "items": items})


@require_POST
@console_view(perm="payables.change_paymentrun")
def run_action(request, pk, action):
    run = get_object_or_404(PaymentRun.objects.select_related("account"), pk=pk)
    try:
        if action == "approve":
            payruns.approve(run, request.user)
            messages.success(request, f"{run} approved.")
        elif action == "pain001":
            data = payruns.export(run)
            response = HttpResponse(data, content_type="application/xml")
            response["Content-Disposition"] = f'attachment; filename="{run.reference}.xml"'
            return response
        elif action == "paid":
            payruns.mark_paid(run)
            messages.success(request, f"{run} marked paid; the vendors are being advised.")
        elif action == "fail":
            payruns.fail(run, request.POST.get("reason", ""))
            messages.success(request, f"{run} marked failed; its invoices can go in the next run.")
        elif action == "return":
            item = get_object_or_404(PaymentRunItem, pk=request.POST.get("item"), run=run)
            payruns.mark_returned(item, request.POST.get("reason", ""))
            messages.success(request, f"Payment of {item.invoice} marked returned.")
        else:
            return HttpResponse(status=404)
    except payruns.RunError as exc:
        messages.error(request, str(exc))
    return redirect("payables:run", run.pk)


@console_view(perm="payables.view_paymentrun")
def run_csv(request, pk):
    run = get_object_or_404(PaymentRun, pk=pk)
    response = HttpResponse(payruns.csv_text(run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{run.reference}.csv"'
    return response
