import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from ledgerdesk.core import audit
from ledgerdesk.creditcontrol import services
from ledgerdesk.creditcontrol.common import CreditControlError


class Command(BaseCommand):
    help = "Send the friendly payment reminders due today (--dry-run: only print them)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print, send nothing")
        parser.add_argument("--date", help="act as if today were this day (YYYY-MM-DD)")

    def handle(self, **options):
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date: {options['date']!r} is not YYYY-MM-DD") from None
        try:
            with audit.acting_as(label="send-reminders"):
                planned = services.send_due_reminders(today, dry_run=options["dry_run"])
        except CreditControlError as exc:
            raise CommandError(str(exc)) from None
        verb = "would send" if options["dry_run"] else "sent"
        sent = 0
        for item in planned:
            inv = item.invoice
            who = f"{item.contact.name} <{item.contact.email}>" if item.contact else "nobody"
            head = f"{inv.number} ({inv.party.name}) {item.level} [{item.tone}]"
            if item.skip:
                self.stdout.write(f"skip  {head}: {item.skip}")
                continue
            sent += 1
            self.stdout.write(f"{verb}  {head} by {item.channel} to {who}: {item.subject}")
        self.stdout.write(f"{sent} reminder(s) {verb}, {len(planned) - sent} held back")
