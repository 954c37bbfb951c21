"""Invoice export rows for `ledgerdesk export invoices`."""

from __future__ import annotations

from collections.abc import Iterator

from ledgerdesk.ledger.models import Invoice

INVOICE_COLUMNS = [
    "party_id",
    "party_name",
    "party_tax_id",
    "number",
    "direction",
    "kind",
    "issue_date",
    "due_date",
    "currency",
    "net_amount",
    "tax_amount",
    "total_amount",
    "amount_payable",
    "amount_open",
    "status",
    "hold_reason",
    "po_reference",
    "suspected_duplicate_of",
]


def invoice_rows(party_id: int | None = None) -> Iterator[dict]:
    invoices = Invoice.objects.order_by("id")
    if party_id is not None:
        invoices = invoices.filter(party_id=party_id)
    # values() with the party's columns joined: one streamed query, no model instances.
    rows = invoices.values_list(
        "party_id",
        "party__name",
        "party__tax_id",
        "number",
        "direction",
        "kind",
        "issue_date",
        "due_date",
        "currency",
        "net_amount",
        "tax_amount",
        "total_amount",
        "amount_payable",
        "amount_open",
        "status",
        "hold_reason",
        "po_reference",
        "duplicate_of__number",
    )
    for row in rows.iterator(chunk_size=5000):
        yield dict(zip(INVOICE_COLUMNS, row, strict=True))
