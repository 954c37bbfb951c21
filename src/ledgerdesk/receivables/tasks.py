"""Background jobs of receivables: cash application after a statement is uploaded."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from ledgerdesk.core import audit
from ledgerdesk.receivables import services


@db_task(retries=2, retry_delay=60)
def apply_cash(statement_ids: list[int]) -> str:
    """Apply the new credit lines of just-imported statements (ids, never model instances).

    Idempotent: only lines still "new" are looked at, so a retry applies nothing twice.
    """
    with audit.acting_as(label="task:cash-application"):
        return services.apply_cash(statement_ids=list(statement_ids)).line()


@db_periodic_task(crontab(minute="7"))
def apply_pending_cash() -> str:
    """Every hour: lines left "new" (the engine was down, a task was lost) get applied."""
    with audit.acting_as(label="task:cash-application"):
        return services.apply_cash().line()
