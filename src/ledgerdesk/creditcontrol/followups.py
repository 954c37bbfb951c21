"""Follow-up tasks ("tickler"): set, done, snoozed, and the daily digest of due ones.

Changes are audited by `audit.track` (see apps.py); a follow-up on a case also leaves a note on
the case's timeline, so whoever opens the case sees that someone is waiting on something.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from ledgerdesk.core import roles
from ledgerdesk.creditcontrol.common import CreditControlError, ensure
from ledgerdesk.creditcontrol.models import DigestSent, FollowUp
from ledgerdesk.creditcontrol.wording import DIGEST_SUBJECT
from ledgerdesk.desk import services as desk

log = logging.getLogger(__name__)


@transaction.atomic
def set_follow_up(
    *,
    owner,
    kind: str,
    due_on: dt.date,
    note: str,
    party=None,
    case=None,
    invoice=None,
    arrangement=None,
) -> FollowUp:
    ensure(kind in FollowUp.Kind.values, f"kind: {kind!r} is not a kind of follow-up")
    ensure(bool(note and note.strip()), "note: say what to follow up on")
    ensure(isinstance(due_on, dt.date), "due_on: give the day to follow up")
    ensure(
        any(x is not None for x in (party, case, invoice)),
        "party: a follow-up is about a party, a case or an invoice",
    )
    party = _one_party(party, case, invoice)
    follow_up = FollowUp.objects.create(
        owner=owner,
        kind=kind,
        due_on=due_on,
        note=note.strip(),
        party=party,
        case=case,
        invoice=invoice,
        arrangement=arrangement,
    )
    if case is not None:
        desk.add_note(
            case,
            f"Follow-up ({follow_up.get_kind_display().lower()}) set for "
            f"{due_on:%d %b %Y}: {follow_up.note}",
        )
    return follow_up


def _one_party(party, case, invoice):
    """The party the follow-up is about, checked against its invoice and case: a form that
    names one customer's invoice and another customer's party would file the task (and
    show its note) under the wrong customer."""
    for what, other in (("invoice", invoice), ("case", case)):
        other_party = getattr(other, "party_id", None)
        if other_party is None:
            continue
        if party is None:
            party = other.party
        ensure(party.pk == other_party, f"{what}: it belongs to another party than {party}")
    return party


def may_act_for_others(user) -> bool:
    """Agents work their own tasks; a lead and above may close a colleague's (hand-over)."""
    return roles.role_of(user) not in ("", roles.AGENT)


def _owned(follow_up: FollowUp, user) -> FollowUp:
    # Locked: "done" and "snooze" clicked at once (two tabs, two people) must not both act.
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.owner_id != user.pk and not may_act_for_others(user):
        raise CreditControlError("owner: this follow-up belongs to someone else")
    return follow_up


@transaction.atomic
def mark_done(follow_up: FollowUp, user) -> FollowUp:
    follow_up = _owned(follow_up, user)
    ensure(follow_up.state == FollowUp.State.OPEN, "state: this follow-up is already done")
    follow_up.state = FollowUp.State.DONE
    follow_up.done_at = timezone.now()
    follow_up.save(update_fields=["state", "done_at"])
    if follow_up.case_id:
        desk.add_note(follow_up.case, f"Follow-up done: {follow_up.note}")
    return follow_up


@transaction.atomic
def snooze(follow_up: FollowUp, user, until: dt.date) -> FollowUp:
    follow_up = _owned(follow_up, user)
    ensure(follow_up.state == FollowUp.State.OPEN, "state: a done follow-up cannot be snoozed")
    ensure(until > timezone.localdate(), "until: snooze to a day after today")
    follow_up.due_on = until
    follow_up.snoozed += 1
    follow_up.save(update_fields=["due_on", "snoozed"])
    return follow_up


def due_for(user, day: dt.date | None = None):
    day = day or timezone.localdate()
    return FollowUp.objects.due(day).filter(owner=user).select_related("party", "case", "invoice")


def _digest_text(user, tasks: list[FollowUp], day: dt.date) -> str:
    name = user.first_name or user.get_username()
    lines = [f"Hello {name},", "", f"These follow-ups are due on {day:%A %d %B %Y}:", ""]
    for task in tasks:
        late = f" (due {task.due_on:%d %b})" if task.due_on < day else ""
        lines.append(f"- {task.get_kind_display()}: {task.subject_label}{late}. {task.note}")
    lines += ["", "Open the console to mark them done or snooze them.", "", "LedgerDesk"]
    return "\n".join(lines)


def send_digests(day: dt.date | None = None) -> int:
    """One e-mail per agent with due follow-ups, once a day. Returns how many went out.

    The DigestSent row is written in the same transaction as the send: a second run the same
    day finds it and sends nothing; a failed send rolls it back so the next run retries.
    """
    day = day or timezone.localdate()
    owners = (
        FollowUp.objects.due(day)
        .exclude(owner__in=DigestSent.objects.filter(day=day).values("user"))
        .values_list("owner", flat=True)
        .distinct()
    )
    sent = 0
    for owner in get_user_model().objects.filter(pk__in=list(owners), is_active=True):
        if not owner.email:
            # Not dropped in silence: the tasks stay in the console queue, and the log says
            # whose digest could not go.
            log.warning("follow-up digest: %s has no e-mail address", owner.get_username())
            continue
        tasks = list(due_for(owner, day))
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=owner, day=day, tasks=len(tasks))
                EmailMessage(
                    subject=DIGEST_SUBJECT.format(count=len(tasks)),
                    body=_digest_text(owner, tasks, day),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[owner.email],
                    headers={"Auto-Submitted": "auto-generated"},
                ).send(fail_silently=False)
        except IntegrityError:
            continue  # another worker sent it a moment ago
        sent += 1
    return sent
