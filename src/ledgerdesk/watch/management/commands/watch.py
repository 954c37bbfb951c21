"""`ledgerdesk watch`: run the proactive checks once and say what they found and opened."""

from django.core.management.base import BaseCommand, CommandError

from ledgerdesk.core.progress import bar
from ledgerdesk.watch import checks, services


class Command(BaseCommand):
    help = (
        "Run every enabled check of the watch once (or one with --check): each new finding "
        "opens a proactive case on the AP team; findings seen before open nothing new; "
        "findings no longer seen are resolved. --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="append",
            dest="names",
            metavar="NAME",
            help=f"Run only this check (may repeat): {', '.join(checks.REGISTRY)}.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count findings; write nothing, mail nobody."
        )

    def handle(self, names, dry_run, verbosity, **options):
        for name in names or ():
            if name not in checks.REGISTRY:
                raise CommandError(
                    f"--check: {name!r} is not a check (they are: {', '.join(checks.REGISTRY)})"
                )
        bars = []

        def progress(name, total):
            shown = bar(total, name, self.stderr._out, unit="case") if verbosity else None
            if shown is None:
                return None
            bars.append(shown)
            return shown.update

        try:
            outcomes = services.run(names, dry_run=dry_run, progress=progress)
        except services.WatchError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            for shown in bars:
                shown.close()
        self._summary(outcomes, dry_run)
        failed = [o.check for o in outcomes if o.skipped.startswith("error")]
        if failed:
            raise CommandError(f"{len(failed)} check(s) failed: {', '.join(failed)}")

    def _summary(self, outcomes, dry_run):
        opened = "would open" if dry_run else "cases opened"
        width = max(len(o.check) for o in outcomes) if outcomes else 5
        self.stdout.write(
            f"{'check':<{width}}  {'found':>6}  {'new':>5}  {opened:>12}  "
            f"{'vendors told':>12}  {'resolved':>8}  {'seconds':>7}"
        )
        for o in outcomes:
            if o.skipped:
                self.stdout.write(f"{o.check:<{width}}  {o.skipped}")
                continue
            cases = o.new if dry_run else o.cases_opened
            self.stdout.write(
                f"{o.check:<{width}}  {o.found:>6}  {o.new:>5}  {cases:>12}  "
                f"{o.vendors_told:>12}  {o.resolved:>8}  {o.seconds:>7.2f}"
            )
        ran = [o for o in outcomes if not o.skipped]
        total_cases = sum(o.new if dry_run else o.cases_opened for o in ran)
        verb = "would open" if dry_run else "opened"
        self.stdout.write(
            f"{len(ran)} check(s) run: {sum(o.found for o in ran)} finding(s), "
            f"{verb} {total_cases} case(s), resolved {sum(o.resolved for o in ran)}."
            + (
                f" {sum(o.deferred for o in ran)} more wait for the next runs (at most "
                "max_new_cases new cases per check and run)."
                if any(o.deferred for o in ran)
                else ""
            )
            + (" Dry run: nothing was written." if dry_run else "")
        )
