"""Keeping `InvoiceTimes` in step with the ledger, incrementally and in SQL-sized batches.

Each run takes the invoices updated since the previous run began (every status change,
payment and import updates the invoice row), finds their first received / approved / paid
moments and last payment with two grouped queries per batch, and upserts the rows. Running
it twice changes nothing the second time; a first run on a large ledger backfills it all.
"""

from __future__ import annotations

from django.db.models import Max, Min, Q
from django.utils import timezone

from ledgerdesk.insights.models import InvoiceTimes
from ledgerdesk.ledger.models import Invoice, InvoiceStatusChange, PaymentAllocation

BATCH = 5000
FIELDS = [
    "direction",
    "status",
    "currency",
    "issue_date",
    "due_date",
    "received_at",
    "approved_at",
    "paid_at",
    "paid_on",
    "discount_amount",
    "discount_until",
    "received_to_approved",
    "approved_to_paid",
    "received_to_paid",
    "refreshed_at",
]


INVOICE_FIELDS = (
    "pk",
    "direction",
    "status",
    "currency",
    "issue_date",
    "due_date",
    "status_changed_at",
    "discount_amount",
    "discount_until",
)


def _seconds(start, end) -> int | None:
    return None if start is None or end is None else int((end - start).total_seconds())


def refresh(batch: int = BATCH) -> int:
    """Bring the read model up to date; returns how many invoices were (re)computed."""
    started = timezone.now()
    since = InvoiceTimes.objects.aggregate(last=Max("refreshed_at"))["last"]
    invoices = Invoice.objects.filter(kind=Invoice.Kind.INVOICE)
    if since is not None:
        invoices = invoices.filter(updated_at__gte=since)
    done, last_pk = 0, 0
    while True:
        rows = list(invoices.filter(pk__gt=last_pk).order_by("pk").values(*INVOICE_FIELDS)[:batch])
        if not rows:
            return done
        ids = [row["pk"] for row in rows]
        S = Invoice.Status
        moments = {
            row["invoice"]: row
            for row in InvoiceStatusChange.objects.filter(
                invoice__in=ids, status__in=(S.RECEIVED, S.APPROVED, S.PAID)
            )
            .order_by()
            .values("invoice")
            .annotate(
                received=Min("at", filter=Q(status=S.RECEIVED)),
                approved=Min("at", filter=Q(status=S.APPROVED)),
                paid=Min("at", filter=Q(status=S.PAID)),
            )
        }
        paid_on = dict(
            PaymentAllocation.objects.filter(invoice__in=ids)
            .order_by()
            .values_list("invoice")
            .annotate(last=Max("payment__date"))
        )
        records = []
        for row in rows:
            found = moments.get(row["pk"], {})
            received, approved, paid = (
                found.get("received"),
                found.get("approved"),
                found.get("paid"),
            )
            settled = None
            if row["status"] == S.PAID:
                settled = paid_on.get(row["pk"]) or timezone.localdate(row["status_changed_at"])
            records.append(
                InvoiceTimes(
                    invoice_id=row["pk"],
                    direction=row["direction"],
                    status=row["status"],
                    currency=row["currency"],
                    issue_date=row["issue_date"],
                    due_date=row["due_date"],
                    received_at=received,
                    approved_at=approved,
                    paid_at=paid,
                    paid_on=settled,
                    discount_amount=row["discount_amount"],
                    discount_until=row["discount_until"],
                    received_to_approved=_seconds(received, approved),
                    approved_to_paid=_seconds(approved, paid),
                    received_to_paid=_seconds(received, paid),
                    refreshed_at=started,
                )
            )
        InvoiceTimes.objects.bulk_create(
            records, update_conflicts=True, unique_fields=["invoice"], update_fields=FIELDS
        )
        done += len(rows)
        last_pk = ids[-1]
