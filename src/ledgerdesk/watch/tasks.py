"""The watch as a periodic job: every enabled check, once an hour."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ledgerdesk.watch import services


@db_periodic_task(crontab(minute="7"))
def hourly_watch() -> list[dict]:
    """Run all enabled checks; the same findings on the next run open no new cases."""
    return [outcome.as_dict() for outcome in services.run()]
