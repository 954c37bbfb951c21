"""The dashboard figures, each one function of the filters, aggregated in the database.

Every function here sends a fixed number of queries whatever the amount of data:
counts, sums and averages are `aggregate`/`annotate` over grouped `values()`; series are
grouped by `TruncWeek`; durations are computed by the database (`SecondsBetween`), and
invoice cycle times are read from the `InvoiceTimes` read model (see `insights.times`).
Medians and 90th percentiles come from the database too: on PostgreSQL one
`PERCENTILE_DISC` aggregate, elsewhere the count and then the k-th value in order with one
`LIMIT 1 OFFSET k` query per fraction. Both use the nearest-rank definition (the smallest
value with at least that fraction of values at or below it), so both databases give the
same answer, and it is always a value that occurred.

Python only reshapes what comes back: a handful of grouped rows, never the rows counted.

Times are calendar hours from opening; SLA targets and compliance are business hours of
the team's calendar, so compliance uses the deadlines the desk stored on each case.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import connections
from django.db.models import (
    Aggregate,
    Avg,
    BigIntegerField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Max,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Round, TruncWeek
from django.utils import timezone

from ledgerdesk.desk.clocks import DEFAULT_TARGETS
from ledgerdesk.desk.models import Case, CaseEvent, Message, SlaPolicy, Team
from ledgerdesk.insights.models import InvoiceTimes
from ledgerdesk.ledger.models import Direction, Invoice
from ledgerdesk.portal.models import CaseRating
from ledgerdesk.receivables.models import StatementLine
from ledgerdesk.surveys.models import Survey

MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)
PARTY_TYPES = {"vendor": "Vendors", "customer": "Customers"}
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

# SLA compliance at or above GOOD is on target, at or above WATCH needs watching.
GOOD, WATCH = 90.0, 75.0


@dataclass(frozen=True)
class Filters:
    """What every figure is filtered by: a period of days (both ends included), optionally
    one team and one party type ("vendor" or "customer")."""

    start: dt.date
    end: dt.date
    team: Team | None = None
    party_type: str = ""
    today: dt.date = field(default_factory=timezone.localdate)

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("to: the period ends before it starts")
        if self.party_type not in ("", *PARTY_TYPES):
            raise ValueError(f"party: {self.party_type!r} is not vendor or customer")

    @property
    def since(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def until(self) -> dt.datetime:
        """The first moment after the period."""
        return timezone.make_aware(dt.datetime.combine(self.end + DAY, dt.time.min))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def weeks(self) -> list[dt.date]:
        """The Mondays of the weeks the period touches, for series without gaps."""
        monday = self.start - dt.timedelta(days=self.start.weekday())
        return [monday + dt.timedelta(weeks=n) for n in range((self.end - monday).days // 7 + 1)]


# ---------------------------------------------------------------------------------------------
# Helpers


class PercentileDisc(Aggregate):
    """PostgreSQL's nearest-rank percentile: PERCENTILE_DISC(f) WITHIN GROUP (ORDER BY x)."""

    function = "PERCENTILE_DISC"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: Fraction, **extra):
        # A constant of ours, never user input: written into the SQL as a decimal literal.
        super().__init__(expression, fraction=f"{float(fraction)!r}", **extra)


def percentiles(
    queryset,
    expression,
    fractions=(MEDIAN, P90),
    *,
    count: int | None = None,
    vendor: str | None = None,
):
    """{fraction: value} of `expression` over `queryset` (None where there are no values).

    `count`, when the caller already has it from an aggregate, is how many rows have a
    value, and saves the COUNT query."""
    rows = queryset.annotate(_measure=expression).filter(_measure__isnull=False)
    vendor = vendor or connections[queryset.db].vendor
    if vendor == "postgresql":
        found = rows.aggregate(
            **{f"p{n}": PercentileDisc("_measure", f) for n, f in enumerate(fractions)}
        )
        return {f: found[f"p{n}"] for n, f in enumerate(fractions)}
    if count is None:
        count = rows.count()
    result = {}
    # Ordered by the value alone: tied rows have the same value, so the k-th value does not
    # depend on their order, and an index on the value can serve the ORDER BY.
    ordered = rows.order_by("_measure").values_list("_measure", flat=True)
    for fraction in fractions:
        # Nearest rank: the ceil(f * n)-th value, counted from 1.
        rank = max(math.ceil(fraction * count), 1)
        result[fraction] = ordered[rank - 1] if count else None
    return result


def money_sum(field: str, filter: Q | None = None) -> Sum:
    """A sum of amounts, exact on every database. SQLite keeps decimals as floating point
    and would sum them as floats, so each amount is rounded to whole cents (an integer)
    and the cents are summed; `cents()` turns the total back into a Decimal."""
    return Sum(Cast(Round(F(field) * 100), BigIntegerField()), filter=filter)


def cents(total) -> Decimal:
    return (Decimal(total or 0) / 100).quantize(Decimal("0.01"))


def duration(end: str, start: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


class SecondsBetween(Func):
    """`end - start` in seconds, computed by the database itself: SQLite's julianday()
    arithmetic, PostgreSQL's EXTRACT(EPOCH ...). Django's own datetime subtraction on SQLite
    calls a Python function for every row, which made a year's percentiles ten times slower."""

    arity = 2
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_sql(self, compiler, connection, **extra):
        extra.setdefault(
            "template", "CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS DOUBLE PRECISION)"
        )
        extra.setdefault("arg_joiner", " - ")
        return super().as_sql(compiler, connection, **extra)


def seconds_between(end: str, start: str) -> SecondsBetween:
    return SecondsBetween(F(end), F(start))


def hours(value: dt.timedelta | float | None) -> float | None:
    """Hours, to a tenth, of a duration or of a number of seconds."""
    if value is None:
        return None
    seconds = value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
    return round(seconds / 3600, 1)


def days(value: dt.timedelta | None) -> float | None:
    return None if value is None else round(value / DAY, 1)


def percent(part: int, whole: int) -> float | None:
    return None if not whole else round(100 * part / whole, 1)


def status(pct: float | None) -> tuple[str, str]:
    """(tone, words) of a compliance or on-time percentage: colour and words together."""
    if pct is None:
        return "muted", "no data"
    if pct >= GOOD:
        return "good", "on target"
    if pct >= WATCH:
        return "warn", "watch"
    return "bad", "below target"


def _party_q(party_type: str, prefix: str = "party__") -> Q:
    if party_type == "vendor":
        return Q(**{f"{prefix}is_vendor": True})
    if party_type == "customer":
        return Q(**{f"{prefix}is_customer": True})
    return Q()


def cases(f: Filters):
    """Cases opened in the period, of the team and party type (merged ones are pointers)."""
    rows = Case.objects.exclude(state=Case.State.MERGED).filter(
        _party_q(f.party_type), opened_at__gte=f.since, opened_at__lt=f.until
    )
    return rows.filter(team=f.team) if f.team else rows


def _weekly(f: Filters, rows, value_keys: list[str]) -> list[dict]:
    """Grouped rows keyed by `week` spread over every week of the period (missing → None)."""
    by_week = {
        row["week"].date() if hasattr(row["week"], "date") else row["week"]: row for row in rows
    }
    result = []
    for monday in f.weeks():
        row = by_week.get(monday, {})
        result.append({"week": monday, **{key: row.get(key) for key in value_keys}})
    return result


# ---------------------------------------------------------------------------------------------
# Service desk


def volume(f: Filters, dimension: str) -> list[dict]:
    """Cases opened by channel, category or tier: one GROUP BY."""
    counts = dict(cases(f).order_by().values_list(dimension).annotate(n=Count("pk")))
    if dimension == "tier":
        labels = [(1, "Tier 1"), (2, "Tier 2"), (3, "Tier 3")]
    else:
        labels = Case._meta.get_field(dimension).choices
    return [{dimension: label, "cases": counts.get(value, 0)} for value, label in labels]


def volume_by_week(f: Filters) -> list[dict]:
    rows = (
        cases(f)
        .annotate(week=TruncWeek("opened_at"))
        .order_by()
        .values("week")
        .annotate(cases=Count("pk"))
    )
    return [{**row, "cases": row["cases"] or 0} for row in _weekly(f, rows, ["cases"])]


_CLOCKS = {
    "first_response": ("First response", "first_response_at", "first_response_due"),
    "resolution": ("Resolution", "resolved_at", "resolution_due"),
}


def _met(clock: str) -> Q:
    _, done, due = _CLOCKS[clock]
    return Q(**{f"{done}__isnull": False, f"{done}__lte": F(due)})


def _breached(clock: str, now) -> Q:
    _, done, due = _CLOCKS[clock]
    return Q(**{f"{done}__gt": F(due)}) | Q(**{f"{done}__isnull": True, f"{due}__lt": now})


def targets(f: Filters) -> dict[int, dict[str, tuple[int, int]]]:
    """Business-hour targets per tier, as (lowest, highest) over the teams in view."""
    teams = [f.team] if f.team else list(Team.objects.all())
    policies = {
        (p.team_id, p.tier): p for p in SlaPolicy.objects.filter(team__in=[t.pk for t in teams])
    }
    result: dict[int, dict[str, tuple[int, int]]] = {}
    for tier in (1, 2, 3):
        first, resolution = [], []
        for team in teams or [None]:
            policy = policies.get((getattr(team, "pk", None), tier))
            default = DEFAULT_TARGETS[tier]
            first.append(policy.first_response_hours if policy else default[0])
            resolution.append(policy.resolution_hours if policy else default[1])
        result[tier] = {
            "first_response": (min(first), max(first)),
            "resolution": (min(resolution), max(resolution)),
        }
    return result


def response_times(f: Filters, now=None) -> list[dict]:
    """Median and p90 of first-response and resolution time per tier, beside the target and
    the share of cases that met it."""
    now = now or timezone.now()
    base = cases(f)
    goals = targets(f)
    rows = []
    for clock, (label, done, _) in _CLOCKS.items():
        decided = {
            row["tier"]: row
            for row in base.order_by()
            .values("tier")
            .annotate(
                met=Count("pk", filter=_met(clock)),
                breached=Count("pk", filter=_breached(clock, now)),
            )
        }
        for tier in (1, 2, 3):
            tiered = base.filter(tier=tier)
            found = percentiles(tiered, seconds_between(done, "opened_at"))
            low, high = goals[tier][clock]
            met = decided.get(tier, {}).get("met", 0)
            breached = decided.get(tier, {}).get("breached", 0)
            rows.append(
                {
                    "clock": label,
                    "tier": tier,
                    "median_hours": hours(found[MEDIAN]),
                    "p90_hours": hours(found[P90]),
                    "target_business_hours": str(low) if low == high else f"{low}-{high}",
                    "met": met,
                    "breached": breached,
                    "compliance_pct": percent(met, met + breached),
                }
            )
    return rows


def sla_compliance(f: Filters, now=None) -> list[dict]:
    """Per clock: cases that met it, breached it, and compliance = met / (met + breached).
    A clock still running before its deadline is not decided yet and counts in neither."""
    now = now or timezone.now()
    found = cases(f).aggregate(
        **{
            f"{clock}_{kind}": Count("pk", filter=q)
            for clock in _CLOCKS
            for kind, q in (("met", _met(clock)), ("breached", _breached(clock, now)))
        }
    )
    rows = []
    for clock, (label, _, _) in _CLOCKS.items():
        met, breached = found[f"{clock}_met"], found[f"{clock}_breached"]
        pct = percent(met, met + breached)
        rows.append(
            {
                "clock": label,
                "met": met,
                "breached": breached,
                "compliance_pct": pct,
                "status": status(pct)[1],
            }
        )
    return rows


def compliance_by_week(f: Filters, now=None) -> list[dict]:
    now = now or timezone.now()
    rows = (
        cases(f)
        .annotate(week=TruncWeek("opened_at"))
        .order_by()
        .values("week")
        .annotate(
            **{
                f"{clock}_{kind}": Count("pk", filter=q)
                for clock in _CLOCKS
                for kind, q in (("met", _met(clock)), ("breached", _breached(clock, now)))
            }
        )
    )
    keys = [f"{clock}_{kind}" for clock in _CLOCKS for kind in ("met", "breached")]
    result = []
    for row in _weekly(f, rows, keys):
        counts = {key: row[key] or 0 for key in keys}
        result.append(
            {
                "week": row["week"],
                **{
                    f"{clock}_pct": percent(
                        counts[f"{clock}_met"], counts[f"{clock}_met"] + counts[f"{clock}_breached"]
                    )
                    for clock in _CLOCKS
                },
            }
        )
    return result


AGE_BUCKETS = (
    ("under 1 day", dt.timedelta(0), dt.timedelta(days=1)),
    ("1-3 days", dt.timedelta(days=1), dt.timedelta(days=3)),
    ("3-7 days", dt.timedelta(days=3), dt.timedelta(days=7)),
    ("7-30 days", dt.timedelta(days=7), dt.timedelta(days=30)),
    ("over 30 days", dt.timedelta(days=30), None),
)


def backlog(f: Filters, now=None) -> list[dict]:
    """Open cases now (the period does not apply: a backlog is today's), by age."""
    now = now or timezone.now()
    rows = Case.objects.open().filter(_party_q(f.party_type))
    if f.team:
        rows = rows.filter(team=f.team)
    buckets = {}
    for label, younger, older in AGE_BUCKETS:
        q = Q(opened_at__lte=now - younger)
        if older is not None:
            q &= Q(opened_at__gt=now - older)
        buckets[label] = Count("pk", filter=q)
    found = rows.aggregate(**{f"b{n}": agg for n, agg in enumerate(buckets.values())})
    return [{"age": label, "cases": found[f"b{n}"]} for n, label in enumerate(buckets)]


def _reopened():
    return Exists(
        CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEvent.Kind.STATE).filter(
            Q(text__startswith="Resolved → Open") | Q(text__startswith="Closed → Open")
        )
    )


def reopen_rate(f: Filters) -> dict:
    """Of the cases opened in the period that were ever resolved, how many came back."""
    found = (
        cases(f)
        # The annotation's name must differ from the aggregates' (Django would confuse them).
        .annotate(came_back=_reopened())
        .aggregate(
            resolved=Count("pk", filter=Q(resolved_at__isnull=False) | Q(came_back=True)),
            reopened=Count("pk", filter=Q(came_back=True)),
        )
    )
    return {**found, "rate_pct": percent(found["reopened"], found["resolved"])}


def _case_ratings(f: Filters):
    rows = CaseRating.objects.filter(
        _party_q(f.party_type, "case__party__"), at__gte=f.since, at__lt=f.until
    )
    return rows.filter(case__team=f.team) if f.team else rows


def _case_surveys(f: Filters):
    rows = Survey.objects.filter(
        _party_q(f.party_type),
        kind=Survey.Kind.CASE,
        rating__isnull=False,
        answered_at__gte=f.since,
        answered_at__lt=f.until,
    )
    return rows.filter(team=f.team) if f.team else rows


def _relationship_surveys(f: Filters):
    rows = Survey.objects.filter(
        _party_q(f.party_type),
        kind=Survey.Kind.RELATIONSHIP,
        rating__isnull=False,
        answered_at__gte=f.since,
        answered_at__lt=f.until,
    )
    return rows.filter(team=f.team) if f.team else rows


def _distribution(*querysets) -> list[dict]:
    counts = dict.fromkeys(range(1, 6), 0)
    for rows in querysets:
        for rating, n in rows.order_by().values_list("rating").annotate(n=Count("pk")):
            if rating in counts:
                counts[rating] += n
    return [{"rating": rating, "answers": n} for rating, n in counts.items()]


def summary_of(distribution: list[dict]) -> dict:
    """Count and average of a 1-5 distribution (already aggregated by the database)."""
    count = sum(row["answers"] for row in distribution)
    total = sum(row["rating"] * row["answers"] for row in distribution)
    average = None if not count else round(total / count, 2)
    return {"answers": count, "average": average}


def satisfaction(f: Filters) -> list[dict]:
    """After-case satisfaction, 1-5: portal ratings and answered case surveys together."""
    return _distribution(_case_ratings(f), _case_surveys(f))


def relationship_satisfaction(f: Filters) -> list[dict]:
    """How easy we are to work with, from the periodic relationship surveys."""
    return _distribution(_relationship_surveys(f))


def recent_comments(f: Filters, limit: int = 6) -> list[dict]:
    ratings = (
        _case_ratings(f)
        .exclude(comment="")
        .order_by("-at")
        .values("at", "rating", "comment", "case__reference")[:limit]
    )
    surveys = (
        _case_surveys(f)
        .exclude(comment="")
        .order_by("-answered_at")
        .values("answered_at", "rating", "comment", "kind", "case__reference", "party__name")[
            :limit
        ]
    )
    relationship = (
        _relationship_surveys(f)
        .exclude(comment="")
        .order_by("-answered_at")
        .values("answered_at", "rating", "comment", "kind", "case__reference", "party__name")[
            :limit
        ]
    )
    rows = [
        {
            "at": r["at"],
            "rating": r["rating"],
            "comment": r["comment"],
            "about": r["case__reference"],
        }
        for r in ratings
    ]
    rows += [
        {
            "at": r["answered_at"],
            "rating": r["rating"],
            "comment": r["comment"],
            "about": r["case__reference"] or f"Working with us ({r['party__name']})",
        }
        for r in [*surveys, *relationship]
    ]
    return sorted(rows, key=lambda r: r["at"], reverse=True)[:limit]


# ---------------------------------------------------------------------------------------------
# Per agent: for coaching, not blame


def _name(row: dict, prefix: str) -> str:
    full = f"{row[prefix + 'first_name']} {row[prefix + 'last_name']}".strip()
    return full or row[prefix + "username"] or "(nobody)"


def _scores(f: Filters):
    """Sent replies the coach reviewed, in the period, of cases in view."""
    rows = Message.objects.filter(
        _party_q(f.party_type, "case__party__"),
        direction=Message.Direction.OUTBOUND,
        author__isnull=False,
        review__isnull=False,
        at__gte=f.since,
        at__lt=f.until,
    )
    return rows.filter(case__team=f.team) if f.team else rows


SCORE = Cast(KT("review__score"), FloatField())


def agents(f: Filters, now=None) -> list[dict]:
    """Per owner: cases, resolved, average times, SLA share, satisfaction, coach score."""
    now = now or timezone.now()
    who = ("owner_id", "owner__first_name", "owner__last_name", "owner__username")
    rows = (
        cases(f)
        .order_by()
        .values(*who)
        .annotate(
            cases=Count("pk"),
            resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
            first_response=Avg(seconds_between("first_response_at", "opened_at")),
            resolution=Avg(seconds_between("resolved_at", "opened_at")),
            met=Count("pk", filter=_met("first_response")),
            breached=Count("pk", filter=_breached("first_response", now)),
            ratings=Count("rating"),
            rating=Avg("rating__rating"),
        )
    )
    scores = {
        row["author_id"]: row
        for row in _scores(f)
        .order_by()
        .values("author_id", "author__first_name", "author__last_name", "author__username")
        .annotate(replies=Count("pk"), score=Avg(SCORE))
    }
    result = {}
    for row in rows:
        score = scores.get(row["owner_id"], {})
        result[row["owner_id"]] = {
            "agent_id": row["owner_id"],
            "agent": _name(row, "owner__"),
            "cases": row["cases"],
            "resolved": row["resolved"],
            "avg_first_response_hours": hours(row["first_response"]),
            "avg_resolution_hours": hours(row["resolution"]),
            "first_response_met_pct": percent(row["met"], row["met"] + row["breached"]),
            "ratings": row["ratings"],
            "avg_rating": None if row["rating"] is None else round(row["rating"], 2),
            "replies_reviewed": score.get("replies", 0),
            "avg_coach_score": None if score.get("score") is None else round(score["score"], 1),
        }
    for author, row in scores.items():
        if author not in result:
            result[author] = {
                "agent_id": author,
                "agent": _name(row, "author__"),
                "cases": 0,
                "resolved": 0,
                "avg_first_response_hours": None,
                "avg_resolution_hours": None,
                "first_response_met_pct": None,
                "ratings": 0,
                "avg_rating": None,
                "replies_reviewed": row["replies"],
                "avg_coach_score": None if row["score"] is None else round(row["score"], 1),
            }
    return sorted(result.values(), key=lambda r: r["agent"].lower())


def coach_trend(f: Filters) -> list[dict]:
    """The team's weekly average reply-coach score and how many replies it covers."""
    rows = (
        _scores(f)
        .annotate(week=TruncWeek("at"))
        .order_by()
        .values("week")
        .annotate(replies=Count("pk"), score=Avg(SCORE))
    )
    return [
        {
            "week": row["week"],
            "replies": row["replies"] or 0,
            "avg_score": None if row["score"] is None else round(row["score"], 1),
        }
        for row in _weekly(f, rows, ["replies", "score"])
    ]


def coach_trend_by_agent(f: Filters) -> list[dict]:
    """Each agent's weekly average reply-coach score (weeks without replies are absent)."""
    rows = (
        _scores(f)
        .annotate(week=TruncWeek("at"))
        .order_by("author__username", "week")
        .values("author_id", "author__first_name", "author__last_name", "author__username", "week")
        .annotate(replies=Count("pk"), score=Avg(SCORE))
    )
    return [
        {
            "week": row["week"].date() if hasattr(row["week"], "date") else row["week"],
            "agent_id": row["author_id"],
            "agent": _name(row, "author__"),
            "replies": row["replies"],
            "avg_score": None if row["score"] is None else round(row["score"], 1),
        }
        for row in rows
    ]


# ---------------------------------------------------------------------------------------------
# Finance


def _invoices(f: Filters, direction: str | None = None):
    rows = Invoice.objects.filter(_party_q(f.party_type), kind=Invoice.Kind.INVOICE)
    if direction:
        rows = rows.filter(direction=direction)
    if f.team:
        rows = rows.filter(direction=f.team.direction)
    return rows


CYCLE_STAGES = (
    ("Received → approved", "received_to_approved"),
    ("Approved → paid", "approved_to_paid"),
    ("Received → paid", "received_to_paid"),
)


def _dated(f: Filters, direction: str):
    """Invoices of one side dated in the period. Naming every status lets the database walk
    the (direction, status, issue date) index instead of reading every invoice."""
    return _invoices(f, direction).filter(
        status__in=Invoice.Status.values, issue_date__gte=f.start, issue_date__lte=f.end
    )


def _times(f: Filters, direction: str | None = None):
    """The read model's rows (`InvoiceTimes`) of invoices in view."""
    # Only invoices (not credit notes) are kept; the invoice is joined only for a party type.
    rows = InvoiceTimes.objects.filter(_party_q(f.party_type, "invoice__party__"))
    if direction:
        rows = rows.filter(direction=direction)
    if f.team:
        rows = rows.filter(direction=f.team.direction)
    return rows


def times_as_of():
    """When `InvoiceTimes` was last refreshed (None before its first run)."""
    return InvoiceTimes.objects.aggregate(last=Max("refreshed_at"))["last"]


def invoice_cycle(f: Filters) -> list[dict]:
    """Vendor invoices dated in the period: days from first received to first approved to
    first paid, from their status history (median and p90 of those that got that far).
    Read from `InvoiceTimes`, as of its last refresh."""
    base = _times(f, Direction.PAYABLE).filter(issue_date__gte=f.start, issue_date__lte=f.end)
    counts = base.aggregate(**{stage: Count(stage) for _, stage in CYCLE_STAGES})
    rows = []
    for label, stage in CYCLE_STAGES:
        found = percentiles(base, F(stage), count=counts[stage])
        rows.append(
            {
                "stage": label,
                "invoices": counts[stage],
                "median_days": _seconds_as_days(found[MEDIAN]),
                "p90_days": _seconds_as_days(found[P90]),
            }
        )
    return rows


def _seconds_as_days(seconds: int | None) -> float | None:
    return None if seconds is None else days(dt.timedelta(seconds=seconds))


# Every status but cancelled and rejected: the invoices that were meant to be paid.
_LIVE = [
    status
    for status in Invoice.Status.values
    if status not in (Invoice.Status.CANCELLED, Invoice.Status.REJECTED)
]
SIDES = {Direction.PAYABLE: "We paid vendors", Direction.RECEIVABLE: "Customers paid us"}


def on_time_payment(f: Filters) -> list[dict]:
    """Invoices due in the period (and already due): the share paid in full by the due date.

    Paid on = the latest payment allocated to the invoice; an invoice marked paid without
    allocations counts from the day its status became paid (kept in `InvoiceTimes`)."""
    rows = (
        _times(f)
        .filter(
            # Both sides named, so the (direction, due date) index serves the range.
            direction__in=Direction.values,
            status__in=_LIVE,
            due_date__gte=f.start,
            due_date__lte=min(f.end, f.today - DAY),
        )
        .order_by()
        .values("direction")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(paid_on__isnull=False, paid_on__lte=F("due_date"))),
        )
    )
    found = {row["direction"]: row for row in rows}
    result = []
    for direction, label in SIDES.items():
        row = found.get(direction, {"due": 0, "on_time": 0})
        pct = percent(row["on_time"], row["due"])
        result.append(
            {
                "side": label,
                "invoices_due": row["due"],
                "paid_on_time": row["on_time"],
                "on_time_pct": pct,
                "status": status(pct)[1],
            }
        )
    return result


DISCOUNT_SIDES = {Direction.PAYABLE: "From vendors", Direction.RECEIVABLE: "To customers"}


def discounts(f: Filters) -> list[dict]:
    """Early-payment discounts whose deadline fell in the period (up to yesterday): captured
    when the invoice was settled by the discount date, missed otherwise.

    On vendor invoices a captured discount is money we kept; on customer invoices it is a
    discount the customer earned by paying early."""
    captured = Q(paid_on__isnull=False, paid_on__lte=F("discount_until"))
    rows = (
        _times(f)
        .filter(
            direction__in=Direction.values,
            discount_amount__gt=0,
            discount_until__gte=f.start,
            discount_until__lte=min(f.end, f.today - DAY),
        )
        .order_by("direction", "currency")
        .values("direction", "currency")
        .annotate(
            offered=Count("pk"),
            captured=Count("pk", filter=captured),
            captured_amount=money_sum("discount_amount", filter=captured),
            missed_amount=money_sum("discount_amount", filter=~captured),
        )
    )
    return [
        {
            "side": DISCOUNT_SIDES.get(row["direction"], row["direction"]),
            "currency": row["currency"],
            "offered": row["offered"],
            "captured": row["captured"],
            "missed": row["offered"] - row["captured"],
            "amount_captured": cents(row["captured_amount"]),
            "amount_missed": cents(row["missed_amount"]),
            "captured_pct": percent(row["captured"], row["offered"]),
        }
        for row in rows
    ]


AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


def _aging_q(today: dt.date) -> dict[str, Q]:
    def before(n: int) -> dt.date:
        return today - dt.timedelta(days=n)

    return {
        "current": Q(due_date__isnull=True) | Q(due_date__gte=today),
        "1-30": Q(due_date__lt=today, due_date__gte=before(30)),
        "31-60": Q(due_date__lt=before(30), due_date__gte=before(60)),
        "61-90": Q(due_date__lt=before(60), due_date__gte=before(90)),
        "90+": Q(due_date__lt=before(90)),
    }


def ar_aging(f: Filters) -> list[dict]:
    """What customers owe today by days past due, per currency (the period does not apply)."""
    buckets = _aging_q(f.today)
    rows = (
        _invoices(f, Direction.RECEIVABLE)
        .open()
        .order_by("currency")
        .values("currency")
        .annotate(
            **{f"b{n}": money_sum("amount_open", filter=q) for n, q in enumerate(buckets.values())},
            total=money_sum("amount_open"),
        )
    )
    return [
        {
            "currency": row["currency"],
            **{name: cents(row[f"b{n}"]) for n, name in enumerate(buckets)},
            "total": cents(row["total"]),
        }
        for row in rows
    ]


def dso(f: Filters) -> list[dict]:
    """Days sales outstanding per currency: open receivables today / invoiced in the period
    × days in the period (the countback-free standard formula)."""
    open_by_currency = dict(
        _invoices(f, Direction.RECEIVABLE)
        .open()
        .order_by()
        .values_list("currency")
        .annotate(total=money_sum("amount_open"))
    )
    # Two simple queries rather than one with OR, so each can use its index.
    sales_by_currency = dict(
        _dated(f, Direction.RECEIVABLE)
        .filter(status__in=_LIVE)
        .order_by()
        .values_list("currency")
        .annotate(total=money_sum("total_amount"))
    )
    rows = [
        {
            "currency": currency,
            "receivables": open_by_currency.get(currency),
            "sales": sales_by_currency.get(currency),
        }
        for currency in sorted(set(open_by_currency) | set(sales_by_currency))
    ]
    result = []
    for row in rows:
        receivables, sales = cents(row["receivables"]), cents(row["sales"])
        value = None
        if sales > 0:
            value = (receivables / sales * f.days).quantize(Decimal("0.1"), ROUND_HALF_UP)
        result.append(
            {
                "currency": row["currency"],
                "open_receivables": receivables,
                "invoiced_in_period": sales,
                "days_in_period": f.days,
                "dso_days": value,
            }
        )
    return result


def cash_application(f: Filters) -> list[dict]:
    """Bank credits applied in the period: by the matching engine or by a person."""
    rows = StatementLine.objects.filter(
        _party_q(f.party_type, "payment__party__"),
        state=StatementLine.State.APPLIED,
        applied_at__gte=f.since,
        applied_at__lt=f.until,
    )
    if f.team and f.team.direction != Direction.RECEIVABLE:
        rows = rows.none()
    found = (
        rows.order_by("currency")
        .values("currency")
        .annotate(
            auto=Count("pk", filter=Q(auto_applied=True)),
            auto_amount=money_sum("amount", filter=Q(auto_applied=True)),
            manual=Count("pk", filter=Q(auto_applied=False)),
            manual_amount=money_sum("amount", filter=Q(auto_applied=False)),
        )
    )
    return [
        {
            "currency": row["currency"],
            "lines_automatic": row["auto"],
            "amount_automatic": cents(row["auto_amount"]),
            "lines_by_hand": row["manual"],
            "amount_by_hand": cents(row["manual_amount"]),
            "automatic_pct": percent(row["auto"], row["auto"] + row["manual"]),
        }
        for row in found
    ]
