"""Cash application: place the credits of bank statements on the invoices they pay.

The pure engine (`receivables.matching.match`) proposes; this module gathers its inputs in
SQL, and carries out its proposals in the ledger through `ledger.services.allocate`, which
keeps `Invoice.amount_open` and the invoice's status right:

- confident (at or above the threshold): a Payment with its allocations, the line "applied"
  by the engine (auto_applied); an overpayment leaves the rest "held" on that payment;
- not confident: "review", with the candidates for an agent to confirm side by side;
- nothing to go on: "held" as unidentified cash, in the queue until someone places it;
- paid short with a certain reference: what came in is applied, and one deduction case per
  invoice asks the customer why (in bulk, opened by a task once the allocations are
  committed; the line says "Deduction case pending" until then);
- the same payment again (amount, account and reference of a line already placed on the
  invoice): "review", not applied a second time without an agent.

The lines of a chunk are settled together (`services.bulk`: a few statements for a thousand
lines, in one transaction, with the same outcome as `settle` line by line); what bulk hands
back (a proposal that no longer fits what is open, a deduction case nobody can own) is settled
line by line, each in its own savepoint, so one bad line does not undo a statement.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ledgerdesk.core import audit
from ledgerdesk.core.models import AuditEntry
from ledgerdesk.core.money import Money
from ledgerdesk.desk.services import DeskError
from ledgerdesk.ledger.models import Direction, Invoice, Payment, PaymentAllocation
from ledgerdesk.ledger.services import LedgerError, allocate
from ledgerdesk.parties.models import BankAccount, Party
from ledgerdesk.receivables import matching
from ledgerdesk.receivables.models import BankStatement, DeductionCase, StatementLine
from ledgerdesk.receivables.services.candidates import ITEM_FIELDS, Found, gather

# Lines matched together. The engine sees the open items of every payer in a chunk, and a
# large customer pays many times in a statement: a bigger chunk loads its items fewer times
# (bench/cash_apply_db.py, 50,000 lines against a million invoices: 1,000 lines a chunk
# 166 s of CPU, 5,000 lines 150 s, 10,000 lines 140 s). Writing is in smaller batches.
CHUNK = 10_000
# Lines written in one transaction by the bulk path: about a second of SQLite's write lock.
BULK_COMMIT = 1000
COMMIT_EVERY = 100
State = StatementLine.State
# What settling a confident proposal reads of its invoices (`_plan`, `place`, `allocate`).
_SETTLE_FIELDS = ["pk", "number", "party_id", "currency", "amount_open", "status", "kind"]


@dataclass
class ApplySummary:
    lines: int = 0
    applied: int = 0
    review: int = 0
    held: int = 0
    ignored: int = 0
    pending: int = 0  # left "new": the engine could not run
    cases: int = 0
    # CPU seconds by phase (search, load, engine, write), to see where the time goes.
    cpu: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    _since: float = field(default_factory=time.process_time, compare=False, repr=False)

    def clock(self, phase: str) -> None:
        now = time.process_time()
        self.cpu[phase] = self.cpu.get(phase, 0.0) + now - self._since
        self._since = now

    def count(self, state: str) -> None:
        name = {State.APPLIED: "applied", State.REVIEW: "review", State.HELD: "held"}.get(
            state, "ignored"
        )
        setattr(self, name, getattr(self, name) + 1)

    def line(self) -> str:
        text = (
            f"{self.lines} line(s): {self.applied} applied automatically, {self.review} to "
            f"review, {self.held} held, {self.ignored} ignored"
        )
        if self.cases:
            text += f", {self.cases} short-payment case(s) opened"
        if self.pending:
            text += f", {self.pending} not yet matched (the engine is not available)"
        return text


def engine_config() -> matching.Config:
    threshold = getattr(settings, "LEDGERDESK_CASH_AUTO_THRESHOLD", None)
    if threshold is None:
        return matching.Config()
    return matching.Config(auto_threshold=float(threshold))


@dataclass
class Placement:
    """One invoice an amount of a line goes to (from the engine or an agent)."""

    invoice: Invoice
    amount: Decimal
    deduction: Decimal = Decimal("0")
    deduction_reason: str = ""
    short: bool = False  # the customer paid short: apply what came in, ask why


def apply_cash(
    statement_ids: list[int] | None = None,
    line_ids: list[int] | None = None,
    tick: Callable[[int], None] | None = None,
    *,
    bulk: bool = True,
) -> ApplySummary:
    """Run the engine over the "new" credit lines (of some statements, or all of them).

    `bulk` off settles every line on its own (`settle`): the same outcome, some twenty queries
    a line instead of a few a chunk; kept to compare with and to find a fault in one line.
    """
    lines = StatementLine.objects.filter(state=State.NEW)
    if statement_ids is not None:
        lines = lines.filter(statement_id__in=statement_ids)
    if line_ids is not None:
        lines = lines.filter(pk__in=line_ids)
    ids = list(lines.order_by("pk").values_list("pk", flat=True))
    summary = ApplySummary()
    if not ids:
        return summary
    # Our own accounts: money moved between them is a transfer, not a customer paying.
    ours = set(BankStatement.objects.values_list("account", flat=True).distinct())
    config = engine_config()
    for start in range(0, len(ids), CHUNK):
        chunk = list(
            StatementLine.objects.filter(pk__in=ids[start : start + CHUNK], state=State.NEW)
        )
        _apply_chunk(chunk, ours, config, summary, bulk=bulk)
        if tick:
            tick(len(chunk))
    return summary


def _apply_chunk(lines, ours, config, summary: ApplySummary, *, bulk: bool = True) -> None:
    from ledgerdesk.receivables.services.bulk import settle_many  # built on this module

    by_currency: dict[str, list[StatementLine]] = defaultdict(list)
    for line in lines:
        summary.lines += 1
        if line.amount <= 0:
            _ignore(line, "money out" if line.amount < 0 else "zero amount", summary)
        elif line.counterparty_account and line.counterparty_account in ours:
            _ignore(line, f"our own transfer from {line.counterparty_account}", summary)
        else:
            by_currency[line.currency].append(line)
    clock = summary.clock
    clock("lines")  # reading the lines, ignoring debits and our own transfers
    for currency, group in by_currency.items():
        rows: dict[int, tuple] = {}
        found = gather(group, currency, rows)
        clock("search")
        # Every invoice the search fetched is a candidate of some line of the group.
        items = load_open_items(rows.keys(), rows)
        bank_lines = [to_bank_line(line) for line in group]
        clock("load")
        try:
            # All lines of the group share one pool: it knows each payer's real open count.
            sizes = next(iter(found.values())).pool.sizes if found else {}
            proposals = matching.match(bank_lines, list(items.values()), config, sizes)
        except NotImplementedError:
            summary.pending += len(group)
            continue
        finally:
            clock("engine")
        proposals = _hold_back_repeats(group, proposals, config)
        pairs = list(zip(group, proposals, strict=True))
        # The invoices the confident proposals name, in one query for the group.
        named = {
            a.item_key
            for p in proposals
            if p.confidence >= config.auto_threshold
            for a in p.allocations
        }
        # Only what settling reads (a short payment settled line by line loads the rest).
        invoices = Invoice.objects.only(*_SETTLE_FIELDS).in_bulk(sorted(named)) if named else {}
        # Most lines are settled together in a few statements; the rest (short payments,
        # which open a case, and anything that no longer fits) one by one below.
        if bulk:
            rest = []
            for start in range(0, len(pairs), BULK_COMMIT):
                batch = pairs[start : start + BULK_COMMIT]
                rest.extend(settle_many(batch, found, config, summary, invoices))
            pairs = rest
        for start in range(0, len(pairs), COMMIT_EVERY):
            # One commit per batch of lines, not per line: on SQLite every commit is a sync
            # to disk. Each line still has its own savepoint, so one line that fails is rolled
            # back alone and the batch goes on.
            with transaction.atomic():
                for line, proposal in pairs[start : start + COMMIT_EVERY]:
                    settle(line, proposal, found[line.pk], config, summary, invoices)
        clock("write")


def _payment_key(line: StatementLine) -> tuple:
    """What a payment made twice repeats: amount, payer's account and what the payer wrote."""
    return (
        line.amount,
        line.currency,
        line.counterparty_account,
        line.creditor_reference.strip(),
        (line.remittance or line.additional_info).strip(),
    )


def _hold_back_repeats(lines, proposals, config: matching.Config) -> list[matching.Proposal]:
    """Confident proposals that repeat a payment already placed on the same invoice (the same
    amount from the same account with the same reference: an earlier line, applied before or
    earlier in this run) go to an agent instead: a customer who pays twice is refunded or
    asked, not silently credited against what is left open."""
    confident = {
        line.pk: proposal
        for line, proposal in zip(lines, proposals, strict=True)
        if proposal.allocations and proposal.confidence >= config.auto_threshold
    }
    if not confident:
        return proposals
    invoice_ids = sorted({a.item_key for p in confident.values() for a in p.allocations})
    placed: dict[tuple, int] = {}  # (invoice, payment key) -> the line that placed it
    fields = ["amount", "currency", "counterparty_account", "creditor_reference"]
    fields += ["remittance", "additional_info"]
    for start in range(0, len(invoice_ids), 500):
        rows = StatementLine.objects.filter(
            payment__allocations__invoice_id__in=invoice_ids[start : start + 500]
        ).values_list("payment__allocations__invoice_id", "pk", *fields)
        for invoice_id, pk, amount, currency, account, reference, text, info in rows:
            key = (amount, currency, account, reference.strip(), (text or info).strip())
            placed.setdefault((invoice_id, key), pk)
    result = []
    for line, proposal in zip(lines, proposals, strict=True):
        if line.pk in confident:
            key = _payment_key(line)
            earlier = next(
                (
                    placed[a.item_key, key]
                    for a in proposal.allocations
                    if placed.get((a.item_key, key), line.pk) != line.pk
                ),
                None,
            )
            if earlier is None:
                for a in proposal.allocations:
                    placed.setdefault((a.item_key, key), line.pk)
            else:
                keys = tuple(a.item_key for a in proposal.allocations)
                proposal = matching.Proposal(
                    line_key=proposal.line_key,
                    allocations=(),
                    confidence=proposal.confidence,
                    reason=(
                        f"The same payment (amount, account and reference) was already "
                        f"applied from bank line {earlier}: paid twice? {proposal.reason}"
                    ).strip(),
                    unapplied=line.amount,
                    candidates=tuple(dict.fromkeys([*keys, *proposal.candidates])),
                    party_key=proposal.party_key,
                )
        result.append(proposal)
    return result


def _ignore(line: StatementLine, reason: str, summary: ApplySummary) -> None:
    with transaction.atomic():
        _set_state(line, State.IGNORED, reason=reason, unapplied=Decimal("0"))
    summary.count(State.IGNORED)


def to_bank_line(line: StatementLine) -> matching.BankLine:
    return matching.BankLine(
        key=line.pk,
        amount=line.amount,
        currency=line.currency,
        booking_date=line.booking_date,
        # MT940 files often carry what the payer wrote only in the bank's :86: text.
        remittance=line.remittance or line.additional_info,
        creditor_reference=line.creditor_reference,
        end_to_end_id=line.end_to_end_id,
        counterparty_name=line.counterparty_name,
        counterparty_account=line.counterparty_account,
    )


def load_open_items(keys, rows: dict | None = None) -> dict[int, matching.OpenItem]:
    """The engine's view of the given invoices. `rows`: the invoices' ITEM_FIELDS as the
    candidate search fetched them; the others are fetched here, 500 a query.

    A chunk of lines can name a hundred thousand invoices (the open items of every payer in
    it): rows come as tuples, not dicts, and each customer's name and accounts are shared.
    """
    rows = rows or {}
    missing = sorted(key for key in keys if key not in rows)
    fetched = {}
    for start in range(0, len(missing), 500):
        batch = missing[start : start + 500]
        for row in Invoice.objects.filter(pk__in=batch).order_by().values_list(*ITEM_FIELDS):
            fetched[row[0]] = row
    keys = sorted(key for key in keys if key in rows or key in fetched)  # not gone since
    parties = sorted({(rows.get(key) or fetched[key])[2] for key in keys})
    names: dict[int, str] = {}
    accounts: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(parties), 500):
        batch = parties[start : start + 500]
        names.update(Party.objects.filter(pk__in=batch).values_list("pk", "name"))
        for party_id, iban in BankAccount.objects.filter(party_id__in=batch).values_list(
            "party_id", "iban"
        ):
            accounts[party_id].append(iban)
    shared = {party: tuple(accounts[party]) for party in parties}
    zero = Decimal("0")
    items = {}
    for key in keys:
        row = rows.get(key) or fetched[key]
        pk, number, party, currency, amount_open, total, issued, due, ref, *rest = row
        discount, until = rest if rest else (zero, None)
        items[pk] = matching.OpenItem(
            key=pk,
            number=number,
            party_key=party,
            party_name=names[party],
            currency=currency,
            amount_open=amount_open,
            amount_total=total,
            issue_date=issued,
            due_date=due,
            payment_reference=ref,
            party_accounts=shared[party],
            discount_amount=discount or zero,
            discount_until=until,
        )
    return items


def _candidate_list(proposal: matching.Proposal, found: Found) -> list[int]:
    ordered = [a.item_key for a in proposal.allocations]
    ordered.extend(proposal.candidates)
    # Then what SQL found, the invoices with the most reasons first.
    ordered.extend(found.best(20 + len(ordered)))
    return list(dict.fromkeys(ordered))[:20]


def candidate_reasons(candidates: list[int], found: Found) -> dict[str, list[str]]:
    return {str(pk): found.reasons(pk) or ["proposed by the matching engine"] for pk in candidates}


def settle(
    line: StatementLine,
    proposal: matching.Proposal,
    found: Found,
    config: matching.Config,
    summary: ApplySummary,
    invoices: dict[int, Invoice] | None = None,
) -> None:
    """Carry out the engine's proposal for one line (`invoices`: those it names, if loaded)."""
    candidates = _candidate_list(proposal, found)
    why = candidate_reasons(candidates, found)
    confident = proposal.allocations and proposal.confidence >= config.auto_threshold
    if confident:
        keys = [a.item_key for a in proposal.allocations]
        if invoices is None or any(key not in invoices for key in keys):
            invoices = Invoice.objects.select_related("party").in_bulk(keys)
        placements = _placements(proposal, invoices)
        try:
            result = place(  # in its own savepoint: a failure undoes this line only
                line,
                placements,
                auto=True,
                confidence=proposal.confidence,
                reason=proposal.reason,
                candidates=candidates,
                why=why,
            )
        except (LedgerError, PlacementError, DeskError) as exc:
            # DeskError: a short payment's deduction case could not be opened (no one in the
            # AR team to own it); the cash waits for an agent rather than stopping the run.
            line.refresh_from_db()
            if line.state != State.NEW:
                return  # another run applied it meanwhile: nothing to do twice
            reason = f"Could not apply automatically ({exc}); {proposal.reason}"
            with transaction.atomic():
                _set_state(
                    line,
                    State.REVIEW,
                    reason=reason,
                    confidence=proposal.confidence,
                    candidates=candidates,
                    why=why,
                )
            summary.count(State.REVIEW)
            return
        summary.count(line.state)
        summary.cases += result
        return
    if candidates:
        state = State.REVIEW
        reason = proposal.reason or "Candidates found, none certain enough to apply alone."
    else:
        state = State.HELD
        reason = (
            "Unidentified: no open invoice matches the payer or the remittance. "
            + (proposal.reason or "")
        ).strip()
    with transaction.atomic():
        _set_state(
            line,
            state,
            reason=reason,
            confidence=proposal.confidence,
            candidates=candidates,
            why=why,
            unapplied=line.amount,
        )
    summary.count(state)


def _placements(proposal: matching.Proposal, invoices: dict[int, Invoice]) -> list[Placement]:
    """The engine's allocations as placements on the loaded invoices (a short payment keeps no
    deduction: what came in is applied and the customer is asked about the rest)."""
    return [
        Placement(
            invoice=invoices[a.item_key],
            amount=a.amount,
            deduction=Decimal("0") if _is_short(a) else a.deduction,
            deduction_reason="" if _is_short(a) else a.deduction_reason,
            short=_is_short(a),
        )
        for a in proposal.allocations
        if a.item_key in invoices
    ]


def payment_reference(line: StatementLine) -> str:
    """What the ledger's payment is known by: the payer's end-to-end id, else the bank's."""
    return (line.end_to_end_id or line.bank_reference or line.creditor_reference)[:140]


def _is_short(allocation: matching.Allocation) -> bool:
    return bool(allocation.deduction) and "short" in allocation.deduction_reason.lower()


class PlacementError(ValueError):
    """An agent's allocation that cannot be made; the message names the field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@transaction.atomic
def place(
    line: StatementLine,
    placements: list[Placement],
    *,
    auto: bool,
    user=None,
    confidence: float | None = None,
    reason: str = "",
    candidates: list[int] | None = None,
    why: dict | None = None,
) -> int:
    """Apply `placements` of the line's open cash; returns how many deduction cases opened.

    Creates the line's Payment (or adds to the one an overpayment left held), allocates
    through the ledger, and leaves the line "applied", or "held" with what is left.
    """
    # Lock the line: an agent confirming while the engine (or a second agent, or a second
    # run of the task) applies the same line must not place its cash twice.
    given = line
    line = StatementLine.objects.select_for_update().get(pk=given.pk)
    if auto and line.state != State.NEW:
        raise PlacementError("state", "another run of cash application has worked this line")
    if line.state in (State.APPLIED, State.IGNORED):
        raise PlacementError("state", f"this line is already {line.get_state_display().lower()}")
    open_cash = line.unapplied_amount
    total = sum((p.amount for p in placements), Decimal("0"))
    if not placements or total <= 0:
        raise PlacementError("amount", "allocate an amount to at least one invoice")
    if total > open_cash:
        raise PlacementError(
            "amount", f"{total} allocated is more than the {open_cash} {line.currency} to place"
        )
    parties = {p.invoice.party_id for p in placements}
    if len(parties) > 1:
        raise PlacementError("invoices", "choose invoices of one customer for one payment")
    payment = line.payment
    if payment is None:
        payment = Payment.objects.create(
            direction=Direction.RECEIVABLE,
            party_id=parties.pop(),
            date=line.value_date or line.booking_date,
            amount=line.amount,
            currency=line.currency,
            reference=payment_reference(line),
        )
    elif payment.party_id not in parties:
        raise PlacementError("invoices", f"this cash is already on a payment of {payment.party}")
    cases = 0
    left = open_cash - total
    for p in placements:
        allocation = allocate(payment, p.invoice, p.amount, p.deduction, p.deduction_reason)
        invoice = allocation.invoice
        # Short only when all the cash went to invoices: with cash left over, the rest of the
        # invoice may yet be paid from it.
        if p.short and not left and invoice.amount_open > 0:
            p.invoice.amount_open = invoice.amount_open
            if open_deduction_case(p.invoice, line, invoice.amount_open, p.amount):
                cases += 1
    now = timezone.now()
    numbers = ", ".join(p.invoice.number for p in placements)
    if left > 0:
        state = State.HELD
        note = f"Overpayment: {left} {line.currency} left after applying to {numbers}."
    else:
        state = State.APPLIED
        note = f"Applied to {numbers}."
    _set_state(
        line,
        state,
        reason=(f"{reason} {note}" if reason else note).strip()[:500],
        unapplied=left,
        confidence=confidence if confidence is not None else line.confidence,
        candidates=candidates if candidates is not None else line.candidates,
        why=why,
        payment=payment,
        auto=auto,
        user=user,
        at=now,
    )
    given.state, given.unapplied_amount = line.state, line.unapplied_amount
    given.payment_id = line.payment_id
    return cases


def _set_state(
    line: StatementLine,
    state: str,
    *,
    reason: str,
    confidence: float | None = None,
    candidates: list[int] | None = None,
    why: dict | None = None,
    unapplied: Decimal | None = None,
    payment: Payment | None = None,
    auto: bool = False,
    user=None,
    at=None,
) -> None:
    before = {"state": line.state, "unapplied_amount": str(line.unapplied_amount)}
    line.state = state
    line.reason = reason[:500]
    if confidence is not None:
        line.confidence = confidence
    if candidates is not None:
        line.candidates = list(candidates)
    if why is not None:
        line.candidate_reasons = why
    if unapplied is not None:
        line.unapplied_amount = unapplied
    if payment is not None:
        line.payment = payment
    if state == State.APPLIED or payment is not None:
        line.auto_applied = auto
        line.applied_at = at or timezone.now()
        line.applied_by = user
    line.save()
    audit.record(
        AuditEntry.Action.UPDATE,
        line,
        before,
        {"state": state, "unapplied_amount": str(line.unapplied_amount)},
        line.reason[:300],
    )


# The start of the reason of a line applied in bulk whose deduction case is still to be
# opened (by `tasks.open_deduction_cases`, after the commit); taken off when it is open.
CASE_PENDING = "Deduction case pending for "


def pending_reason(reason: str, numbers: list[str]) -> str:
    return f"{CASE_PENDING}{', '.join(numbers)}. {reason}"[:500]


def _without_pending(reason: str) -> str:
    if not reason.startswith(CASE_PENDING):
        return reason
    return reason.split(". ", 1)[1] if ". " in reason else ""


def can_open_cases() -> bool:
    """Whether a deduction case opened now would have an owner (`open_deduction_case` opens
    none without an AR team, and `desk.open_case` refuses a team nobody can own a case of)."""
    from ledgerdesk.desk.models import Team

    team = Team.objects.filter(direction=Direction.RECEIVABLE).order_by("pk").first()
    if team is None:
        return True  # nothing to open, nothing to fail: as `open_deduction_case`
    return team.lead_id is not None or team.members.filter(is_active=True).exists()


def open_deduction_cases(shorts) -> int:
    """Open the deduction cases of short payments applied in bulk; how many were opened.

    `shorts`: (invoice id, line id, amount still open, amount paid) for each. Idempotent: an
    invoice that already has its case gets no second one (a retry, the hourly sweep), and the
    line's "pending" note is taken off either way. Each case in its own transaction: one that
    cannot be opened leaves its line pending and the others go on; the first error is raised
    at the end, so that the task is retried.
    """
    opened = 0
    failed: Exception | None = None
    for invoice_id, line_id, short, paid in shorts:
        try:
            with transaction.atomic():
                invoice = (
                    Invoice.objects.select_for_update().select_related("party").get(pk=invoice_id)
                )
                line = StatementLine.objects.select_for_update().get(pk=line_id)
                if open_deduction_case(invoice, line, Decimal(short), Decimal(paid)):
                    opened += 1
                _clear_pending(line)
        except (Invoice.DoesNotExist, StatementLine.DoesNotExist):
            continue  # nothing left to ask about
        except DeskError as exc:
            failed = failed or exc
    if failed is not None:
        raise failed
    return opened


def _clear_pending(line: StatementLine) -> None:
    if line.reason.startswith(CASE_PENDING):
        StatementLine.objects.filter(pk=line.pk).update(reason=_without_pending(line.reason))


def pending_deduction_cases(days: int = 30) -> list[tuple[int, int, str, str]]:
    """Short payments applied in bulk (in the last `days`) whose case is still to be opened:
    a task that was lost or failed. What is open now is what the customer is asked about."""
    since = timezone.now() - dt.timedelta(days=days)
    lines = list(
        StatementLine.objects.filter(
            state__in=[State.APPLIED, State.HELD],
            auto_applied=True,
            applied_at__gte=since,
            reason__startswith=CASE_PENDING,
        ).values_list("pk", "payment_id", "reason")
    )
    allocations: dict[int, list[tuple]] = defaultdict(list)  # payment -> what it paid short
    payments = sorted({payment_id for _, payment_id, _ in lines if payment_id})
    for start in range(0, len(payments), 500):
        rows = PaymentAllocation.objects.filter(
            payment_id__in=payments[start : start + 500], invoice__amount_open__gt=0
        ).values_list(
            "payment_id", "invoice_id", "invoice__number", "invoice__amount_open", "amount"
        )
        for payment_id, *rest in rows:
            allocations[payment_id].append(rest)
    shorts = []
    for line_id, payment_id, reason in lines:
        numbers = reason[len(CASE_PENDING) :].split(". ", 1)[0].split(", ")
        found = [row for row in allocations[payment_id] if row[1] in numbers]
        for invoice_id, _, open_now, paid in found:
            shorts.append((invoice_id, line_id, str(open_now), str(paid)))
        if not found:  # nothing left open to ask about
            StatementLine.objects.filter(pk=line_id).update(reason=_without_pending(reason))
    return shorts


def open_deduction_case(invoice: Invoice, line: StatementLine, short: Decimal, paid: Decimal):
    """Open the one deduction case for an invoice paid short, asking the customer why.

    Returns the new case, or None when the invoice already has one (or there is no AR team).
    """
    from ledgerdesk.desk import services as desk
    from ledgerdesk.desk.models import Case, Team
    from ledgerdesk.mail import outbound

    if DeductionCase.objects.filter(invoice_id=invoice.pk).exists():
        return None
    team = Team.objects.filter(direction=Direction.RECEIVABLE).order_by("pk").first()
    if team is None:
        return None
    party = invoice.party
    contact = party.contacts.exclude(email="").order_by("-is_primary", "name").first()
    currency = invoice.currency
    paid_words = Money(paid, currency).format()
    short_words = Money(short, currency).format()
    total_words = Money(invoice.total_amount, currency).format()
    question = (
        f"Dear {contact.name if contact else 'customer'},\n\n"
        f"Thank you for your payment of {paid_words} for invoice {invoice.number}, which "
        f"reached us on {line.booking_date:%-d %B %Y}. The invoice was for {total_words}, so "
        f"{short_words} is still open.\n\n"
        "Could you let us know why the amount was lower? If you deducted something on purpose "
        "(a credit note you expect, a discount, goods not received), simply reply to this "
        "e-mail and we will put it right. If it was an oversight, you can pay the difference "
        "with the invoice number as reference.\n\n"
        f"Kind regards,\n{team.name}"
    )
    case = desk.open_case(
        team=team,
        subject=f"Short payment on invoice {invoice.number}: {short_words} open",
        text=question,
        channel=Case.Channel.PROACTIVE,
        category=Case.Category.SHORT_PAYMENT,
        party=party,
        contact=contact,
        invoices=[invoice],
    )
    DeductionCase.objects.create(invoice=invoice, case=case, line=line, short_amount=short)
    desk.add_note(
        case,
        f"Opened by cash application from bank line {line.pk} (statement "
        f"{line.statement_id}): paid {paid_words}, short {short_words}.",
    )
    if contact is not None:
        outbound.send(case, question)
    else:
        desk.add_note(case, "No e-mail address on file for the customer: ask them by phone.")
    return case
