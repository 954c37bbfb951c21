"""UBL 2.1 / Peppol BIS 3 invoices and credit notes."""

from __future__ import annotations

import re
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ledgerdesk.ledger.formats import FormatError, ParsedInvoice, ubl

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "einvoices"
BASE = (SAMPLES / "ubl/peppol-base-example.xml").read_text(encoding="utf-8")
CREDIT_NOTE = (SAMPLES / "ubl/en16931-ubl-tc434-creditnote1.xml").read_text(encoding="utf-8")


def _parse(text: str, source: str = "test.xml") -> ParsedInvoice:
    return ubl.parse(text.encode("utf-8"), source)


def _edit(text: str, old: str, new: str) -> str:
    """Replace one exact, unique piece of a sample, so a test cannot silently edit nothing."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def _without(text: str, pattern: str) -> str:
    edited, count = re.subn(pattern, "", text, flags=re.DOTALL)
    assert count >= 1, pattern
    return edited


def _error(text: str) -> FormatError:
    with pytest.raises(FormatError) as caught:
        _parse(text)
    return caught.value


def test_it_reads_the_header_parties_and_payment_details() -> None:
    invoice = _parse(BASE)
    assert (invoice.syntax, invoice.kind, invoice.number) == ("ubl", "invoice", "Snippet1")
    assert (invoice.issue_date, invoice.due_date) == (date(2017, 11, 13), date(2017, 12, 1))
    assert invoice.buyer_reference == "0150abc"
    assert invoice.payment_reference == "Snippet1"
    assert invoice.payee_iban == "IBAN32423940"
    assert invoice.po_reference == ""
    assert invoice.preceding_invoice == ""

    seller = invoice.seller
    assert seller.name == "SupplierOfficialName Ltd"  # legal name, not the trading name
    assert (seller.tax_id, seller.registration_id) == ("GB1232434", "GB983294")
    assert (seller.street, seller.city, seller.postcode, seller.country) == (
        "Main street 1, Postbox 123",
        "London",
        "GB 123 EW",
        "GB",
    )
    buyer = invoice.buyer
    assert (buyer.name, buyer.tax_id) == ("Buyer Official Name", "SE4598375937")
    assert (buyer.contact_name, buyer.phone, buyer.email) == (
        "Lisa Johnson",
        "23434234",
        "lj@buyer.se",
    )


def test_it_reads_totals_and_lines_as_decimals() -> None:
    invoice = _parse(BASE)
    assert invoice.net_amount == Decimal("1300")
    assert invoice.tax_amount == Decimal("331.25")
    assert invoice.total_amount == invoice.payable_amount == Decimal("1656.25")
    assert invoice.prepaid_amount == Decimal("0")
    first, second = invoice.lines
    assert (first.line_id, first.description, first.unit_code) == ("1", "item name", "DAY")
    assert (first.quantity, first.unit_price, first.net_amount) == (
        Decimal("7"),
        Decimal("400"),
        Decimal("2800"),
    )
    assert (first.tax_rate, first.tax_category) == (Decimal("25.0"), "S")
    assert (second.quantity, second.net_amount) == (Decimal("-3"), Decimal("-1500"))
    assert all(isinstance(line.net_amount, Decimal) for line in invoice.lines)


def test_it_falls_back_to_the_trading_name() -> None:
    text = _edit(BASE, "<cbc:RegistrationName>SupplierOfficialName Ltd</cbc:RegistrationName>", "")
    assert _parse(text).seller.name == "SupplierTradingName Ltd."


def test_it_reads_a_credit_note() -> None:
    invoice = _parse(CREDIT_NOTE)
    assert (invoice.kind, invoice.number) == ("credit_note", "018304 / 28865")
    assert invoice.seller.email == "john.doole@mysuppliercompany.be"
    [line] = invoice.lines
    assert (line.quantity, line.unit_code, line.net_amount) == (
        Decimal("1.00"),
        "C62",
        Decimal("100.11"),
    )
    assert invoice.due_date is None


def test_a_credit_note_takes_its_due_date_from_the_payment_means() -> None:
    text = _edit(
        CREDIT_NOTE,
        "<cbc:PaymentMeansCode>1</cbc:PaymentMeansCode>",
        "<cbc:PaymentMeansCode>1</cbc:PaymentMeansCode>"
        "<cbc:PaymentDueDate>2019-10-23</cbc:PaymentDueDate>",
    )
    assert _parse(text).due_date == date(2019, 10, 23)


def test_an_invoice_type_code_381_is_a_credit_note() -> None:
    text = _edit(BASE, "<cbc:InvoiceTypeCode>380<", "<cbc:InvoiceTypeCode>381<")
    assert _parse(text).kind == "credit_note"


def test_it_reads_the_corrected_invoice_of_a_credit_note() -> None:
    invoice = ubl.parse(
        (SAMPLES / "ubl/peppol-base-creditnote-correction.xml").read_bytes(), "cn.xml"
    )
    assert (invoice.kind, invoice.preceding_invoice) == ("credit_note", "Snippet1")


def test_it_picks_the_tax_total_in_the_document_currency() -> None:
    # Two TaxTotal elements: 20.73 EUR (document currency) and 2000.73 SEK (tax currency).
    invoice = ubl.parse((SAMPLES / "ubl/en16931-ubl-tc434-example10.xml").read_bytes())
    assert invoice.currency == "EUR"
    assert invoice.tax_amount == Decimal("20.73")
    assert invoice.extra["tax_currency"] == "SEK"
    assert invoice.extra["tax_amount_in_tax_currency"] == Decimal("2000.73")


def test_it_refuses_a_tax_total_only_in_another_currency() -> None:
    text = _edit(
        BASE,
        '<cbc:TaxAmount currencyID="EUR">331.25</cbc:TaxAmount>\n        <cac:TaxSubtotal>',
        '<cbc:TaxAmount currencyID="SEK">331.25</cbc:TaxAmount>\n        <cac:TaxSubtotal>',
    )
    error = _error(text)
    assert error.location == "/Invoice/cac:TaxTotal/cbc:TaxAmount"
    assert error.reason == "no tax total in the document currency EUR (found SEK)"


def test_a_document_without_tax_total_states_no_tax() -> None:
    text = _without(BASE, r"<cac:TaxTotal>.*?</cac:TaxTotal>")
    assert _parse(text).tax_amount is None


def test_it_reads_the_prepaid_amount() -> None:
    invoice = ubl.parse((SAMPLES / "ubl/en16931-FT_G2G_TD01_split_payment.xml").read_bytes())
    assert invoice.prepaid_amount == Decimal("274.12")
    assert invoice.total_amount - invoice.prepaid_amount == invoice.payable_amount


def test_it_parses_a_large_document_quickly() -> None:
    # 3.3 MB, most of it an embedded PDF in base64: well under lxml's huge_tree limits.
    start = time.perf_counter()
    ubl.parse((SAMPLES / "ubl/en16931-FT_G2G_TD01_split_payment.xml").read_bytes())
    assert time.perf_counter() - start < 2


# --- broken copies ------------------------------------------------------------------------


def test_truncated_xml_names_the_line() -> None:
    truncated = BASE[: BASE.index("<cac:LegalMonetaryTotal>")]
    error = _error(truncated)
    assert re.fullmatch(r"line \d+", error.location)
    assert error.reason.startswith("not well-formed XML: ")
    assert str(error).startswith(f"test.xml: {error.location}: not well-formed XML")


def test_a_missing_payable_amount_names_its_xpath() -> None:
    text = _edit(BASE, '<cbc:PayableAmount currencyID="EUR">1656.25</cbc:PayableAmount>', "")
    error = _error(text)
    assert str(error) == (
        "test.xml: /Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount: required element is missing"
    )


def test_a_missing_credit_note_total_names_the_credit_note_path() -> None:
    text = _edit(
        CREDIT_NOTE, '<cbc:TaxInclusiveAmount currencyID="EUR">100.11</cbc:TaxInclusiveAmount>', ""
    )
    assert _error(text).location == "/CreditNote/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"


def test_a_bad_date_names_the_value() -> None:
    text = _edit(BASE, "<cbc:IssueDate>2017-11-13<", "<cbc:IssueDate>2017-13-45<")
    error = _error(text)
    assert error.location == "/Invoice/cbc:IssueDate"
    assert error.reason == "'2017-13-45' is not a date (YYYY-MM-DD), line 8"


def test_a_bad_amount_names_the_value() -> None:
    text = _edit(BASE, ">1656.25</cbc:PayableAmount>", ">1.656,25</cbc:PayableAmount>")
    error = _error(text)
    assert error.location == "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount"
    assert "'1.656,25' is not a decimal number" in error.reason


@pytest.mark.parametrize("value", ["NaN", "1e3", "Infinity", "١٢", ""])
def test_it_accepts_only_plain_decimals(value: str) -> None:
    text = _edit(BASE, ">1656.25</cbc:PayableAmount>", f">{value}</cbc:PayableAmount>")
    assert _error(text).location.endswith("/cbc:PayableAmount")


def test_a_bad_line_amount_names_the_line() -> None:
    text = _edit(BASE, ">-1500</cbc:LineExtensionAmount>", ">abc</cbc:LineExtensionAmount>")
    error = _error(text)
    assert error.location == "/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount"
    assert "'abc'" in error.reason


def test_an_amount_in_another_currency_is_refused() -> None:
    text = _edit(
        BASE,
        '<cbc:PayableAmount currencyID="EUR">',
        '<cbc:PayableAmount currencyID="USD">',
    )
    error = _error(text)
    assert error.reason == "amount is in USD but the document currency is EUR"


def test_a_bad_currency_code_is_refused() -> None:
    text = _edit(BASE, "<cbc:DocumentCurrencyCode>EUR<", "<cbc:DocumentCurrencyCode>EURO<")
    error = _error(text)
    assert error.location == "/Invoice/cbc:DocumentCurrencyCode"
    assert "'EURO' is not a currency code" in error.reason


def test_an_invoice_without_lines_is_refused() -> None:
    # EN 16931 requires at least one invoice line (BG-25).
    text = _without(BASE, r"<cac:InvoiceLine>.*?</cac:InvoiceLine>")
    error = _error(text)
    assert str(error) == (
        "test.xml: /Invoice/cac:InvoiceLine: the document has no lines (at least one is required)"
    )


def test_a_seller_without_any_name_is_refused() -> None:
    text = _without(BASE, r"<cbc:RegistrationName>SupplierOfficialName Ltd</cbc:RegistrationName>")
    text = _without(
        text, r"<cac:PartyName>\s*<cbc:Name>SupplierTradingName Ltd\.</cbc:Name>\s*</cac:PartyName>"
    )
    error = _error(text)
    assert error.location == "/Invoice/cac:AccountingSupplierParty/cac:Party"
    assert error.reason.startswith("the seller has no name")


BOMB = """<?xml version="1.0"?>
<!DOCTYPE Invoice [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&e;</Invoice>
"""


def test_an_entity_bomb_is_refused_before_expansion() -> None:
    start = time.perf_counter()
    error = _error(BOMB)
    assert time.perf_counter() - start < 1
    assert str(error) == "test.xml: line 2: DTDs and entity declarations are not accepted"


def test_an_external_entity_is_refused() -> None:
    text = _edit(
        BASE,
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    )
    text = _edit(text, "<cbc:ID>Snippet1</cbc:ID>", "<cbc:ID>&xxe;</cbc:ID>")
    assert _error(text).reason == "DTDs and entity declarations are not accepted"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_an_entity_bomb_in_utf16_is_refused_too(encoding: str) -> None:
    data = BOMB.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    with pytest.raises(FormatError) as caught:
        ubl.parse(data.encode(encoding), "utf16.xml")
    assert str(caught.value) == "utf16.xml: line 2: DTDs and entity declarations are not accepted"


def test_a_cii_document_is_not_a_ubl_one() -> None:
    with pytest.raises(FormatError, match=r"not a UBL invoice: the root element is Cross"):
        ubl.parse((SAMPLES / "cii/en16931-CII_example1.xml").read_bytes())
