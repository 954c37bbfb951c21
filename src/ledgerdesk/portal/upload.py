"""A vendor submits an invoice in the portal: what is wrong with the file, all of it at once.

`sniff` tells a PDF from an e-invoice (UBL or CII XML) by its content, never by its name.
`check` takes a parsed e-invoice and the signed-in party and returns every problem found:
blocking ones (another seller, no purchase order number, totals that do not add up, an invoice
we already have) and warnings that do not stop it (a near-same number, due before issued).
`receive_xml` imports a clean one through `ledger.importer`; `receive_pdf` opens a desk case
with the PDF attached, for the AP team to key in.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Attachment, Case, Message, Team
from ledgerdesk.ledger.formats import FormatError, ParsedInvoice, parse_bytes
from ledgerdesk.ledger.formats.xml import load, local_name
from ledgerdesk.ledger.importer import FileOutcome, import_bytes
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.mail import outbound
from ledgerdesk.parties.services import PartyResolver
from ledgerdesk.portal.models import PortalAccount
from ledgerdesk.portal.plainwords import Reader
from ledgerdesk.portal.scoping import scoped

MAX_BYTES = 10 * 1024 * 1024
TOLERANCE = Decimal("0.01")
PDF = "pdf"
XML = "xml"
# Tax-exclusive totals (after document-level allowances and charges): UBL BT-109, CII BT-109.
_TAX_EXCLUSIVE = {"TaxExclusiveAmount", "TaxBasisTotalAmount"}


class UploadError(Exception):
    """The file cannot be taken at all; the message is for the vendor."""


@dataclass(frozen=True)
class Problem:
    text: str
    blocking: bool = True


def sniff(data: bytes) -> str:
    """PDF or XML, by content; UploadError for anything else."""
    if not data:
        raise UploadError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise UploadError("The file is larger than 10 MB; please send a smaller one.")
    if data.startswith(b"%PDF-"):
        return PDF
    head = data[:400]
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                          (b"\xfe\xff", "utf-16-be")):  # fmt: skip
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, errors="ignore").encode()
            break
    if head.lstrip().startswith(b"<"):
        return XML
    raise UploadError(
        "This file is neither a PDF nor an e-invoice (UBL or CII XML). "
        "Please send the invoice as a PDF or as an e-invoice."
    )


def where(location: str) -> str:
    """A parser location in plain words."""
    if not location:
        return ""
    if location.startswith("line "):
        return f" (on {location} of the file)"
    return f" (at {location} in the file)"


def parse(data: bytes, filename: str) -> ParsedInvoice:
    """The one e-invoice in `data`; UploadError with the reason and where it is."""
    try:
        documents = parse_bytes(data, _xml_name(filename))
    except FormatError as exc:
        raise UploadError(
            f"We could not read this e-invoice: {exc.reason}{where(exc.location)}."
        ) from None
    if len(documents) != 1:
        raise UploadError("The file should hold exactly one invoice.")
    return documents[0]


def _xml_name(filename: str) -> str:
    """A name for messages that never makes the parser take the XML for CSV."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", filename.rsplit("/", 1)[-1]).strip("-.") or "invoice"
    return stem if stem.lower().endswith(".xml") else f"{stem[:200]}.xml"


def tax_exclusive_total(data: bytes) -> Decimal | None:
    """BT-109 as stated in the document (after allowances and charges), if it states it."""
    try:
        root = load(data, "")
    except FormatError:
        return None
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if local_name(element)[1] in _TAX_EXCLUSIVE and (element.text or "").strip():
            try:
                return Decimal(element.text.strip())
            except ArithmeticError:
                return None
    return None


def simplified(number: str) -> str:
    return re.sub(r"[^0-9a-z]", "", number.casefold())


def check(
    doc: ParsedInvoice, party, reader: Reader, *, tax_exclusive: Decimal | None = None
) -> list[Problem]:
    """Everything wrong with `doc` as an invoice from `party`, blocking problems first."""
    problems: list[Problem] = []
    money = lambda amount: reader.money(amount, doc.currency)  # noqa: E731
    label = "credit note" if doc.kind == "credit_note" else "invoice"

    seller = PartyResolver().find(name=doc.seller.name, tax_id=doc.seller.tax_id)
    if seller is None or seller.pk != party.pk:
        named = doc.seller.name or "no name"
        if doc.seller.tax_id:
            named += f", tax id {doc.seller.tax_id}"
        problems.append(
            Problem(
                f"This invoice names another seller ({named}). Send only invoices that you "
                f"issued as {party.name}."
            )
        )
    if not doc.po_reference.strip():
        problems.append(
            Problem(
                "Add your purchase order number: the invoice does not say which of our "
                "purchase orders it is for."
            )
        )

    line_sum = sum((line.net_amount for line in doc.lines), Decimal("0"))
    if doc.lines and abs(line_sum - doc.net_amount) > TOLERANCE:
        problems.append(
            Problem(
                f"The lines add up to {money(line_sum)}, but the invoice states a net amount "
                f"of {money(doc.net_amount)}."
            )
        )
    base = tax_exclusive if tax_exclusive is not None else doc.net_amount
    tax = doc.tax_amount or Decimal("0")
    if abs(base + tax - doc.total_amount) > TOLERANCE:
        problems.append(
            Problem(
                f"The amount before tax ({money(base)}) plus tax ({money(tax)}) is "
                f"{money(base + tax)}, but the invoice states a total of "
                f"{money(doc.total_amount)}."
            )
        )
    due = doc.total_amount - doc.prepaid_amount
    if abs(due - doc.payable_amount) > TOLERANCE:
        problems.append(
            Problem(
                f"The total ({money(doc.total_amount)}) less the amount already paid "
                f"({money(doc.prepaid_amount)}) is {money(due)}, but the invoice asks for "
                f"{money(doc.payable_amount)}."
            )
        )

    number = doc.number.strip()
    mine = scoped(Invoice.objects.payable(), party)
    same = mine.filter(kind=doc.kind, number=number).order_by("created_at").first()
    if same is not None:
        problems.append(
            Problem(
                f"We already have {label} {number} from you (received on "
                f"{reader.date(same.created_at, 'long')}). If this is a correction, send a "
                "credit note and a new invoice with a new number."
            )
        )
    else:
        key = simplified(number)
        if key:
            for other, created in mine.values_list("number", "created_at").iterator():
                if other != number and simplified(other) == key:
                    problems.append(
                        Problem(
                            f"We already have invoice {other} from you (received on "
                            f"{reader.date(created, 'long')}), which looks like {number}. "
                            "If it is the same invoice, please do not send it again.",
                            blocking=False,
                        )
                    )
                    break
    if doc.due_date is not None and doc.due_date < doc.issue_date:
        problems.append(
            Problem(
                f"The due date ({reader.date(doc.due_date, 'long')}) is before the issue date "
                f"({reader.date(doc.issue_date, 'long')}); we will use the payment terms "
                "agreed with you.",
                blocking=False,
            )
        )
    problems.sort(key=lambda p: not p.blocking)
    return problems


@dataclass
class Received:
    invoice: Invoice | None
    outcome: FileOutcome


def receive_xml(data: bytes, filename: str, doc: ParsedInvoice, party) -> Received:
    """Import a checked e-invoice; the importer resolves the seller, checked to be `party`."""
    outcome = import_bytes(data, _xml_name(filename), direction="ap")
    invoice = None
    if not outcome.rejected and (outcome.added or outcome.held):
        invoice = (
            scoped(Invoice.objects.payable(), party)
            .filter(number=doc.number.strip(), content_hash=doc.content_hash())
            .order_by("-id")
            .first()
        )
    return Received(invoice, outcome)


def receive_pdf(data: bytes, filename: str, account: PortalAccount) -> Case:
    """Open a case for the AP team with the PDF attached; they key the invoice in."""
    team = Team.objects.filter(direction="ap").order_by("id").first()
    if team is None:
        raise UploadError("We cannot take invoices here right now; please e-mail them to us.")
    contact = account.contact
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", filename.rsplit("/", 1)[-1]).strip("-.")
    name = (name or "invoice")[:200]
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    subject = "Invoice submitted as PDF"
    text = (
        f"{contact.name} of {account.party.name} submitted an invoice as a PDF in the portal "
        f"({name}). Please key it in."
    )
    with transaction.atomic():
        case = desk.open_case(
            team=team,
            subject=subject,
            text=text,
            channel=Case.Channel.PORTAL,
            category=Case.Category.MISSING_INVOICE,
            party=account.party,
            contact=contact,
            requester_email=contact.email,
            requester_name=contact.name,
        )
        message = desk.record_inbound(
            case,
            Message(
                message_id=f"portal.{secrets.token_hex(10)}@{outbound.desk_domain()}",
                sender_name=contact.name[:200],
                sender_email=contact.email,
                to=team.email,
                subject=subject,
                text=text,
                at=timezone.now(),
            ),
        )
        attachment = Attachment(
            message=message, filename=name, content_type="application/pdf", size=len(data)
        )
        attachment.file.save(name, ContentFile(data), save=False)
        attachment.save()
    return case
