"""Payables' background work: check and route new vendor bills; chase approvals that sit."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from ledgerdesk.ledger.models import Direction, Invoice
from ledgerdesk.payables import services

BATCH = 500


@db_task()
def intake_invoices(ids: list[int]) -> dict[str, int]:
    """Run the intake on these invoices (new AP bills in status received; others are skipped)."""
    outcomes: dict[str, int] = {}
    invoices = Invoice.objects.filter(
        pk__in=ids, direction=Direction.PAYABLE, status=Invoice.Status.RECEIVED
    ).select_related("party", "purchase_order")
    for invoice in invoices:
        try:
            outcome = services.intake(invoice).outcome
        except services.PayablesError as exc:
            outcome = f"not routed: {exc}"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def enqueue_intake(sender, ids, **kwargs) -> None:
    for start in range(0, len(ids), BATCH):
        intake_invoices(ids[start : start + BATCH])


@db_periodic_task(crontab(minute="*/15"))
def chase_approvals():
    services.chase()


@db_periodic_task(crontab(minute="20"))
def recheck_held() -> dict[str, int]:
    """Invoices held for goods not yet received: check again once a receipt may have come."""
    outcomes: dict[str, int] = {}
    held = Invoice.objects.filter(
        direction=Direction.PAYABLE,
        status=Invoice.Status.ON_HOLD,
        match__status="mismatch",
        match__kinds__regex=r"(^|,)(not_received|quantity)(,|$)",
    ).select_related("party", "purchase_order")
    for invoice in held[:BATCH]:
        try:
            outcome = services.recheck(invoice).outcome
        except services.PayablesError as exc:
            outcome = f"skipped: {exc}"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
