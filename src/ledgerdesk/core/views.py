from django.db import connection
from django.db.models import Count, Q, Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from ledgerdesk.core.access import console_view
from ledgerdesk.core.models import AuditEntry, ImportRun
from ledgerdesk.core.pagination import paginate
from ledgerdesk.ledger.models import Direction, Invoice
from ledgerdesk.parties.models import Party


@console_view
def home(request):
    today = timezone.localdate()
    open_invoices = Invoice.objects.open()
    # One grouped query for the four tiles instead of four counts.
    tiles = open_invoices.aggregate(
        open_ap=Count("id", filter=Q(direction=Direction.PAYABLE)),
        open_ar=Count("id", filter=Q(direction=Direction.RECEIVABLE)),
        overdue_ar=Count("id", filter=Q(direction=Direction.RECEIVABLE, due_date__lt=today)),
        on_hold=Count("id", filter=Q(status=Invoice.Status.ON_HOLD)),
        held_duplicates=Count("id", filter=Q(duplicate_of__isnull=False)),
    )
    open_by_currency = (
        open_invoices.values("direction", "currency")
        .annotate(total=Sum("amount_open"), count=Count("id"))
        .order_by("direction", "-total")[:12]
    )
    parties = Party.objects.aggregate(
        vendors=Count("id", filter=Q(is_vendor=True)),
        customers=Count("id", filter=Q(is_customer=True)),
    )
    recent_imports = ImportRun.objects.all()[:5]
    return render(
        request,
        "core/home.html",
        {
            "tiles": tiles,
            "parties": parties,
            "open_by_currency": open_by_currency,
            "recent_imports": recent_imports,
        },
    )


@console_view(perm="core.view_auditentry")
def audit_log(request):
    entries = AuditEntry.objects.select_related("actor")
    object_type = request.GET.get("type", "").strip()
    object_id = request.GET.get("id", "").strip()
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return render(
        request,
        "core/audit_log.html",
        {"page": paginate(request, entries), "object_type": object_type, "object_id": object_id},
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
