"""The ERP's invoice CSV: one row per invoice line."""

from __future__ import annotations

import contextlib
import csv
import io
import time
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerdesk.ledger.formats import (
    FormatError,
    ParsedInvoice,
    ParsedLine,
    ParsedParty,
    parse_bytes,
)
from ledgerdesk.ledger.formats import csv as erp_csv

# The project's autouse fixtures (settings, tmp_path) are function-scoped; they do
# nothing these pure tests depend on, so sharing them across examples is fine.
QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]

HEADER = [
    "direction",
    "number",
    "party_name",
    "issue_date",
    "currency",
    "net_amount",
    "tax_amount",
    "total_amount",
    "line_description",
    "line_quantity",
    "line_net_amount",
]
ACME_1 = ["ap", "INV-1", "Acme GmbH", "2026-01-15", "EUR", "100.00", "19.00", "119.00"]


def _csv(header: list[str], rows: list[list[str]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _error(data: bytes) -> FormatError:
    with pytest.raises(FormatError) as caught:
        erp_csv.parse(data)
    return caught.value


def test_it_groups_rows_into_invoices_with_lines() -> None:
    data = _csv(
        HEADER,
        [
            [*ACME_1, "Widgets", "2", "60.00"],
            [*ACME_1, "Bolts", "", "40.00"],
            ["ar", "AR-7", "Customer AB", "2026-02-01", "sek", "10", "2.5", "12.5", "", "", ""],
        ],
    )
    acme, customer = erp_csv.parse(data, "erp.csv")

    assert (acme.syntax, acme.direction, acme.kind, acme.number) == (
        "csv",
        "ap",
        "invoice",
        "INV-1",
    )
    assert acme.seller == ParsedParty(name="Acme GmbH")
    assert acme.buyer == ParsedParty(name="")
    assert (acme.issue_date, acme.due_date, acme.currency) == (date(2026, 1, 15), None, "EUR")
    assert (acme.net_amount, acme.tax_amount, acme.total_amount) == (
        Decimal("100.00"),
        Decimal("19.00"),
        Decimal("119.00"),
    )
    assert acme.payable_amount == acme.total_amount  # payable_amount defaults to the total
    assert acme.lines == (
        ParsedLine("1", "Widgets", Decimal("2"), "", None, Decimal("60.00")),
        ParsedLine("2", "Bolts", Decimal("1"), "", None, Decimal("40.00")),
    )
    assert (acme.source, acme.extra) == ("erp.csv", {"line": 2})

    assert (customer.direction, customer.currency, customer.lines) == ("ar", "SEK", ())
    assert customer.buyer.name == "Customer AB"
    assert customer.seller.name == ""
    assert customer.extra == {"line": 4}


def test_it_reads_every_documented_column() -> None:
    # The columns in their documented order, as the ERP writes them.
    data = (
        ",".join(erp_csv.COLUMNS) + "\n"
        "AP,Credit_Note,CN-9,Acme GmbH,DE123456789,ar@acme.example,2026-03-01,2026-03-31,EUR,"
        "-50.00,-9.50,-59.50,-59.50,Disputed,PO-4711,RF18 5390 0754 7034,"
        "Returned widgets,-1,50.00,-50.00,19\n"
    )
    [invoice] = erp_csv.parse(data.encode())
    assert (invoice.kind, invoice.status, invoice.due_date) == (
        "credit_note",
        "disputed",
        date(2026, 3, 31),
    )
    assert invoice.seller == ParsedParty(
        name="Acme GmbH", tax_id="DE123456789", email="ar@acme.example"
    )
    assert (invoice.po_reference, invoice.payment_reference) == ("PO-4711", "RF18 5390 0754 7034")
    [line] = invoice.lines
    assert (line.quantity, line.unit_price, line.tax_rate) == (
        Decimal("-1"),
        Decimal("50.00"),
        Decimal("19"),
    )


def test_it_takes_semicolons_a_bom_any_column_order_and_header_case() -> None:
    header = [name.upper() for name in reversed(HEADER)]
    row = list(reversed([*ACME_1, "Widgets", "2", "100.00"]))
    data = b"\xef\xbb\xbf" + _csv(header, [row], delimiter=";")
    [invoice] = parse_bytes(data, "erp.csv")
    assert (invoice.number, invoice.seller.name, invoice.lines[0].description) == (
        "INV-1",
        "Acme GmbH",
        "Widgets",
    )


def test_rows_of_one_invoice_need_not_be_adjacent() -> None:
    other = ["ap", "INV-2", "Acme GmbH", "2026-01-16", "EUR", "1", "0", "1"]
    data = _csv(
        HEADER,
        [[*ACME_1, "a", "", "60"], [*other, "", "", ""], [*ACME_1, "b", "", "40"]],
    )
    first, second = erp_csv.parse(data)
    assert [line.description for line in first.lines] == ["a", "b"]
    assert second.number == "INV-2"


def test_the_same_number_from_two_vendors_is_two_invoices() -> None:
    other_vendor = ["ap", "INV-1", "Other Ltd", "2026-01-15", "EUR", "5", "1", "6"]
    ours = ["ar", "INV-1", "Acme GmbH", "2026-01-15", "EUR", "5", "1", "6"]
    data = _csv(HEADER[:8], [ACME_1, other_vendor, ours])
    assert [(i.direction, i.number) for i in erp_csv.parse(data)] == [
        ("ap", "INV-1"),
        ("ap", "INV-1"),
        ("ar", "INV-1"),
    ]


def test_equal_values_written_differently_agree() -> None:
    again = ["AP", "INV-1", "Acme GmbH", "2026-01-15", "eur", "100.0", "19", "119.000"]
    [invoice] = erp_csv.parse(_csv(HEADER[:8], [ACME_1, again]))
    assert invoice.total_amount == Decimal("119.00")


def test_blank_lines_are_skipped_and_a_header_alone_is_no_invoice() -> None:
    assert erp_csv.parse(_csv(HEADER, [])) == []
    data = _csv(HEADER[:8], [ACME_1]) + b"\n\n"
    assert len(erp_csv.parse(data)) == 1


# --- errors name the physical line, the column and the value ------------------------------


def test_a_bad_date_names_line_column_and_value() -> None:
    rows = [[*ACME_1[:1], f"INV-{n}", *ACME_1[2:]] for n in range(5)]
    rows.append(["ap", "INV-9", "Acme GmbH", "2026-13-01", "EUR", "1", "0", "1"])
    error = _error(_csv(HEADER[:8], rows))
    assert str(error) == "line 7: issue_date: '2026-13-01' is not a date (YYYY-MM-DD)"


@pytest.mark.parametrize("value", ["15.01.2026", "20260115", "2026-W03-4", "2026-1-15"])
def test_only_iso_dates_are_dates(value: str) -> None:
    row = [*ACME_1[:3], value, *ACME_1[4:]]
    assert _error(_csv(HEADER[:8], [row])).reason.startswith(f"issue_date: {value!r}")


def test_missing_columns_are_listed() -> None:
    header = [name for name in HEADER if name not in ("currency", "number")]
    assert str(_error(_csv(header, []))) == "line 1: missing column(s): currency, number"


def test_a_repeated_column_is_refused() -> None:
    error = _error(_csv([*HEADER, "Number"], []))
    assert str(error) == "line 1: column 'number' appears twice"


def test_rows_of_one_invoice_that_disagree_name_both_lines() -> None:
    changed = [*ACME_1[:7], "121.00"]
    error = _error(_csv(HEADER[:8], [ACME_1, ACME_1, changed]))
    assert str(error) == (
        "line 4: total_amount: '121.00' disagrees with '119.00' on line 2 for invoice INV-1"
    )


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("net_amount", "1,234.50", "net_amount: '1,234.50' is not an amount"),
        ("tax_amount", "19,00", "tax_amount: '19,00' is not an amount"),
        ("total_amount", "1e3", "total_amount: '1e3' is not an amount"),
        ("direction", "payables", "direction: 'payables' is not one of ap, ar"),
        ("currency", "EURO", "currency: 'EURO' is not a currency code"),
        ("number", "", "number: required but empty"),
        ("party_name", " ", "party_name: required but empty"),
    ],
)
def test_a_bad_value_names_the_column(column: str, value: str, reason: str) -> None:
    row = dict(zip(HEADER[:8], ACME_1, strict=True))
    row[column] = value
    error = _error(_csv(HEADER[:8], [ACME_1, list(row.values())]))
    assert error.location == "line 3"
    assert error.reason.startswith(reason)


def test_kind_and_status_must_be_known() -> None:
    header = [*HEADER[:8], "kind", "status"]
    error = _error(_csv(header, [[*ACME_1, "bill", ""]]))
    assert str(error) == "line 2: kind: 'bill' is not one of invoice, credit_note"
    error = _error(_csv(header, [[*ACME_1, "", "lost"]]))
    assert str(error).startswith("line 2: status: 'lost' is not one of received, in_approval")


def test_a_line_needs_its_net_amount() -> None:
    error = _error(_csv(HEADER, [[*ACME_1, "Widgets", "2", ""]]))
    assert str(error) == "line 2: line_net_amount: required when the row describes a line"


def test_a_bad_line_quantity_names_the_column() -> None:
    error = _error(_csv(HEADER, [[*ACME_1, "Widgets", "two", "10"]]))
    assert str(error).startswith("line 2: line_quantity: 'two' is not an amount")


def test_a_row_with_the_wrong_number_of_fields_is_refused() -> None:
    data = _csv(HEADER[:8], [ACME_1]) + b"ap,INV-2,Acme,2026-01-15,EUR,1,234.00,0,1234.00\n"
    error = _error(data)
    assert error.location == "line 3"
    assert error.reason.startswith("9 fields but the header has 8")


def test_line_numbers_count_physical_lines_inside_quotes() -> None:
    rows = [[*ACME_1, "two\nline description", "1", "100.00"], ["ar", "X", "", "", "", "", "", ""]]
    rows[1] += ["", "", ""]
    error = _error(_csv(HEADER, rows))
    assert str(error) == "line 4: party_name: required but empty"


def test_text_that_is_not_utf8_names_the_line() -> None:
    data = _csv(HEADER[:8], [ACME_1]) + "ap,INV-2,Café,2026-01-15,EUR,1,0,1\n".encode("latin-1")
    error = _error(data)
    assert error.location == "line 3"
    assert error.reason.startswith("not UTF-8 text (byte 0xE9")


def test_broken_quoting_is_refused() -> None:
    data = _csv(HEADER[:8], []) + b'ap,"INV-1"x,Acme,2026-01-15,EUR,1,0,1\n'
    error = _error(data)
    assert error.location == "line 2"
    assert error.reason.startswith("malformed CSV: ")


def test_a_large_export_parses_in_a_few_seconds() -> None:
    header = list(erp_csv.COLUMNS)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in range(100_000):
        number = row // 4
        writer.writerow(
            ["ap", "invoice", f"INV-{number}", f"Vendor {number % 500}", "DE123", "", "2026-01-15"]
            + ["2026-02-14", "EUR", "400.00", "76.00", "476.00", "476.00", "received"]
            + [
                f"PO-{number}",
                f"RF{number}",
                f"Item {row}",
                "2",
                "50.00",
                f"{100 + row % 7}.00",
                "19",
            ]
        )
    data = buffer.getvalue().encode()
    start = time.perf_counter()
    invoices = erp_csv.parse(data, "big.csv")
    elapsed = time.perf_counter() - start
    assert len(invoices) == 25_000
    assert all(len(invoice.lines) == 4 for invoice in invoices)
    assert elapsed < 10, f"100,000 rows took {elapsed:.1f} s"


# --- properties ---------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20
).map(str.strip)
_AMOUNT = st.decimals(
    min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
)
_DATE = st.dates(min_value=date(1970, 1, 1), max_value=date(2200, 12, 31))


@st.composite
def _lines(draw: st.DrawFn, count: int) -> tuple[ParsedLine, ...]:
    return tuple(
        ParsedLine(
            line_id=str(index),
            description=draw(_TEXT),
            quantity=draw(st.decimals(-1000, 1000, places=3)),
            unit_code="",
            unit_price=draw(st.none() | _AMOUNT),
            net_amount=draw(_AMOUNT),
            tax_rate=draw(st.none() | st.decimals(0, 100, places=1)),
        )
        for index in range(1, count + 1)
    )


@st.composite
def _invoices(draw: st.DrawFn) -> ParsedInvoice:
    direction = draw(st.sampled_from(erp_csv.DIRECTIONS))
    party = ParsedParty(name=draw(_TEXT.filter(bool)), tax_id=draw(_TEXT), email=draw(_TEXT))
    total = draw(_AMOUNT)
    return ParsedInvoice(
        syntax="csv",
        kind=draw(st.sampled_from(erp_csv.KINDS)),
        number=draw(_TEXT.filter(bool)),
        issue_date=draw(_DATE),
        due_date=draw(st.none() | _DATE),
        currency=draw(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3)),
        seller=party if direction == "ap" else ParsedParty(name=""),
        buyer=ParsedParty(name="") if direction == "ap" else party,
        net_amount=draw(_AMOUNT),
        tax_amount=draw(_AMOUNT),
        total_amount=total,
        payable_amount=draw(st.just(total) | _AMOUNT),
        lines=draw(st.integers(0, 3).flatmap(_lines)),
        po_reference=draw(_TEXT),
        payment_reference=draw(_TEXT),
        direction=direction,
        status=draw(st.sampled_from(("", *erp_csv.STATUSES))),
        source="roundtrip.csv",
    )


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _rows(invoice: ParsedInvoice) -> list[dict[str, str]]:
    party = invoice.seller if invoice.direction == "ap" else invoice.buyer
    header = {
        "direction": invoice.direction,
        "kind": invoice.kind,
        "number": invoice.number,
        "party_name": party.name,
        "party_tax_id": party.tax_id,
        "party_email": party.email,
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat() if invoice.due_date else "",
        "currency": invoice.currency.lower(),
        "net_amount": _number(invoice.net_amount),
        "tax_amount": _number(invoice.tax_amount),
        "total_amount": _number(invoice.total_amount),
        "payable_amount": _number(invoice.payable_amount),
        "status": invoice.status.upper(),
        "po_number": invoice.po_reference,
        "payment_reference": invoice.payment_reference,
    }
    no_line = dict.fromkeys(erp_csv.LINE_COLUMNS, "")
    lines = [
        {
            "line_description": line.description,
            "line_quantity": _number(line.quantity),
            "line_unit_price": _number(line.unit_price),
            "line_net_amount": _number(line.net_amount),
            "line_tax_rate": _number(line.tax_rate),
        }
        for line in invoice.lines
    ]
    return [header | line for line in lines or [no_line]]


def _key(invoice: ParsedInvoice) -> tuple[str, str, str]:
    party = invoice.seller if invoice.direction == "ap" else invoice.buyer
    return (invoice.direction, party.name.casefold(), invoice.number)


@settings(max_examples=150, suppress_health_check=QUIET, deadline=None)
@given(
    invoices=st.lists(_invoices(), max_size=6, unique_by=_key),
    columns=st.permutations(erp_csv.COLUMNS),
    delimiter=st.sampled_from([",", ";"]),
    bom=st.booleans(),
)
def test_written_invoices_read_back_the_same(
    invoices: list[ParsedInvoice], columns: list[str], delimiter: str, bom: bool
) -> None:
    rows = [row for invoice in invoices for row in _rows(invoice)]
    data = _csv(list(columns), [[row[c] for c in columns] for row in rows], delimiter)
    parsed = parse_bytes((b"\xef\xbb\xbf" if bom else b"") + data, "roundtrip.csv")
    assert parsed == invoices
    assert [p.content_hash() for p in parsed] == [i.content_hash() for i in invoices]


@settings(max_examples=300, suppress_health_check=QUIET)
@given(text=st.text(max_size=500))
def test_arbitrary_text_raises_nothing_but_format_error(text: str) -> None:
    with contextlib.suppress(FormatError):
        erp_csv.parse_text(text, "fuzz.csv")


@settings(max_examples=200, suppress_health_check=QUIET)
@given(
    cells=st.lists(st.lists(st.text(max_size=12), min_size=8, max_size=8), max_size=4),
)
def test_arbitrary_cells_under_a_valid_header_raise_nothing_but_format_error(
    cells: list[list[str]],
) -> None:
    with contextlib.suppress(FormatError):
        erp_csv.parse(_csv(HEADER[:8], [ACME_1, *cells]))
