"""Payment runs from the command line.

    ledgerdesk payment-run --date 2026-11-27 --currency EUR [--cash 250000] [--csv FILE]
    ledgerdesk payment-run --export PR-EUR-2026-000001 --pain001 FILE [--csv FILE]

The first proposes a run; a second person approves it in the console; the second writes the
approved run's bank file.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ledgerdesk.payables import payruns
from ledgerdesk.payables.models import PayingAccount, PaymentRun


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date: {value!r} is not a date like 2026-11-27") from exc


def _amount(value: str) -> Decimal:
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation as exc:
        raise CommandError(f"--cash: {value!r} is not an amount") from exc


class Command(BaseCommand):
    help = "Propose a payment run and write its CSV and pain.001 bank file (after approval)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_date, help="The day to pay.")
        parser.add_argument("--currency", help="ISO code, e.g. EUR.")
        parser.add_argument("--export", metavar="REFERENCE", help="Export this approved run.")
        parser.add_argument("--cash", type=_amount, help="Cash available for the run.")
        parser.add_argument("--horizon", type=int, default=0, help="Days ahead to pay early.")
        parser.add_argument("--csv", type=Path, help="Write the run's payments as CSV here.")
        parser.add_argument(
            "--pain001", type=Path, help="Write the bank file here (approved runs)."
        )

    def handle(self, *args, **options):
        if options["export"]:
            return self.export(options)
        if not options["date"] or not options["currency"]:
            raise CommandError("--date and --currency are needed to propose a run")
        currency = options["currency"].upper()
        account = PayingAccount.objects.filter(currency=currency).first()
        if account is None:
            raise CommandError(f"--currency: no paying account in {currency}; add one in the admin")
        try:
            run = payruns.propose(
                options["date"], currency, account,
                cash_available=options["cash"], horizon_days=options["horizon"],
            )  # fmt: skip
        except payruns.RunError as exc:
            raise CommandError(str(exc)) from exc
        count = run.items.count()
        self.stdout.write(
            f"{run.reference}: {count} payment(s), {run.currency} {run.total:,}"
            f" (discounts taken {run.currency} {run.discounts:,}), {len(run.left_out)} left out"
        )
        for row in run.left_out:
            self.stdout.write(f"  left out {row['number']} ({row['vendor']}): {row['why']}")
        if options["csv"]:
            options["csv"].write_text(payruns.csv_text(run), encoding="utf-8")
            self.stdout.write(f"CSV written to {options['csv']}")
        self.stdout.write(
            f"Next: a second person approves it in the console (/payables/runs/{run.pk}/), "
            f"then `ledgerdesk payment-run --export {run.reference} --pain001 FILE`."
        )

    def export(self, options):
        run = PaymentRun.objects.filter(reference=options["export"]).first()
        if run is None:
            raise CommandError(f"--export: no payment run {options['export']!r}")
        if not options["pain001"]:
            raise CommandError("--pain001: say where to write the bank file")
        try:
            data = payruns.export(run)
        except payruns.RunError as exc:
            raise CommandError(str(exc)) from exc
        options["pain001"].write_bytes(data)
        self.stdout.write(f"Bank file for {run.reference} written to {options['pain001']}")
        if options["csv"]:
            options["csv"].write_text(payruns.csv_text(run), encoding="utf-8")
            self.stdout.write(f"CSV written to {options['csv']}")
