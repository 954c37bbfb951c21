"""`ledgerdesk import-invoices` on ERP CSV exports."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from ledgerdesk.core.models import AuditEntry
from ledgerdesk.ledger.importer import import_bytes
from ledgerdesk.ledger.models import Direction, Invoice, PurchaseOrder
from ledgerdesk.parties.models import Party
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "direction,kind,number,party_name,party_tax_id,issue_date,due_date,currency,net_amount,"
    "tax_amount,total_amount,payable_amount,status,po_number,line_description,line_quantity,"
    "line_unit_price,line_net_amount,line_tax_rate\n"
)
ROWS = (
    "ap,invoice,4411,Acme Supplies BV,NL123456789B01,2026-10-01,2026-10-31,EUR,1000.00,210.00,"
    "1210.00,1210.00,approved,PO-7001,Paper A4,10,60.00,600.00,21\n"
    "ap,invoice,4411,Acme Supplies BV,NL123456789B01,2026-10-01,2026-10-31,EUR,1000.00,210.00,"
    "1210.00,1210.00,approved,PO-7001,Toner,2,200.00,400.00,21\n"
    "ar,invoice,AR-9001,Nordic Retail AB,SE556677889901,2026-10-05,2026-11-04,SEK,500.00,125.00,"
    "625.00,625.00,issued,,Consulting,1,500.00,500.00,25\n"
)


def test_it_imports_invoices_with_lines_parties_and_po_links():
    vendor = PartyFactory(name="Acme Supplies BV", tax_id="NL123456789B01")
    PurchaseOrder.objects.create(
        party=vendor,
        number="PO-7001",
        order_date="2026-09-20",
        currency="EUR",
        total_amount=Decimal("1000.00"),
    )
    outcome = import_bytes((HEADER + ROWS).encode(), "erp.csv")
    assert outcome.error == ""
    assert outcome.added == 2
    ap = Invoice.objects.get(number="4411")
    assert ap.party == vendor  # matched by tax id, not created again
    assert ap.status == Invoice.Status.APPROVED
    assert ap.lines.count() == 2
    assert ap.purchase_order.number == "PO-7001"
    ar = Invoice.objects.get(number="AR-9001")
    assert ar.direction == Direction.RECEIVABLE
    assert ar.party.is_customer and not ar.party.is_vendor
    assert ar.total_amount == Decimal("625.00") and ar.currency == "SEK"


def test_re_import_is_idempotent():
    import_bytes((HEADER + ROWS).encode(), "erp.csv")
    again = import_bytes((HEADER + ROWS).encode(), "erp.csv")
    assert (again.added, again.updated, again.skipped, again.held) == (0, 0, 2, 0)
    assert Invoice.objects.count() == 2


def test_a_changed_erp_row_updates_the_invoice_with_history_and_audit():
    import_bytes((HEADER + ROWS).encode(), "erp.csv")
    paid = ROWS.replace("1210.00,approved,", "1210.00,paid,")
    outcome = import_bytes((HEADER + paid).encode(), "erp-2.csv")
    assert (outcome.added, outcome.updated, outcome.skipped) == (0, 1, 1)
    invoice = Invoice.objects.get(number="4411")
    assert invoice.status == Invoice.Status.PAID
    assert invoice.amount_open == 0
    assert [c.status for c in invoice.history.all()] == ["approved", "paid"]
    assert AuditEntry.objects.filter(object_id=str(invoice.pk), action="status").exists()


def test_a_bad_row_rejects_the_whole_file_naming_the_line():
    bad = ROWS + ("ap,invoice,4412,Acme Supplies BV,,2026-13-01,,EUR,1.00,0.00,1.00,1.00,,,,,,,\n")
    outcome = import_bytes((HEADER + bad).encode(), "erp.csv")
    assert outcome.rejected
    assert (
        "erp.csv" in outcome.error and "line 5" in outcome.error and "issue_date" in outcome.error
    )
    assert Invoice.objects.count() == 0 and Party.objects.count() == 0


def test_a_large_file_shows_a_progress_bar_and_a_summary(capsys):
    rows = "".join(
        f"ar,invoice,N{i:05d},Customer {i % 40},,2026-10-01,2026-10-31,EUR,10.00,2.10,12.10,"
        f"12.10,issued,,,,,,\n"
        for i in range(1200)
    )
    err = io.StringIO()
    from tempfile import NamedTemporaryFile

    with NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
        handle.write(HEADER + rows)
    call_command("import_invoices", handle.name, stderr=err)
    out = capsys.readouterr().out
    assert "1200 added" in out
    assert "Summary: 1 file(s): 1200 added" in out
    assert "/1200 [" in err.getvalue()  # tqdm drew its bar on stderr
    assert Party.objects.count() == 40


def test_a_file_rolled_back_mid_write_leaves_no_stale_party_for_the_next_file(tmp_path):
    from ledgerdesk.ledger import services
    from ledgerdesk.ledger.importer import import_files
    from tests.factories import PaymentFactory

    import_bytes((HEADER + ROWS).encode(), "erp.csv")
    invoice = Invoice.objects.get(number="4411")
    payment = PaymentFactory(party=invoice.party, amount=Decimal("100.00"))
    services.allocate(payment, invoice, Decimal("100.00"))
    # File 1: a new vendor, then a change of 4411's amount although a payment is applied:
    # the whole file is refused at write time and the new vendor is rolled back.
    fresh = "ap,invoice,F-1,Fresh Vendor Ltd,,2026-10-01,,EUR,1.00,0.00,1.00,1.00,,,,,,,\n"
    changed = ROWS.replace("1210.00,1210.00,approved", "1210.00,999.00,approved")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + fresh + changed)
    good = tmp_path / "good.csv"
    good.write_text(HEADER + fresh)
    summary = import_files([bad, good])
    assert "payments are already applied" in summary.files[0].error
    assert summary.files[1].added == 1
    assert Party.objects.filter(name="Fresh Vendor Ltd").count() == 1
    assert Invoice.objects.get(number="F-1").party.name == "Fresh Vendor Ltd"
