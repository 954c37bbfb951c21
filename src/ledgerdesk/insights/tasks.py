"""Background jobs of the dashboards."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ledgerdesk.insights import times
from ledgerdesk.insights.digest import send_digests


@db_periodic_task(crontab(day_of_week="1", hour="7", minute="0"))
def weekly_digest():
    """Monday morning: each team lead gets last week's figures (once per team and week)."""
    send_digests()


@db_periodic_task(crontab(minute="*/10"))
def refresh_invoice_times():
    """Keep the invoice cycle-time read model in step with the ledger (incremental)."""
    times.refresh()
