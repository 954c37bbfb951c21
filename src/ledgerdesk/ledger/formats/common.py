"""Plain data that every invoice parser returns, and the error it raises.

The parsers in this package are pure: they take bytes or text and return
`ParsedInvoice` values. They import nothing from Django, so they can be
tested (and fuzzed) without a database, and the importer in
`ledger/importer.py` is the only place that turns them into rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


class FormatError(Exception):
    """A document that cannot be read as an invoice.

    `location` names where the problem is in terms the sender can act on:
    ``line 7`` for CSV, an XPath such as ``/Invoice/cbc:IssueDate`` for XML.
    """

    def __init__(self, reason: str, location: str = "", source: str = ""):
        self.reason = reason
        self.location = location
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [p for p in (self.source, self.location) if p]
        return ": ".join([*parts, self.reason])


@dataclass(frozen=True)
class ParsedParty:
    name: str
    tax_id: str = ""  # VAT or other tax registration number, as stated
    registration_id: str = ""  # company registry id, GLN, etc.
    email: str = ""
    phone: str = ""
    contact_name: str = ""
    street: str = ""
    city: str = ""
    postcode: str = ""
    country: str = ""  # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class ParsedLine:
    line_id: str
    description: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal | None
    net_amount: Decimal
    tax_rate: Decimal | None = None  # percent, e.g. Decimal("25")
    tax_category: str = ""


KIND_INVOICE = "invoice"
KIND_CREDIT_NOTE = "credit_note"


@dataclass(frozen=True)
class ParsedInvoice:
    syntax: str  # "ubl", "cii" or "csv"
    kind: str  # KIND_INVOICE or KIND_CREDIT_NOTE
    number: str
    issue_date: date
    due_date: date | None
    currency: str
    seller: ParsedParty
    buyer: ParsedParty
    net_amount: Decimal  # sum of line net amounts (BT-106)
    tax_amount: Decimal | None  # total tax in the document currency (BT-110); None if not stated
    total_amount: Decimal  # tax inclusive total (BT-112)
    payable_amount: Decimal  # amount due for payment (BT-115)
    prepaid_amount: Decimal = Decimal("0")  # BT-113
    lines: tuple[ParsedLine, ...] = ()
    po_reference: str = ""  # purchase order reference (BT-13)
    buyer_reference: str = ""  # BT-10
    payment_reference: str = ""  # remittance information (BT-83)
    payee_iban: str = ""  # BT-84
    preceding_invoice: str = ""  # for credit notes: the invoice corrected (BT-25)
    note: str = ""
    source: str = ""  # file name, for messages
    direction: str = ""  # "ap" or "ar" when the file states it (CSV); "" for e-invoices
    status: str = ""  # the ERP's status when the file states it (CSV); "" otherwise
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def content_hash(self) -> str:
        """A fingerprint of what the invoice says, independent of its syntax.

        The same invoice sent once as UBL and once as CII hashes the same, so
        the importer can tell "already imported" from "same number, different
        content" (a suspected duplicate to hold for review).
        """
        amounts = sorted(_norm(line.net_amount) for line in self.lines)
        parts = [
            self.kind,
            self.number.strip(),
            self.issue_date.isoformat(),
            self.due_date.isoformat() if self.due_date else "",
            self.currency.upper(),
            _norm(self.net_amount),
            _norm(self.tax_amount),
            _norm(self.total_amount),
            _norm(self.payable_amount),
            ",".join(amounts),
        ]
        if self.status:
            # An ERP export states where the invoice is; a changed status is
            # news to take in, not the same document again.
            parts.append(self.status)
        return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _norm(value: Decimal | None) -> str:
    if value is None:
        return ""
    return str(value.quantize(Decimal("0.01")))
