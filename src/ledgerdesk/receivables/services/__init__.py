"""What other apps, views, the API and the CLI may do with bank statements and cash."""

from __future__ import annotations

from django.db.models import Count

from ledgerdesk.ledger.models import Invoice, PaymentAllocation
from ledgerdesk.receivables.models import StatementLine
from ledgerdesk.receivables.services.application import (
    ApplySummary,
    Placement,
    PlacementError,
    apply_cash,
    open_deduction_case,
)
from ledgerdesk.receivables.services.decisions import confirm, hold, ignore, refund
from ledgerdesk.receivables.services.importing import (
    FileOutcome,
    import_bytes,
    import_files,
    store_statements,
)

__all__ = [
    "ApplySummary",
    "FileOutcome",
    "Placement",
    "PlacementError",
    "apply_cash",
    "confirm",
    "hold",
    "ignore",
    "import_bytes",
    "import_files",
    "invoices_in_matching",
    "open_deduction_case",
    "refund",
    "state_counts",
    "store_statements",
]


def invoices_in_matching():
    """Ids of AR invoices a payment may be on its way to: no reminder for these.

    An invoice is in matching when a line waiting for review lists it as a candidate, or a
    held line is being worked for it (listed as a candidate, or its overpayment sits on a
    payment already allocated to it). Waiting lines are the work queue, a few hundred rows,
    so their candidate lists are read here rather than searched inside JSON in SQL.
    """
    ids: set[int] = set()
    waiting = StatementLine.objects.waiting().values_list("candidates", "payment_id")
    payments = set()
    for candidates, payment_id in waiting:
        ids.update(int(pk) for pk in candidates or ())
        if payment_id:
            payments.add(payment_id)
    if payments:
        ids.update(
            PaymentAllocation.objects.filter(payment_id__in=payments).values_list(
                "invoice_id", flat=True
            )
        )
    return Invoice.objects.receivable().filter(pk__in=ids).values_list("pk", flat=True)


def state_counts(statement_ids: list[int]) -> dict[str, int]:
    """Lines of these statements by state, for the import summary."""
    counts = dict.fromkeys(StatementLine.State.values, 0)
    counts["auto"] = 0
    rows = (
        StatementLine.objects.filter(statement_id__in=statement_ids)
        .values_list("state", "auto_applied")
        .order_by()
    )
    for state, auto, n in rows.annotate(n=Count("pk")).values_list("state", "auto_applied", "n"):
        counts[state] += n
        if state == StatementLine.State.APPLIED and auto:
            counts["auto"] += n
    return counts
