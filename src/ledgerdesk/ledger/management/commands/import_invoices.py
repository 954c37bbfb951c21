from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ledgerdesk.core import audit
from ledgerdesk.core.progress import bar
from ledgerdesk.ledger.importer import import_files


class Command(BaseCommand):
    help = (
        "Import invoices and credit notes from ERP CSV exports and e-invoices "
        "(UBL 2.1 / Peppol BIS 3, UN/CEFACT CII / Factur-X / ZUGFeRD). "
        "Importing the same file again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--direction",
            choices=["ap", "ar"],
            help="for e-invoices: ap (we are the buyer, the default) or ar (we sent them)",
        )
        parser.add_argument("--quiet-details", action="store_true", help="one line per file")

    def handle(self, files, direction, quiet_details, **options):
        bars = []

        def progress(source, total):
            progress_bar = bar(total, Path(source).name, self.stderr._out)
            if progress_bar is None:
                return None
            bars.append(progress_bar)
            return progress_bar.update

        # Many small files (a folder of e-invoices): one bar over the files.
        files_bar = bar(len(files), "files", self.stderr._out, unit="file", show_from=50)
        if files_bar is not None:
            bars.append(files_bar)

        with audit.acting_as(label="cli:import-invoices"):
            summary = import_files(
                files, direction, progress, on_file=lambda _: files_bar and files_bar.update()
            )
        for progress_bar in bars:
            progress_bar.close()

        for outcome in summary.files:
            name = outcome.source
            if outcome.rejected:
                self.stdout.write(self.style.ERROR(f"REJECTED {name}: {outcome.error}"))
                continue
            counts = ", ".join(
                f"{getattr(outcome, k)} {k}"
                for k in ("added", "updated", "skipped", "held")
                if getattr(outcome, k)
            )
            self.stdout.write(f"{outcome.file_format.upper():4} {name}: {counts or 'nothing'}")
            if not quiet_details:
                for note in outcome.notes[:20]:
                    if "already imported" in note or "held" in note or "updated" in note:
                        self.stdout.write(f"       {note}")
                if len(outcome.notes) > 20:
                    self.stdout.write(f"       … and {len(outcome.notes) - 20} more")
        style = self.style.WARNING if summary.rejected else self.style.SUCCESS
        self.stdout.write(style("Summary: " + summary.line()))
        if summary.rejected:
            raise CommandError(
                f"{summary.rejected} file(s) rejected; nothing of those files was imported"
            )
