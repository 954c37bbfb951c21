"""The dashboards: service desk, agents (for coaching) and finance, with CSV downloads.

Thin views: read the filters from the query string, ask `dashboards` for the charts,
render. The number of queries a page sends is fixed by its charts, not by the data.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from ledgerdesk.core.access import console_view
from ledgerdesk.core.exporting import write_csv
from ledgerdesk.desk.models import Team
from ledgerdesk.insights import charts, dashboards, metrics
from ledgerdesk.insights.metrics import PARTY_TYPES, Filters

PERM = "insights.view_dashboards"
DEFAULT_DAYS = 28
MAX_DAYS = 3 * 366

LABELS = {
    "median_hours": "Median (h)",
    "p90_hours": "p90 (h)",
    "target_business_hours": "Target (bus. h)",
    "compliance_pct": "In SLA %",
    "first_response_pct": "First response %",
    "resolution_pct": "Resolution %",
    "avg_first_response_hours": "Avg first response (h)",
    "avg_resolution_hours": "Avg resolution (h)",
    "first_response_met_pct": "First response met %",
    "avg_rating": "Avg rating",
    "replies_reviewed": "Replies reviewed",
    "avg_coach_score": "Avg coach score",
    "median_days": "Median (days)",
    "p90_days": "p90 (days)",
    "on_time_pct": "On time %",
    "invoices_due": "Due",
    "paid_on_time": "On time",
    "dso_days": "DSO (days)",
    "automatic_pct": "Automatic %",
    "current": "Current",
    "1-30": "1-30 d",
    "31-60": "31-60 d",
    "61-90": "61-90 d",
    "90+": "90+ d",
    "open_receivables": "Open",
    "invoiced_in_period": "Invoiced",
    "days_in_period": "Days",
    "lines_automatic": "Auto (lines)",
    "amount_automatic": "Auto (amount)",
    "lines_by_hand": "By hand (lines)",
    "amount_by_hand": "By hand (amount)",
    "amount_captured": "Captured (amount)",
    "amount_missed": "Missed (amount)",
    "captured_pct": "Captured %",
}
STATUS_TONE = {"on target": "good", "watch": "warn", "below target": "bad", "no data": "muted"}


class FilterError(ValueError):
    pass


def _date(request, name: str, default: dt.date) -> dt.date:
    text = request.GET.get(name, "").strip()
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FilterError(f"{name}: {text!r} is not a date (YYYY-MM-DD)") from None


def read_filters(request) -> Filters:
    """The filters from the query string; FilterError names the field that is wrong."""
    today = timezone.localdate()
    end = _date(request, "to", today)
    start = _date(request, "from", end - dt.timedelta(days=DEFAULT_DAYS - 1))
    if end < start:
        raise FilterError("to: the period ends before it starts")
    if (end - start).days >= MAX_DAYS:
        raise FilterError(f"from: a period is at most {MAX_DAYS} days")
    code = request.GET.get("team", "").strip()
    team = None
    if code:
        team = Team.objects.filter(code=code).first()
        if team is None:
            raise FilterError(f"team: there is no team {code!r}")
    party = request.GET.get("party", "").strip()
    if party and party not in PARTY_TYPES:
        raise FilterError(f"party: {party!r} is not vendor or customer")
    return Filters(start=start, end=end, team=team, party_type=party, today=today)


def _cell(column: str, value) -> dict:
    if value is None or value == "":
        return {"text": "–", "num": True}
    if column == "status":
        return {"text": value, "tone": STATUS_TONE.get(value, "muted")}
    if isinstance(value, dt.datetime | dt.date):
        return {"text": value.strftime("%d %b %Y")}
    if isinstance(value, Decimal):
        return {"text": f"{value:,}", "num": True}  # as many decimals as the figure has
    if isinstance(value, int | float):
        return {"text": f"{value:,}", "num": True}
    return {"text": str(value)}


def table(chart: dashboards.Chart, rows: list[dict], hide: tuple[str, ...] = ()) -> dict:
    columns = [c for c in chart.columns if c not in hide]
    return {
        "head": [LABELS.get(c, c.replace("_", " ").capitalize()) for c in columns],
        "body": [[_cell(c, row.get(c)) for c in columns] for row in rows],
    }


def _panels(page: str, f: Filters) -> dict[str, dict]:
    panels = dashboards.page_charts(page, f)
    for panel in panels.values():
        panel["svg"] = mark_safe(panel["svg"])  # built by `charts`, every text escaped
        panel["table"] = table(panel["chart"], panel["rows"], hide=("agent_id",))
    return panels


def _context(request, page: str) -> tuple[dict, Filters | None]:
    error = ""
    try:
        f = read_filters(request)
    except FilterError as exc:
        error = str(exc)
        today = timezone.localdate()
        f = Filters(start=today - dt.timedelta(days=DEFAULT_DAYS - 1), end=today, today=today)
    context = {
        "page": page,
        "filters": f,
        "error": error,
        "teams": Team.objects.order_by("name"),
        "party_types": PARTY_TYPES.items(),
        "query": request.GET.urlencode(),
    }
    return context, f


def _tile(label: str, value, unit: str = "", *, judged: bool = False, note: str = "") -> dict:
    """A headline figure; a `judged` one (a compliance %) gets its status in colour and words."""
    tone, words = metrics.status(value) if judged else ("", "")
    shown = "–" if value is None else f"{value}{unit}"
    return {"label": label, "value": shown, "tone": tone, "words": words, "note": note}


@console_view(perm=PERM)
def desk(request):
    context, f = _context(request, "desk")
    panels = _panels("desk", f)
    sla = {row["clock"]: row for row in panels["sla"]["rows"]}
    reopen = metrics.reopen_rate(f)
    happy = metrics.summary_of(panels["satisfaction"]["rows"])
    related = metrics.summary_of(panels["relationship"]["rows"])
    first, resolution = sla["First response"], sla["Resolution"]
    context.update(
        panels=panels,
        tiles=[
            _tile("cases opened", sum(r["cases"] for r in panels["volume_weekly"]["rows"])),
            _tile(
                "first response within SLA",
                first["compliance_pct"],
                "%",
                judged=True,
            ),
            _tile(
                "resolved within SLA",
                resolution["compliance_pct"],
                "%",
                judged=True,
            ),
            _tile("open cases now", sum(r["cases"] for r in panels["backlog"]["rows"])),
            _tile(
                "reopened",
                reopen["rate_pct"],
                "%",
                note=f"{reopen['reopened']} of {reopen['resolved']} resolved",
            ),
            _tile(
                "average satisfaction",
                happy["average"],
                " / 5",
                note=f"{happy['answers']} answers",
            ),
        ],
        reopen=reopen,
        satisfaction=happy,
        relationship=related,
        comments=metrics.recent_comments(f),
    )
    return render(request, "insights/desk.html", context)


@console_view(perm=PERM)
def agents(request):
    context, f = _context(request, "agents")
    panels = _panels("agents", f)
    weeks = f.weeks()
    trend: dict[int, dict] = {}
    for row in panels["coach_agents"]["rows"]:
        trend.setdefault(row["agent_id"], {})[row["week"]] = row["avg_score"]
    people = []
    for row in panels["agents"]["rows"]:
        scores = [trend.get(row["agent_id"], {}).get(week) for week in weeks]
        people.append(
            {
                **row,
                "sla_tone": metrics.status(row["first_response_met_pct"])[0],
                "sla_words": metrics.status(row["first_response_met_pct"])[1],
                "spark": mark_safe(
                    charts.sparkline(scores, title=f"Weekly coach score of {row['agent']}")
                ),
            }
        )
    context.update(panels=panels, people=people)
    return render(request, "insights/agents.html", context)


@console_view(perm=PERM)
def finance(request):
    context, f = _context(request, "finance")
    context["panels"] = _panels("finance", f)
    context["times_as_of"] = metrics.times_as_of()
    return render(request, "insights/finance.html", context)


@console_view(perm=PERM)
def export_csv(request, key: str):
    chart = dashboards.CHARTS.get(key)
    if chart is None:
        return HttpResponseBadRequest(
            f"chart: there is no chart {key!r}", content_type="text/plain"
        )
    try:
        f = read_filters(request)
    except FilterError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    buffer = io.StringIO()
    write_csv(buffer, list(chart.columns), chart.rows(f))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"{key}-{f.start.isoformat()}-{f.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
