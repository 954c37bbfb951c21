"""`ledgerdesk poll-mail`: one pass over the IMAP mailbox, as the task worker does every minute."""

from django.core.management.base import BaseCommand, CommandError

from ledgerdesk.mail.imap import ImapConfig, ImapError, poll
from ledgerdesk.mail.management.commands.ingest_mail import describe


class Command(BaseCommand):
    help = (
        "Fetch new mail from the IMAP mailbox (LEDGERDESK_IMAP_*) once: each message opens or "
        "continues a case and is then marked read. Safe to run while the worker polls too."
    )

    def handle(self, verbosity, **options):
        try:
            config = ImapConfig.from_settings()
        except ImapError as exc:
            raise CommandError(str(exc)) from exc
        if config is None:
            raise CommandError(
                "no mailbox configured: set LEDGERDESK_IMAP_HOST, LEDGERDESK_IMAP_USER and "
                "LEDGERDESK_IMAP_PASSWORD"
            )

        def show(uid, result):
            if verbosity >= 1:
                self.stdout.write(f"UID {uid}: {describe(result)}")

        try:
            result = poll(config, on_message=show)
        except ImapError as exc:
            raise CommandError(str(exc)) from exc
        if result.error:
            raise CommandError(result.line())
        self.stdout.write(self.style.SUCCESS(result.line()))
