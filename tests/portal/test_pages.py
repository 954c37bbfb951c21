"""What the portal pages show, in plain words, in the contact's language, and at what cost."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from ledgerdesk.core.models import AuditEntry
from ledgerdesk.ledger.models import Direction, Invoice, PaymentAllocation
from ledgerdesk.portal import statement
from tests.factories import InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db

STATUS_CODES = re.compile(r">[^<]*\b(in_approval|on_hold|scheduled_payment|credit_note)\b")


def test_the_invoice_list_shows_each_invoice_with_its_plain_status(world):
    response = world.a.client.get("/portal/invoices/")
    html = response.content.decode()
    assert "Invoice 4411" in html and "Payment scheduled for Nov 27, 2026" in html
    assert "B-77" not in html  # vendor B's invoice
    assert not STATUS_CODES.search(html)


def test_the_invoice_list_searches_by_number_and_shows_open_ones(world):
    InvoiceFactory(party=world.a.party, number="9001", status="paid", amount_open=0)
    found = world.a.client.get("/portal/invoices/?q=900").content.decode()
    assert "Invoice 9001" in found and "Invoice 4411" not in found
    still_open = world.a.client.get("/portal/invoices/?show=open").content.decode()
    assert "Invoice 4411" in still_open and "Invoice 9001" not in still_open


def test_the_invoice_list_costs_the_same_queries_for_one_page_of_any_size(
    world, django_assert_num_queries
):
    for n in range(40):
        InvoiceFactory(party=world.a.party, number=f"X-{n:03d}")
    # 1 session, 2 user, 3 portal account with party and contact, 4 count for the pager,
    # 5 the page of invoices, 6 the console's role context processor (the user's groups).
    with django_assert_num_queries(6):
        response = world.a.client.get("/portal/invoices/?page=2")
    assert response.status_code == 200
    assert response.content.decode().count('<li class="row') == 16  # 41 invoices, 25 a page


def test_the_invoice_page_explains_a_scheduled_payment(world, django_assert_num_queries):
    url = f"/portal/invoices/{world.a.invoice.pk}/"
    # 1 session, 2 user, 3 portal account, 4 the invoice (scoped), 5 its lines, 6 its cases,
    # 7 its history, 8 its allocations with payments and accounts, 9 the active bank account
    # (only for a scheduled invoice), 10 the user's groups (console context processor).
    with django_assert_num_queries(10):
        response = world.a.client.get(url)
    html = response.content.decode()
    assert (
        "Approved on November 3, 2026, and scheduled for payment on November 27, 2026 "
        "by bank transfer to the account ending 0231." in html
    )
    assert "Sent for approval to Maria Jansen" in html
    assert "€10.00 was deducted: bank charges." in html
    assert not STATUS_CODES.search(html)
    assert "Approval workflow" not in html and "CC-4100" not in html  # internal labels


def test_dates_and_amounts_follow_the_contacts_language_and_time_zone(world):
    world.a.contact.language = "de"
    world.a.contact.time_zone = "Europe/Berlin"
    world.a.contact.save()
    html = world.a.client.get(f"/portal/invoices/{world.a.invoice.pk}/").content.decode()
    assert "Zahlung" not in html  # the words stay English
    assert "27. November 2026" in html and "1.210,00\xa0€" in html


def test_a_payment_shows_which_invoices_it_paid_and_what_was_deducted_and_why(world):
    html = world.a.client.get(f"/portal/payments/{world.a.payment.pk}/").content.decode()
    assert "Our payment to you" in html and "Invoice 4411" in html
    assert "€10.00 deducted: bank charges" in html
    assert "€10.00 of it is not yet matched to an invoice" in html  # 200 paid, 190 applied
    listing = world.a.client.get("/portal/payments/").content.decode()
    assert "We paid you" in listing and "PAY-4411" in listing and "PAY-B-77" not in listing


def test_a_customer_sees_balance_open_invoices_and_what_payments_paid(world):
    html = world.c.client.get("/portal/account/").content.decode()
    # Invoice of 1,210.00 less a 500.00 payment: 710.00 open.
    assert "€710.00" in html and "Invoice SI-2026-0042" in html
    assert "Overdue since Oct 31, 2026" in html
    payment = world.c.client.get(f"/portal/payments/{world.c.payment.pk}/").content.decode()
    assert "Your payment to us" in payment and "Invoice SI-2026-0042" in payment
    home = world.c.client.get("/portal/").content.decode()
    assert "€710.00" in home and "1 invoice is past the due date" in home


def test_the_statement_as_csv(world):
    InvoiceFactory(
        party=world.c.party,
        direction=Direction.RECEIVABLE,
        kind=Invoice.Kind.CREDIT_NOTE,
        number="SC-7",
        status="issued",
        issue_date=dt.date(2026, 10, 15),
        amount_payable=Decimal("100.00"),
        amount_open=Decimal("100.00"),
    )
    InvoiceFactory(party=world.c.party, direction="ar", number="OLD-1", status="paid",
                   issue_date=dt.date(2025, 12, 1), amount_payable=Decimal("50.00"))  # fmt: skip
    PaymentFactory(party=world.c.party, direction="ar", reference="=HYPERLINK(1)",
                   date=dt.date(2026, 1, 5), amount=Decimal("50.00"))  # fmt: skip
    response = world.c.client.get(
        "/portal/account/statement/?start=2026-01-01&end=2026-12-31&format=csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "statement-2026-01-01-2026-12-31.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Date", "Description", "Reference", "Currency", "Debit", "Credit", "Balance"]
    assert rows[1] == ["2026-01-01", "Opening balance", "", "EUR", "", "", "50.00"]
    described = [(r[1], r[2], r[4], r[5], r[6]) for r in rows[2:]]
    assert described == [
        ("Payment received", "'=HYPERLINK(1)", "", "50.00", "0.00"),
        ("Invoice SI-2026-0042", "SI-2026-0042", "1210.00", "", "1210.00"),
        ("Credit note SC-7", "SC-7", "", "100.00", "1110.00"),
        ("Payment received", "TRF 881", "", "500.00", "610.00"),
        ("Closing balance", "", "", "", "610.00"),
    ]


def test_the_statement_closing_balance_is_the_account_balance(world):
    today = timezone.localdate()
    built = statement.build(world.c.party, dt.date(2000, 1, 1), today)
    balance = statement.balances_before(world.c.party, today + dt.timedelta(days=1))
    assert [s.closing for s in built.sections] == [balance["EUR"]] == [Decimal("710.00")]


def test_a_deduction_and_a_netted_credit_note_on_the_statement(world):
    payment = PaymentFactory(party=world.c.party, direction="ar", date=dt.date(2026, 11, 5),
                             amount=Decimal("600.00"), reference="TRF 990")  # fmt: skip
    credit = InvoiceFactory(party=world.c.party, direction="ar", kind="credit_note",
                            number="SC-9", issue_date=dt.date(2026, 11, 1),
                            amount_payable=Decimal("100.00"))  # fmt: skip
    PaymentAllocation.objects.create(payment=payment, invoice=world.c.invoice,
                                     amount=Decimal("600.00"), deduction_amount=Decimal("110.00"),
                                     deduction_reason="Credit note SC-9 applied")  # fmt: skip
    PaymentAllocation.objects.create(payment=payment, invoice=credit, amount=Decimal("0"),
                                     deduction_amount=Decimal("100.00"),
                                     deduction_reason="Applied to invoice SI-2026-0042",
                                     )  # fmt: skip
    built = statement.build(world.c.party, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    (section,) = built.sections
    texts = [r.description for r in section.rows]
    assert "Deducted from invoice SI-2026-0042: credit note SC-9 was set off against it" in texts
    # Opening 1,210 (the invoice); credit note -100; payments -500 and -600; the netting
    # deducts 110 from the invoice and uses 100 of the credit note: +100.
    assert section.opening == Decimal("1210.00") and section.closing == Decimal("0.00")


def test_the_statement_form_shows_errors_next_to_the_field(world):
    response = world.c.client.get("/portal/account/statement/?start=2026-12-01&end=2026-01-01")
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('id="field-end"') :]
    assert "The end of the period is before its start." in field[: field.index("</div>")]


def test_the_statement_and_an_invoice_copy_as_pdf(world):
    world.c.contact.language = "fr"
    world.c.contact.save()
    statement_pdf = world.c.client.get(
        "/portal/account/statement/?start=2026-01-01&end=2026-12-31&format=pdf"
    )
    assert statement_pdf["Content-Type"] == "application/pdf"
    assert statement_pdf.content.startswith(b"%PDF-")
    copy = world.c.client.get(f"/portal/invoices/{world.c.invoice.pk}/copy.pdf")
    assert copy["Content-Type"] == "application/pdf" and copy.content.startswith(b"%PDF-")
    assert 'filename="invoice-SI-2026-0042.pdf"' in copy["Content-Disposition"]


def test_the_pdf_copes_with_letters_outside_its_font(world):
    world.c.party.name = "Łódź Trading Sp. z o.o. — 東京"
    world.c.party.save()
    copy = world.c.client.get(f"/portal/invoices/{world.c.invoice.pk}/copy.pdf")
    assert copy.status_code == 200 and copy.content.startswith(b"%PDF-")


def test_the_contact_updates_their_preferences_and_the_change_is_audited(world):
    url = "/portal/profile/"
    data = {"preferred_channel": "portal", "language": "nl", "time_zone": "Europe/Amsterdam",
            "phone": "+31 20 555 0100"}  # fmt: skip
    response = world.a.client.post(url, data)
    assert response.status_code == 302
    world.a.contact.refresh_from_db()
    assert (world.a.contact.language, world.a.contact.phone) == ("nl", "+31 20 555 0100")
    entry = AuditEntry.objects.filter(
        object_type="parties.contact", object_id=str(world.a.contact.pk), action="update"
    ).latest("at")
    assert entry.actor == world.a.account.user
    assert entry.after["phone"] == "+31 20 555 0100"


def test_preferences_errors_sit_next_to_the_field(world):
    data = {"preferred_channel": "pigeon", "language": "en", "time_zone": "Mars/Olympus"}
    html = world.a.client.post("/portal/profile/", data).content.decode()
    for name in ("preferred_channel", "time_zone"):
        field = html[html.index(f'id="field-{name}"') :]
        assert "Select a valid choice" in field[: field.index("</div>")]


def test_the_signed_link_page_uses_the_primary_contacts_language(world):
    from ledgerdesk.portal.services import invoice_link

    world.a.contact.language = "de"
    world.a.contact.save()
    link = invoice_link(world.a.invoice)
    assert link.startswith("http") and "/portal/i/" in link
    path = link[link.index("/portal/") :]
    response = world.a.client.get(path)
    html = response.content.decode()
    assert "27. November 2026" in html and "account ending 0231" in html
    assert response["X-Robots-Tag"].startswith("noindex")
