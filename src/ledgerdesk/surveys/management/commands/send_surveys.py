from django.core.management.base import BaseCommand

from ledgerdesk.core import audit
from ledgerdesk.surveys import services


class Command(BaseCommand):
    help = (
        "Send this quarter's relationship survey to each active vendor's and customer's "
        "primary contact (once per quarter; contacts surveyed recently are skipped and counted)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be sent; send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        with audit.acting_as(label="send-surveys"):
            summary = services.send_relationship_surveys(dry_run=dry_run)
        self.stdout.write(summary.line())
