"""The SLA sweep: cases at risk or breached are escalated to the team lead, once per clock and
state. Run by the periodic task in `desk.tasks` and by `ledgerdesk sla-sweep`."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from ledgerdesk.core import audit
from ledgerdesk.desk import clocks
from ledgerdesk.desk.models import Case, CaseEvent
from ledgerdesk.desk.services import assign, event, pick_owner

ESCALATE = ("at_risk", "breached")


@dataclass
class SweepResult:
    checked: int = 0
    escalated: int = 0
    handed_over: int = 0


def sweep(now=None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    open_cases = (
        Case.objects.open()
        .exclude(next_due=None)
        .select_related("team", "team__lead", "owner")
        .order_by("next_due")
    )
    with audit.acting_as(label="sla-sweep"):
        result.handed_over = hand_over_orphans()
        for case in open_cases.iterator(chunk_size=200):
            result.checked += 1
            worst = clocks.worst(case, now)
            if worst is None or worst["state"] not in ESCALATE:
                continue
            key = f"{worst['name']}:{worst['state']}"
            if case.sla_escalation == key:
                continue
            _escalate(case, worst, key)
            result.escalated += 1
    return result


def hand_over_orphans() -> int:
    """Open cases whose owner was deactivated go to the least-loaded active team member,
    so no case sits with nobody when someone leaves."""
    orphans = Case.objects.open().filter(owner__is_active=False).select_related("team", "owner")
    count = 0
    for case in orphans:
        gone = case.owner.get_full_name() or case.owner.get_username()
        assign(case, pick_owner(case.team), f"{gone} is no longer active.")
        count += 1
    return count


def _escalate(case: Case, clock: dict, key: str) -> None:
    case.sla_escalation = key
    case.save(update_fields=["sla_escalation", "updated_at"])
    words = f"{clock['label']} {clock['words']}"
    event(case, CaseEvent.Kind.SLA, f"Escalated to the lead: {words}.")
    recipients = [u.email for u in (case.team.lead, case.owner) if u is not None and u.email]
    if recipients:
        send_mail(
            subject=f"[{case.reference}] SLA {clock['state'].replace('_', ' ')}: {case.subject}",
            message=(
                f"Case {case.reference} ({case.subject}) needs attention: {words}.\n"
                f"Tier {case.tier}. Owner: {case.owner.get_full_name() or case.owner}.\n\n"
                f"{settings.SITE_URL}{case.get_absolute_url()}\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=sorted(set(recipients)),
        )
