from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ledgerdesk.core.exporting import write_csv, write_json
from ledgerdesk.desk.exports import CASE_COLUMNS, case_rows
from ledgerdesk.ledger.exports import INVOICE_COLUMNS, invoice_rows
from ledgerdesk.parties.models import Party

# What can be exported: name -> (columns, row generator taking party_id).
EXPORTS = {
    "invoices": (INVOICE_COLUMNS, invoice_rows),
    "cases": (CASE_COLUMNS, case_rows),
}


class Command(BaseCommand):
    help = "Export for spreadsheets: `ledgerdesk export invoices|cases --format csv|json`."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=sorted(EXPORTS))
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--party", type=int, help="only this party's records (party id)")
        parser.add_argument("--output", "-o", type=Path, help="write here instead of stdout")

    def handle(self, what, format, party, output, **options):
        if party is not None and not Party.objects.filter(pk=party).exists():
            raise CommandError(f"--party: no party with id {party}")
        columns, rows = EXPORTS[what]
        # The raw stream, not Django's OutputWrapper, which would add a newline per write.
        stream = output.open("w", newline="", encoding="utf-8") if output else self.stdout._out
        try:
            if format == "csv":
                count = write_csv(stream, columns, rows(party))
            else:
                count = write_json(stream, rows(party))
        finally:
            if output:
                stream.close()
        if output:
            self.stderr.write(f"Wrote {count} {what} to {output}")
