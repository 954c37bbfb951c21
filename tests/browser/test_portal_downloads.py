"""A customer signs in to the portal (password, then the e-mailed code) and downloads a
statement of account and a copy of an invoice, both as PDFs that name them."""

import datetime as dt
import re
import zlib
from decimal import Decimal
from pathlib import Path

import pytest

from ledgerdesk.ledger.models import Direction, Invoice, InvoiceLine, InvoiceStatusChange
from tests.browser.conftest import portal_sign_in
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory
from tests.portal.conftest import PASSWORD, make_account

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def customer(ar_team):
    party = PartyFactory(name="Cobalt Retail SA", is_vendor=False, is_customer=True)
    contact = ContactFactory(party=party, name="Chloe Martin", email="chloe@cobalt.example")
    today = dt.date.today()
    invoice = InvoiceFactory(
        party=party,
        direction=Direction.RECEIVABLE,
        number="SI-2026-0042",
        status=Invoice.Status.ISSUED,
        issue_date=today.replace(day=1),
        due_date=today.replace(day=1) + dt.timedelta(days=30),
        total_amount=Decimal("1210.00"),
        amount_payable=Decimal("1210.00"),
        amount_open=Decimal("1210.00"),
    )
    InvoiceStatusChange.objects.create(invoice=invoice, status="issued", by_label="Billing run")
    InvoiceLine.objects.create(
        invoice=invoice, position=1, description="Freight Rotterdam", net_amount=Decimal("1000")
    )
    make_account(contact)
    return contact


def _text(pdf: bytes) -> str:
    """The text drawn in a PDF of fpdf2's core fonts: its streams, inflated."""
    parts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            parts.append(stream)
    return b"\n".join(parts).decode("latin-1")


def _download(page, click) -> tuple[str, bytes]:
    with page.expect_download() as info:
        click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_a_customer_downloads_a_statement_and_an_invoice_copy(page, customer):
    portal_sign_in(page, customer.email, PASSWORD)

    # The statement, from the account page.
    page.click("nav[aria-label=Portal] >> text=Your account")
    page.wait_for_url("**/portal/account/")
    page.click("text=Statement of account")
    page.wait_for_url("**/portal/account/statement/**")
    name, pdf = _download(page, lambda: page.click("button[value=pdf]"))
    assert pdf.startswith(b"%PDF-")
    assert re.fullmatch(r"statement-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.pdf", name), name
    text = _text(pdf)
    assert "Cobalt Retail SA" in text and "SI-2026-0042" in text

    # A copy of the invoice, from its page.
    page.goto("/portal/account/")
    page.click("text=SI-2026-0042")
    page.wait_for_url("**/portal/invoices/*/")
    name, pdf = _download(page, lambda: page.click("a[href$='copy.pdf']"))
    assert pdf.startswith(b"%PDF-")
    assert name == "invoice-SI-2026-0042.pdf"
    text = _text(pdf)
    assert "SI-2026-0042" in text and "Cobalt Retail SA" in text and "Freight Rotterdam" in text
