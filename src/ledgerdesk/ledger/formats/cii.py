"""UN/CEFACT Cross Industry Invoice D16B (EN 16931 CII syntax: Factur-X, ZUGFeRD, XRechnung).

Reads, relative to ``/rsm:CrossIndustryInvoice``:

- ``rsm:ExchangedDocument``: ``ram:ID`` (BT-1), ``ram:TypeCode`` (BT-3, 381 and
  the other UNTDID 1001 credit codes make a credit note), ``ram:IssueDateTime``
  (BT-2), ``ram:IncludedNote/ram:Content`` (BT-22);
- ``ram:ApplicableHeaderTradeAgreement``: ``ram:BuyerReference`` (BT-10),
  ``ram:SellerTradeParty`` and ``ram:BuyerTradeParty`` (name, VAT id from
  ``ram:SpecifiedTaxRegistration``, legal registration, contact, address),
  ``ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID`` (BT-13);
- ``ram:ApplicableHeaderTradeSettlement``: ``ram:InvoiceCurrencyCode`` (BT-5),
  ``ram:PaymentReference`` (BT-83), the payee IBAN (BT-84), the due date
  (BT-9), ``ram:InvoiceReferencedDocument`` (BT-25) and the monetary summation:
  LineTotalAmount (BT-106), TaxTotalAmount in the invoice currency (BT-110),
  GrandTotalAmount (BT-112), TotalPrepaidAmount (BT-113), DuePayableAmount (BT-115);
- every ``ram:IncludedSupplyChainTradeLineItem`` (BG-25).

Dates are ``udt:DateTimeString`` in format 102 (YYYYMMDD), the only one EN 16931 allows.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from .common import (
    KIND_CREDIT_NOTE,
    KIND_INVOICE,
    FormatError,
    ParsedInvoice,
    ParsedLine,
    ParsedParty,
)
from .xml import CREDIT_NOTE_TYPE_CODES, Node, currency_code, load, local_name, tax_in_currency

NS_CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NAMESPACES = {
    "rsm": NS_CII,
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
ROOT_PATH = "/rsm:CrossIndustryInvoice"

_ACCOUNT = "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount"
_DUE_DATE = "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString"


def is_cii(namespace: str, name: str) -> bool:
    return namespace == NS_CII and name == "CrossIndustryInvoice"


def parse(data: bytes, source: str = "") -> ParsedInvoice:
    """Parse one CrossIndustryInvoice document."""
    return parse_root(load(data, source), source)


def parse_root(root: etree._Element, source: str = "") -> ParsedInvoice:
    namespace, name = local_name(root)
    if not is_cii(namespace, name):
        raise FormatError(
            f"not a CII invoice: the root element is {name} ({namespace or 'no namespace'})",
            f"line {root.sourceline}",
            source,
        )
    doc = Node(root, ROOT_PATH, NAMESPACES, source)
    exchanged = doc.require("rsm:ExchangedDocument")
    number = exchanged.text("ram:ID", required=True)
    type_code = exchanged.text("ram:TypeCode")
    issue_date = exchanged.date_102("ram:IssueDateTime/udt:DateTimeString", required=True)
    note = "\n".join(
        text
        for text in (n.text("ram:Content") for n in exchanged.find_all("ram:IncludedNote"))
        if text
    )

    transaction = doc.require("rsm:SupplyChainTradeTransaction")
    agreement = transaction.require("ram:ApplicableHeaderTradeAgreement")
    settlement = transaction.require("ram:ApplicableHeaderTradeSettlement")
    currency = currency_code(settlement, "ram:InvoiceCurrencyCode")

    seller_node = agreement.require("ram:SellerTradeParty")
    seller = _party(seller_node)
    if not seller.name:
        raise seller_node.error("the seller has no name", "ram:Name")
    buyer = _party(agreement.find("ram:BuyerTradeParty"))

    summation = settlement.require("ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    tax_amount, extra = _tax_total(settlement, summation, currency)

    lines = tuple(
        _line(node) for node in transaction.find_all("ram:IncludedSupplyChainTradeLineItem")
    )
    if not lines:
        # EN 16931 requires at least one line (BG-25, 1..n).
        raise transaction.error(
            "the invoice has no lines (at least one is required)",
            "ram:IncludedSupplyChainTradeLineItem",
        )

    for key, value in (
        ("type_code", type_code),
        (
            "guideline_id",
            doc.text(
                "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"
            ),
        ),
    ):
        if value:
            extra[key] = value

    return ParsedInvoice(
        syntax="cii",
        kind=KIND_CREDIT_NOTE if type_code in CREDIT_NOTE_TYPE_CODES else KIND_INVOICE,
        number=number,
        issue_date=issue_date,
        due_date=settlement.date_102(_DUE_DATE),
        currency=currency,
        seller=seller,
        buyer=buyer,
        net_amount=summation.decimal("ram:LineTotalAmount", required=True),
        tax_amount=tax_amount,
        total_amount=summation.decimal("ram:GrandTotalAmount", required=True),
        payable_amount=summation.decimal("ram:DuePayableAmount", required=True),
        prepaid_amount=summation.decimal("ram:TotalPrepaidAmount") or Decimal("0"),
        lines=lines,
        po_reference=agreement.text("ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
        buyer_reference=agreement.text("ram:BuyerReference"),
        payment_reference=settlement.text("ram:PaymentReference"),
        payee_iban=settlement.first_text(f"{_ACCOUNT}/ram:IBANID", f"{_ACCOUNT}/ram:ProprietaryID"),
        preceding_invoice=settlement.text("ram:InvoiceReferencedDocument/ram:IssuerAssignedID"),
        note=note,
        source=source,
        extra=extra,
    )


def _tax_total(settlement: Node, summation: Node, currency: str) -> tuple[Decimal | None, dict]:
    """BT-110 and, when a tax currency is used, BT-111 (kept in `extra`).

    With a separate tax currency the summation holds two TaxTotalAmount
    elements told apart only by currencyID; an invoice without tax (e.g. VAT
    category O) may hold none, which is "not stated", not zero.
    """
    extra: dict = {}
    tax_currency = settlement.text("ram:TaxCurrencyCode").upper()
    if tax_currency and tax_currency != currency:
        extra["tax_currency"] = tax_currency
    amounts = summation.find_all("ram:TaxTotalAmount")
    tax_amount, seen = tax_in_currency(amounts, currency, tax_currency, extra)
    if amounts and tax_amount is None:
        raise summation.error(
            f"no tax total in the invoice currency {currency} (found {', '.join(seen)})",
            "ram:TaxTotalAmount",
        )
    return tax_amount, extra


def _party(party: Node | None) -> ParsedParty:
    if party is None:
        return ParsedParty(name="")
    uri = party.find("ram:URIUniversalCommunication/ram:URIID")
    uri_email = ""
    if uri is not None and uri.attribute("schemeID").upper() == "EM":
        uri_email = uri.own_text()
    street = ", ".join(
        part
        for part in (
            party.text("ram:PostalTradeAddress/ram:LineOne"),
            party.text("ram:PostalTradeAddress/ram:LineTwo"),
        )
        if part
    )
    contact = "ram:DefinedTradeContact"
    return ParsedParty(
        name=party.text("ram:Name"),
        tax_id=_vat_id(party),
        registration_id=party.first_text(
            "ram:SpecifiedLegalOrganization/ram:ID", "ram:GlobalID", "ram:ID"
        ),
        email=party.text(f"{contact}/ram:EmailURIUniversalCommunication/ram:URIID") or uri_email,
        phone=party.text(f"{contact}/ram:TelephoneUniversalCommunication/ram:CompleteNumber"),
        contact_name=party.first_text(f"{contact}/ram:PersonName", f"{contact}/ram:DepartmentName"),
        street=street,
        city=party.text("ram:PostalTradeAddress/ram:CityName"),
        postcode=party.text("ram:PostalTradeAddress/ram:PostcodeCode"),
        country=party.text("ram:PostalTradeAddress/ram:CountryID").upper(),
    )


def _vat_id(party: Node) -> str:
    """The VAT number (scheme VA) ahead of a local fiscal number (scheme FC)."""
    registrations = party.find_all("ram:SpecifiedTaxRegistration/ram:ID")
    for registration in registrations:
        if registration.attribute("schemeID").upper() == "VA" and registration.own_text():
            return registration.own_text()
    return registrations[0].own_text() if registrations else ""


def _line(item: Node) -> ParsedLine:
    quantity = item.require("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")
    settlement = "ram:SpecifiedLineTradeSettlement"
    return ParsedLine(
        line_id=item.text("ram:AssociatedDocumentLineDocument/ram:LineID", required=True),
        description=item.first_text(
            "ram:SpecifiedTradeProduct/ram:Name", "ram:SpecifiedTradeProduct/ram:Description"
        ),
        quantity=quantity.own_decimal(),
        unit_code=quantity.attribute("unitCode"),
        unit_price=item.decimal(
            "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount"
        ),
        net_amount=item.decimal(
            f"{settlement}/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
            required=True,
        ),
        tax_rate=item.decimal(f"{settlement}/ram:ApplicableTradeTax/ram:RateApplicablePercent"),
        tax_category=item.text(f"{settlement}/ram:ApplicableTradeTax/ram:CategoryCode"),
    )
