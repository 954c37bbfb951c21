"""`ledgerdesk demo`: load a believable finance hub of demo data, once."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ledgerdesk.demo.generator import DEFAULT_SEED
from ledgerdesk.demo.loading import (
    DemoRefused,
    demo_state,
    describe,
    load,
    write_logins,
    write_summary,
)
from ledgerdesk.demo.story import SCALES


class Command(BaseCommand):
    help = (
        "Load demo data: vendors, customers and six months of invoices, orders, receipts "
        "and payments with the usual mess. Loads once; a second run has nothing to do. "
        "Demo data only goes into a database without parties."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="standard",
            help="tiny (tests), standard (about 450 parties; the default) or large "
            "(20,000 parties and 1,000,000 invoices, for benchmarks)",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="the same seed gives the same data"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="load again although demo data was loaded before; only allowed when the "
            "database holds no parties (nothing is ever deleted)",
        )

    def handle(self, *args, scale, seed, force, **options):
        state = demo_state()
        if state is not None and not force:
            self.stdout.write(describe(state))
            return
        size = SCALES[scale]
        total = size.payable_documents + size.receivable_documents
        # disable=None: a bar on a terminal, nothing in logs and tests.
        with tqdm(total=total, unit=" invoices", disable=None, leave=False) as bar:

            def progress(done: int, _total: int) -> None:
                bar.update(done - bar.n)

            try:
                counts = load(scale, seed, force, progress)
            except DemoRefused as refusal:
                raise CommandError(str(refusal)) from None
        write_summary(self.stdout, counts)
        write_logins(self.stdout)
