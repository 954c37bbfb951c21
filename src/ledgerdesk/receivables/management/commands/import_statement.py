from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ledgerdesk.core import audit
from ledgerdesk.core.progress import bar
from ledgerdesk.receivables import services


class Command(BaseCommand):
    help = (
        "Import bank statements (camt.053/camt.054, MT940, BAI2, CSV) and apply the cash they "
        "bring to the open invoices. Importing the same statement again posts nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--no-apply", action="store_true", help="store the statements, apply cash later"
        )
        parser.add_argument(
            "--accept-unbalanced",
            action="store_true",
            help="import even when opening balance + entries is not the closing balance",
        )

    def handle(self, files, no_apply, accept_unbalanced=False, **options):
        bars = []

        def progress(source, total):
            progress_bar = bar(total, Path(source).name, self.stderr._out, unit="line")
            if progress_bar is None:
                return None
            bars.append(progress_bar)
            return progress_bar.update

        with audit.acting_as(label="cli:import-statement"):
            outcomes = services.import_files(files, progress, check_balances=not accept_unbalanced)
        for progress_bar in bars:
            progress_bar.close()
        bars.clear()

        statement_ids = []
        for outcome in outcomes:
            name = outcome.source
            if outcome.rejected:
                self.stdout.write(self.style.ERROR(f"REJECTED {name}: {outcome.error}"))
                continue
            kind = outcome.file_format.upper()
            if outcome.already_imported:
                self.stdout.write(f"{kind} {name}: already imported, nothing posted")
                continue
            self.stdout.write(
                f"{kind} {name}: {outcome.statements} statement(s), {outcome.lines} line(s) "
                f"({outcome.credits} money in)"
            )
            for note in outcome.notes[:20]:
                self.stdout.write(f"       {note}")
            statement_ids.extend(outcome.statement_ids)

        if statement_ids and not no_apply:
            credits = sum(o.credits for o in outcomes if not o.rejected)
            apply_bar = bar(credits, "cash application", self.stderr._out, unit="line")
            with audit.acting_as(label="cli:import-statement"):
                summary = services.apply_cash(
                    statement_ids=statement_ids, tick=apply_bar.update if apply_bar else None
                )
            if apply_bar is not None:
                apply_bar.close()
            counts = services.state_counts(statement_ids)
            lines = sum(counts[s] for s in ("new", "applied", "review", "held", "ignored"))
            text = (
                f"Cash application: {lines} line(s), {counts['auto']} applied automatically, "
                f"{counts['review']} to review, {counts['held']} held, "
                f"{counts['ignored']} ignored"
            )
            if summary.cases:
                text += f", {summary.cases} short payment(s) each getting a deduction case"
            if counts["new"]:
                text += f", {counts['new']} not yet matched"
            self.stdout.write(self.style.SUCCESS(text))

        rejected = sum(1 for o in outcomes if o.rejected)
        if rejected:
            raise CommandError(f"{rejected} file(s) rejected; nothing of those files was imported")
