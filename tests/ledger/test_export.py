import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from ledgerdesk.ledger.models import Invoice
from tests.factories import InvoiceFactory, PartyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoices():
    acme = PartyFactory(name="Acme BV", tax_id="NL1")
    other = PartyFactory(name="Other Ltd")
    first = InvoiceFactory(party=acme, number="4411", total_amount=Decimal("1520.00"))
    InvoiceFactory(party=other, number="X-1", duplicate_of=None)
    InvoiceFactory(
        party=acme,
        number="4411",
        duplicate_of=first,
        status=Invoice.Status.ON_HOLD,
        hold_reason="Suspected duplicate",
    )
    return acme


def _run(*args):
    out = io.StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def test_csv_has_every_invoice_with_the_documented_columns(invoices):
    rows = list(csv.DictReader(io.StringIO(_run("invoices", "--format", "csv"))))
    assert len(rows) == 3
    first = rows[0]
    assert first["party_name"] == "Acme BV"
    assert first["number"] == "4411"
    assert first["direction"] == "ap"
    assert first["total_amount"] == "1520.00"
    assert first["amount_open"] == "1210.00"
    assert first["status"] == "received"
    assert rows[2]["suspected_duplicate_of"] == "4411"
    for column in (
        "issue_date",
        "due_date",
        "currency",
        "net_amount",
        "tax_amount",
        "amount_payable",
    ):
        assert column in first


def test_json_keeps_amounts_exact_and_filters_by_party(invoices):
    data = json.loads(_run("invoices", "--format", "json", "--party", str(invoices.pk)))
    assert [row["number"] for row in data] == ["4411", "4411"]
    assert data[0]["total_amount"] == "1520.00"  # a string, never a float
    assert data[0]["issue_date"] == "2026-10-01"


def test_an_empty_export_is_valid_json(db):
    assert json.loads(_run("invoices", "--format", "json")) == []


def test_an_unknown_party_is_an_error(invoices):
    with pytest.raises(CommandError, match="--party: no party with id 999999"):
        _run("invoices", "--party", "999999")


def test_it_writes_to_a_file(invoices, tmp_path):
    target = tmp_path / "out.csv"
    err = io.StringIO()
    call_command("export", "invoices", "--output", str(target), stderr=err)
    assert "Wrote 3 invoices" in err.getvalue()
    assert target.read_text().startswith("party_id,party_name")
