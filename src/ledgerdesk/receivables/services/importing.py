"""Store parsed bank statements, idempotently.

A file is parsed whole by a pure parser first (`receivables.formats.parse`), so a bad file is
rejected before anything is written; then each file is written in one transaction.

Two keys keep a statement from being posted twice:

- every entry gets a fingerprint from what the bank says about the money itself (our account,
  booking date, amount, currency, the bank's reference or else the end-to-end id, and its
  occurrence number among entries with the same key), not from the file format or the
  statement id, so the same statement sent again, or sent once as camt.053 and once as MT940
  or CSV, finds its entries already here;
- the statement gets a fingerprint from its account, balances and entry fingerprints, so a
  statement re-sent whole is recognised and reported as "already imported".

An entry already here is skipped and counted in the outcome, never dropped silently.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from ledgerdesk.core import audit
from ledgerdesk.core.models import AuditEntry, ImportRun
from ledgerdesk.core.money import is_currency
from ledgerdesk.receivables.models import BankStatement, StatementLine
from ledgerdesk.receivables.statement import Entry, Statement, StatementError

CHUNK = 1000
# Values a payer's bank writes when there is no end-to-end id: they identify nothing.
_NO_ID = {"", "NOTPROVIDED", "NONREF", "NONE", "N/A", "NA"}
ProgressCallback = Callable[[int], None]


@dataclass
class FileOutcome:
    source: str
    file_format: str = ""
    statements: int = 0  # new statements stored
    already: int = 0  # statements already imported
    lines: int = 0  # new lines stored
    credits: int = 0  # of which money in, for cash application
    skipped_lines: int = 0  # entries already imported with another statement
    error: str = ""
    statement_ids: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return bool(self.error)

    @property
    def already_imported(self) -> bool:
        return not self.error and not self.statements and not self.lines


def normalize_account(value: str) -> str:
    return "".join(value.split()).upper()


def _amount_key(amount: Decimal) -> str:
    return f"{amount.normalize():f}" if amount else "0"


def entry_fingerprints(statement: Statement) -> list[str]:
    """One fingerprint per entry, stable across the formats a bank sends the statement in."""
    account = normalize_account(statement.account)
    seen: Counter[str] = Counter()
    result = []
    for entry in statement.entries:
        # The bank's own reference first: every format of one bank carries it (cut to the
        # 16 characters MT940 has room for); the payer's end-to-end id when there is none.
        reference = entry.bank_reference.strip().upper()[:16]
        if reference in _NO_ID:
            reference = entry.end_to_end_id.strip().upper()
            if reference in _NO_ID:
                reference = ""
        base = "|".join(
            (
                account,
                entry.booking_date.isoformat(),
                _amount_key(entry.amount),
                entry.currency.upper(),
                reference,
            )
        )
        seen[base] += 1
        # Two entries with the same key in one statement (two equal payments on one day
        # without references) stay two entries: the occurrence number tells them apart.
        result.append(hashlib.sha256(f"{base}#{seen[base]}".encode()).hexdigest())
    return result


def statement_fingerprint(statement: Statement, entries: list[str]) -> str:
    def balance(b) -> str:
        if b is None:
            return ""
        return f"{_amount_key(b.amount)}@{b.date.isoformat() if b.date else ''}"

    parts = [
        normalize_account(statement.account),
        statement.currency.upper(),
        balance(statement.opening),
        balance(statement.closing),
        *sorted(entries),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


_LIMITS = {
    "bank_reference": 140,
    "end_to_end_id": 140,
    "creditor_reference": 140,
    "counterparty_name": 200,
    "counterparty_account": 40,
    "transaction_code": 40,
}
_TOO_LARGE = Decimal("1e16")


def check_storable(statement: Statement) -> None:
    """Refuse what the database would truncate or cannot hold, naming the entry and field."""
    where = f"statement {statement.statement_id[:40]}"
    if not statement.account.strip():
        raise StatementError(f"{where}: the account is empty")
    if len(normalize_account(statement.account)) > 40:
        raise StatementError(f"{where}: the account is longer than 40 characters")
    if len(statement.statement_id) > 140:
        raise StatementError(f"{where}: the statement id is longer than 140 characters")
    if not is_currency(statement.currency):
        raise StatementError(f"{where}: currency {statement.currency!r} is not an ISO 4217 code")
    for entry in statement.entries:
        place = f"{where}, entry {entry.position}" + (f" ({entry.source})" if entry.source else "")
        if not is_currency(entry.currency):
            raise StatementError(f"{place}: currency {entry.currency!r} is not an ISO 4217 code")
        if abs(entry.amount) >= _TOO_LARGE:
            raise StatementError(f"{place}: amount {entry.amount} is too large")
        for name, limit in _LIMITS.items():
            if len(getattr(entry, name)) > limit:
                raise StatementError(f"{place}: {name} is longer than {limit} characters")


def import_files(
    paths: Iterable[Path | str],
    progress: Callable[[str, int], ProgressCallback | None] | None = None,
    *,
    check_balances: bool = True,
) -> list[FileOutcome]:
    outcomes = []
    for path in paths:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            outcome = FileOutcome(source=str(path), error=f"cannot read the file: {exc.strerror}")
            _log_run(outcome, "")
        else:
            outcome = import_bytes(data, str(path), progress, check_balances=check_balances)
        outcomes.append(outcome)
    return outcomes


def import_bytes(
    data: bytes,
    source: str,
    progress: Callable[[str, int], ProgressCallback | None] | None = None,
    *,
    check_balances: bool = True,
) -> FileOutcome:
    """Parse and store one file. Nothing of it is written unless the whole file is good.

    A statement whose opening balance plus its entries is not its closing balance is refused,
    unless `check_balances` is off (a person decided to take the file as it is; the outcome
    says so).
    """
    from ledgerdesk.receivables.formats import parse

    sha = hashlib.sha256(data).hexdigest()
    name = Path(source).name
    outcome = FileOutcome(source=source)
    try:
        statements = parse(data, name, check_balances=check_balances)
        if not check_balances:
            outcome.notes.append("balances not checked: imported although they may not reconcile")
        if not statements:
            raise StatementError(f"{name}: the file holds no statement")
        for statement in statements:
            check_storable(statement)
    except StatementError as exc:
        outcome.error = str(exc)
        _log_run(outcome, sha)
        return outcome
    outcome.file_format = statements[0].format
    total = sum(len(s.entries) for s in statements)
    tick = progress(source, total) if progress else None
    store_statements(statements, name, sha, outcome, tick)
    return outcome


def store_statements(
    statements: list[Statement],
    source_name: str,
    sha: str = "",
    outcome: FileOutcome | None = None,
    tick: ProgressCallback | None = None,
) -> FileOutcome:
    """Write parsed statements in one transaction and log the run."""
    outcome = outcome or FileOutcome(source=source_name)
    if statements and not outcome.file_format:
        outcome.file_format = statements[0].format
    try:
        with transaction.atomic():
            run = _log_run(outcome, sha)  # filled in below, once the counts are known
            writer = _Writer(outcome, source_name, sha, run, tick)
            for statement in statements:
                writer.write(statement)
            _finish_run(run, outcome)
    except IntegrityError:
        # Another import of the same statement committed between our check and our insert
        # (the unique keys on statement and entry closed the race): this run posts nothing.
        outcome.statements = outcome.lines = outcome.credits = 0
        outcome.statement_ids.clear()
        outcome.notes.clear()
        outcome.error = (
            f"{Path(source_name).name}: the same statement was being imported at the same "
            "time by another run; nothing posted by this one"
        )
        _log_run(outcome, sha)
    return outcome


class _Writer:
    def __init__(self, outcome: FileOutcome, source_name: str, sha: str, run, tick):
        self.outcome = outcome
        self.source_name = source_name[:255]
        self.sha = sha
        self.run = run
        self.tick = tick
        self.now = timezone.now()

    def write(self, statement: Statement) -> None:
        account = normalize_account(statement.account)
        fingerprints = entry_fingerprints(statement)
        fingerprint = statement_fingerprint(statement, fingerprints)
        label = f"statement {statement.statement_id} of {account}"
        known: set[str] = set()
        for start in range(0, len(fingerprints), CHUNK):
            known.update(
                StatementLine.objects.filter(
                    account=account, fingerprint__in=fingerprints[start : start + CHUNK]
                ).values_list("fingerprint", flat=True)
            )
        # Already here: the same statement (same content, whatever the format), or one whose
        # every entry came with statements imported before (a CSV export of a camt.053 day).
        whole = BankStatement.objects.filter(account=account, fingerprint=fingerprint).exists()
        if whole or (fingerprints and known.issuperset(fingerprints)):
            self.outcome.already += 1
            self.outcome.skipped_lines += len(fingerprints)
            self.outcome.notes.append(f"{label}: already imported, nothing posted")
            if self.tick:
                self.tick(len(fingerprints))
            return
        stored = BankStatement.objects.create(
            account=account,
            statement_id=statement.statement_id,
            format=statement.format,
            currency=statement.currency,
            opening_balance=statement.opening.amount if statement.opening else None,
            opening_date=statement.opening.date if statement.opening else None,
            closing_balance=statement.closing.amount if statement.closing else None,
            closing_date=statement.closing.date if statement.closing else None,
            date_from=statement.date_from,
            date_to=statement.date_to,
            source_name=self.source_name,
            fingerprint=fingerprint,
            file_sha256=self.sha,
            import_run=self.run,
            imported_at=self.now,
        )
        pairs = list(zip(statement.entries, fingerprints, strict=True))
        added = credits = skipped = pending = 0
        for start in range(0, len(pairs), CHUNK):
            chunk = pairs[start : start + CHUNK]
            rows = []
            for entry, fp in chunk:
                if not getattr(entry, "booked", True):
                    pending += 1
                elif fp in known:
                    skipped += 1
                else:
                    rows.append(self._line(stored, entry, fp))
            StatementLine.objects.bulk_create(rows, batch_size=CHUNK)
            added += len(rows)
            credits += sum(1 for row in rows if row.amount > 0)
            if self.tick:
                self.tick(len(chunk))
        stored.line_count = added
        stored.credit_count = credits
        stored.save(update_fields=["line_count", "credit_count"])
        self.outcome.statements += 1
        self.outcome.lines += added
        self.outcome.credits += credits
        self.outcome.skipped_lines += skipped
        self.outcome.statement_ids.append(stored.pk)
        if pending:
            self.outcome.notes.append(
                f"{label}: {pending} pending entr{'y' if pending == 1 else 'ies'} (not yet booked) "
                "not posted: the bank reports them booked in a later statement"
            )
        if skipped:
            self.outcome.notes.append(
                f"{label}: {skipped} entr{'y' if skipped == 1 else 'ies'} already imported "
                "with another statement, not posted again"
            )
        audit.record(
            AuditEntry.Action.IMPORT,
            stored,
            {},
            {"lines": added, "credits": credits, "skipped": skipped},
            f"from {self.source_name}",
        )

    def _line(self, stored: BankStatement, entry: Entry, fingerprint: str) -> StatementLine:
        line = StatementLine(
            statement=stored,
            position=entry.position,
            fingerprint=fingerprint,
            account=stored.account,
            booking_date=entry.booking_date,
            value_date=entry.value_date,
            amount=entry.amount,
            currency=entry.currency.upper(),
            bank_reference=entry.bank_reference,
            end_to_end_id=entry.end_to_end_id,
            creditor_reference=entry.creditor_reference,
            remittance=entry.remittance,
            additional_info=getattr(entry, "additional_info", ""),
            customer_reference=getattr(entry, "customer_reference", "")[:140],
            counterparty_name=entry.counterparty_name,
            counterparty_account=normalize_account(entry.counterparty_account),
            transaction_code=entry.transaction_code,
        )
        if entry.amount > 0:
            line.unapplied_amount = entry.amount
        else:
            # Money out (and a zero entry) is kept and shown, but is not cash to apply.
            line.state = StatementLine.State.IGNORED
            line.reason = "money out" if entry.amount < 0 else "zero amount"
        return line


def _log_run(outcome: FileOutcome, sha: str) -> ImportRun:
    _, label = audit.current_actor()
    run = ImportRun(
        kind="statements",
        source_name=Path(outcome.source).name[:255],
        file_sha256=sha,
        file_format=outcome.file_format[:8],
        actor_label=label[:150],
    )
    _fill_run(run, outcome)
    run.save()
    return run


def _finish_run(run: ImportRun, outcome: FileOutcome) -> None:
    _fill_run(run, outcome)
    run.save()


def _fill_run(run: ImportRun, outcome: FileOutcome) -> None:
    if outcome.rejected:
        run.outcome = ImportRun.Outcome.REJECTED
    elif outcome.lines or outcome.statements:
        run.outcome = ImportRun.Outcome.IMPORTED
    else:
        run.outcome = ImportRun.Outcome.NOTHING_NEW
    run.added = outcome.lines
    run.skipped = outcome.skipped_lines
    run.message = outcome.error or "\n".join(outcome.notes[:200])
