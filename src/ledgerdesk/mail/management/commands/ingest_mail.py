"""`ledgerdesk ingest-mail PATH...`: messages from files become cases, as if they were mailed."""

import mailbox
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ledgerdesk.core.progress import bar
from ledgerdesk.mail.inbound import IngestResult, ingest
from ledgerdesk.mail.models import ProcessedMail
from ledgerdesk.mail.sources import read_messages

Outcome = ProcessedMail.Outcome
# The summary's words and order.
SUMMARY = [
    (Outcome.NEW_CASE, "new case", "new cases"),
    (Outcome.THREADED, "threaded", "threaded"),
    (Outcome.IGNORED, "ignored", "ignored"),
    (Outcome.QUARANTINED, "quarantined", "quarantined"),
    ("duplicate", "duplicate", "duplicates"),
]
UNREADABLE = (ValueError, OSError, mailbox.Error)


def describe(result: IngestResult) -> str:
    """What became of one message, in the words of the command's output."""
    reference = result.case.reference if result.case else ""
    if result.outcome == Outcome.NEW_CASE:
        return f"new case {reference}"
    if result.outcome == Outcome.THREADED:
        return f"threaded to {reference}"
    if result.outcome == Outcome.IGNORED:
        return f"ignored: {result.reason}" + (f" (noted on {reference})" if reference else "")
    if result.outcome == Outcome.QUARANTINED:
        return f"quarantined: {result.reason}"
    return "duplicate" + (f" of a message on {reference}" if reference else "")


class Command(BaseCommand):
    help = (
        "Ingest e-mail from .eml files, mbox files, maildirs or folders of .eml files: each "
        "message opens a case, continues one, or is ignored or quarantined with the reason. "
        "Ingesting the same message again stores nothing new. -v 0 prints the summary only."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    def handle(self, paths, verbosity, **options):
        # Count first, so the progress bar knows its length and a path that cannot be read
        # is reported before any of its messages is stored. Only bytes are read twice;
        # placing a message on a case costs far more.
        counts: dict[Path, int] = {}
        unreadable: list[str] = []
        for path in paths:
            try:
                counts[path] = sum(1 for _ in read_messages(path))
            except UNREADABLE as exc:
                unreadable.append(self._unreadable(path, exc))

        progress = bar(sum(counts.values()), "ingest-mail", self.stderr._out, unit="msg")
        say = self.stdout.write
        if progress is not None:  # lines printed above the bar instead of through it
            say = lambda text: progress.write(text, file=self.stdout._out)  # noqa: E731
        tally: Counter = Counter()
        for path in counts:
            seen = 0
            try:
                for message in read_messages(path):
                    seen += 1
                    result = ingest(message.raw, f"file:{message.origin}")
                    tally[result.outcome] += 1
                    if verbosity >= 1:
                        say(f"{message.origin}: {describe(result)}")
                    if progress is not None:
                        progress.update()
            except UNREADABLE as exc:  # changed while we read it
                unreadable.append(self._unreadable(path, exc, after=seen))
        if progress is not None:
            progress.close()

        total = sum(tally.values())
        parts = [
            f"{tally[key]} {singular if tally[key] == 1 else plural}"
            for key, singular, plural in SUMMARY
        ]
        line = f"Summary: {total} message{'' if total == 1 else 's'}: {', '.join(parts)}"
        if unreadable:
            self.stdout.write(self.style.WARNING(f"{line}; {len(unreadable)} unreadable path(s)"))
            raise CommandError("could not read " + "; ".join(unreadable))
        self.stdout.write(self.style.SUCCESS(line))

    def _unreadable(self, path: Path, exc: Exception, after: int = 0) -> str:
        reason = str(exc) if str(path) in str(exc) else f"{path}: {exc}"
        if after:
            reason += f" (after {after} message(s), which were ingested)"
        self.stderr.write(self.style.ERROR(f"UNREADABLE {reason}"))
        return reason
