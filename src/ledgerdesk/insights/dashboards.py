"""The charts of each dashboard page: what data each one shows and how it is drawn.

One registry serves the pages and the CSV downloads, so a chart's "Download CSV" is
exactly the rows the chart was drawn from, under the same filters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ledgerdesk.insights import charts, metrics
from ledgerdesk.insights.metrics import Filters

GREEN, AMBER, RED, GREY = "#15803d", "#d97706", "#b91c1c", "#9ca3af"
TONE_COLOUR = {"good": GREEN, "warn": AMBER, "bad": RED, "muted": GREY}
# Ratings 1-5, from poor (red) to very good (green).
RATING_COLOURS = ("#b91c1c", "#ea580c", "#ca8a04", "#65a30d", "#15803d")
WIDE_WIDTH = 400  # charts beside their table in a full-width card
AGING_COLOURS = ("#15803d", "#ca8a04", "#ea580c", "#dc2626", "#7f1d1d")


def _week(value) -> str:
    return value.strftime("%d %b")


def _pct_colours(values) -> list[str]:
    return [TONE_COLOUR[metrics.status(v)[0]] for v in values]


@dataclass(frozen=True)
class Chart:
    key: str
    page: str  # "desk", "agents" or "finance"
    title: str
    columns: tuple[str, ...]
    rows: Callable[[Filters], list[dict]]
    draw: Callable[[str, list[dict]], str]
    note: str = ""
    wide: bool = False  # a table too wide for half the page: the card spans the row
    table: bool = True  # False where the chart already writes every figure on it

    def svg(self, rows: list[dict]) -> str:
        return self.draw(self.title, rows)


def _bars(label_key: str, value_key: str, **options):
    def draw(title, rows):
        return charts.bar_chart(
            title, [(str(r[label_key]), r[value_key]) for r in rows], key=title, **options
        )

    return draw


def _draw_response_times(title, rows):
    return charts.bar_chart(
        title,
        [(f"Tier {r['tier']} · {r['clock'].lower()}", r["median_hours"]) for r in rows],
        key=title,
        width=WIDE_WIDTH,
        unit=" h",
    )


def _draw_compliance(title, rows):
    values = [r["compliance_pct"] for r in rows]
    return charts.bar_chart(
        title,
        [(r["clock"], r["compliance_pct"]) for r in rows],
        key=title,
        unit=" %",
        max_value=100,
        colours=_pct_colours(values),
    )


def _draw_compliance_weeks(title, rows):
    return charts.line_chart(
        title,
        [_week(r["week"]) for r in rows],
        [
            ("First response", [r["first_response_pct"] for r in rows]),
            ("Resolution", [r["resolution_pct"] for r in rows]),
        ],
        key=title,
        unit=" %",
        y_max=100,
        target=metrics.GOOD,
    )


def _draw_volume_weeks(title, rows):
    return charts.line_chart(
        title, [_week(r["week"]) for r in rows], [("Cases", [r["cases"] for r in rows])], key=title
    )


def _draw_ratings(title, rows):
    if not any(r["answers"] for r in rows):
        return charts.bar_chart(title, [], key=title)  # "No data", not five empty bars
    return charts.bar_chart(
        title,
        [(f"{r['rating']} of 5", r["answers"]) for r in rows],
        key=title,
        colours=RATING_COLOURS,
    )


def _draw_coach(title, rows):
    return charts.line_chart(
        title,
        [_week(r["week"]) for r in rows],
        [("Average score", [r["avg_score"] for r in rows])],
        key=title,
        y_max=100,
    )


def _draw_agents(title, rows):
    return charts.bar_chart(title, [(r["agent"], r["cases"]) for r in rows], key=title)


def _draw_cycle(title, rows):
    return charts.bar_chart(
        title, [(r["stage"], r["median_days"]) for r in rows], key=title, unit=" d"
    )


def _draw_on_time(title, rows):
    values = [r["on_time_pct"] for r in rows]
    return charts.bar_chart(
        title,
        [(r["side"], r["on_time_pct"]) for r in rows],
        key=title,
        unit=" %",
        max_value=100,
        colours=_pct_colours(values),
    )


def _draw_aging(title, rows):
    return charts.stacked_bar_chart(
        title,
        [f"{b} d" if b[0].isdigit() else b for b in metrics.AGING_BUCKETS],
        [(r["currency"], [r[b] for b in metrics.AGING_BUCKETS]) for r in rows],
        key=title,
        width=WIDE_WIDTH,
        colours=AGING_COLOURS,
    )


def _draw_dso(title, rows):
    return charts.bar_chart(
        title,
        [(r["currency"], r["dso_days"]) for r in rows],
        key=title,
        width=WIDE_WIDTH,
        unit=" d",
    )


def _draw_cash(title, rows):
    return charts.stacked_bar_chart(
        title,
        ["Automatically", "By hand"],
        [(r["currency"], [r["lines_automatic"], r["lines_by_hand"]]) for r in rows],
        key=title,
        width=WIDE_WIDTH,
        colours=(GREEN, AMBER),
    )


SIDE_CODE = {label: code.upper() for code, label in metrics.DISCOUNT_SIDES.items()}


def _draw_discounts(title, rows):
    return charts.stacked_bar_chart(
        title,
        ["Captured", "Missed"],
        [(f"{SIDE_CODE[r['side']]} {r['currency']}", [r["captured"], r["missed"]]) for r in rows],
        key=title,
        width=WIDE_WIDTH,
        colours=(GREEN, RED),
    )


CHARTS: dict[str, Chart] = {
    chart.key: chart
    for chart in (
        # The service desk.
        Chart(
            "sla",
            "desk",
            "SLA compliance",
            ("clock", "met", "breached", "compliance_pct", "status"),
            metrics.sla_compliance,
            _draw_compliance,
            "Met ÷ (met + breached), in business hours of the team's calendar; "
            "clocks still running count in neither.",
        ),
        Chart(
            "sla_weekly",
            "desk",
            "SLA compliance by week opened",
            ("week", "first_response_pct", "resolution_pct"),
            metrics.compliance_by_week,
            _draw_compliance_weeks,
        ),
        Chart(
            "times",
            "desk",
            "First response and resolution times",
            (
                "clock",
                "tier",
                "median_hours",
                "p90_hours",
                "target_business_hours",
                "met",
                "breached",
                "compliance_pct",
            ),
            metrics.response_times,
            _draw_response_times,
            "Median and 90th percentile in calendar hours from opening; "
            "targets are business hours.",
            wide=True,
        ),
        Chart(
            "volume_weekly",
            "desk",
            "Cases opened by week",
            ("week", "cases"),
            metrics.volume_by_week,
            _draw_volume_weeks,
        ),
        Chart(
            "channel",
            "desk",
            "Cases by channel",
            ("channel", "cases"),
            lambda f: metrics.volume(f, "channel"),
            _bars("channel", "cases"),
            table=False,
        ),
        Chart(
            "category",
            "desk",
            "Cases by category",
            ("category", "cases"),
            lambda f: metrics.volume(f, "category"),
            _bars("category", "cases"),
            table=False,
        ),
        Chart(
            "tier",
            "desk",
            "Cases by tier",
            ("tier", "cases"),
            lambda f: metrics.volume(f, "tier"),
            _bars("tier", "cases"),
            table=False,
        ),
        Chart(
            "backlog",
            "desk",
            "Open cases by age",
            ("age", "cases"),
            metrics.backlog,
            _bars("age", "cases", colours=("#15803d", "#65a30d", "#ca8a04", "#ea580c", "#b91c1c")),
            "Today's backlog: the period does not apply.",
            table=False,
        ),
        Chart(
            "satisfaction",
            "desk",
            "Satisfaction after a case",
            ("rating", "answers"),
            metrics.satisfaction,
            _draw_ratings,
            "Portal ratings and answered case surveys, 1 (poor) to 5 (very good).",
            table=False,
        ),
        Chart(
            "relationship",
            "desk",
            "Relationship satisfaction",
            ("rating", "answers"),
            metrics.relationship_satisfaction,
            _draw_ratings,
            "Periodic survey: how easy is it to work with us.",
            table=False,
        ),
        # Per agent.
        Chart(
            "agents",
            "agents",
            "Cases per agent",
            (
                "agent",
                "cases",
                "resolved",
                "avg_first_response_hours",
                "avg_resolution_hours",
                "first_response_met_pct",
                "ratings",
                "avg_rating",
                "replies_reviewed",
                "avg_coach_score",
            ),
            metrics.agents,
            _draw_agents,
            table=False,
        ),
        Chart(
            "coach",
            "agents",
            "Reply-coach score by week (team)",
            ("week", "replies", "avg_score"),
            metrics.coach_trend,
            _draw_coach,
        ),
        Chart(
            "coach_agents",
            "agents",
            "Reply-coach score by week and agent",
            ("week", "agent_id", "agent", "replies", "avg_score"),
            metrics.coach_trend_by_agent,
            lambda title, rows: "",  # drawn as a sparkline in each agent's row
        ),
        # Finance.
        Chart(
            "cycle",
            "finance",
            "Vendor invoice cycle time",
            ("stage", "invoices", "median_days", "p90_days"),
            metrics.invoice_cycle,
            _draw_cycle,
            "Vendor invoices dated in the period, from their status history.",
        ),
        Chart(
            "on_time",
            "finance",
            "Paid on time",
            ("side", "invoices_due", "paid_on_time", "on_time_pct", "status"),
            metrics.on_time_payment,
            _draw_on_time,
            "Invoices due in the period (up to yesterday), paid in full by the due date.",
        ),
        Chart(
            "aging",
            "finance",
            "Receivables aging (today)",
            ("currency", *metrics.AGING_BUCKETS, "total"),
            metrics.ar_aging,
            _draw_aging,
            "Open customer invoices by days past due; each bar is 100 % of that currency.",
            wide=True,
        ),
        Chart(
            "dso",
            "finance",
            "Days sales outstanding",
            ("currency", "open_receivables", "invoiced_in_period", "days_in_period", "dso_days"),
            metrics.dso,
            _draw_dso,
            "Open receivables today ÷ invoiced in the period × days in the period.",
            wide=True,
        ),
        Chart(
            "cash",
            "finance",
            "Cash applied automatically or by hand",
            (
                "currency",
                "lines_automatic",
                "amount_automatic",
                "lines_by_hand",
                "amount_by_hand",
                "automatic_pct",
            ),
            metrics.cash_application,
            _draw_cash,
            "Bank credits applied in the period.",
            wide=True,
        ),
        Chart(
            "discounts",
            "finance",
            "Early-payment discounts captured and missed",
            (
                "side",
                "currency",
                "offered",
                "captured",
                "missed",
                "amount_captured",
                "amount_missed",
                "captured_pct",
            ),
            metrics.discounts,
            _draw_discounts,
            "Discounts whose deadline fell in the period: captured when the invoice was "
            "settled by the discount date.",
            wide=True,
        ),
    )
}


def page_charts(page: str, f: Filters) -> dict[str, dict]:
    """{key: {"chart", "rows", "svg"}} for every chart of `page`, in registry order."""
    result = {}
    for key, chart in CHARTS.items():
        if chart.page == page:
            rows = chart.rows(f)
            result[key] = {"chart": chart, "rows": rows, "svg": chart.svg(rows)}
    return result
