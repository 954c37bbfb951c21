"""UN/CEFACT CII D16B invoices (Factur-X, ZUGFeRD, XRechnung)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ledgerdesk.ledger.formats import FormatError, ParsedInvoice, cii

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "einvoices"
BLUEM = (SAMPLES / "cii/en16931-CII_example9.xml").read_text(encoding="utf-8")
SUMMATION = "ram:SpecifiedTradeSettlementHeaderMonetarySummation"
SETTLEMENT = (
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
)


def _parse(text: str, source: str = "test.xml") -> ParsedInvoice:
    return cii.parse(text.encode("utf-8"), source)


def _sample(name: str) -> ParsedInvoice:
    return cii.parse((SAMPLES / "cii" / name).read_bytes(), name)


def _edit(text: str, old: str, new: str) -> str:
    """Replace one exact, unique piece of a sample, so a test cannot silently edit nothing."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def _error(text: str) -> FormatError:
    with pytest.raises(FormatError) as caught:
        _parse(text)
    return caught.value


def test_it_reads_the_header_parties_and_payment_details() -> None:
    invoice = _parse(BLUEM)
    assert (invoice.syntax, invoice.kind, invoice.number) == ("cii", "invoice", "20150483")
    assert (invoice.issue_date, invoice.due_date) == (date(2015, 4, 1), date(2015, 4, 15))
    assert invoice.currency == "EUR"
    assert invoice.payment_reference == "2015 0483 0000 0000"
    assert invoice.payee_iban == "NL13RABO0377815500"
    assert invoice.note.startswith("Vriendelijk verzoeken wij u")
    assert invoice.extra["guideline_id"] == "urn:cen.eu:en16931:2017"

    seller = invoice.seller
    assert (seller.name, seller.tax_id, seller.registration_id) == (
        "Bluem BV",
        "NL809163160B01",
        "32081330 Amersfoort",
    )
    assert (seller.phone, seller.email) == ("033-4549055", "info@bluem.nl")
    assert (seller.street, seller.postcode, seller.city, seller.country) == (
        "Lindeboomseweg 41",
        "3825 AL",
        "Amersfoort",
        "NL",
    )
    assert invoice.buyer.name == "Provide Verzekeringen"


def test_it_reads_totals_and_lines_as_decimals() -> None:
    invoice = _parse(BLUEM)
    assert invoice.net_amount == Decimal("147")
    assert invoice.tax_amount == Decimal("30.87")
    assert invoice.total_amount == invoice.payable_amount == Decimal("177.87")
    [line] = invoice.lines
    assert (line.line_id, line.description) == ("1", "IExpress licentiekosten")
    assert (line.quantity, line.unit_code) == (Decimal("3"), "MON")
    assert (line.unit_price, line.net_amount) == (Decimal("49"), Decimal("147"))
    assert (line.tax_rate, line.tax_category) == (Decimal("21"), "S")


def test_it_reads_contacts_and_the_buyer_reference() -> None:
    invoice = _sample("en16931-huf_example_cii.xml")
    assert invoice.currency == "HUF"
    assert invoice.buyer_reference == "992-80013-14"
    assert invoice.seller.contact_name == "Ilka Laßmann"
    assert invoice.seller.email == "ilka.lassmann@dkv-euroservice.com"
    assert invoice.buyer.tax_id == "DE242688168"


def test_it_picks_the_tax_total_in_the_invoice_currency() -> None:
    # TaxTotalAmount appears twice: 675.00 DKK (invoice currency) and 628.62 EUR.
    invoice = _sample("en16931-CII_example5.xml")
    assert invoice.tax_amount == Decimal("675.00")
    assert invoice.extra["tax_currency"] == "EUR"
    assert invoice.extra["tax_amount_in_tax_currency"] == Decimal("628.62")
    assert invoice.prepaid_amount == Decimal("2337.5")
    assert invoice.po_reference == "PO4711"


def test_a_missing_tax_total_is_not_stated_rather_than_zero() -> None:
    assert _sample("en16931-CII_example7.xml").tax_amount is None
    assert _sample("en16931-XRechnung-O.xml").tax_amount is None
    assert _sample("en16931-CII_business_example_Z.xml").tax_amount == Decimal("0")


def test_type_code_381_is_a_credit_note() -> None:
    text = _edit(BLUEM, "<ram:TypeCode>380</ram:TypeCode>", "<ram:TypeCode>381</ram:TypeCode>")
    text = _edit(
        text,
        "<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>",
        "<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>"
        "<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>20150400</ram:IssuerAssignedID>"
        "</ram:InvoiceReferencedDocument>",
    )
    invoice = _parse(text)
    assert (invoice.kind, invoice.preceding_invoice) == ("credit_note", "20150400")


def test_a_ubl_document_is_not_a_cii_one() -> None:
    with pytest.raises(FormatError, match=r"not a CII invoice: the root element is Invoice"):
        cii.parse((SAMPLES / "ubl/peppol-base-example.xml").read_bytes())


# --- broken copies ------------------------------------------------------------------------


def test_truncated_xml_names_the_line() -> None:
    error = _error(BLUEM[: BLUEM.index("<ram:ApplicableHeaderTradeSettlement>")])
    assert re.fullmatch(r"line \d+", error.location)
    assert error.reason.startswith("not well-formed XML: ")


def test_a_missing_payable_amount_names_its_xpath() -> None:
    text = _edit(BLUEM, "<ram:DuePayableAmount>177.87</ram:DuePayableAmount>", "")
    error = _error(text)
    assert error.location == f"{SETTLEMENT}/{SUMMATION}/ram:DuePayableAmount"
    assert error.reason == "required element is missing"


def test_a_bad_issue_date_names_the_value() -> None:
    text = _edit(BLUEM, 'format="102">20150401<', 'format="102">20151301<')
    error = _error(text)
    assert error.location == (
        "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"
    )
    assert error.reason == "'20151301' is not a date (YYYYMMDD), line 25"


def test_an_iso_date_in_a_date_time_string_is_refused() -> None:
    text = _edit(BLUEM, 'format="102">20150401<', 'format="102">2015-04-01<')
    assert "'2015-04-01' is not a date (YYYYMMDD)" in _error(text).reason


def test_a_date_format_other_than_102_is_refused() -> None:
    text = _edit(BLUEM, 'format="102">20150401<', 'format="610">201504<')
    error = _error(text)
    assert error.reason.startswith("date format '610' is not supported (only 102, YYYYMMDD)")


def test_a_bad_due_date_names_the_payment_terms() -> None:
    text = _edit(BLUEM, 'format="102">20150415<', 'format="102">20150431<')
    error = _error(text)
    assert error.location == (
        f"{SETTLEMENT}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString"
    )


def test_a_bad_amount_names_the_value() -> None:
    text = _edit(BLUEM, "<ram:GrandTotalAmount>177.87<", "<ram:GrandTotalAmount>177,87<")
    error = _error(text)
    assert error.location == f"{SETTLEMENT}/{SUMMATION}/ram:GrandTotalAmount"
    assert "'177,87' is not a decimal number" in error.reason


def test_a_bad_line_quantity_names_the_line() -> None:
    text = _edit(BLUEM, 'unitCode="MON">3<', 'unitCode="MON">three<')
    error = _error(text)
    assert error.location == (
        "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
        "/ram:IncludedSupplyChainTradeLineItem[1]"
        "/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity"
    )
    assert "'three'" in error.reason


def test_a_tax_total_only_in_another_currency_is_refused() -> None:
    text = _edit(
        BLUEM, '<ram:TaxTotalAmount currencyID="EUR">', '<ram:TaxTotalAmount currencyID="USD">'
    )
    error = _error(text)
    assert error.location == f"{SETTLEMENT}/{SUMMATION}/ram:TaxTotalAmount"
    assert error.reason == "no tax total in the invoice currency EUR (found USD)"


def test_an_invoice_without_lines_is_refused() -> None:
    text, count = re.subn(
        r"<ram:IncludedSupplyChainTradeLineItem>.*?</ram:IncludedSupplyChainTradeLineItem>",
        "",
        BLUEM,
        flags=re.DOTALL,
    )
    assert count == 1
    error = _error(text)
    assert error.location.endswith("/ram:IncludedSupplyChainTradeLineItem")
    assert error.reason == "the invoice has no lines (at least one is required)"


def test_a_missing_currency_is_refused() -> None:
    text = _edit(BLUEM, "<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>", "")
    assert _error(text).location == f"{SETTLEMENT}/ram:InvoiceCurrencyCode"


def test_an_entity_declaration_is_refused() -> None:
    text = _edit(
        BLUEM,
        '<?xml version="1.0" encoding="utf-8"?>',
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE x [<!ENTITY e "boom">]>',
    )
    error = _error(text)
    assert (error.location, error.reason) == (
        "line 2",
        "DTDs and entity declarations are not accepted",
    )
