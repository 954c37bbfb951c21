"""Background jobs of the mail app."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from ledgerdesk.mail import imap

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("mail-poll-mailbox")  # a slow pass is not overtaken by the next minute's pass
def poll_mailbox():
    """One IMAP pass over the desk's mailbox; does nothing when no mailbox is configured."""
    config = imap.ImapConfig.from_settings()
    if config is None:
        return
    result = imap.poll(config)
    if result.error:
        log.warning("%s", result.line())
    elif result.fetched:
        log.info("%s", result.line())
