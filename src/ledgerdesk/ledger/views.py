from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ledgerdesk.core.access import console_view
from ledgerdesk.core.models import ImportRun
from ledgerdesk.core.pagination import paginate
from ledgerdesk.ledger.models import Direction, Invoice, Payment, PurchaseOrder


@console_view
def invoice_list(request):
    filters = {
        "direction": request.GET.get("direction", ""),
        "status": request.GET.get("status", ""),
        "party": request.GET.get("party", ""),
        "q": request.GET.get("q", "").strip(),
        "overdue": request.GET.get("overdue", ""),
        "duplicates": request.GET.get("duplicates", ""),
    }
    invoices = Invoice.objects.select_related("party")
    if filters["direction"] in Direction.values:
        invoices = invoices.filter(direction=filters["direction"])
    if filters["status"] in Invoice.Status.values:
        invoices = invoices.filter(status=filters["status"])
    if filters["party"].isdigit():
        invoices = invoices.filter(party_id=int(filters["party"]))
    if filters["q"]:
        invoices = invoices.filter(number__icontains=filters["q"])
    if filters["overdue"]:
        invoices = invoices.open().filter(due_date__lt=timezone.localdate())
    if filters["duplicates"]:
        invoices = invoices.filter(duplicate_of__isnull=False)
    page = paginate(request, invoices.order_by("-issue_date", "-id"))
    return render(
        request,
        "ledger/invoice_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": Invoice.Status.choices,
            "directions": Direction.choices,
        },
    )


@console_view
def invoice_detail(request, pk):
    invoice = get_object_or_404(
        Invoice.objects.select_related("party", "purchase_order", "duplicate_of", "corrects"),
        pk=pk,
    )
    context = {
        "invoice": invoice,
        "lines": invoice.lines.all(),
        "history": invoice.history.all(),
        "allocations": invoice.allocations.select_related("payment", "payment__bank_account"),
        "receipts": (invoice.purchase_order.receipts.all() if invoice.purchase_order_id else []),
        "duplicates": invoice.suspected_duplicates.all(),
        "credit_notes": invoice.credit_notes.all(),
    }
    return render(request, "ledger/invoice_detail.html", context)


@console_view
def payment_list(request):
    direction = request.GET.get("direction", "")
    payments = Payment.objects.select_related("party", "bank_account")
    if direction in Direction.values:
        payments = payments.filter(direction=direction)
    page = paginate(request, payments.order_by("-date", "-id"))
    return render(
        request,
        "ledger/payment_list.html",
        {"page": page, "direction": direction, "directions": Direction.choices},
    )


@console_view
def payment_detail(request, pk):
    payment = get_object_or_404(Payment.objects.select_related("party", "bank_account"), pk=pk)
    allocations = payment.allocations.select_related("invoice")
    return render(
        request, "ledger/payment_detail.html", {"payment": payment, "allocations": allocations}
    )


@console_view
def purchase_order_detail(request, pk):
    order = get_object_or_404(PurchaseOrder.objects.select_related("party"), pk=pk)
    return render(
        request,
        "ledger/purchase_order_detail.html",
        {
            "order": order,
            "lines": order.lines.all(),
            "receipts": order.receipts.prefetch_related("lines"),
            "invoices": order.invoices.all(),
        },
    )


@console_view(perm="core.view_importrun")
def import_list(request):
    return render(
        request, "ledger/import_list.html", {"page": paginate(request, ImportRun.objects.all())}
    )
