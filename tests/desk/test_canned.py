"""Canned replies: placeholders filled from the case and its first linked invoice, in the
contact's language, and a visible marker (never a blank) where data is missing."""

import datetime as dt
from decimal import Decimal

import pytest

from ledgerdesk.desk import canned, services
from ledgerdesk.desk.models import CannedReply
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Dear {contact_name}, invoice {invoice_number} for {amount} is paid on "
    "{expected_pay_date}. Case {case_reference}. {agent_name}"
)


def _case(team, agent, *, language="en", invoices=(), contact=True, **kwargs):
    party = PartyFactory()
    person = (
        ContactFactory(party=party, name="Jan de Vries", language=language) if contact else None
    )
    return services.open_case(
        team=team,
        subject="When?",
        party=party,
        contact=person,
        invoices=invoices,
        owner=agent,
        requester_email="" if contact else "ap@shop.example",
        **kwargs,
    )


def test_every_placeholder_is_filled(ap_team, agent):
    invoice = InvoiceFactory(
        number="4411",
        amount_open=Decimal("1520.50"),
        due_date=dt.date(2026, 12, 1),
        scheduled_payment_date=dt.date(2026, 12, 4),
    )
    case = _case(ap_team, agent, invoices=[invoice])
    text = canned.render(BODY, canned.values_for(case, agent))
    assert text == (
        "Dear Jan de Vries, invoice 4411 for €1,520.50 is paid on December 4, 2026. "
        f"Case {case.reference}. Agent Morgan"
    )
    assert canned.unfilled(text) == []


def test_amount_and_date_follow_the_contacts_language(ap_team, agent):
    invoice = InvoiceFactory(amount_open=Decimal("1520.50"), due_date=dt.date(2026, 12, 1))
    case = _case(ap_team, agent, language="de", invoices=[invoice])
    values = canned.values_for(case, agent)
    assert values["amount"] == "1.520,50\xa0€"
    assert values["expected_pay_date"] == "1. Dezember 2026"  # no payment scheduled: due date
    case = _case(ap_team, agent, language="fr-CA", invoices=[invoice])
    assert canned.values_for(case, agent)["expected_pay_date"] == "1 décembre 2026"
    case = _case(ap_team, agent, language="zz-ZZ", invoices=[invoice])
    assert canned.values_for(case, agent)["expected_pay_date"] == "December 1, 2026"


def test_missing_data_leaves_visible_markers(ap_team, agent):
    case = _case(ap_team, agent, contact=False)
    text = canned.render(BODY, canned.values_for(case, agent))
    assert text == (
        "Dear [contact name], invoice [invoice number] for [amount] is paid on "
        f"[expected pay date]. Case {case.reference}. Agent Morgan"
    )
    assert canned.unfilled(text) == [
        "[contact name]",
        "[invoice number]",
        "[amount]",
        "[expected pay date]",
    ]


def test_an_invoice_without_dates_marks_only_the_date(ap_team, agent):
    invoice = InvoiceFactory(number="77", due_date=None)
    case = _case(ap_team, agent, invoices=[invoice])
    text = canned.render(BODY, canned.values_for(case, agent))
    assert "invoice 77 for €1,210.00 is paid on [expected pay date]." in text


def test_the_first_linked_invoice_is_used(ap_team, agent):
    first, second = InvoiceFactory(number="B-2"), InvoiceFactory(number="A-1")
    case = _case(ap_team, agent, invoices=[first])
    case.invoices.add(second)
    assert canned.values_for(case, agent)["invoice_number"] == "B-2"


def test_unknown_placeholders_and_braces_are_safe(ap_team, agent):
    case = _case(ap_team, agent)
    text = canned.render(
        "{contact_name} {invoce} {0.__class__} {{x}}", canned.values_for(case, agent)
    )
    assert text == "Jan de Vries [invoce] {0.__class__} {[x]}"


def test_raw_placeholders_count_as_unfilled():
    assert canned.unfilled("Hello {contact_name}, {other}") == ["{contact_name}"]


def test_the_team_and_shared_replies_are_offered_fitting_ones_first(ap_team, ar_team, agent):
    CannedReply.objects.create(title="A shared one", body="x")
    CannedReply.objects.create(title="B fits", category="payment_status", body="x", team=ap_team)
    CannedReply.objects.create(title="C other team", body="x", team=ar_team)
    case = _case(ap_team, agent, category="payment_status")
    assert [r.title for r in canned.replies_for(case)] == ["B fits", "A shared one"]


def test_picking_a_canned_reply_prefills_the_composer(agent_client, ap_team, agent):
    reply = CannedReply.objects.create(title="Payment date", body=BODY)
    invoice = InvoiceFactory(number="4411", due_date=dt.date(2026, 12, 1))
    case = _case(ap_team, agent, invoices=[invoice])
    page = agent_client.get(f"{case.get_absolute_url()}?canned={reply.pk}").content.decode()
    assert "Dear Jan de Vries, invoice 4411 for €1,210.00 is paid on December 1, 2026." in page
    assert f'<option value="{reply.pk}" selected>Payment date</option>' in page
    assert "Inserted “Payment date”." in page
    # Without an invoice the composer says what to fill in.
    bare = _case(ap_team, agent)
    page = agent_client.get(f"{bare.get_absolute_url()}?canned={reply.pk}").content.decode()
    assert "Fill in [invoice number], [amount], [expected pay date] before sending." in page
    # An unknown or foreign id is ignored.
    page = agent_client.get(f"{case.get_absolute_url()}?canned=999999").content.decode()
    assert "Inserted" not in page
