"""What may happen to a case. Views, the API, mail ingestion and the CLI call these, nothing else
writes cases.

Every change leaves a line on the case's timeline (a CaseEvent or a Message),
and a case always has an owner: opening picks one, reassigning names the
next one, and an owner who leaves hands their cases on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ledgerdesk.core import audit
from ledgerdesk.core.references import next_reference
from ledgerdesk.desk import clocks, tiering
from ledgerdesk.desk.canned import linked_invoices
from ledgerdesk.desk.categorize import guess_category
from ledgerdesk.desk.models import Case, CaseEvent, Message, Team, TierRule
from ledgerdesk.desk.sentiment import frustration
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.parties.models import Contact, Party

CLOCK_FIELDS = ["sla_clocks", "first_response_due", "resolution_due", "next_due"]


class DeskError(Exception):
    pass


def event(case: Case, kind: str, text: str, at=None) -> CaseEvent:
    user, label = audit.current_actor()
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        text=text,
        at=at or timezone.now(),
        actor_id=getattr(user, "pk", None),
        actor_label=label,
    )


def pick_owner(team: Team):
    """The team member with the fewest open cases; the lead if the team has no members."""
    members = (
        team.members.filter(is_active=True)
        .annotate(load=Count("owned_cases", filter=Q(owned_cases__state__in=Case.OPEN_STATES)))
        .order_by("load", "id")
    )
    owner = members.first() or team.lead
    if owner is None:
        raise DeskError(f"team {team}: nobody to own the case; add members or a lead")
    return owner


def tier_facts(party: Party | None, invoices: Iterable[Invoice], text: str, matter_key=None):
    invoices = list(invoices)
    today = timezone.localdate()
    at_stake = sum((inv.amount_open for inv in invoices), Decimal("0"))
    overdue = max(
        ((today - inv.due_date).days for inv in invoices if inv.due_date and inv.amount_open > 0),
        default=0,
    )
    repeats = 0
    if party is not None:
        since = timezone.now() - timedelta(days=30)
        recent = Case.objects.filter(party=party, opened_at__gte=since)
        if invoices:
            recent = recent.filter(invoices__in=invoices).distinct()
        repeats = recent.count()
    return tiering.TierFacts(
        amount_at_stake=at_stake,
        currency=invoices[0].currency if invoices else "",
        strategic_party=bool(party and party.is_strategic),
        days_overdue=max(0, overdue),
        repeat_contacts=repeats,
        frustration=frustration(text),
    )


def rules_for(team: Team) -> list[tiering.Rule]:
    rows = TierRule.objects.filter(Q(team=team) | Q(team__isnull=True), active=True)
    return [tiering.Rule(r.criterion, r.threshold, r.tier) for r in rows]


@transaction.atomic
def open_case(
    *,
    team: Team,
    subject: str,
    text: str = "",
    channel: str = Case.Channel.EMAIL,
    category: str | None = None,
    party: Party | None = None,
    contact: Contact | None = None,
    requester_email: str = "",
    requester_name: str = "",
    invoices: Iterable[Invoice] = (),
    owner=None,
    opened_at=None,
    incident: bool = False,
) -> Case:
    opened_at = opened_at or timezone.now()
    invoices = list(invoices)
    facts = tier_facts(party, invoices, text)
    tier, reason = tiering.decide(facts, rules_for(team))
    owner = owner or pick_owner(team)
    case = Case.objects.create(
        reference=next_reference(team.code.upper(), opened_at),
        team=team,
        subject=(subject.strip() or "(no subject)")[:300],
        party=party,
        contact=contact,
        requester_email=requester_email[:254],
        requester_name=requester_name[:150],
        category=category or guess_category(subject, text),
        channel=channel,
        tier=tier,
        tier_reason=reason,
        owner=owner,
        incident=incident,
        frustration=facts.frustration,
        opened_at=opened_at,
        last_message_at=opened_at,
    )
    link_invoices(case, invoices or [])
    clocks.start(case, opened_at)
    case.save()
    event(case, CaseEvent.Kind.SYSTEM, f"Case opened ({case.get_channel_display()}).", opened_at)
    event(case, CaseEvent.Kind.TIER, reason, opened_at)
    event(case, CaseEvent.Kind.ASSIGNED, f"Owner: {_name(owner)}.", opened_at)
    return case


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def assign(case: Case, owner, note: str = "") -> Case:
    """Hand the case to `owner`; the customer is told who has it now (by the caller's mailer)."""
    if owner is None:
        raise DeskError("owner: a case always has an owner")
    if owner.pk == case.owner_id:
        return case
    before = _name(case.owner) if case.owner_id else "nobody"
    case.owner = owner
    case.save(update_fields=["owner", "updated_at"])
    text = f"Owner changed from {before} to {_name(owner)}."
    if note:
        text += f" {note}"
    event(case, CaseEvent.Kind.ASSIGNED, text)
    return case


@transaction.atomic
def add_note(case: Case, text: str) -> CaseEvent:
    if not text.strip():
        raise DeskError("text: a note cannot be empty")
    return event(case, CaseEvent.Kind.NOTE, text.strip())


_ALLOWED = {
    Case.State.NEW: {
        Case.State.OPEN,
        Case.State.WAITING_CUSTOMER,
        Case.State.WAITING_THIRD_PARTY,
        Case.State.RESOLVED,
        Case.State.CLOSED,
    },
    Case.State.OPEN: {
        Case.State.WAITING_CUSTOMER,
        Case.State.WAITING_THIRD_PARTY,
        Case.State.RESOLVED,
        Case.State.CLOSED,
    },
    Case.State.WAITING_CUSTOMER: {
        Case.State.OPEN,
        Case.State.WAITING_THIRD_PARTY,
        Case.State.RESOLVED,
        Case.State.CLOSED,
    },
    Case.State.WAITING_THIRD_PARTY: {
        Case.State.OPEN,
        Case.State.WAITING_CUSTOMER,
        Case.State.RESOLVED,
        Case.State.CLOSED,
    },
    Case.State.RESOLVED: {Case.State.OPEN, Case.State.CLOSED},
    Case.State.CLOSED: {Case.State.OPEN},
    Case.State.MERGED: set(),
}


@transaction.atomic
def change_state(case: Case, state: str, note: str = "", at=None) -> Case:
    if state not in Case.State.values:
        raise DeskError(f"state: {state!r} is not a case state")
    if state == case.state:
        return case
    if state not in _ALLOWED[case.state]:
        raise DeskError(
            f"state: a case that is {case.get_state_display().lower()} cannot become "
            f"{Case.State(state).label.lower()}"
        )
    at = at or timezone.now()
    before = case.get_state_display()
    was_paused = case.state in Case.PAUSED_STATES
    case.state = state
    if state in Case.PAUSED_STATES and not was_paused:
        clocks.pause(case, at)
    elif was_paused and state not in Case.PAUSED_STATES:
        clocks.resume(case, at)
    if state == Case.State.RESOLVED:
        case.resolved_at = at
        clocks.stop(case, "resolution", at)
    elif state == Case.State.CLOSED:
        case.closed_at = at
        if not case.resolved_at:
            case.resolved_at = at
            clocks.stop(case, "resolution", at)
    elif state == Case.State.OPEN and before in ("Resolved", "Closed"):
        case.resolved_at = case.closed_at = None
        clocks.restart_resolution(case, at)
    case.save()
    text = f"{before} → {case.get_state_display()}."
    if note:
        text += f" {note}"
    event(case, CaseEvent.Kind.STATE, text, at)
    if case.resolved_at == at:  # resolved by this change: a survey follows once it is committed
        from ledgerdesk.surveys.tasks import survey_resolved_case  # surveys builds on the desk

        transaction.on_commit(partial(survey_resolved_case, case.pk))
    return case


def resolve(case: Case, note: str = "") -> Case:
    return change_state(case, Case.State.RESOLVED, note)


@transaction.atomic
def record_inbound(case: Case, message: Message) -> Message:
    """A customer wrote on the case: reopen it if it was resolved, restart a paused clock."""
    message.case = case
    message.direction = Message.Direction.INBOUND
    message.save()
    case.last_message_at = message.at
    case.save(update_fields=["last_message_at", "updated_at"])
    if case.state in (Case.State.RESOLVED, Case.State.CLOSED):
        change_state(case, Case.State.OPEN, "Reopened: the customer wrote again.", message.at)
    elif case.state in Case.PAUSED_STATES:
        change_state(case, Case.State.OPEN, "The customer answered.", message.at)
    return message


@transaction.atomic
def record_outbound(
    case: Case, message: Message, *, acknowledgement: bool = False, counts_as_response: bool = True
) -> Message:
    """An answer left us: it meets the acknowledge clock, and a human one the first response.

    A notice (`counts_as_response=False`, e.g. "your case has a new owner") answers nothing:
    it is on the timeline, but every clock keeps running and the state stays as it was.
    """
    message.case = case
    message.direction = Message.Direction.OUTBOUND
    message.is_acknowledgement = acknowledgement
    message.save()
    case.last_message_at = message.at
    if not counts_as_response:
        case.save(update_fields=["updated_at", "last_message_at"])
        return message
    fields = ["updated_at", "last_message_at", *CLOCK_FIELDS]
    if case.acknowledged_at is None:
        case.acknowledged_at = message.at
        clocks.stop(case, "acknowledge", message.at)
        fields.append("acknowledged_at")
    if not acknowledgement and case.first_response_at is None:
        case.first_response_at = message.at
        clocks.stop(case, "first_response", message.at)
        fields.append("first_response_at")
    if not acknowledgement and case.state == Case.State.NEW:
        case.state = Case.State.OPEN
        fields.append("state")
    case.save(update_fields=fields)
    return message


def link_invoices(case: Case, invoices) -> None:
    """Link `invoices` to `case` in the order given, skipping ones already linked.

    The link table's id is the order the case page, the placeholders and the coach list
    invoices in; Django's `add()` goes through a set of ids and would lose that order.
    """
    Link = Case.invoices.through
    linked = set(Link.objects.filter(case=case).values_list("invoice_id", flat=True))
    rows = []
    for invoice in invoices:
        if invoice.pk not in linked:
            linked.add(invoice.pk)
            rows.append(Link(case=case, invoice=invoice))
    Link.objects.bulk_create(rows)


@transaction.atomic
def merge(source: Case, target: Case, note: str = "") -> Case:
    """Fold `source` into `target`: its messages and invoices move, it stays as a pointer."""
    if source.pk == target.pk:
        raise DeskError("target: a case cannot be merged into itself")
    if target.state == Case.State.MERGED:
        raise DeskError(f"target: {target.reference} was itself merged; merge into its target")
    Message.objects.filter(case=source).update(case=target)
    link_invoices(target, linked_invoices(source))
    source.state = Case.State.MERGED
    source.merged_into = target
    source.closed_at = timezone.now()
    source.save(update_fields=["state", "merged_into", "closed_at", "updated_at"])
    event(source, CaseEvent.Kind.STATE, f"Merged into {target.reference}. {note}".strip())
    event(
        target, CaseEvent.Kind.SYSTEM, f"{source.reference} merged into this case. {note}".strip()
    )
    return target


@transaction.atomic
def split(case: Case, messages: Iterable[Message], subject: str) -> Case:
    """Move some messages to a new case of their own, same party and team."""
    messages = [m for m in messages if m.case_id == case.pk]
    if not messages:
        raise DeskError("messages: choose at least one message of this case to split off")
    first = min(messages, key=lambda m: m.at)
    new = open_case(
        team=case.team,
        subject=subject or first.subject,
        text=first.text,
        channel=case.channel,
        party=case.party,
        contact=case.contact,
        requester_email=case.requester_email,
        requester_name=case.requester_name,
        owner=case.owner,
        opened_at=first.at,
    )
    new.split_from = case
    new.save(update_fields=["split_from"])
    Message.objects.filter(pk__in=[m.pk for m in messages]).update(case=new)
    event(
        case, CaseEvent.Kind.SYSTEM, f"{len(messages)} message(s) split off into {new.reference}."
    )
    event(new, CaseEvent.Kind.SYSTEM, f"Split off from {case.reference}.")
    return new
