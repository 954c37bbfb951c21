"""The SVG charts: well-formed, escaped and accessible whatever numbers they are given."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerdesk.insights import charts

NS = "{http://www.w3.org/2000/svg}"
numbers = st.one_of(
    st.none(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
)
labels = st.text(max_size=40)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises if any text was left unescaped
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.find(f"{NS}title") is not None
    assert root.find(f"{NS}desc") is not None
    return root


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(labels, numbers), max_size=12), labels)
def test_bar_chart_never_breaks(bars, title):
    parse(charts.bar_chart(title, bars))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(labels, max_size=6),
    st.lists(st.tuples(labels, st.lists(numbers, max_size=7)), max_size=6),
    labels,
)
def test_stacked_bar_chart_never_breaks(segments, rows, title):
    parse(charts.stacked_bar_chart(title, segments, rows))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(labels, max_size=20),
    st.lists(st.tuples(labels, st.lists(numbers, max_size=20)), max_size=4),
    numbers,
    numbers,
)
def test_line_chart_never_breaks(x_labels, series, y_max, target):
    parse(charts.line_chart("Trend", x_labels, series, y_max=y_max, target=target))


@settings(max_examples=100, deadline=None)
@given(st.lists(numbers, max_size=20))
def test_sparkline_never_breaks(values):
    parse(charts.sparkline(values, title="Weekly <score> & trend"))


def test_bar_lengths_are_proportional_and_labelled():
    root = parse(charts.bar_chart("Cases", [("E-mail", 10), ("Portal", 5), ("Phone", 0)]))
    widths = [float(r.get("width")) for r in root.iter(f"{NS}rect")]
    assert widths[0] == 2 * widths[1]
    assert widths[2] == 0
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts == ["E-mail", "10", "Portal", "5", "Phone", "0"]
    assert root.find(f"{NS}desc").text == "E-mail: 10; Portal: 5; Phone: 0"


def test_text_is_escaped():
    svg = charts.bar_chart("<script>alert(1)</script>", [("<b>&", 1)])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&lt;b&gt;&amp;" in svg


def test_an_empty_chart_says_so():
    for svg in (
        charts.bar_chart("Nothing", []),
        charts.line_chart("Nothing", ["1 Nov"], [("a", [None])]),
        charts.stacked_bar_chart("Nothing", ["a"], []),
    ):
        assert "No data for these filters." in svg
        parse(svg)


def test_numbers_are_short_and_exact_enough():
    assert charts.format_number(1234) == "1,234"
    assert charts.format_number(Decimal("2.50"), " %") == "2.5 %"
    assert charts.format_number(1_500_000_000) == "1.5 bn"
    assert charts.format_number(None) == "–"
    assert charts.format_number(float("nan")) == "–"


def test_line_chart_gaps_for_missing_weeks():
    root = parse(charts.line_chart("Score", ["a", "b", "c", "d"], [("s", [1, 2, None, 4])]))
    lines = list(root.iter(f"{NS}polyline"))
    assert len(lines) == 1  # a-b joined; d stands alone after the gap
    assert len(list(root.iter(f"{NS}circle"))) == 3
