"""Charts as inline SVG, drawn on the server: plain data in, an SVG string out.

Pure Python (no Django import), so the dashboards need no JavaScript and no chart
library, the weekly digest could reuse them, and property tests can throw anything at
them. Every chart carries a <title> and a <desc> listing its figures, so a screen reader
hears the numbers a sighted reader sees; all text is escaped.

Bad numbers never crash a chart: None, NaN and infinities are drawn as "no value"
(a gap in a line, an empty bar) and negative values as zero-length bars.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal
from html import escape as _escape

Number = int | float | Decimal | None

# Colour-blind-safe palette (Okabe-Ito), in the order series are drawn.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
INK, MUTED, GRID = "#1d2733", "#5f6b7a", "#dfe4ea"
FONT = 'font-family="system-ui, sans-serif" font-size="12"'
CHAR_W = 6.6  # the average width of a character at that size, to fit labels


def _finite(value: Number) -> float | None:
    """The value as a float for drawing, or None when it is no usable number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def format_number(value: Number, unit: str = "") -> str:
    """A short label: 1234 → "1,234", 2.5 → "2.5", 1.5e9 → "1.5 bn", None → "–"."""
    number = _finite(value)
    if number is None:
        return "–"
    size = abs(number)
    if size >= 1e12:
        text = f"{number:.3g}"
    elif size >= 1e9:
        text = f"{number / 1e9:.1f} bn"
    elif size >= 1e6:
        text = f"{number / 1e6:.1f} m"
    elif number == int(number):
        text = f"{int(number):,}"
    elif size >= 100:
        text = f"{number:,.0f}"
    else:
        text = f"{number:,.1f}"
    return f"{text}{unit}"


# Characters XML 1.0 forbids even escaped (control characters, lone surrogates): a label
# with one would make the whole SVG unreadable, so they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    return _escape(_NOT_XML.sub("", str(text)))


def nice_ceiling(value: float) -> float:
    """The next 1, 2, 5 × 10^n at or above `value` (85 → 100, 12 → 20), so the axis halves
    are round numbers; 1 for nothing to show."""
    if not value > 0 or not math.isfinite(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power * (1 + 1e-9):
            return step * power
    return 10 * power


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "chart"


def _frame(key: str, title: str, summary: str, width: int, height: int, body: list[str]) -> str:
    ident = f"chart-{_slug(key)}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{ident}-title {ident}-desc" {FONT}>'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(summary)}</desc>' + "".join(body) + "</svg>"
    )


def _empty(key: str, title: str, width: int) -> str:
    height = 60
    body = [
        f'<text x="{width / 2:.0f}" y="34" text-anchor="middle" fill="{MUTED}">'
        "No data for these filters.</text>"
    ]
    return _frame(key, title, "No data for these filters.", width, height, body)


def _clip(label: str, length: int) -> str:
    label = str(label)
    return label if len(label) <= length else label[: length - 1] + "…"


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, Number]],
    *,
    key: str = "",
    unit: str = "",
    width: int = 520,
    colours: Sequence[str] | None = None,
    max_value: Number = None,
) -> str:
    """Horizontal bars, one per (label, value), with the value written at the bar's end.

    `colours`, if given, colours each bar (e.g. green/amber/red for a status);
    `max_value` fixes the scale (100 for percentages), else the largest value sets it.
    """
    key = key or title
    if not bars:
        return _empty(key, title, width)
    values = [_finite(v) for _, v in bars]
    largest = max([abs(v) for v in values if v is not None] + [0.0])
    scale = _finite(max_value) or largest or 1.0
    longest = max(len(str(label)) for label, _ in bars)
    fits = min(longest, max(int((width * 0.45 - 12) / CHAR_W), 4))
    label_w = max(round(fits * CHAR_W) + 12, 60)
    value_w, row_h, top = 70, 24, 6
    plot_w = width - label_w - value_w
    height = top * 2 + row_h * len(bars)
    body = []
    for n, ((label, raw), value) in enumerate(zip(bars, values, strict=True)):
        y = top + n * row_h
        colour = (colours[n % len(colours)] if colours else None) or PALETTE[0]
        length = 0.0 if value is None or value <= 0 else min(value / scale, 1.0) * plot_w
        body.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" fill="{INK}">'
            f"{escape(_clip(label, fits))}</text>"
        )
        body.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" '
            f'rx="2" fill="{escape(colour)}"/>'
        )
        body.append(
            f'<text x="{label_w + length + 5:.1f}" y="{y + 16}" fill="{INK}">'
            f"{escape(format_number(raw, unit))}</text>"
        )
    summary = "; ".join(f"{label}: {format_number(raw, unit)}" for label, raw in bars)
    return _frame(key, title, summary, width, height, body)


def _legend(names, colours, left: float, top: float, right: float) -> tuple[list[str], int]:
    """Colour keys flowing left to right, wrapping to a new line: (SVG parts, lines used)."""
    parts, x, y, lines = [], left, top, 1
    for n, name in enumerate(names):
        text = _clip(name, max(int((right - left - 14) / CHAR_W), 3))
        needed = 14 + len(text) * CHAR_W + 12
        if x > left and x + needed > right:
            x, y, lines = left, y + 16, lines + 1
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" '
            f'fill="{escape(colours[n % len(colours)])}"/>'
            f'<text x="{x + 14:.1f}" y="{y:.1f}" fill="{INK}">{escape(text)}</text>'
        )
        x += needed
    return parts, lines


def stacked_bar_chart(
    title: str,
    segments: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Number]]],
    *,
    key: str = "",
    unit: str = "",
    width: int = 520,
    colours: Sequence[str] | None = None,
) -> str:
    """One horizontal bar per row, split into `segments`, each bar scaled to 100 %.

    Rows in different units (amounts in different currencies) stay comparable as shares;
    the figures themselves go in the <desc> and in the table beside the chart.
    """
    key = key or title
    if not rows or not segments:
        return _empty(key, title, width)
    colours = colours or PALETTE
    label_w, row_h, top = 70, 26, 6
    plot_w = width - label_w - 10
    legend = _legend(segments, colours, label_w, top + row_h * len(rows) + 14, width - 10)
    height = top + row_h * len(rows) + 16 * legend[1] + 10
    body = []
    for n, (label, values) in enumerate(rows):
        y = top + n * row_h
        parts = [max(_finite(v) or 0.0, 0.0) for v in list(values)[: len(segments)]]
        total = sum(parts)
        body.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" fill="{INK}">'
            f"{escape(_clip(label, 9))}</text>"
        )
        x = float(label_w)
        if total <= 0 or not math.isfinite(total):
            body.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{plot_w}" height="{row_h - 8}" '
                f'fill="none" stroke="{GRID}"/>'
            )
            continue
        for m, part in enumerate(parts):
            share = part / total * plot_w
            if share > 0:
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 4}" width="{share:.1f}" height="{row_h - 8}" '
                    f'fill="{escape(colours[m % len(colours)])}"/>'
                )
            x += share
    body += legend[0]
    summary = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{segment} {format_number(value, unit)}"
            for segment, value in zip(segments, values, strict=False)
        )
        for label, values in rows
    )
    return _frame(key, title, summary, width, height, body)


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    *,
    key: str = "",
    unit: str = "",
    width: int = 520,
    height: int = 200,
    y_max: Number = None,
    target: Number = None,
    target_label: str = "target",
) -> str:
    """Lines over shared x labels (weeks); None is a gap. `target` draws a dashed line."""
    key = key or title
    points_given = any(_finite(v) is not None for _, values in series for v in values)
    if not x_labels or not series or not points_given:
        return _empty(key, title, width)
    left, right, top, bottom = 44, 26, 10, 40
    legend_h = 18 if len(series) > 1 else 0
    plot_w, plot_h = width - left - right, height - top - bottom - legend_h
    finite = [_finite(v) for _, values in series for v in values]
    ceiling = max([v for v in finite if v is not None] + [_finite(target) or 0.0, 0.0])
    ceiling = _finite(y_max) or nice_ceiling(ceiling)
    floor = min([v for v in finite if v is not None] + [0.0])

    def y_of(value: float) -> float:
        span = (ceiling - floor) or 1.0
        return top + plot_h - (min(max(value, floor), ceiling) - floor) / span * plot_h

    count = len(x_labels)

    def x_of(index: int) -> float:
        return left + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    body = []
    for fraction in (0, 0.5, 1):
        value = floor + (ceiling - floor) * fraction
        y = y_of(value)
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{escape(format_number(value, unit))}</text>"
        )
    every = max(1, math.ceil(count / 8))
    for index, label in enumerate(x_labels):
        if index % every == 0 or index == count - 1:
            body.append(
                f'<text x="{x_of(index):.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'fill="{MUTED}">{escape(_clip(label, 8))}</text>'
            )
    goal = _finite(target)
    if goal is not None:
        y = y_of(goal)
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{MUTED}" stroke-dasharray="5 4"/>'
            f'<text x="{left + 4}" y="{y - 4:.1f}" fill="{MUTED}">'
            f"{escape(target_label)} {escape(format_number(goal, unit))}</text>"
        )
    for n, (name, values) in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        runs: list[list[str]] = [[]]
        for index, raw in enumerate(list(values)[:count]):
            value = _finite(raw)
            if value is None:
                runs.append([])
                continue
            x, y = x_of(index), y_of(value)
            runs[-1].append(f"{x:.1f},{y:.1f}")
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>')
        for run in runs:
            if len(run) > 1:
                body.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    'stroke-width="2"/>'
                )
        if legend_h:
            x = left + (plot_w / len(series)) * n
            y = height - 6
            body.append(
                f'<rect x="{x:.1f}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
                f'<text x="{x + 14:.1f}" y="{y}" fill="{INK}">{escape(_clip(name, 18))}</text>'
            )
    summary = "; ".join(
        f"{name}: "
        + ", ".join(
            f"{label} {format_number(value, unit)}"
            for label, value in zip(x_labels, values, strict=False)
        )
        for name, values in series
    )
    return _frame(key, title, summary, width, height, body)


def sparkline(values: Sequence[Number], *, title: str, width: int = 120, height: int = 28) -> str:
    """A tiny trend line for a table cell (an agent's weekly coach score)."""
    points = [(i, _finite(v)) for i, v in enumerate(values)]
    known = [v for _, v in points if v is not None]
    summary = ", ".join(format_number(v) for v in values) or "no data"
    if not known:
        return _frame(title, title, summary, width, height, [])
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (width - 4) / max(len(points) - 1, 1)
    coords = [
        f"{2 + i * step:.1f},{height - 3 - (v - low) / span * (height - 6):.1f}"
        for i, v in points
        if v is not None
    ]
    line = " ".join(coords)
    body = [f'<polyline points="{line}" fill="none" stroke="{PALETTE[0]}" stroke-width="1.5"/>']
    last_x, last_y = coords[-1].split(",")
    body.append(f'<circle cx="{last_x}" cy="{last_y}" r="2" fill="{PALETTE[0]}"/>')
    return _frame(title, title, summary, width, height, body)
