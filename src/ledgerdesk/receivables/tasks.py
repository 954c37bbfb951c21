"""Background jobs of receivables: cash application after a statement is uploaded."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from ledgerdesk.core import audit
from ledgerdesk.receivables import services
from ledgerdesk.receivables.services import application


@db_task(retries=2, retry_delay=60)
def apply_cash(statement_ids: list[int]) -> str:
    """Apply the new credit lines of just-imported statements (ids, never model instances).

    Idempotent: only lines still "new" are looked at, so a retry applies nothing twice.
    """
    with audit.acting_as(label="task:cash-application"):
        return services.apply_cash(statement_ids=list(statement_ids)).line()


@db_task(retries=3, retry_delay=60)
def open_deduction_cases(shorts: list[tuple[int, int, str, str]]) -> int:
    """Open the deduction cases of short payments cash application applied in bulk.

    `shorts`: (invoice id, line id, amount still open, amount paid), amounts as text; enqueued
    once the allocations are committed. Idempotent: an invoice never gets a second case.
    """
    with audit.acting_as(label="task:cash-application"):
        return application.open_deduction_cases(shorts)


@db_periodic_task(crontab(minute="7"))
def apply_pending_cash() -> str:
    """Every hour: lines left "new" (the engine was down, a task was lost) get applied, and
    deduction cases still pending (their task failed or was lost) are opened."""
    with audit.acting_as(label="task:cash-application"):
        text = services.apply_cash().line()
        pending = application.pending_deduction_cases()
        if pending:
            opened = application.open_deduction_cases(pending)
            text += f"; {opened} pending deduction case(s) opened"
        return text
