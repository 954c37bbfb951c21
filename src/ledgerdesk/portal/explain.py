"""An invoice's status in plain words, for the vendor or customer who asks "where is my money?".

A pure function: the invoice, its status history and its payment allocations in, sentences
out. No database and no Django: the caller loads the rows and passes them in (any objects with
the same attribute names will do, which is how the tests call it). Dates and amounts are
written in the reader's language and time zone with Babel.

The words are for people outside finance: no status codes, no "AP", "PO", "GRN" or "3WM". The
reasons our clerks type are turned into plain sentences by `plain_reason`, which knows the
usual ones and scrubs the jargon out of the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ledgerdesk.portal.plainwords import (
    ASK_BELOW,
    PAYABLE,
    RECEIVABLE,
    Reader,
    plain_deduction,
    plain_reason,
)

CREDIT_NOTE = "credit_note"

# The short words for a status, as a badge on lists. Never the code itself.
LABELS = {
    "received": "Received",
    "in_approval": "Waiting for approval",
    "approved": "Approved",
    "scheduled": "Payment scheduled",
    "paid": "Paid",
    "disputed": "Questioned",
    "on_hold": "On hold",
    "rejected": "Not accepted",
    "cancelled": "Cancelled",
    "issued": "Waiting for payment",
}
TONES = {
    "received": "info",
    "in_approval": "info",
    "approved": "good",
    "scheduled": "good",
    "paid": "done",
    "disputed": "warn",
    "on_hold": "warn",
    "rejected": "bad",
    "cancelled": "muted",
    "issued": "info",
}
# One line of the invoice's story for each status it went through.
STEPS = {
    "received": "Received",
    "in_approval": "Sent for approval",
    "approved": "Approved",
    "scheduled": "Scheduled for payment",
    "paid": "Paid",
    "disputed": "Questioned",
    "on_hold": "Put on hold",
    "rejected": "Not accepted",
    "cancelled": "Cancelled",
    "issued": "Sent to you",
}
METHODS = {
    "bank_transfer": "by bank transfer",
    "direct_debit": "by direct debit",
    "card": "by card",
    "cheque": "by cheque",
}
# History rows written by a system, not by a person who approves: their label names no approver.
_SYSTEM_WORDS = re.compile(
    r"workflow|match|check|proposal|statement|import|network|inbox|scann|system|"
    r"application|portal|robot|automat|erp",
    re.IGNORECASE,
)
_ROUTED_TO = re.compile(r"^\s*routed to\s+(?P<name>[^()\n;]+?)\s*(\(|;|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Step:
    when: str
    text: str


@dataclass(frozen=True)
class Explanation:
    headline: str
    details: list[str] = field(default_factory=list)
    next_step: str = ""
    action_needed: bool = False
    tone: str = "info"
    label: str = ""
    story: list[Step] = field(default_factory=list)

    @property
    def sentences(self) -> list[str]:
        return [self.headline, *self.details, self.next_step]

    def elsewhere(self, where: str) -> Explanation:
        """The same words for a page without the question form ("ask us … in the portal")."""

        def move(text: str) -> str:
            return text.replace(ASK_BELOW, f"ask us a question {where}")

        return replace(
            self,
            headline=move(self.headline),
            details=[move(s) for s in self.details],
            next_step=move(self.next_step),
        )


# --- The explanation ---------------------------------------------------------------------------


def approver_of(history: Sequence) -> str:
    """The person the invoice waits on: the latest "sent for approval" row's person.

    The history's `by_label` names who wrote the row; when a workflow wrote it, the note
    says whom it was routed to ("Routed to Maria Jansen (CC-4100)").
    """
    rows = [h for h in history if h.status == "in_approval"]
    if not rows:
        return ""
    row = rows[-1]
    label = (row.by_label or "").strip()
    if label and label.lower() != "system" and not _SYSTEM_WORDS.search(label):
        return label
    found = _ROUTED_TO.match(row.note or "")
    return found.group("name").strip() if found else ""


def _last(history: Sequence, status: str):
    rows = [h for h in history if h.status == status]
    return rows[-1] if rows else None


def _first(history: Sequence, status: str):
    return next((h for h in history if h.status == status), None)


def _story(history: Sequence, reader: Reader, direction: str) -> list[Step]:
    steps = []
    for row in history:
        text = STEPS.get(row.status, "Updated")
        if row.status == "disputed":
            text = "Questioned by you" if direction == RECEIVABLE else "Questioned by us"
        if row.status == "in_approval" and (name := approver_of([row])):
            text = f"Sent for approval to {name}"
        steps.append(Step(reader.date(row.at), text))
    return steps


def _payments(invoice, allocations: Iterable, reader: Reader) -> tuple[list[str], dt.date | None]:
    """Sentences about what was paid and deducted, and the latest payment day."""
    sentences, latest = [], None
    allocations = sorted(allocations, key=lambda a: (a.payment.date, a.payment.reference))
    cash_rows = [a for a in allocations if a.amount]
    for a in cash_rows:
        p = a.payment
        latest = max(latest, p.date) if latest else p.date
        where = f" with payment reference {p.reference}" if p.reference else ""
        if len(cash_rows) > 1 or a.amount != invoice.amount_payable:
            amount = reader.money(a.amount, invoice.currency)
            sentences.append(f"{amount} was paid on {reader.date(p.date)}{where}.")
    for a in allocations:
        if a.deduction_amount:
            why = plain_deduction(a.deduction_reason)
            amount = reader.money(a.deduction_amount, invoice.currency)
            sentences.append(f"{amount} was deducted: {why}." if why else f"{amount} was deducted.")
    return sentences, latest


def explain(
    invoice,
    history: Sequence = (),
    allocations: Iterable = (),
    *,
    bank_last4: str = "",
    reader: Reader | None = None,
) -> Explanation:
    """Where `invoice` stands, why, and what happens next, in plain sentences."""
    reader = reader or Reader()
    history = sorted(history, key=lambda h: h.at)
    allocations = list(allocations)
    if invoice.direction == RECEIVABLE:
        headline, details, next_step, action = _receivable(invoice, history, allocations, reader)
    else:
        headline, details, next_step, action = _payable(
            invoice, history, allocations, reader, bank_last4
        )
    label = status_label(invoice, reader)
    return Explanation(
        headline=headline,
        details=details,
        next_step=next_step,
        action_needed=action,
        tone=tone_of(invoice, reader),
        label=label,
        story=_story(history, reader, invoice.direction),
    )


def tone_of(invoice, reader: Reader | None = None) -> str:
    """The badge colour: an overdue invoice of ours is red, whatever its status code says."""
    if status_label(invoice, reader) == "Overdue":
        return "bad"
    return TONES.get(invoice.status, "muted")


def status_label(invoice, reader: Reader | None = None) -> str:
    """The badge on a list row: a few words, never the status code."""
    reader = reader or Reader()
    if invoice.direction == RECEIVABLE and invoice.status == "issued":
        due = invoice.due_date
        if due and due < reader.current_day() and invoice.amount_open > 0:
            return "Overdue"
        return "Waiting for your payment"
    if invoice.status == "paid" and invoice.kind == CREDIT_NOTE:
        return "Settled"
    return LABELS.get(invoice.status, "In progress")


def _due_words(invoice, reader: Reader) -> str:
    return reader.date(invoice.due_date) if invoice.due_date else ""


def _payable(invoice, history, allocations, reader, bank_last4):  # noqa: C901 - one status each
    status = invoice.status
    doc = "credit note" if invoice.kind == CREDIT_NOTE else "invoice"
    received = _first(history, "received")
    since = _last(history, status)
    since_day = reader.date(since.at if since else invoice.status_changed_at)
    due = _due_words(invoice, reader)
    by_due = f" in time for its due date, {due}" if due else ""
    paid_sentences, paid_day = _payments(invoice, allocations, reader)
    if status == "received":
        when = f" on {reader.date(received.at)}" if received else ""
        return (
            f"We received your {doc}{when}.",
            [],
            "We check it and send it for approval. There is nothing you need to do.",
            False,
        )
    if status == "in_approval":
        name = approver_of(history)
        by = f" by {name}" if name else ""
        details = []
        if invoice.due_date and invoice.due_date < reader.current_day():
            details.append(f"Its due date, {due}, has passed; we are sorry for the delay.")
        return (
            f"It has been waiting for approval{by} since {since_day}.",
            details,
            f"Once it is approved, we schedule it for payment{by_due}. "
            "There is nothing you need to do.",
            False,
        )
    if status == "approved":
        return (
            f"It was approved on {since_day}.",
            [],
            f"Next, we schedule it for payment{by_due}. There is nothing you need to do.",
            False,
        )
    if status == "scheduled":
        approved = _last(history, "approved")
        first = f"Approved on {reader.date(approved.at)}, and s" if approved else "It is s"
        pay_day = (
            reader.date(invoice.scheduled_payment_date) if invoice.scheduled_payment_date else ""
        )
        when = f" on {pay_day}" if pay_day else ""
        account = (
            f"the account ending {bank_last4}" if bank_last4 else "the bank account we have for you"
        )
        return (
            f"{first}cheduled for payment{when} by bank transfer to {account}.",
            paid_sentences,
            "The money usually reaches your account one or two working days later. "
            "There is nothing you need to do.",
            False,
        )
    if status == "paid":
        return _paid_payable(invoice, allocations, reader, paid_sentences, paid_day, since_day)
    if status in ("on_hold", "rejected", "disputed", "cancelled"):
        note = invoice.hold_reason if status == "on_hold" else ""
        if not note and since is not None:
            note = since.note
        why, what = plain_reason(note, status, PAYABLE, reader, invoice.currency)
        because = f": {why}." if why else "."
        if status == "on_hold":
            what = what or (
                "We are sorting this out and will contact you if we need anything from you."
            )
            return (
                f"It is on hold since {since_day}{because}",
                paid_sentences,
                what,
                _needs_action(what),
            )
        if status == "rejected":
            what = what or f"If you think this is a mistake, {ASK_BELOW}."
            return (
                f"We could not accept it on {since_day}{because}",
                [],
                what,
                _needs_action(what),
            )
        if status == "disputed":
            what = what or (
                "To settle it, send us a credit note for the amount in question, or "
                f"{ASK_BELOW} to tell us your view. We pay the agreed amount as soon as it is "
                "settled."
            )
            return (
                f"We have questioned this {doc} since {since_day}{because}",
                paid_sentences,
                what,
                True,
            )
        what = "There is nothing to pay on it."
        if re.search(r"re-?issue", note or "", re.IGNORECASE):
            what += " Please send us a new invoice to replace it."
        return f"It was cancelled on {since_day}{because}", [], what, False
    return (f"It is being processed since {since_day}.", paid_sentences, "", False)


def _needs_action(what: str) -> bool:
    """Is the next step the party's to take? Not when it says we act or nothing is needed."""
    return not what.startswith(("There is nothing", "We ", "Nothing"))


def _paid_payable(invoice, allocations, reader, paid_sentences, paid_day, since_day):
    if invoice.kind == CREDIT_NOTE:
        return f"This credit note was settled on {since_day}.", paid_sentences, "", False
    done = "There is nothing you need to do."
    cash = [a for a in allocations if a.amount]
    if len(cash) == 1:
        payment = cash[0].payment
        ref = f" with payment reference {payment.reference}" if payment.reference else ""
        how = METHODS.get(payment.method, "")
        account = getattr(payment, "bank_account", None)
        to = f" to the account ending {account.last4}" if account is not None else ""
        amount = reader.money(cash[0].amount, invoice.currency)
        paid = " ".join(f"We paid {amount} {how}{to}.".split())
        deducted = [s for s in paid_sentences if " was deducted" in s]
        return f"Paid on {reader.date(payment.date)}{ref}.", [paid, *deducted], done, False
    if not cash:
        return f"Settled on {since_day}.", paid_sentences, done, False
    return f"Paid in full by {reader.date(paid_day)}.", paid_sentences, done, False


def _receivable(invoice, history, allocations, reader):
    status = invoice.status
    since = _last(history, status)
    since_day = reader.date(since.at if since else invoice.status_changed_at)
    amount_open = reader.money(invoice.amount_open, invoice.currency)
    due = _due_words(invoice, reader)
    paid_sentences, paid_day = _payments(invoice, allocations, reader)
    ref = (
        f" with payment reference {invoice.payment_reference}" if invoice.payment_reference else ""
    )
    if invoice.kind == CREDIT_NOTE:
        if status == "paid" or invoice.amount_open == 0:
            return "This credit note has been used in full.", paid_sentences, "", False
        return (
            f"This credit note of {reader.money(invoice.amount_payable, invoice.currency)} is in "
            f"your favour; {amount_open} of it is still to be used.",
            paid_sentences,
            "We set it off against your next payment, or pay it back if you ask us to.",
            False,
        )
    if status == "paid":
        day = reader.date(paid_day) if paid_day else since_day
        return (
            f"Paid in full; your payment reached us on {day}. Thank you.",
            paid_sentences,
            "",
            False,
        )
    if status == "disputed":
        why, _ = plain_reason(since.note if since else "", status, RECEIVABLE, reader)
        because = f": {why}." if why else "."
        return (
            f"You questioned this invoice on {since_day}{because}",
            paid_sentences,
            "We are looking into it and will answer you. You need not pay the amount in "
            "question until it is settled.",
            False,
        )
    if status == "cancelled":
        why, _ = plain_reason(since.note if since else "", status, RECEIVABLE, reader)
        because = f": {why}." if why else "."
        return (
            f"We cancelled this invoice on {since_day}{because}",
            [],
            "There is nothing to pay on it.",
            False,
        )
    issued = reader.date(invoice.issue_date)
    if invoice.amount_open <= 0:
        return "This invoice is settled.", paid_sentences, "", False
    overdue_days = 0
    if invoice.due_date:
        overdue_days = (reader.current_day() - invoice.due_date).days
    if overdue_days > 0:
        days = "1 day" if overdue_days == 1 else f"{overdue_days} days"
        return (
            f"This invoice was due on {due} and is {days} overdue.",
            paid_sentences,
            f"Please pay {amount_open}{ref} as soon as you can. If you have already paid, "
            f"{ASK_BELOW} with the date and the amount, and we will find it.",
            True,
        )
    by = f" by {due}" if due else ""
    return (
        f"We sent you this invoice on {issued}" + (f"; it is due on {due}." if due else "."),
        paid_sentences,
        f"Please pay {amount_open}{by}{ref}.",
        True,
    )


# --- Cases -------------------------------------------------------------------------------------

CASE_STATES = {
    "new": ("Received", "info", "{owner} has your message and will answer you{by}."),
    "open": ("Being worked on", "info", "{owner} is working on it and will answer you{by}."),
    "waiting_customer": (
        "Waiting for your answer",
        "warn",
        "{owner} asked you something. Please answer below so {owner} can carry on.",
    ),
    "waiting_third_party": (
        "Waiting for someone else",
        "info",
        "{owner} is waiting to hear from someone else (for example a colleague or a bank) "
        "and will tell you as soon as they answer.",
    ),
    "resolved": (
        "Answered",
        "good",
        "We think this is sorted out. If it is not, write below and {owner} picks it up again.",
    ),
    "closed": (
        "Closed",
        "done",
        "If you need anything more about it, write below and we open it again.",
    ),
}


@dataclass(frozen=True)
class CaseWords:
    label: str
    tone: str
    next_step: str
    owner: str


def explain_case(state: str, owner_first_name: str, due, reader: Reader | None = None) -> CaseWords:
    """A case's state for the party: a few words, and what happens next with whom."""
    reader = reader or Reader()
    owner = (owner_first_name or "").strip() or "Our team"
    label, tone, text = CASE_STATES.get(state, ("In progress", "info", "{owner} is on it."))
    by = f" by {reader.date(due)}" if due and state in ("new", "open") else ""
    return CaseWords(label, tone, text.format(owner=owner, by=by), owner)


def short_status(invoice, reader: Reader | None = None) -> str:
    """One line for a list row: the badge's words with the date that matters most."""
    reader = reader or Reader()
    if invoice.status == "scheduled" and invoice.scheduled_payment_date:
        return f"Payment scheduled for {reader.date(invoice.scheduled_payment_date, 'medium')}"
    if invoice.direction == RECEIVABLE and invoice.status == "issued" and invoice.due_date:
        label = status_label(invoice, reader)
        if label == "Overdue":
            return f"Overdue since {reader.date(invoice.due_date, 'medium')}"
        return f"Due on {reader.date(invoice.due_date, 'medium')}"
    label = status_label(invoice, reader)
    day = reader.date(invoice.status_changed_at, "medium")
    if not day:
        return label
    # A thing that happened is "on" a day; a state one is still in is "since" a day.
    done = invoice.status in ("received", "approved", "paid", "rejected", "cancelled")
    return f"{label} {'on' if done else 'since'} {day}"
