"""UBL 2.1 invoices and credit notes (EN 16931 UBL syntax, Peppol BIS Billing 3.0).

Reads, relative to the root ``Invoice`` or ``CreditNote``:

- ``cbc:ID`` (BT-1), ``cbc:IssueDate`` (BT-2), ``cbc:InvoiceTypeCode`` /
  ``cbc:CreditNoteTypeCode`` (BT-3), ``cbc:DocumentCurrencyCode`` (BT-5),
  ``cbc:DueDate`` or else ``cac:PaymentMeans/cbc:PaymentDueDate`` (BT-9),
  ``cbc:BuyerReference`` (BT-10), ``cbc:Note`` (BT-22);
- ``cac:OrderReference/cbc:ID`` (BT-13), ``cac:BillingReference/
  cac:InvoiceDocumentReference/cbc:ID`` (BT-25);
- seller and buyer from ``cac:AccountingSupplierParty/cac:Party`` and
  ``cac:AccountingCustomerParty/cac:Party``: legal name (``cac:PartyLegalEntity/
  cbc:RegistrationName``, else ``cac:PartyName/cbc:Name``), VAT id
  (``cac:PartyTaxScheme/cbc:CompanyID``), registration id, contact and address;
- ``cac:PaymentMeans/cbc:PaymentID`` (BT-83) and ``cac:PayeeFinancialAccount/cbc:ID``
  (BT-84);
- ``cac:TaxTotal/cbc:TaxAmount`` in the document currency (BT-110);
- ``cac:LegalMonetaryTotal``: LineExtensionAmount (BT-106), TaxInclusiveAmount
  (BT-112), PrepaidAmount (BT-113), PayableAmount (BT-115);
- every ``cac:InvoiceLine`` / ``cac:CreditNoteLine`` (BG-25).
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

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NAMESPACES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}

# (root namespace, root name) -> (line element, quantity element, type code element)
_DOCUMENTS = {
    (NS_INVOICE, "Invoice"): ("cac:InvoiceLine", "cbc:InvoicedQuantity", "cbc:InvoiceTypeCode"),
    (NS_CREDIT_NOTE, "CreditNote"): (
        "cac:CreditNoteLine",
        "cbc:CreditedQuantity",
        "cbc:CreditNoteTypeCode",
    ),
}

# Peppol BIS 3 lets a sender that only has a sales order put "NA" in the
# mandatory order reference; it is a placeholder, not a purchase order number.
_NO_PURCHASE_ORDER = "NA"


def is_ubl(namespace: str, name: str) -> bool:
    return (namespace, name) in _DOCUMENTS


def parse(data: bytes, source: str = "") -> ParsedInvoice:
    """Parse one UBL Invoice or CreditNote document."""
    return parse_root(load(data, source), source)


def parse_root(root: etree._Element, source: str = "") -> ParsedInvoice:
    namespace, name = local_name(root)
    if not is_ubl(namespace, name):
        raise FormatError(
            f"not a UBL invoice: the root element is {name} ({namespace or 'no namespace'})",
            f"line {root.sourceline}",
            source,
        )
    line_tag, quantity_tag, type_tag = _DOCUMENTS[(namespace, name)]
    doc = Node(root, f"/{name}", NAMESPACES, source)

    number = doc.text("cbc:ID", required=True)
    issue_date = doc.iso_date("cbc:IssueDate", required=True)
    currency = currency_code(doc, "cbc:DocumentCurrencyCode")
    type_code = doc.text(type_tag)
    is_credit = name == "CreditNote" or type_code in CREDIT_NOTE_TYPE_CODES

    due_date = doc.iso_date("cbc:DueDate") or doc.iso_date("cac:PaymentMeans/cbc:PaymentDueDate")

    seller_node = doc.require("cac:AccountingSupplierParty/cac:Party")
    seller = _party(seller_node)
    if not seller.name:
        raise seller_node.error(
            "the seller has no name (cac:PartyLegalEntity/cbc:RegistrationName "
            "or cac:PartyName/cbc:Name)"
        )
    buyer = _party(doc.find("cac:AccountingCustomerParty/cac:Party"))

    totals = doc.require("cac:LegalMonetaryTotal")
    tax_amount, extra = _tax_total(doc, currency)

    lines = tuple(_line(node, quantity_tag, currency) for node in doc.find_all(line_tag))
    if not lines:
        # EN 16931 requires at least one line (BG-25, 1..n); without lines
        # nothing can be matched to a purchase order or receipt.
        raise doc.error("the document has no lines (at least one is required)", line_tag)

    po_reference = doc.text("cac:OrderReference/cbc:ID")
    sales_order = doc.text("cac:OrderReference/cbc:SalesOrderID")
    if po_reference == _NO_PURCHASE_ORDER:
        po_reference = ""
    for key, value in (
        ("type_code", type_code),
        ("customization_id", doc.text("cbc:CustomizationID")),
        ("profile_id", doc.text("cbc:ProfileID")),
        ("sales_order_id", sales_order),
    ):
        if value:
            extra[key] = value

    return ParsedInvoice(
        syntax="ubl",
        kind=KIND_CREDIT_NOTE if is_credit else KIND_INVOICE,
        number=number,
        issue_date=issue_date,
        due_date=due_date,
        currency=currency,
        seller=seller,
        buyer=buyer,
        net_amount=_amount(totals, "cbc:LineExtensionAmount", currency),
        tax_amount=tax_amount,
        total_amount=_amount(totals, "cbc:TaxInclusiveAmount", currency),
        payable_amount=_amount(totals, "cbc:PayableAmount", currency),
        prepaid_amount=_amount(totals, "cbc:PrepaidAmount", currency, required=False),
        lines=lines,
        po_reference=po_reference,
        buyer_reference=doc.text("cbc:BuyerReference"),
        payment_reference=doc.text("cac:PaymentMeans/cbc:PaymentID"),
        payee_iban=doc.text("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID"),
        preceding_invoice=doc.text("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
        note="\n".join(n.own_text() for n in doc.find_all("cbc:Note") if n.own_text()),
        source=source,
        extra=extra,
    )


def _amount(node: Node, relative: str, currency: str, *, required: bool = True) -> Decimal:
    """A monetary amount, which must be in the document currency when it says so."""
    found = node.require(relative) if required else node.find(relative)
    if found is None:
        return Decimal("0")
    stated = found.attribute("currencyID").upper()
    if stated and stated != currency:
        raise found.error(f"amount is in {stated} but the document currency is {currency}")
    return found.own_decimal()


def _tax_total(doc: Node, currency: str) -> tuple[Decimal | None, dict]:
    """BT-110 and, when a tax currency is used, BT-111 (kept in `extra`).

    A document with a separate tax currency carries two TaxTotal elements;
    only the one in the document currency adds up with the other totals.
    """
    extra: dict = {}
    tax_currency = doc.text("cbc:TaxCurrencyCode").upper()
    if tax_currency and tax_currency != currency:
        extra["tax_currency"] = tax_currency
    totals = doc.find_all("cac:TaxTotal")
    amounts = [total.require("cbc:TaxAmount") for total in totals]
    tax_amount, seen = tax_in_currency(amounts, currency, tax_currency, extra)
    if totals and tax_amount is None:
        raise doc.error(
            f"no tax total in the document currency {currency} (found {', '.join(seen)})",
            "cac:TaxTotal/cbc:TaxAmount",
        )
    return tax_amount, extra


def _party(party: Node | None) -> ParsedParty:
    if party is None:
        return ParsedParty(name="")
    endpoint = party.find("cbc:EndpointID")
    endpoint_email = ""
    if endpoint is not None and endpoint.attribute("schemeID").upper() == "EM":
        endpoint_email = endpoint.own_text()
    street = ", ".join(
        part
        for part in (
            party.text("cac:PostalAddress/cbc:StreetName"),
            party.text("cac:PostalAddress/cbc:AdditionalStreetName"),
        )
        if part
    )
    return ParsedParty(
        name=party.first_text(
            "cac:PartyLegalEntity/cbc:RegistrationName", "cac:PartyName/cbc:Name"
        ),
        tax_id=_vat_id(party),
        registration_id=party.first_text(
            "cac:PartyLegalEntity/cbc:CompanyID", "cac:PartyIdentification/cbc:ID"
        ),
        email=party.text("cac:Contact/cbc:ElectronicMail") or endpoint_email,
        phone=party.text("cac:Contact/cbc:Telephone"),
        contact_name=party.text("cac:Contact/cbc:Name"),
        street=street,
        city=party.text("cac:PostalAddress/cbc:CityName"),
        postcode=party.text("cac:PostalAddress/cbc:PostalZone"),
        country=party.text("cac:PostalAddress/cac:Country/cbc:IdentificationCode").upper(),
    )


def _vat_id(party: Node) -> str:
    """The VAT number when several tax schemes are listed, else the first id given."""
    schemes = party.find_all("cac:PartyTaxScheme")
    for scheme in schemes:
        if scheme.text("cac:TaxScheme/cbc:ID").upper() == "VAT":
            value = scheme.text("cbc:CompanyID")
            if value:
                return value
    return party.text("cac:PartyTaxScheme/cbc:CompanyID")


def _line(line: Node, quantity_tag: str, currency: str) -> ParsedLine:
    quantity = line.require(quantity_tag)
    return ParsedLine(
        line_id=line.text("cbc:ID", required=True),
        description=line.first_text("cac:Item/cbc:Name", "cac:Item/cbc:Description"),
        quantity=quantity.own_decimal(),
        unit_code=quantity.attribute("unitCode"),
        unit_price=line.decimal("cac:Price/cbc:PriceAmount"),
        net_amount=_amount(line, "cbc:LineExtensionAmount", currency),
        tax_rate=line.decimal("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"),
        tax_category=line.text("cac:Item/cac:ClassifiedTaxCategory/cbc:ID"),
    )
