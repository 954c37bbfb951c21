"""Portal personas: two vendors (A and B) and a customer (C), each with a contact who has a
portal account, an invoice with lines and history, a payment that settled part of it, and a
case. `world.a.client` is a test client signed in as A's contact, second factor passed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Case
from ledgerdesk.ledger.models import (
    Direction,
    Invoice,
    InvoiceLine,
    InvoiceStatusChange,
    PaymentAllocation,
)
from ledgerdesk.parties.models import BankAccount
from ledgerdesk.portal.models import PortalAccount
from ledgerdesk.portal.scoping import VERIFIED
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory, PaymentFactory

PASSWORD = "a-long-portal-passphrase"
ROUTED = "Routed to Maria Jansen (CC-4100)"


def make_account(contact) -> PortalAccount:
    user = get_user_model().objects.create_user(
        username=contact.email.lower(), email=contact.email.lower(), password=PASSWORD
    )
    return PortalAccount.objects.create(
        user=user, party=contact.party, contact=contact, activated_at=timezone.now()
    )


def signed_in(account) -> Client:
    client = Client()
    client.force_login(account.user)
    session = client.session
    session[VERIFIED] = account.user.pk
    session.save()
    return client


def history(invoice, *rows):
    for status, day, by, note in rows:
        InvoiceStatusChange.objects.create(
            invoice=invoice,
            status=status,
            at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))),
            by_label=by,
            note=note,
        )


def _vendor(name, email, number, ap_team, iban):
    party = PartyFactory(name=name, is_vendor=True)
    contact = ContactFactory(party=party, name=f"{name} Contact", email=email, is_primary=True)
    BankAccount.objects.create(party=party, iban=iban, status=BankAccount.Status.ACTIVE)
    invoice = InvoiceFactory(
        party=party,
        number=number,
        status=Invoice.Status.SCHEDULED,
        scheduled_payment_date=dt.date(2026, 11, 27),
    )
    history(
        invoice,
        ("received", dt.date(2026, 10, 2), "Peppol network", ""),
        ("in_approval", dt.date(2026, 10, 3), "Approval workflow", ROUTED),
        ("approved", dt.date(2026, 11, 3), "Maria Jansen", ""),
        ("scheduled", dt.date(2026, 11, 4), "Payment proposal", "Payment run 27 Nov 2026"),
    )  # fmt: skip
    line = InvoiceLine.objects.create(
        invoice=invoice, position=1, description="Printer paper A4", net_amount=Decimal("1000.00")
    )
    payment = PaymentFactory(party=party, amount=Decimal("200.00"), reference=f"PAY-{number}")
    PaymentAllocation.objects.create(
        payment=payment,
        invoice=invoice,
        amount=Decimal("190.00"),
        deduction_amount=Decimal("10.00"),
        deduction_reason="bank charges deducted",
    )
    case = desk.open_case(
        team=ap_team,
        subject=f"Where is payment for {number}?",
        channel=Case.Channel.PORTAL,
        party=party,
        contact=contact,
        invoices=[invoice],
    )
    account = make_account(contact)
    return SimpleNamespace(
        party=party, contact=contact, account=account, invoice=invoice, line=line,
        payment=payment, case=case, client=signed_in(account),
    )  # fmt: skip


def _customer(ar_team):
    party = PartyFactory(name="Cobalt Retail SA", is_vendor=False, is_customer=True)
    contact = ContactFactory(party=party, name="Chloé Martin", email="chloe@cobalt.example")
    invoice = InvoiceFactory(
        party=party,
        direction=Direction.RECEIVABLE,
        number="SI-2026-0042",
        status=Invoice.Status.ISSUED,
        issue_date=dt.date(2026, 10, 1),
        due_date=dt.date(2026, 10, 31),
        payment_reference="RF18539007547034",
    )
    history(invoice, ("issued", dt.date(2026, 10, 1), "Billing run", ""))
    line = InvoiceLine.objects.create(
        invoice=invoice, position=1, description="Freight", net_amount=Decimal("1000.00")
    )
    payment = PaymentFactory(
        party=party, direction=Direction.RECEIVABLE, amount=Decimal("500.00"), reference="TRF 881"
    )
    PaymentAllocation.objects.create(payment=payment, invoice=invoice, amount=Decimal("500.00"))
    Invoice.objects.filter(pk=invoice.pk).update(amount_open=Decimal("710.00"))
    invoice.refresh_from_db()
    case = desk.open_case(
        team=ar_team,
        subject="Copy of SI-2026-0042 please",
        channel=Case.Channel.PORTAL,
        party=party,
        contact=contact,
        invoices=[invoice],
    )
    account = make_account(contact)
    return SimpleNamespace(
        party=party, contact=contact, account=account, invoice=invoice, line=line,
        payment=payment, case=case, client=signed_in(account),
    )  # fmt: skip


@pytest.fixture
def world(db, ap_team, ar_team):
    a = _vendor("Acme Supplies BV", "jan@acme.example", "4411", ap_team, "NL91ABNA0417160231")
    b = _vendor("Brightline Office", "bo@brightline.example", "B-77", ap_team, "GB29NWBK6016133192")
    return SimpleNamespace(a=a, b=b, c=_customer(ar_team))
