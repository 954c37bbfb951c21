"""Background jobs of the help desk."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ledgerdesk.desk.escalation import sweep


@db_periodic_task(crontab(minute="*/5"))
def sla_sweep():
    """Escalate cases whose SLA is at risk or breached to the team lead."""
    sweep()
