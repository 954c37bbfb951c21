"""A vendor submits an invoice in the portal: an e-invoice is checked on upload and every
problem is listed next to the file field; a clean one is imported; a PDF becomes a case for
the AP team with the file attached."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ledgerdesk.desk.models import Attachment, Case
from ledgerdesk.ledger.models import Invoice
from tests.factories import InvoiceFactory

pytestmark = pytest.mark.django_db

BASE = Path(__file__).resolve().parents[1] / "fixtures/einvoices/ubl/peppol-base-example.xml"
URL = reverse("portal:submit_invoice")
PO = "<cac:OrderReference><cbc:ID>PO-7781</cbc:ID></cac:OrderReference>"


def ubl(party, *, number="Snippet1", po=True, seller=True, **replace) -> bytes:
    """The Peppol base example, issued by `party` (unless seller=False), with a PO number."""
    text = BASE.read_text()
    if seller:
        text = text.replace("SupplierOfficialName Ltd", party.name)
        text = text.replace("SupplierTradingName Ltd.", party.name)
        text = text.replace("<cbc:CompanyID>GB1232434<", f"<cbc:CompanyID>{party.tax_id}<")
    text = text.replace("<cbc:ID>Snippet1</cbc:ID>", f"<cbc:ID>{number}</cbc:ID>")
    if po:
        text = text.replace("</cbc:BuyerReference>", f"</cbc:BuyerReference>\n    {PO}")
    for old, new in replace.values():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode()


def send(client, data: bytes, name="invoice.xml", follow=False):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)}, follow=follow)


def errors(response) -> list[str]:
    html = response.content.decode()
    return [
        re.sub(r"\s+", " ", e) for e in re.findall(r'<p class="error" role="alert">(.*?)</p>', html)
    ]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode().replace("&#x27;", "'"))


def test_the_invoice_list_links_to_the_upload_page(world):
    response = world.a.client.get(reverse("portal:invoices"))
    assert URL in response.content.decode()
    page = world.a.client.get(URL)
    assert page.status_code == 200
    assert "Send us an invoice" in page.content.decode()


def test_only_vendors_can_submit(world, client):
    assert world.c.client.get(URL).status_code == 404
    assert client.get(URL).status_code == 302  # signed out: to the sign-in


def test_a_clean_e_invoice_is_imported_for_the_signed_in_vendor(world):
    a = world.a
    response = send(a.client, ubl(a.party), follow=True)
    invoice = Invoice.objects.get(number="Snippet1")
    assert invoice.party == a.party and invoice.direction == "ap"
    assert invoice.status == Invoice.Status.RECEIVED
    assert invoice.po_reference == "PO-7781"
    assert response.redirect_chain[-1][0] == reverse("portal:invoice", args=[invoice.pk])
    body = text_of(response)
    assert "Received: invoice Snippet1 for" in body and "1,656.25" in body
    assert "We will let you know when it is approved." in body


def test_another_sellers_invoice_is_refused(world):
    response = send(world.a.client, ubl(world.a.party, seller=False))
    assert response.status_code == 400
    assert any(
        e.startswith("This invoice names another seller (SupplierOfficialName Ltd")
        for e in errors(response)
    )
    assert not Invoice.objects.filter(number="Snippet1").exists()


def test_vendor_b_cannot_submit_in_vendor_as_name(world):
    response = send(world.b.client, ubl(world.a.party))
    assert any("names another seller" in e for e in errors(response))
    assert not Invoice.objects.filter(number="Snippet1").exists()


def test_a_missing_purchase_order_number_is_named(world):
    response = send(world.a.client, ubl(world.a.party, po=False))
    assert response.status_code == 400
    assert any(e.startswith("Add your purchase order number") for e in errors(response))
    assert not Invoice.objects.filter(number="Snippet1").exists()


def test_totals_that_do_not_add_up_name_the_figures(world):
    data = ubl(
        world.a.party,
        line=(">2800</cbc:LineExtensionAmount>", ">2900</cbc:LineExtensionAmount>"),
        total=(">1656.25</cbc:TaxInclusiveAmount>", ">1700.00</cbc:TaxInclusiveAmount>"),
        payable=(">1656.25</cbc:PayableAmount>", ">1600.00</cbc:PayableAmount>"),
    )
    found = errors(send(world.a.client, data))
    assert any("The lines add up to €1,400.00" in e and "net amount of €1,300.00" in e
               for e in found)  # fmt: skip
    assert any("is €1,656.25, but the invoice states a total of €1,700.00" in e for e in found)
    assert any("The total (€1,700.00) less the amount already paid (€0.00) is €1,700.00, "
               "but the invoice asks for €1,600.00" in e for e in found)  # fmt: skip
    assert not Invoice.objects.filter(number="Snippet1").exists()


def test_document_level_charges_are_not_taken_for_a_wrong_total(world):
    # 1,300 of lines + 25 charge = 1,325 before tax; + 331.25 tax = 1,656.25: correct.
    response = send(world.a.client, ubl(world.a.party))
    assert response.status_code == 302


def test_everything_wrong_is_listed_at_once(world):
    data = ubl(
        world.a.party,
        po=False,
        seller=False,
        payable=(">1656.25</cbc:PayableAmount>", ">1600.00</cbc:PayableAmount>"),
    )
    found = errors(send(world.a.client, data))
    assert len(found) == 3
    assert "Please correct these 3 things" in text_of(send(world.a.client, data))


def test_a_number_we_already_have_is_a_duplicate(world):
    a = world.a
    assert send(a.client, ubl(a.party)).status_code == 302
    again = send(a.client, ubl(a.party))
    assert again.status_code == 400
    assert any(e.startswith("We already have invoice Snippet1 from you (received on ")
               for e in errors(again))  # fmt: skip
    assert Invoice.objects.filter(number="Snippet1").count() == 1
    # The number of the fixture's own invoice too.
    clash = send(a.client, ubl(a.party, number="4411"))
    assert any("We already have invoice 4411 from you" in e for e in errors(clash))


def test_a_near_same_number_is_a_warning_not_a_refusal(world):
    a = world.a
    InvoiceFactory(party=a.party, number="INV-4411")
    response = send(a.client, ubl(a.party, number="INV4411"), follow=True)
    assert Invoice.objects.filter(party=a.party, number="INV4411").exists()
    body = text_of(response)
    assert "Received: invoice INV4411" in body
    assert "We already have invoice INV-4411 from you" in body and "looks like INV4411" in body


def test_due_before_issue_is_a_warning(world):
    data = ubl(world.a.party, due=("2017-12-01</cbc:DueDate>", "2017-11-01</cbc:DueDate>"))
    body = text_of(send(world.a.client, data, follow=True))
    assert "Received: invoice Snippet1" in body
    assert "The due date (November 1, 2017) is before the issue date (November 13, 2017)" in body


def test_a_warning_is_shown_beside_blocking_problems(world):
    data = ubl(
        world.a.party, po=False, due=("2017-12-01</cbc:DueDate>", "2017-11-01</cbc:DueDate>")
    )
    response = send(world.a.client, data)
    assert response.status_code == 400
    assert "The due date (November 1, 2017) is before" in text_of(response)


def test_an_unreadable_e_invoice_says_why_and_where(world):
    broken = ubl(world.a.party).replace(b"<cbc:IssueDate>2017-11-13</cbc:IssueDate>", b"")
    found = errors(send(world.a.client, broken))
    assert len(found) == 1
    assert found[0].startswith("We could not read this e-invoice:")
    assert "(at /Invoice" in found[0] or "(on line" in found[0]
    bad_xml = b"<?xml version='1.0'?>\n<Invoice>\n<unclosed>\n</Invoice>"
    found = errors(send(world.a.client, bad_xml))
    assert "not well-formed XML" in found[0] and "(on line " in found[0]


def test_neither_pdf_nor_xml_is_refused_by_content_not_name(world):
    found = errors(send(world.a.client, b"number;amount\n1;2\n", name="invoice.pdf"))
    assert found == [
        "This file is neither a PDF nor an e-invoice (UBL or CII XML). "
        "Please send the invoice as a PDF or as an e-invoice."
    ]


def test_a_file_over_10_mb_is_refused(world):
    found = errors(send(world.a.client, b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)))
    assert found == ["The file is larger than 10 MB; please send a smaller one."]
    assert not Case.objects.filter(subject="Invoice submitted as PDF").exists()


def test_a_pdf_becomes_a_case_for_the_ap_team_with_the_file(world, ap_team):
    a = world.a
    pdf = b"%PDF-1.4\n% an invoice\n%%EOF\n"
    response = send(a.client, pdf, name="Invoice 9001.pdf", follow=True)
    case = Case.objects.get(subject="Invoice submitted as PDF")
    assert case.team == ap_team and case.party == a.party and case.contact == a.contact
    assert case.channel == Case.Channel.PORTAL
    assert case.category == Case.Category.MISSING_INVOICE
    attachment = Attachment.objects.get(message__case=case)
    assert attachment.filename == "Invoice-9001.pdf"
    assert attachment.content_type == "application/pdf"
    with attachment.file.open("rb") as stored:
        assert stored.read() == pdf
    assert response.redirect_chain[-1][0] == reverse("portal:case", args=[case.reference])
    body = text_of(response)
    assert f"We have your PDF as case {case.reference}" in body
    assert "type the invoice in by hand" in body


def test_the_same_file_sent_twice_past_the_checks_is_not_received_twice(world, monkeypatch):
    from ledgerdesk.portal import upload

    a = world.a
    assert send(a.client, ubl(a.party)).status_code == 302
    monkeypatch.setattr(upload, "check", lambda *args, **kwargs: [])  # two tabs, one file
    again = send(a.client, ubl(a.party))
    assert errors(again) == [
        "We already have this invoice (Snippet1) from you; there is no need to send it again."
    ]
    assert Invoice.objects.filter(number="Snippet1").count() == 1


def test_what_the_importer_refuses_is_shown_and_nothing_is_stored(world):
    long_po = "PO-" + "9" * 70
    data = ubl(world.a.party).replace(b"PO-7781", long_po.encode())
    found = errors(send(world.a.client, data))
    assert len(found) == 1 and found[0].startswith("We could not take this invoice:")
    assert "longer than 64 characters" in found[0]
    assert not Invoice.objects.filter(number="Snippet1").exists()
