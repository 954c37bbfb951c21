"""`ledgerdesk send-digest [--dry-run] [--today YYYY-MM-DD]`: mail each team lead last week's
dashboard figures now (the Monday job does the same); a digest already sent is not sent again."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from ledgerdesk.insights.digest import send_digests, week_before


class Command(BaseCommand):
    help = "Mail each team lead the weekly digest of their team's dashboard."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be sent, send nothing"
        )
        parser.add_argument(
            "--today", help="report on the week before this date (YYYY-MM-DD); default today"
        )

    def handle(self, *args, dry_run=False, today=None, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today: {today!r} is not a date (YYYY-MM-DD)") from None
        outcomes = send_digests(day, dry_run=dry_run)
        if day:
            monday, sunday = week_before(day)
            self.stdout.write(f"Week {monday:%d %b} to {sunday:%d %b %Y}")
        for outcome in outcomes:
            who = f" to {outcome.recipient}" if outcome.recipient else ""
            self.stdout.write(f"{outcome.team}: {outcome.status}{who}")
        if not outcomes:
            self.stdout.write("No teams.")
