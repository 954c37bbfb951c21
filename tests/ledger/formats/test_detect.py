"""Format detection, the published samples against expected.csv, and content hashes."""

from __future__ import annotations

import contextlib
import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerdesk.ledger.formats import FormatError, ParsedInvoice, parse_bytes, parse_file

# The project's autouse fixtures (settings, tmp_path) are function-scoped; they do
# nothing these pure tests depend on, so sharing them across examples is fine.
QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "einvoices"
FOLDER = {"UBL": "ubl", "CII": "cii"}


def _expected_rows() -> list[dict[str, str]]:
    with (SAMPLES / "expected.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(text: str) -> date | None:
    """expected.csv writes dates as the syntax does: YYYYMMDD for CII, YYYY-MM-DD for UBL."""
    if not text:
        return None
    digits = text.replace("-", "")
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


def _one(path: Path) -> ParsedInvoice:
    invoices = parse_file(path)
    assert len(invoices) == 1
    return invoices[0]


@pytest.mark.parametrize("row", _expected_rows(), ids=lambda row: row["file"])
def test_it_reads_every_sample_as_expected(row: dict[str, str]) -> None:
    path = SAMPLES / FOLDER[row["syntax"]] / row["file"]
    if not path.exists():
        pytest.skip(f"{path.name} is listed in expected.csv but not in the fixtures")
    invoice = _one(path)

    assert invoice.syntax == row["syntax"].lower()
    assert invoice.kind == row["kind"]
    assert invoice.number == row["number"]
    assert invoice.issue_date == _date(row["issue_date"])
    assert invoice.due_date == _date(row["due_date"])
    assert invoice.currency == row["currency"]
    assert invoice.seller.name == row["seller"]
    # A blank tax total means the document states none: that is None, never a made-up 0.
    assert invoice.tax_amount == (Decimal(row["tax_total"]) if row["tax_total"] else None)
    assert invoice.total_amount == Decimal(row["tax_inclusive"])
    assert invoice.payable_amount == Decimal(row["payable"])
    assert len(invoice.lines) == int(row["lines"])
    assert invoice.source == row["file"]


def test_expected_csv_covers_every_sample() -> None:
    listed = {(FOLDER[row["syntax"]], row["file"]) for row in _expected_rows()}
    present = {
        (p.parent.name, p.name) for p in SAMPLES.glob("*/*") if p.parent.name in FOLDER.values()
    }
    assert present == listed


@pytest.mark.parametrize(
    ("data", "syntax"),
    [
        pytest.param((SAMPLES / "ubl/peppol-base-example.xml").read_bytes(), "ubl", id="ubl"),
        pytest.param(
            (SAMPLES / "ubl/en16931-ubl-tc434-creditnote1.xml").read_bytes(), "ubl", id="credit"
        ),
        pytest.param((SAMPLES / "cii/en16931-CII_example1.xml").read_bytes(), "cii", id="cii"),
        pytest.param(
            b"\xef\xbb\xbf" + (SAMPLES / "cii/en16931-CII_example9.xml").read_bytes(),
            "cii",
            id="bom",
        ),
        pytest.param(
            (SAMPLES / "ubl/peppol-base-example.xml")
            .read_text(encoding="utf-8")
            .replace('encoding="UTF-8"', 'encoding="UTF-16"')
            .encode("utf-16"),
            "ubl",
            id="utf-16",
        ),
    ],
)
def test_it_detects_the_syntax_from_the_content(data: bytes, syntax: str) -> None:
    [invoice] = parse_bytes(data, "upload.bin")
    assert invoice.syntax == syntax


def test_it_reads_text_that_is_not_xml_as_csv() -> None:
    data = (
        b"direction,number,party_name,issue_date,currency,net_amount,tax_amount,total_amount\n"
        b"ap,INV-1,Acme,2026-01-15,EUR,100.00,20.00,120.00\n"
    )
    [invoice] = parse_bytes(data, "export.txt")
    assert (invoice.syntax, invoice.number) == ("csv", "INV-1")


def test_a_csv_name_wins_over_xml_content() -> None:
    data = (SAMPLES / "ubl/peppol-base-example.xml").read_bytes()
    with pytest.raises(FormatError) as caught:
        parse_bytes(data, "invoices.CSV")
    assert caught.value.location == "line 1"
    assert "missing column(s)" in caught.value.reason


def test_blank_lines_before_the_xml_declaration_are_an_xml_error() -> None:
    data = b"\n\n" + (SAMPLES / "cii/en16931-CII_example9.xml").read_bytes()
    with pytest.raises(FormatError) as caught:
        parse_bytes(data, "late.xml")
    assert caught.value.location == "line 3"
    assert "XML declaration allowed only at the start" in caught.value.reason


ORDER = b"""<?xml version="1.0" encoding="UTF-8"?>
<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2">
  <ID>PO-1</ID>
</Order>
"""


def test_it_refuses_an_order_naming_its_root() -> None:
    with pytest.raises(FormatError) as caught:
        parse_bytes(ORDER, "order.xml")
    assert str(caught.value) == (
        "order.xml: line 2: not an invoice: the root element is Order "
        "(urn:oasis:names:specification:ubl:schema:xsd:Order-2); "
        "expected a UBL Invoice or CreditNote or a CII CrossIndustryInvoice"
    )


def test_it_refuses_an_invoice_root_without_namespace() -> None:
    with pytest.raises(FormatError, match=r"root element is Invoice \(no namespace\)"):
        parse_bytes(b"<Invoice><ID>1</ID></Invoice>", "plain.xml")


def test_the_peppol_sales_order_sample_is_really_an_invoice() -> None:
    # Despite its folder and name, this file is a UBL Invoice whose order reference
    # is the Peppol "NA" placeholder plus a sales order id: it must be accepted.
    invoice = _one(SAMPLES / "rejects/peppol-sales-order-example.xml")
    base = _one(SAMPLES / "ubl/peppol-base-example.xml")
    assert invoice.kind == "invoice"
    assert invoice.po_reference == ""
    assert invoice.extra["sales_order_id"] == "123456"
    assert invoice.content_hash() == base.content_hash()


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_it_refuses_an_empty_file(data: bytes) -> None:
    with pytest.raises(FormatError) as caught:
        parse_bytes(data, "empty.xml")
    assert str(caught.value) == "empty.xml: line 1: the file is empty"


def test_parse_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(b"<Invoice>")
    with pytest.raises(FormatError) as caught:
        parse_file(path)
    assert caught.value.source == "broken.xml"
    assert str(caught.value).startswith("broken.xml: line 1: not well-formed XML: ")


@settings(max_examples=300, suppress_health_check=QUIET)
@given(data=st.binary(max_size=2000), name=st.sampled_from(["x.csv", "x.xml", "x", ""]))
def test_arbitrary_bytes_raise_nothing_but_format_error(data: bytes, name: str) -> None:
    with contextlib.suppress(FormatError):
        parse_bytes(data, name)


_MUTABLE = [
    (SAMPLES / "ubl/peppol-base-example.xml").read_bytes(),
    (SAMPLES / "ubl/en16931-ubl-tc434-creditnote1.xml").read_bytes(),
    (SAMPLES / "cii/en16931-CII_example9.xml").read_bytes(),
]


@settings(max_examples=300, suppress_health_check=QUIET)
@given(
    sample=st.sampled_from(_MUTABLE),
    cut=st.tuples(st.floats(0, 1), st.floats(0, 1)),
    insert=st.binary(max_size=20),
)
def test_damaged_samples_raise_nothing_but_format_error(
    sample: bytes, cut: tuple[float, float], insert: bytes
) -> None:
    start, end = sorted(int(fraction * len(sample)) for fraction in cut)
    damaged = sample[:start] + insert + sample[end:]
    try:
        parse_bytes(damaged, "damaged.xml")
    except FormatError as error:
        assert error.reason


# --- content_hash: the same invoice in two syntaxes hashes the same ---------------------

SAME_CONTENT = [
    # 12115118, De Koksmaat: one invoice, published in CII and three UBL files.
    ("cii/en16931-CII_example1.xml", "ubl/en16931-guide-example1.xml"),
    ("cii/en16931-CII_example1.xml", "ubl/en16931-ubl-tc434-example1.xml"),
    ("ubl/en16931-ubl-tc434-example1.xml", "ubl/en16931-ubl-tc434-example10.xml"),
    # TOSL108, Salescompany ltd.
    ("cii/en16931-CII_example2.xml", "ubl/en16931-guide-example2.xml"),
    ("cii/en16931-CII_business_example_01.xml", "ubl/en16931-ubl-tc434-example2.xml"),
    # TOSL110, SellerCompany: 4 and 6 agree, and so do both versions of 5.
    ("cii/en16931-CII_example4.xml", "ubl/en16931-ubl-tc434-example4.xml"),
    ("cii/en16931-CII_example4.xml", "cii/en16931-CII_example6.xml"),
    ("cii/en16931-CII_example5.xml", "ubl/en16931-ubl-tc434-example5.xml"),
    # 1100512149, Enexis B.V.
    ("cii/en16931-CII_example8.xml", "ubl/en16931-ubl-tc434-example8.xml"),
    # Vat-Z: exempt (E) and zero-rated (Z) samples with identical amounts. The hash covers
    # what is billed, not the VAT category, so these are "the same" for duplicate checks.
    ("ubl/peppol-vat-category-E.xml", "ubl/peppol-vat-category-Z.xml"),
]

DIFFERENT_CONTENT = [
    # INVOICE_test_7: the CII version is dated 2013-05-13 and states no tax total, the
    # UBL version is dated 2013-03-11 and states a tax total of 0.00.
    ("cii/en16931-CII_example7.xml", "ubl/en16931-ubl-tc434-example7.xml"),
    # 20150483, Bluem BV: due 2015-04-15 in CII, 2015-04-14 in UBL.
    ("cii/en16931-CII_example9.xml", "ubl/en16931-ubl-tc434-example9.xml"),
    # TOSL108, SubscriptionSeller: three different invoices under one number.
    ("cii/en16931-CII_example3.xml", "ubl/en16931-guide-example3.xml"),
    ("ubl/en16931-guide-example3.xml", "ubl/en16931-ubl-tc434-example3.xml"),
    # TOSL110: example 5 has 2337.50 prepaid, example 4 has not.
    ("cii/en16931-CII_example4.xml", "cii/en16931-CII_example5.xml"),
    # 12345, Company A: the same invoice with every amount negated.
    ("ubl/en16931-BIS3_Invoice_positive.XML", "ubl/en16931-BIS3_Invoice_negativ.XML"),
    # Snippet1: an invoice and the credit note that corrects it.
    ("ubl/peppol-base-example.xml", "ubl/peppol-base-creditnote-correction.xml"),
]


def _pair_id(pair: tuple[str, str]) -> str:
    return " vs ".join(Path(name).stem for name in pair)


@pytest.mark.parametrize("pair", SAME_CONTENT, ids=_pair_id)
def test_the_same_invoice_hashes_the_same_in_any_syntax(pair: tuple[str, str]) -> None:
    first, second = (_one(SAMPLES / name) for name in pair)
    assert first.number == second.number
    assert first.content_hash() == second.content_hash()


@pytest.mark.parametrize("pair", DIFFERENT_CONTENT, ids=_pair_id)
def test_a_different_invoice_under_the_same_number_hashes_differently(
    pair: tuple[str, str],
) -> None:
    first, second = (_one(SAMPLES / name) for name in pair)
    assert (first.seller.name, first.number) == (second.seller.name, second.number)
    assert first.content_hash() != second.content_hash()


def test_the_de_koksmaat_invoice_agrees_field_by_field() -> None:
    cii_invoice = _one(SAMPLES / "cii/en16931-CII_example1.xml")
    ubl_invoice = _one(SAMPLES / "ubl/en16931-guide-example1.xml")
    for name in ("number", "issue_date", "due_date", "currency", "tax_amount", "total_amount"):
        assert getattr(cii_invoice, name) == getattr(ubl_invoice, name), name
    assert cii_invoice.seller.tax_id == ubl_invoice.seller.tax_id == "NL8200.98.395.B.01"
    assert sorted(line.net_amount for line in cii_invoice.lines) == sorted(
        line.net_amount for line in ubl_invoice.lines
    )
