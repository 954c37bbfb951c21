"""Import invoices from ERP exports (CSV) and e-invoices (UBL, CII), idempotently.

Each file is read whole by a pure parser first, so a bad file is rejected
before anything is written; then it is written in one transaction. For each
document the outcome is one of:

- added: new party, direction, kind and number;
- skipped: that document is already here with the same content (the same
  invoice sent twice, or once as UBL and once as CII);
- updated: an ERP export (CSV) changed a document it exported earlier, e.g.
  its status; the ERP is the book of record;
- held: an e-invoice with the number of one already here but different
  content: kept as a suspected duplicate, on hold, for someone to review.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from ledgerdesk.core import audit
from ledgerdesk.core.models import AuditEntry, ImportRun
from ledgerdesk.core.money import is_currency
from ledgerdesk.ledger.formats import FormatError, parse_bytes
from ledgerdesk.ledger.formats.common import ParsedInvoice
from ledgerdesk.ledger.models import (
    Direction,
    Invoice,
    InvoiceLine,
    InvoiceStatusChange,
    PurchaseOrder,
)
from ledgerdesk.ledger.services import set_status
from ledgerdesk.ledger.signals import invoices_created
from ledgerdesk.parties.services import CUSTOMER, VENDOR, PartyResolver

CHUNK = 1000
ProgressCallback = Callable[[int], None]


@dataclass
class FileOutcome:
    source: str
    file_format: str = ""
    added: int = 0
    updated: int = 0
    skipped: int = 0
    held: int = 0
    error: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return bool(self.error)

    @property
    def documents(self) -> int:
        return self.added + self.updated + self.skipped + self.held


@dataclass
class ImportSummary:
    files: list[FileOutcome] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(1 for f in self.files if f.rejected)

    def line(self) -> str:
        return (
            f"{len(self.files)} file(s): {self.total('added')} added, "
            f"{self.total('updated')} updated, {self.total('skipped')} skipped "
            f"(already imported), {self.total('held')} held as suspected duplicates, "
            f"{self.rejected} file(s) rejected"
        )


def import_files(
    paths: Iterable[Path | str],
    direction: str | None = None,
    progress: Callable[[str, int], ProgressCallback | None] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> ImportSummary:
    summary = ImportSummary()
    # One resolver for the whole run: 100,000 e-invoices from 300 vendors ask
    # the database about each vendor once, not once per file.
    parties = PartyResolver()
    for path in paths:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            outcome = FileOutcome(source=str(path), error=f"cannot read the file: {exc.strerror}")
            _log_run(outcome, "")
        else:
            outcome = import_bytes(data, str(path), direction, progress, parties)
        summary.files.append(outcome)
        if on_file:
            on_file(outcome)
    return summary


def import_bytes(
    data: bytes,
    source: str,
    direction: str | None = None,
    progress: Callable[[str, int], ProgressCallback | None] | None = None,
    parties: PartyResolver | None = None,
) -> FileOutcome:
    """Import one file's bytes. Nothing is written unless the whole file is good."""
    sha = hashlib.sha256(data).hexdigest()
    outcome = FileOutcome(source=source)
    try:
        documents = parse_bytes(data, Path(source).name)
        if not documents:
            raise FormatError("the file holds no invoice", source=Path(source).name)
        outcome.file_format = documents[0].syntax
        for document in documents:
            _check_storable(document, direction)
    except FormatError as exc:
        outcome.error = str(exc)
        _log_run(outcome, sha)
        return outcome
    tick = progress(source, len(documents)) if progress else None
    parties = parties or PartyResolver()
    checkpoint = parties.checkpoint()
    try:
        with transaction.atomic():
            _Writer(outcome, direction, Path(source).name, tick, parties).write(documents)
    except FormatError as exc:
        parties.rollback_to(checkpoint)  # parties made for this file were rolled back too
        outcome.error = str(exc)
        outcome.added = outcome.updated = outcome.skipped = outcome.held = 0
        outcome.notes.clear()
    _log_run(outcome, sha)
    return outcome


_LIMITS = {"number": 64, "po_reference": 64, "buyer_reference": 64, "payment_reference": 140}


def _check_storable(doc: ParsedInvoice, direction: str | None) -> None:
    """Refuse what the database would truncate or cannot hold, naming the field."""
    where = f"invoice {doc.number[:30]}"
    if not doc.number.strip():
        raise FormatError("the invoice number is empty", where, doc.source)
    for name, limit in _LIMITS.items():
        if len(getattr(doc, name)) > limit:
            raise FormatError(f"{name} is longer than {limit} characters", where, doc.source)
    if not is_currency(doc.currency):
        raise FormatError(f"currency {doc.currency!r} is not an ISO 4217 code", where, doc.source)
    side = _direction_of(doc, direction)
    if not _party_of(doc, side).name.strip():
        role = "seller (our vendor)" if side == Direction.PAYABLE else "buyer (our customer)"
        raise FormatError(f"the {role} has no name", where, doc.source)
    limit = Decimal("1e16")
    for name in ("net_amount", "total_amount", "payable_amount", "prepaid_amount"):
        if abs(getattr(doc, name)) >= limit:
            raise FormatError(f"{name} {getattr(doc, name)} is too large", where, doc.source)


def _direction_of(doc: ParsedInvoice, requested: str | None) -> str:
    # An ERP export says per row; an e-invoice is one we received (AP)
    # unless the caller says we sent it.
    return doc.direction or requested or Direction.PAYABLE


def _party_of(doc: ParsedInvoice, direction: str):
    return doc.seller if direction == Direction.PAYABLE else doc.buyer


class _Writer:
    def __init__(self, outcome: FileOutcome, direction, source_name, tick, parties):
        self.outcome = outcome
        self.direction = direction
        self.source_name = source_name
        self.tick = tick
        self.parties = parties
        self.now = timezone.now()
        self.user, self.actor_label = audit.current_actor()

    def write(self, documents: list[ParsedInvoice]) -> None:
        for start in range(0, len(documents), CHUNK):
            chunk = documents[start : start + CHUNK]
            self._write_chunk(chunk)
            if self.tick:
                self.tick(len(chunk))

    def _write_chunk(self, chunk: list[ParsedInvoice]) -> None:
        keyed = []
        for doc in chunk:
            direction = _direction_of(doc, self.direction)
            party_data = _party_of(doc, direction)
            party = self.parties.resolve(
                name=party_data.name,
                tax_id=party_data.tax_id,
                role=VENDOR if direction == Direction.PAYABLE else CUSTOMER,
                currency=doc.currency,
                country=party_data.country,
                city=party_data.city,
                email=party_data.email,
                contact_name=party_data.contact_name,
                phone=party_data.phone,
            )
            keyed.append(((party.pk, direction, doc.kind, doc.number), doc, party))

        existing = self._existing({key for key, _, _ in keyed})
        orders = self._orders(chunk)
        to_create: list[tuple[Invoice, ParsedInvoice]] = []
        for key, doc, party in keyed:
            digest = doc.content_hash()
            same_key = existing.setdefault(key, [])
            live = next((inv for inv in same_key if inv.duplicate_of_id is None), None)
            if any(inv.content_hash == digest for inv in same_key):
                self.outcome.skipped += 1
                self.outcome.notes.append(
                    f"{_label(doc)} from {party.name}: already imported (same content)"
                )
                continue
            if live is not None and doc.syntax == "csv" and live.source == Invoice.Source.CSV:
                self._update(live, doc, digest)
                continue
            invoice = self._new_invoice(key, doc, party, digest, orders)
            if live is not None:
                invoice.duplicate_of = live
                invoice.status = Invoice.Status.ON_HOLD
                invoice.hold_reason = (
                    f"Suspected duplicate of {_label(doc)} imported earlier: same number, "
                    "different content. Review before paying."
                )[:300]
                self.outcome.held += 1
                self.outcome.notes.append(
                    f"{_label(doc)} from {party.name}: held as a suspected duplicate "
                    f"(same number as one already imported, different content)"
                )
            else:
                self.outcome.added += 1
            same_key.append(invoice)
            to_create.append((invoice, doc))
        self._create(to_create)

    def _existing(self, keys) -> dict[tuple, list[Invoice]]:
        found: dict[tuple, list[Invoice]] = {}
        if not keys:
            return found
        party_ids = {k[0] for k in keys}
        numbers = {k[3] for k in keys}
        rows = Invoice.objects.filter(party_id__in=party_ids, number__in=numbers).only(
            "id",
            "party_id",
            "direction",
            "kind",
            "number",
            "content_hash",
            "duplicate_of_id",
            "source",
            "status",
        )
        for inv in rows:
            key = (inv.party_id, inv.direction, inv.kind, inv.number)
            if key in keys:
                found.setdefault(key, []).append(inv)
        return found

    def _orders(self, chunk) -> dict[str, PurchaseOrder]:
        refs = {doc.po_reference for doc in chunk if doc.po_reference}
        if not refs:
            return {}
        return {po.number: po for po in PurchaseOrder.objects.filter(number__in=refs)}

    def _new_invoice(self, key, doc: ParsedInvoice, party, digest, orders) -> Invoice:
        party_id, direction, kind, number = key
        status = doc.status or (
            Invoice.Status.RECEIVED if direction == Direction.PAYABLE else Invoice.Status.ISSUED
        )
        settled = status in Invoice.CLOSED_STATUSES
        order = orders.get(doc.po_reference)
        if order is not None and order.party_id != party_id:
            order = None  # a PO number that belongs to someone else is not this invoice's PO
        return Invoice(
            direction=direction,
            kind=kind,
            party_id=party_id,
            number=number,
            issue_date=doc.issue_date,
            due_date=doc.due_date,
            currency=doc.currency,
            net_amount=doc.net_amount,
            tax_amount=doc.tax_amount if doc.tax_amount is not None else Decimal("0"),
            total_amount=doc.total_amount,
            prepaid_amount=doc.prepaid_amount,
            amount_payable=doc.payable_amount,
            amount_open=Decimal("0") if settled else doc.payable_amount,
            status=status,
            status_changed_at=self.now,
            purchase_order=order,
            po_reference=doc.po_reference,
            buyer_reference=doc.buyer_reference,
            payment_reference=doc.payment_reference,
            source=doc.syntax,
            source_name=self.source_name[:255],
            content_hash=digest,
        )

    def _create(self, pairs: list[tuple[Invoice, ParsedInvoice]]) -> None:
        if not pairs:
            return
        invoices = Invoice.objects.bulk_create([inv for inv, _ in pairs], batch_size=CHUNK)
        lines, history, entries = [], [], []
        for invoice, doc in zip(invoices, (d for _, d in pairs), strict=True):
            lines.extend(_line_rows(invoice.pk, doc))
            history.append(
                InvoiceStatusChange(
                    invoice_id=invoice.pk,
                    status=invoice.status,
                    at=self.now,
                    by_id=getattr(self.user, "pk", None),
                    by_label=self.actor_label,
                    note=(invoice.hold_reason or f"Imported from {self.source_name}")[:300],
                )
            )
            entries.append(
                audit.entry(
                    AuditEntry.Action.IMPORT,
                    invoice,
                    after={
                        "number": invoice.number,
                        "currency": invoice.currency,
                        "total_amount": str(invoice.total_amount),
                        "amount_payable": str(invoice.amount_payable),
                        "status": invoice.status,
                    },
                    note=f"from {self.source_name}",
                )
            )
        InvoiceLine.objects.bulk_create(lines, batch_size=CHUNK)
        InvoiceStatusChange.objects.bulk_create(history, batch_size=CHUNK)
        audit.record_many(entries)
        ids = [invoice.pk for invoice in invoices]
        transaction.on_commit(lambda: invoices_created.send(sender=Invoice, ids=ids))

    def _update(self, invoice: Invoice, doc: ParsedInvoice, digest: str) -> None:
        """The ERP re-exported a document with changes: take its word, keep the history."""
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.allocations.exists() and invoice.amount_payable != doc.payable_amount:
            raise FormatError(
                "the amount payable changed, but payments are already applied to it; "
                "correct it with a credit note in the ERP",
                f"invoice {doc.number}",
                doc.source,
            )
        status = doc.status or invoice.status
        invoice.issue_date = doc.issue_date
        invoice.due_date = doc.due_date
        invoice.currency = doc.currency
        invoice.net_amount = doc.net_amount
        invoice.tax_amount = doc.tax_amount if doc.tax_amount is not None else Decimal("0")
        invoice.total_amount = doc.total_amount
        invoice.prepaid_amount = doc.prepaid_amount
        if invoice.amount_payable != doc.payable_amount:
            invoice.amount_open = doc.payable_amount
        invoice.amount_payable = doc.payable_amount
        invoice.po_reference = doc.po_reference
        invoice.payment_reference = doc.payment_reference
        invoice.content_hash = digest
        invoice.source_name = self.source_name[:255]
        if status in Invoice.CLOSED_STATUSES:
            invoice.amount_open = Decimal("0")
        status_changed = status != invoice.status
        invoice.save()  # audited field by field by the signal
        if status_changed:
            set_status(invoice, status, f"Status from the ERP export {self.source_name}")
        invoice.lines.all().delete()
        InvoiceLine.objects.bulk_create(_line_rows(invoice.pk, doc))
        self.outcome.updated += 1
        self.outcome.notes.append(f"{_label(doc)}: updated from the ERP export")


def _line_rows(invoice_id: int, doc: ParsedInvoice) -> list[InvoiceLine]:
    return [
        InvoiceLine(
            invoice_id=invoice_id,
            position=position,
            line_id=line.line_id[:40],
            description=line.description[:500],
            quantity=line.quantity,
            unit_code=line.unit_code[:10],
            unit_price=line.unit_price,
            net_amount=line.net_amount,
            tax_rate=line.tax_rate,
        )
        for position, line in enumerate(doc.lines, start=1)
    ]


def _label(doc: ParsedInvoice) -> str:
    return f"{'credit note' if doc.kind == 'credit_note' else 'invoice'} {doc.number}"


def _log_run(outcome: FileOutcome, sha: str) -> None:
    _, label = audit.current_actor()
    if outcome.rejected:
        result = ImportRun.Outcome.REJECTED
    elif outcome.added or outcome.updated or outcome.held:
        result = ImportRun.Outcome.IMPORTED
    else:
        result = ImportRun.Outcome.NOTHING_NEW
    ImportRun.objects.create(
        kind="invoices",
        source_name=Path(outcome.source).name[:255],
        file_sha256=sha,
        file_format=outcome.file_format,
        actor_label=label,
        outcome=result,
        added=outcome.added,
        updated=outcome.updated,
        skipped=outcome.skipped,
        held=outcome.held,
        message=outcome.error or "\n".join(outcome.notes[:200]),
    )
