"""Cash application in bulk: a chunk of lines settled in a handful of statements.

`application.settle` carries out one proposal at a time (`place` → `ledger.services.allocate`):
some twenty queries a line, twelve minutes for a 50,000-line statement. Here the same outcome
is reached for a whole chunk in one transaction:

- confident proposals: the payments, their allocations, the invoices' open amounts, paid
  statuses with their history and the audit entries through `ledger.services.allocate_many`,
  which locks the invoices and re-checks every allocation against what is open now;
- proposals for an agent ("review") and unidentified cash ("held"): the lines' new state;
- every line: its new fields in one statement run for all of them (`save_fields`) and the
  audit entries `_set_state` would write.

A short payment is applied in bulk too; its deduction case (which asks the customer why, a
case, its events and a mail: some fifteen milliseconds each) is opened after the commit by a
task (`tasks.open_deduction_cases`), with the ids. Until it is open the line's reason starts
"Deduction case pending for …", so nothing is lost if the task fails: the hourly task opens
what is still pending, and an invoice never gets a second case. What bulk does not do is
handed back for the per-line path, which behaves as before: a proposal naming an invoice that
is gone, a line that already carries a payment, a proposal that no longer fits (the per-line
path then sends it to review, naming why), and a short payment when no one could own its case.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.utils import timezone

from ledgerdesk.core import audit
from ledgerdesk.core.models import AuditEntry
from ledgerdesk.ledger.models import Direction, Invoice, Payment, PaymentAllocation
from ledgerdesk.ledger.services import PaymentPlan, allocate_many, save_fields
from ledgerdesk.receivables import matching
from ledgerdesk.receivables.models import DeductionCase, StatementLine
from ledgerdesk.receivables.services.application import (
    ApplySummary,
    _candidate_list,
    _placements,
    can_open_cases,
    candidate_reasons,
    payment_reference,
    pending_reason,
)
from ledgerdesk.receivables.services.candidates import Found

State = StatementLine.State
_BATCH = 500
_FIELDS = [
    "state",
    "reason",
    "confidence",
    "candidates",
    "candidate_reasons",
    "unapplied_amount",
    "payment",
    "auto_applied",
    "applied_at",
    "applied_by",
]

Pair = tuple[StatementLine, matching.Proposal]


def settle_many(
    pairs: list[Pair],
    found: dict[int, Found],
    config: matching.Config,
    summary: ApplySummary,
    invoices: dict[int, Invoice],
) -> list[Pair]:
    """Settle what can be settled in bulk, in one transaction; return the rest, in order.

    `invoices`: the invoices the confident proposals name, loaded once for the chunk.
    """
    if not pairs:
        return []
    return _settle(pairs, found, config, summary, invoices)


def _settle(pairs, found, config, summary: ApplySummary, invoices) -> list[Pair]:
    cases_ok: bool | None = None  # asked once, when the first short payment comes
    with transaction.atomic():
        # Lock the lines: a second run of cash application (the hourly task beside an import)
        # or an agent confirming one of them must not place the same cash twice. A line no
        # longer "new" was worked meanwhile and is left as it is.
        current = _lock([line.pk for line, _ in pairs])
        rest: list[Pair] = []
        plans: list[tuple[Pair, PaymentPlan, str, list]] = []
        uncertain: list[tuple[Pair, str, str, Decimal]] = []
        for line, proposal in pairs:
            state_now = current.get(line.pk)
            if state_now is None or state_now[0] != State.NEW:
                continue
            line.state, line.unapplied_amount, line.payment_id = state_now
            confident = proposal.allocations and proposal.confidence >= config.auto_threshold
            if not confident:
                uncertain.append(((line, proposal), *_uncertain(line, proposal, found[line.pk])))
                continue
            plan = _plan(line, proposal, invoices)
            if plan is not None and _may_open_case(line, plan[2]):
                if cases_ok is None:
                    cases_ok = can_open_cases()
                if not cases_ok:
                    plan = None  # line by line: the line waits for an agent, as before
            if plan is None:
                rest.append((line, proposal))
            else:
                plans.append(((line, proposal), *plan))
        refused = allocate_many([plan for _, plan, _, _ in plans])
        refused_ids = {id(plan) for plan, _ in refused}
        now = timezone.now()
        changed: list[StatementLine] = []
        entries: list[AuditEntry] = []
        shorts: list[tuple[int, int, str, str]] = []
        pending: dict[int, list[str]] = {}
        numbers: dict[int, str] = {}
        for (line, proposal), plan, note, placements in plans:
            if id(plan) in refused_ids:
                rest.append((line, proposal))
                continue
            left = line.unapplied_amount - sum((a.amount for a in plan.allocations), Decimal(0))
            # As `place`: short only when all the cash went to invoices (with cash left over,
            # the rest of the invoice may yet be paid from it); one case per invoice.
            for p, open_after in zip(placements, plan.open_after, strict=True):
                if p.short and not left and open_after > 0:
                    shorts.append((p.invoice.pk, line.pk, str(open_after), str(p.amount)))
                    numbers[p.invoice.pk] = p.invoice.number
            reason = f"{proposal.reason} {note}" if proposal.reason else note
            candidates = _candidate_list(proposal, found[line.pk])
            entries.append(
                _change(
                    line,
                    State.HELD if left > 0 else State.APPLIED,
                    reason=reason.strip()[:500],
                    unapplied=left,
                    confidence=proposal.confidence,
                    candidates=candidates,
                    why=_why(candidates, found[line.pk]),
                    payment=plan.payment,
                    at=now,
                )
            )
            changed.append(line)
        for (line, proposal), state, reason, unapplied in uncertain:
            candidates = _candidate_list(proposal, found[line.pk])
            entries.append(
                _change(
                    line,
                    state,
                    reason=reason,
                    unapplied=unapplied,
                    confidence=proposal.confidence,
                    candidates=candidates,
                    why=_why(candidates, found[line.pk]),
                )
            )
            changed.append(line)
        if shorts:
            # One case per invoice: one that has its case already gets none (as `place`).
            have = _with_case({invoice_id for invoice_id, *_ in shorts})
            shorts = [short for short in shorts if short[0] not in have]
            pending = defaultdict(list)
            for invoice_id, line_id, *_ in shorts:
                pending[line_id].append(numbers[invoice_id])
        for line in changed:
            if line.pk in pending:
                # The audit entry keeps the reason the line ends with once the case is open.
                line.reason = pending_reason(line.reason, pending[line.pk])
        save_fields(changed, _FIELDS)
        audit.record_many(entries)
        if shorts:
            # robust: a queue that cannot take the task does not stop the import; the lines
            # stay "pending" and the hourly task opens their cases.
            transaction.on_commit(partial(_enqueue_cases, shorts), robust=True)
    for line in changed:
        summary.count(line.state)
    summary.cases += len({invoice_id for invoice_id, *_ in shorts})
    order = {line.pk: n for n, (line, _) in enumerate(pairs)}
    return sorted(rest, key=lambda pair: order[pair[0].pk])


def _may_open_case(line: StatementLine, placements) -> bool:
    """Whether settling the line may open a deduction case (all its cash to invoices, one of
    them paid short)."""
    total = sum((p.amount for p in placements), Decimal("0"))
    return total == line.unapplied_amount and any(p.short for p in placements)


def _with_case(invoice_ids: set[int]) -> set[int]:
    ids = sorted(invoice_ids)
    have: set[int] = set()
    for start in range(0, len(ids), _BATCH):
        have.update(
            DeductionCase.objects.filter(invoice_id__in=ids[start : start + _BATCH]).values_list(
                "invoice_id", flat=True
            )
        )
    return have


def _enqueue_cases(shorts: list[tuple[int, int, str, str]]) -> None:
    from ledgerdesk.receivables import tasks  # tasks import the services

    tasks.open_deduction_cases(shorts)


def _lock(ids: list[int]) -> dict[int, tuple[str, Decimal, int | None]]:
    current = {}
    for start in range(0, len(ids), _BATCH):
        rows = (
            StatementLine.objects.select_for_update()
            .filter(pk__in=ids[start : start + _BATCH])
            .values_list("pk", "state", "unapplied_amount", "payment_id")
        )
        for pk, *state in rows:
            current[pk] = tuple(state)
    return current


def _why(candidates: list[int], found: Found) -> dict[str, list[str]]:
    return candidate_reasons(candidates, found)


def _uncertain(line: StatementLine, proposal: matching.Proposal, found: Found):
    """(state, reason, unapplied) for a line an agent decides, as `settle` words it."""
    if _candidate_list(proposal, found):
        reason = proposal.reason or "Candidates found, none certain enough to apply alone."
        return State.REVIEW, reason, line.amount
    reason = (
        "Unidentified: no open invoice matches the payer or the remittance. "
        + (proposal.reason or "")
    ).strip()
    return State.HELD, reason, line.amount


def _plan(line: StatementLine, proposal: matching.Proposal, invoices: dict[int, Invoice]):
    """(the payment to create with its allocations, the line's note, the placements), or None
    when the line is one for the per-line path."""
    placements = _placements(proposal, invoices)
    if len(placements) != len(proposal.allocations):
        return None
    if line.payment_id is not None:
        return None
    total = sum((p.amount for p in placements), Decimal("0"))
    if total <= 0 or total > line.unapplied_amount:
        return None
    parties = {p.invoice.party_id for p in placements}
    if len(parties) > 1:
        return None
    payment = Payment(
        direction=Direction.RECEIVABLE,
        party_id=parties.pop(),
        date=line.value_date or line.booking_date,
        amount=line.amount,
        currency=line.currency,
        reference=payment_reference(line),
    )
    allocations = [
        PaymentAllocation(
            invoice=p.invoice,
            amount=p.amount,
            deduction_amount=p.deduction,
            deduction_reason=p.deduction_reason,
        )
        for p in placements
    ]
    left = line.unapplied_amount - total
    numbers = ", ".join(p.invoice.number for p in placements)
    if left > 0:
        note = f"Overpayment: {left} {line.currency} left after applying to {numbers}."
    else:
        note = f"Applied to {numbers}."
    return PaymentPlan(payment=payment, allocations=allocations), note, placements


def _change(
    line: StatementLine,
    state: str,
    *,
    reason: str,
    unapplied: Decimal,
    confidence: float,
    candidates: list[int],
    why: dict,
    payment: Payment | None = None,
    at=None,
) -> AuditEntry:
    """Set the line's fields as `application._set_state` does; its audit entry, unsaved."""
    before = {"state": line.state, "unapplied_amount": str(line.unapplied_amount)}
    line.state = state
    line.reason = reason[:500]
    line.confidence = confidence
    line.candidates = list(candidates)
    line.candidate_reasons = why
    line.unapplied_amount = unapplied
    if payment is not None:
        line.payment = payment
        line.auto_applied = True
        line.applied_at = at
        line.applied_by = None
    return audit.entry(
        AuditEntry.Action.UPDATE,
        line,
        before,
        {"state": state, "unapplied_amount": str(line.unapplied_amount)},
        line.reason[:300],
    )
