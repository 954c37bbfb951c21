"""Background jobs of credit control. Each is idempotent: a second run the same day sends and
changes nothing (the rows it writes are what it checks first)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ledgerdesk.core import audit
from ledgerdesk.creditcontrol import services


@db_periodic_task(crontab(minute="0", hour="7"))
def send_reminders():
    """Friendly payment reminders due today."""
    with audit.acting_as(label="reminders"):
        services.send_due_reminders()


@db_periodic_task(crontab(minute="30", hour="6"))
def check_arrangements():
    """Mark arrangements with a missed instalment and give their owner a follow-up."""
    with audit.acting_as(label="arrangements"):
        services.check_arrangements()


@db_periodic_task(crontab(minute="0", hour="8"))
def follow_up_digest():
    """One e-mail a day to each agent with follow-ups due."""
    with audit.acting_as(label="follow-up digest"):
        services.send_digests()


# Daily, not only on the 1st: a worker that was down on the 1st catches up the next day.
@db_periodic_task(crontab(minute="0", hour="6"))
def scheduled_statements():
    """Last month's statement of account to every customer on a monthly schedule."""
    with audit.acting_as(label="statements"):
        services.send_scheduled_statements()
