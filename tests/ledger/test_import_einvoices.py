"""`ledgerdesk import-invoices` on the real EN 16931 and Peppol samples."""

import csv
import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ledgerdesk.core.models import ImportRun
from ledgerdesk.ledger.importer import import_bytes, import_files
from ledgerdesk.ledger.models import Direction, Invoice
from ledgerdesk.parties.models import Party

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "einvoices"
EXPECTED = list(csv.DictReader((SAMPLES / "expected.csv").open(encoding="utf-8")))


def _sample_files():
    return sorted((SAMPLES / "ubl").iterdir()) + sorted((SAMPLES / "cii").iterdir())


def _date(text):
    if not text:
        return None
    if "-" in text:
        return datetime.date.fromisoformat(text)
    return datetime.datetime.strptime(text, "%Y%m%d").date()


@pytest.fixture
def imported():
    return import_files(_sample_files())


def test_every_sample_is_stored_as_expected_csv_states(imported):
    assert imported.rejected == 0
    for row in EXPECTED:
        if not (
            (SAMPLES / "ubl" / row["file"]).exists() or (SAMPLES / "cii" / row["file"]).exists()
        ):
            continue
        matches = Invoice.objects.filter(
            number=row["number"],
            issue_date=_date(row["issue_date"]),
            due_date=_date(row["due_date"]),
            currency=row["currency"],
            total_amount=Decimal(row["tax_inclusive"]),
            amount_payable=Decimal(row["payable"]),
            kind=row["kind"],
        )
        assert matches.exists(), row["file"]
        invoice = matches.first()
        assert invoice.tax_amount == Decimal(row["tax_total"] or "0"), row["file"]
        assert invoice.direction == Direction.PAYABLE


def test_every_file_is_added_skipped_or_held(imported):
    files = _sample_files()
    assert len(imported.files) == len(files)
    for outcome in imported.files:
        assert outcome.documents == 1, outcome.source
    assert imported.total("added") + imported.total("skipped") + imported.total("held") == len(
        files
    )
    assert imported.total("skipped") > 0 and imported.total("held") > 0


def test_same_invoice_in_ubl_and_cii_is_reported_as_already_imported(imported):
    cii = next(f for f in imported.files if f.source.endswith("en16931-CII_example1.xml"))
    assert cii.skipped == 1
    assert "invoice 12115118 from De Koksmaat: already imported (same content)" in cii.notes
    assert Invoice.objects.filter(number="12115118").count() == 1


def test_same_number_different_content_is_held_for_review(imported):
    # The positive and negative BIS3 examples: same seller, same number 12345, opposite amounts.
    held = Invoice.objects.get(number="12345", duplicate_of__isnull=False)
    live = Invoice.objects.get(number="12345", duplicate_of__isnull=True)
    assert held.duplicate_of == live
    assert held.status == Invoice.Status.ON_HOLD
    assert "Suspected duplicate" in held.hold_reason
    assert held.total_amount == -live.total_amount


def test_sellers_become_vendors_never_duplicated(imported):
    assert Party.objects.filter(is_vendor=True).count() == Party.objects.count()
    names = list(Party.objects.values_list("name_key", flat=True))
    assert len(names) == len(set(names))
    tax_ids = [t for t in Party.objects.values_list("tax_id_key", flat=True) if t]
    assert len(tax_ids) == len(set(tax_ids))
    koksmaat = Party.objects.get(name="De Koksmaat")
    assert koksmaat.invoices.count() == 1


def test_a_second_run_adds_nothing_and_says_so(imported):
    before = (Invoice.objects.count(), Party.objects.count())
    again = import_files(_sample_files())
    assert again.total("added") == again.total("held") == again.total("updated") == 0
    assert again.total("skipped") == len(_sample_files())
    assert (Invoice.objects.count(), Party.objects.count()) == before
    latest = ImportRun.objects.order_by("-id")[: len(_sample_files())]
    assert {run.outcome for run in latest} == {ImportRun.Outcome.NOTHING_NEW}


def test_the_file_in_rejects_is_in_fact_an_invoice_and_a_copy_of_the_base_example(imported):
    # shared/data calls this file a sales order, but its root is a Peppol BIS 3
    # <Invoice> (type 380) that only adds a sales-order reference to
    # peppol-base-example.xml. It is read as what it is: already imported.
    outcome = import_files([SAMPLES / "rejects" / "peppol-sales-order-example.xml"]).files[0]
    assert not outcome.rejected
    assert outcome.skipped == 1
    assert "already imported (same content)" in outcome.notes[0]


def test_a_document_that_is_not_an_invoice_is_refused():
    order = (SAMPLES / "ubl" / "peppol-base-example.xml").read_text(encoding="utf-8")
    order = order.replace("<Invoice ", "<Order ", 1).replace("</Invoice>", "</Order>")
    order = order.replace(
        "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
        "urn:oasis:names:specification:ubl:schema:xsd:Order-2",
    )
    outcome = import_bytes(order.encode(), "order.xml")
    assert outcome.rejected
    assert "not an invoice: the root element is Order" in outcome.error
    assert Invoice.objects.count() == 0 and Party.objects.count() == 0


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (lambda t: t[: len(t) // 2], "line "),
        (
            lambda t: t.replace("<cbc:PayableAmount", "<cbc:Ignored", 1).replace(
                "</cbc:PayableAmount>", "</cbc:Ignored>", 1
            ),
            "PayableAmount",
        ),
        (
            lambda t: t.replace("<cbc:IssueDate>2017-11-13", "<cbc:IssueDate>2017-13-45", 1),
            "IssueDate",
        ),
        (
            lambda t: t.replace(
                '<cbc:PayableAmount currencyID="EUR">1656.25',
                '<cbc:PayableAmount currencyID="EUR">16x6.25',
                1,
            ),
            "PayableAmount",
        ),
        (
            lambda t: t.replace(
                '<?xml version="1.0" encoding="UTF-8"?>',
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>',
                1,
            ),
            "DTD",
        ),
    ],
    ids=["truncated", "payable-missing", "bad-date", "bad-amount", "entity-bomb"],
)
def test_a_broken_copy_is_rejected_whole_with_the_reason(breakage, expected):
    text = (SAMPLES / "ubl" / "peppol-base-example.xml").read_text(encoding="utf-8")
    outcome = import_bytes(breakage(text).encode(), "broken.xml")
    assert outcome.rejected
    assert expected in outcome.error
    assert "broken.xml" in outcome.error
    assert Invoice.objects.count() == 0 and Party.objects.count() == 0
    assert ImportRun.objects.get().outcome == ImportRun.Outcome.REJECTED


def test_direction_ar_makes_the_buyer_a_customer():
    data = (SAMPLES / "ubl" / "peppol-base-example.xml").read_bytes()
    import_bytes(data, "peppol-base-example.xml", direction="ar")
    invoice = Invoice.objects.get()
    assert invoice.direction == Direction.RECEIVABLE
    assert invoice.status == Invoice.Status.ISSUED
    assert invoice.party.is_customer and not invoice.party.is_vendor
    assert invoice.party.name != "SupplierOfficialName Ltd"


def test_imported_invoices_carry_lines_history_and_audit():
    import_bytes((SAMPLES / "ubl" / "en16931-ubl-tc434-example1.xml").read_bytes(), "ex1.xml")
    invoice = Invoice.objects.get()
    assert invoice.lines.count() == 20
    assert invoice.amount_open == invoice.amount_payable
    change = invoice.history.get()
    assert change.status == Invoice.Status.RECEIVED
    assert "ex1.xml" in change.note
    from ledgerdesk.core.models import AuditEntry

    assert AuditEntry.objects.filter(
        object_type="ledger.invoice", object_id=str(invoice.pk), action="import"
    ).exists()


def test_the_command_reports_and_exits_non_zero_on_a_rejected_file(tmp_path, capsys):
    bad = tmp_path / "bad.xml"
    bad.write_text("<Invoice>")
    good = SAMPLES / "ubl" / "peppol-base-example.xml"
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_invoices", str(good), str(bad))
    out = capsys.readouterr().out
    assert "REJECTED" in out and "bad.xml" in out
    assert "Summary: 2 file(s): 1 added" in out
    assert Invoice.objects.count() == 1  # the good file still went in


def test_an_ar_import_needs_a_named_buyer():
    text = (SAMPLES / "ubl" / "peppol-base-example.xml").read_text(encoding="utf-8")
    start = text.index("<cac:AccountingCustomerParty>")
    end = text.index("</cac:AccountingCustomerParty>")
    section = text[start:end]
    nameless = re.sub(r"<cbc:(Name|RegistrationName)>[^<]*</cbc:\1>", "", section)
    outcome = import_bytes(text.replace(section, nameless).encode(), "x.xml", direction="ar")
    assert outcome.rejected
    assert "the buyer (our customer) has no name" in outcome.error
