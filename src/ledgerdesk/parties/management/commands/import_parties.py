from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ledgerdesk.core import audit
from ledgerdesk.parties import importer


class Command(BaseCommand):
    help = "Import vendors and customers with their contacts from a CSV file (see the README)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, files, **options):
        rejected = 0
        with audit.acting_as(label="cli:import-parties"):
            for path in files:
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    raise CommandError(f"{path}: cannot read the file: {exc.strerror}") from None
                outcome = importer.import_parties(data, str(path))
                if outcome.error:
                    rejected += 1
                    self.stdout.write(self.style.ERROR(outcome.line()))
                else:
                    self.stdout.write(self.style.SUCCESS(outcome.line()))
        if rejected:
            raise CommandError(f"{rejected} file(s) rejected; nothing of those files was imported")
