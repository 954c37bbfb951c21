"""Background jobs of the surveys.

The desk queues `survey_resolved_case` once a resolution is committed. The relationship round
runs every morning: a round is a quarter and each party is asked once per round, so the first
run of a quarter sends the surveys, and later runs only reach a party whose contact was in
the quiet period then (or that became active since). Payloads are ids, never model instances.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from ledgerdesk.core import audit
from ledgerdesk.surveys import services


@db_task(retries=3, retry_delay=300)
def survey_resolved_case(case_id: int) -> str:
    """Send the survey of a just-resolved case (a no-op when it does not qualify)."""
    with audit.acting_as(label="surveys"):
        outcome = services.send_case_survey(case_id)
    return "sent" if outcome.sent else outcome.reason


@db_periodic_task(crontab(minute="0", hour="7"))
def relationship_surveys() -> str:
    """This quarter's relationship survey to every active party not asked yet."""
    with audit.acting_as(label="surveys"):
        return services.send_relationship_surveys().line()
