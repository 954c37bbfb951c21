"""Friendly payment reminders: which invoices get one today, in which words, and sending them.

Never a reminder for an invoice that has a payment waiting in the bank matching queue, that
is disputed (status, or an open desk case about it), or that is covered by a payment
arrangement on track. At most one reminder per invoice and level (a unique constraint, so
two workers cannot both send it).

Each reminder is a proactive case on the AR team with the invoice linked: the message is on
the case's timeline and the case is resolved at once. When the customer answers, the case
reopens, and while it is open the invoice gets no further reminder.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ledgerdesk import coach
from ledgerdesk.creditcontrol import schedule, wording
from ledgerdesk.creditcontrol.common import (
    billing_contact,
    day_words,
    is_email_channel,
    money_words,
    receivables_team,
    short_day_words,
    team_holidays,
)
from ledgerdesk.creditcontrol.models import (
    FollowUp,
    PaymentArrangement,
    Reminder,
    ReminderLevel,
    ReminderPolicy,
)
from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Case, Team
from ledgerdesk.ledger.models import Direction, Invoice, PaymentAllocation
from ledgerdesk.mail import outbound
from ledgerdesk.parties.models import Contact, Party

log = logging.getLogger(__name__)

# Categories a reminder must be clean in: no error or warning finding of these is acceptable.
GUARDED = {"greeting", "blame", "threat", "jargon", "follow_up", "closing"}
# "Please reply by ...": five working days on, so the day asked for is never a weekend.
REPLY_BUSINESS_DAYS = 5
CHUNK = 500


def invoices_in_matching() -> set[int]:
    """AR invoice ids with a bank payment waiting in the matching queue.

    Receivables provides it; until that app has it (or if it fails to import), nothing is
    known to be in matching.
    """
    try:
        from ledgerdesk.receivables.services import invoices_in_matching as provider
    except (ImportError, AttributeError):
        return set()
    return set(provider())


def policy_for(team: Team | None) -> schedule.Policy:
    row = None
    if team is not None:
        row = ReminderPolicy.objects.filter(team=team, active=True).first()
    row = row or ReminderPolicy.objects.filter(team__isnull=True, active=True).first()
    if row is None:
        return schedule.Policy()
    return schedule.Policy(
        days_before_due=row.days_before_due,
        send_on_due=row.send_on_due,
        days_after_due_1=row.days_after_due_1,
        days_after_due_2=row.days_after_due_2,
        days_after_due_3=row.days_after_due_3,
    )


def late_payers(party_ids, today: dt.date) -> set[int]:
    """Which of these parties paid an invoice (even in part) after its due date in the last
    twelve months, in one query.

    Only cash counts: a fee waiver or credit note netted against an overdue invoice is a
    zero-cash allocation dated the day we made it, and must not turn a customer into a
    "repeat late payer" because we were kind to them.
    """
    since = today - dt.timedelta(days=365)
    late = PaymentAllocation.objects.filter(
        invoice__party__in=party_ids,
        invoice__direction=Direction.RECEIVABLE,
        invoice__due_date__isnull=False,
        amount__gt=0,
        payment__date__gt=F("invoice__due_date"),
        payment__date__gte=since,
    )
    return set(late.values_list("invoice__party", flat=True).distinct())


def is_first_time_late(party: Party, today: dt.date) -> bool:
    """No invoice of the party paid late with cash in the last twelve months."""
    return party.pk not in late_payers([party.pk], today)


@dataclass
class Planned:
    invoice: Invoice
    level: str
    tone: str = ""
    contact: Contact | None = None
    skip: str = ""  # why it is not sent; empty when it goes out
    text: str = field(default="", repr=False)
    subject: str = ""
    reminder_index: int = 0  # reminders this invoice already had: 0 is the first
    wording_level: str = ""  # whose words: see schedule.wording_level

    @property
    def channel(self) -> str:
        return self.contact.preferred_channel if self.contact else ""


def _candidates(today: dt.date, policy: schedule.Policy):
    horizon = today + dt.timedelta(days=policy.days_before_due)
    return (
        Invoice.objects.receivable()
        .open()
        .filter(kind=Invoice.Kind.INVOICE, duplicate_of__isnull=True, due_date__lte=horizon)
        .exclude(status=Invoice.Status.CANCELLED)
        # Past the last level there is nothing left to send: do not load them every day.
        .exclude(reminders__level=ReminderLevel.AFTER_DUE_3)
        .select_related("party")
        .prefetch_related("party__contacts")
        .order_by("due_date", "id")
    )


def suppressions(invoice_ids: list[int], in_matching: set[int] | None = None) -> dict[int, str]:
    """Why each of these invoices must not be reminded, in two queries (plus the receivables
    queue unless given); invoices not in the answer may be reminded."""
    if in_matching is None:
        in_matching = invoices_in_matching()
    reasons: dict[int, str] = {}
    on_track = PaymentArrangement.objects.filter(
        status=PaymentArrangement.Status.ON_TRACK, invoices__in=invoice_ids
    ).values_list("invoices", flat=True)
    for pk in on_track:
        reasons[pk] = "a payment arrangement is on track"
    open_cases = (
        Case.objects.open().filter(invoices__in=invoice_ids).values_list("invoices", flat=True)
    )
    for pk in open_cases:
        if pk in invoice_ids:
            reasons[pk] = "a case about it is open"
    for pk in in_matching & set(invoice_ids):
        reasons[pk] = "a payment is waiting in bank matching"
    return reasons


def amount_words(invoice: Invoice) -> str:
    """What the customer still owes, never the invoice total they partly paid already:
    "EUR 1,210.00", or "the remaining EUR 610.00 of EUR 1,210.00"."""
    still_open = money_words(invoice.amount_open, invoice.currency)
    if invoice.amount_open >= invoice.amount_payable:
        return still_open
    return f"the remaining {still_open} of {money_words(invoice.amount_payable, invoice.currency)}"


def _render(planned: Planned, team: Team, today: dt.date):
    invoice = planned.invoice
    subject, body = wording.REMINDERS[(planned.wording_level or planned.level, planned.tone)]
    values = {
        "name": planned.contact.name if planned.contact else "there",
        "number": invoice.number,
        "amount": amount_words(invoice),
        "due": short_day_words(invoice.due_date),
        "reply_by": day_words(
            schedule.add_business_days(today, REPLY_BUSINESS_DAYS, team_holidays(team))
        ),
        "team": team.name,
    }
    planned.subject = subject.format(**values)
    planned.text = body.format(**values)


def coach_context(planned: Planned, team: Team, reminder_level: int) -> dict:
    invoice = planned.invoice
    return {
        "contact_name": planned.contact.name if planned.contact else None,
        "invoices": [
            {
                "number": invoice.number,
                # The invoice amount: the coach reads "the remaining 610.00" as a balance.
                "amount": str(invoice.amount_payable),
                "currency": invoice.currency,
                "due_date": invoice.due_date.isoformat(),
                "status": invoice.status,
            }
        ],
        "reminder_level": reminder_level,
        "first_time_late": planned.tone == wording.GENTLE,
        "team": team.code,
        "language": "en",
    }


def blocking_findings(review: coach.Review) -> list[coach.Finding]:
    return [
        f for f in review.findings if f.category in GUARDED and f.severity in ("error", "warning")
    ]


def plan(today: dt.date | None = None) -> list[Planned]:
    """Every reminder due today, sent or not (with the reason when not)."""
    today = today or timezone.localdate()
    team = receivables_team()
    policy = policy_for(team)
    in_matching = invoices_in_matching()
    result: list[Planned] = []
    candidates = _candidates(today, policy)
    # In chunks: the sent levels, the suppressions and the late payers are looked up per
    # chunk (a few queries each), so the number of ids in one SQL statement stays bounded.
    for offset in range(0, candidates.count(), CHUNK):
        invoices = list(candidates[offset : offset + CHUNK])
        result += _plan_chunk(invoices, today, policy, team, in_matching)
    return result


def _sent_levels(ids: list[int]) -> dict[int, set[str]]:
    sent: dict[int, set[str]] = {}
    rows = Reminder.objects.filter(invoice__in=ids).values_list("invoice", "level")
    for invoice_id, level in rows:
        sent.setdefault(invoice_id, set()).add(level)
    return sent


def _skip_reason(planned: Planned, blocked: dict[int, str]) -> str:
    invoice = planned.invoice
    if invoice.status == Invoice.Status.DISPUTED:
        return "the invoice is disputed"
    if invoice.pk in blocked:
        return blocked[invoice.pk]
    if planned.contact is None:
        return "the customer has no contact on file"
    if (
        planned.channel in (Contact.Channel.EMAIL, Contact.Channel.PORTAL)
        and not planned.contact.email
    ):
        return "the billing contact has no e-mail address"
    return ""


def _plan_chunk(invoices, today, policy, team, in_matching) -> list[Planned]:
    ids = [inv.pk for inv in invoices]
    sent = _sent_levels(ids)
    blocked = suppressions(ids, in_matching)
    late = late_payers({inv.party_id for inv in invoices}, today)
    result = []
    for invoice in invoices:
        level = schedule.due_level(invoice.due_date, today, policy)
        if level is None:
            continue
        done = sent.get(invoice.pk, set())
        order = schedule.LEVELS.index(level)
        if level in done or any(schedule.LEVELS.index(d) > order for d in done):
            continue
        planned = Planned(
            invoice,
            level,
            tone=wording.DIRECT if invoice.party_id in late else wording.GENTLE,
            contact=billing_contact(invoice.party),
            reminder_index=len(done),
            wording_level=schedule.wording_level(level, done),
        )
        planned.skip = _skip_reason(planned, blocked)
        _render(planned, team, today)
        result.append(planned)
    return result


def send_due_reminders(today: dt.date | None = None, dry_run: bool = False) -> list[Planned]:
    """Send every reminder due today. With `dry_run`, only say what would go out."""
    today = today or timezone.localdate()
    planned = plan(today)
    if dry_run:
        return planned
    team = receivables_team()
    for item in planned:
        if item.skip:
            continue
        try:
            send_one(item, team, today)
        except IntegrityError:
            item.skip = "another run sent it a moment ago"
        except NotDue as exc:
            item.skip = str(exc)
        except (desk.DeskError, OSError) as exc:  # kept in the result, and logged
            log.exception("reminder for invoice %s failed", item.invoice.number)
            item.skip = f"not sent: {exc}"
    return planned


def _still_due(item: Planned, team: Team, today: dt.date) -> str:
    """Re-read the invoice under a lock: between the plan and the send a payment may have
    been applied or a dispute opened (the planner read it without a lock). Returns why it
    must not go out now, else re-renders with the open amount as it is now."""
    invoice = Invoice.objects.select_for_update().get(pk=item.invoice.pk)
    if invoice.amount_open <= 0 or invoice.status in (
        Invoice.Status.PAID,
        Invoice.Status.CANCELLED,
    ):
        return "it was paid or cancelled a moment ago"
    if invoice.status == Invoice.Status.DISPUTED:
        return "the invoice is disputed"
    if invoice.amount_open != item.invoice.amount_open:
        item.invoice.amount_open = invoice.amount_open
        _render(item, team, today)
    return ""


class NotDue(Exception):
    """The invoice changed between the plan and the send; the text says how."""


@transaction.atomic
def send_one(item: Planned, team: Team, today: dt.date | None = None) -> Reminder:
    today = today or timezone.localdate()
    changed = _still_due(item, team, today)
    if changed:
        raise NotDue(changed)
    review = coach.review(item.text, coach_context(item, team, item.reminder_index))
    blocking = blocking_findings(review)
    if blocking:
        raise desk.DeskError(f"text: the coach flags {blocking[0].rule}: {blocking[0].message}")
    reminder = Reminder.objects.create(
        invoice=item.invoice,
        level=item.level,
        tone=item.tone,
        channel=item.channel,
        text=item.text,
        coach_score=review.score,
    )
    case = desk.open_case(
        team=team,
        subject=item.subject,
        channel=Case.Channel.PROACTIVE,
        category=Case.Category.PAYMENT_STATUS,
        party=item.invoice.party,
        contact=item.contact,
        invoices=[item.invoice],
    )
    if is_email_channel(item.contact):
        stored = {**review.to_dict(), "threshold": team.coach_threshold}
        outbound.send(case, item.text, review=stored)
        desk.resolve(case, "Reminder sent; the case reopens if the customer answers.")
    else:
        # Phone or letter: a person makes the call or posts the letter; the case stays open
        # (and holds further reminders) until they have.
        how = "Call" if item.channel == Contact.Channel.PHONE else "Post a letter to"
        desk.add_note(case, f"Reminder to deliver by {item.channel}:\n\n{item.text}")
        FollowUp.objects.create(
            kind=FollowUp.Kind.OTHER,
            due_on=today,
            note=f"{how} {item.contact.name} with the {item.level.replace('_', ' ')} "
            f"reminder for invoice {item.invoice.number} (text on the case).",
            owner=case.owner,
            party=item.invoice.party,
            case=case,
            invoice=item.invoice,
        )
    reminder.case = case
    reminder.save(update_fields=["case"])
    return reminder


LEVEL_LABELS = dict(ReminderLevel.choices)
