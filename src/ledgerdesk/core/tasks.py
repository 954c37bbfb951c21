"""Background jobs of the core app."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ledgerdesk.core.models import SiteState


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat():
    """Lets the console show that the task worker is alive (and since when it is not)."""
    SiteState.objects.update_or_create(
        key="worker", defaults={"value": {"seen": timezone.now().isoformat()}}
    )
