"""Console ledger pages: content and query counts that do not grow with the rows shown."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledgerdesk.ledger import services
from ledgerdesk.ledger.models import Invoice
from tests.factories import InvoiceFactory, PartyFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_invoice_list_query_count_is_constant(agent_client):
    for _ in range(3):
        InvoiceFactory()
    few, _ = _queries(agent_client, "/ledger/invoices/")
    for _ in range(30):
        InvoiceFactory()
    many, response = _queries(agent_client, "/ledger/invoices/")
    # session, user, permissions (groups), role display, count for pagination, the page of
    # invoices joined with their party: the same for 3 invoices as for 33.
    assert many == few <= 8
    assert response.content.count(b'class="badge badge-info"') >= 33


def test_invoice_list_filters(agent_client):
    overdue = InvoiceFactory(number="LATE-1", due_date="2020-01-01")
    InvoiceFactory(number="FINE-1", due_date="2099-01-01")
    InvoiceFactory(number="HOLD-1", status=Invoice.Status.ON_HOLD)
    page = agent_client.get("/ledger/invoices/?overdue=1").content.decode()
    assert "LATE-1" in page and "FINE-1" not in page
    page = agent_client.get("/ledger/invoices/?status=on_hold").content.decode()
    assert "HOLD-1" in page and "LATE-1" not in page
    page = agent_client.get(f"/ledger/invoices/?party={overdue.party_id}").content.decode()
    assert "LATE-1" in page and "HOLD-1" not in page
    page = agent_client.get("/ledger/invoices/?q=hold").content.decode()
    assert "HOLD-1" in page and "LATE-1" not in page


def test_invoice_list_is_paginated(agent_client):
    for _ in range(55):
        InvoiceFactory()
    page = agent_client.get("/ledger/invoices/").content.decode()
    assert "Page 1 of 2" in page
    assert "Page 2 of 2" in agent_client.get("/ledger/invoices/?page=2").content.decode()


def test_invoice_page_tells_the_whole_story(agent_client):
    invoice = InvoiceFactory(number="4411", total_amount=Decimal("1520.00"))
    invoice.lines.create(
        position=1, description="Paper A4", quantity=10, net_amount=Decimal("1000")
    )
    services.set_status(invoice, Invoice.Status.APPROVED, "Approved by Dana")
    payment = PaymentFactory(party=invoice.party, amount=Decimal("1200.00"), reference="PAY-1")
    services.allocate(payment, invoice, Decimal("1200.00"), Decimal("10.00"), "bank fee")
    count, response = _queries(agent_client, f"/ledger/invoices/{invoice.pk}/")
    page = response.content.decode()
    for text in ("Invoice 4411", "Paper A4", "Approved by Dana", "PAY-1", "bank fee", "€1,520.00"):
        assert text in page
    # 12 for the ledger's own panels, 3 for payables (match, suspected duplicates, approval
    # steps); the credit-control panel shows on customer invoices only.
    assert count <= 15


def test_payment_list_query_count_is_constant(agent_client):
    PaymentFactory()
    few, _ = _queries(agent_client, "/ledger/payments/")
    for _ in range(20):
        PaymentFactory()
    many, _ = _queries(agent_client, "/ledger/payments/")
    assert many == few


def test_payment_page_shows_remittance(agent_client):
    invoice = InvoiceFactory(number="R-77")
    payment = PaymentFactory(party=invoice.party, amount=Decimal("1210.00"))
    services.allocate(payment, invoice, Decimal("1210.00"))
    page = agent_client.get(f"/ledger/payments/{payment.pk}/").content.decode()
    assert "Invoice R-77" in page and "€1,210.00" in page


def test_home_shows_tiles_with_constant_queries(agent_client):
    InvoiceFactory()
    few, _ = _queries(agent_client, "/")
    vendor = PartyFactory()
    for _ in range(10):
        InvoiceFactory(party=vendor)
    many, response = _queries(agent_client, "/")
    assert many == few
    assert b"open vendor invoices" in response.content
