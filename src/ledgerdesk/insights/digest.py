"""The weekly digest: each team lead gets last week's figures of their team by e-mail.

Internal mail to staff goes through Django's `send_mail` machinery, as the SLA escalation
to leads does (`desk.escalation`): `mail.outbound.send` is for messages on a case, to a
vendor or customer, threaded and on the timeline; a digest is neither.

Idempotent per team and week: a `DigestSent` row is written in the same transaction as the
mail is handed to the backend, under a unique (team, week) constraint, so running the job or
the command twice (or on two workers at once) mails each lead once. If sending fails the row
rolls back and the next run tries again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ledgerdesk.desk.models import Team
from ledgerdesk.insights import metrics
from ledgerdesk.insights.metrics import MEDIAN, P90, Filters
from ledgerdesk.insights.models import DigestSent


@dataclass
class Outcome:
    team: str
    recipient: str
    status: str  # "sent", "would send", "already sent", "no lead", "lead has no e-mail"
    subject: str = ""


def week_before(today: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the last full week before `today`."""
    this_monday = today - dt.timedelta(days=today.weekday())
    monday = this_monday - dt.timedelta(weeks=1)
    return monday, monday + dt.timedelta(days=6)


def _bar(value, largest) -> int:
    """Width in percent of an inline bar (a coloured table cell: no images in the mail)."""
    if not value or not largest:
        return 0
    return max(2, round(100 * value / largest))


def figures(f: Filters) -> dict:
    """What the digest says, from the same metric functions as the dashboard."""
    base = metrics.cases(f)
    times = {
        label: metrics.percentiles(base, metrics.seconds_between(done, "opened_at"))
        for label, done in (("first_response", "first_response_at"), ("resolution", "resolved_at"))
    }
    sla = []
    for row in metrics.sla_compliance(f):
        tone, words = metrics.status(row["compliance_pct"])
        sla.append({**row, "tone": tone, "words": words})
    categories = [row for row in metrics.volume(f, "category") if row["cases"]]
    largest = max((row["cases"] for row in categories), default=0)
    for row in categories:
        row["width"] = _bar(row["cases"], largest)
    backlog = metrics.backlog(f)
    happy = metrics.summary_of(metrics.satisfaction(f))
    people = metrics.agents(f)
    return {
        "cases": sum(row["cases"] for row in metrics.volume(f, "tier")),
        "first_response_median": metrics.hours(times["first_response"][MEDIAN]),
        "first_response_p90": metrics.hours(times["first_response"][P90]),
        "resolution_median": metrics.hours(times["resolution"][MEDIAN]),
        "resolution_p90": metrics.hours(times["resolution"][P90]),
        "sla": sla,
        "categories": categories,
        "backlog": backlog,
        "backlog_total": sum(row["cases"] for row in backlog),
        "reopen": metrics.reopen_rate(f),
        "satisfaction": happy,
        "agents": people,
    }


def compose(team: Team, f: Filters) -> tuple[str, str, str]:
    """(subject, text, html) of a team's digest."""
    query = urlencode({"team": team.code, "from": f.start.isoformat(), "to": f.end.isoformat()})
    context = {
        "team": team,
        "filters": f,
        "figures": figures(f),
        "link": f"{settings.SITE_URL}{reverse('insights:desk')}?{query}",
        "agents_link": f"{settings.SITE_URL}{reverse('insights:agents')}?{query}",
    }
    subject = f"{team.name}: your week of {f.start:%d %b} to {f.end:%d %b %Y}"
    text = render_to_string("insights/email/digest.txt", context)
    html = render_to_string("insights/email/digest.html", context)
    return subject, text, html


def send_digests(today: dt.date | None = None, *, dry_run: bool = False) -> list[Outcome]:
    """Mail each team lead last week's digest, once per team and week."""
    today = today or timezone.localdate()
    monday, sunday = week_before(today)
    outcomes = []
    for team in Team.objects.select_related("lead").order_by("name"):
        lead = team.lead
        if lead is None:
            outcomes.append(Outcome(team.name, "", "no lead"))
            continue
        if not lead.email:
            outcomes.append(Outcome(team.name, "", "lead has no e-mail"))
            continue
        if DigestSent.objects.filter(team=team, week=monday).exists():
            outcomes.append(Outcome(team.name, lead.email, "already sent"))
            continue
        f = Filters(start=monday, end=sunday, team=team, today=today)
        subject, text, html = compose(team, f)
        if dry_run:
            outcomes.append(Outcome(team.name, lead.email, "would send", subject))
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(team=team, week=monday, recipient=lead.email)
                mail = EmailMultiAlternatives(
                    subject, text, settings.DEFAULT_FROM_EMAIL, [lead.email]
                )
                mail.attach_alternative(html, "text/html")
                mail.send()
        except IntegrityError:  # another worker sent it a moment ago
            outcomes.append(Outcome(team.name, lead.email, "already sent"))
            continue
        outcomes.append(Outcome(team.name, lead.email, "sent", subject))
    return outcomes
