"""A customer with a billing contact and AR invoices, for every credit-control test."""

import datetime as dt
from decimal import Decimal

import pytest

from ledgerdesk.ledger.models import Direction, Invoice, Payment, PaymentAllocation
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory

TODAY = dt.date(2026, 11, 20)


HOME_LIMITS = (("Agent", "50.00"), ("Lead", "500.00"), ("Manager", "5000.00"), ("Admin", "5000.00"))


@pytest.fixture(autouse=True)
def _home_limits(request):
    """The EUR authority limits the migration seeds. A test elsewhere that runs migrations
    flushes the database afterwards, which takes migration-seeded rows with it; put them back
    so these tests do not depend on which tests ran before them on the same worker."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("db")
    from ledgerdesk.creditcontrol.models import AuthorityLimit

    for role, amount in HOME_LIMITS:
        AuthorityLimit.objects.get_or_create(
            role=role, currency="EUR", defaults={"amount": Decimal(amount)}
        )


@pytest.fixture
def customer(db):
    party = PartyFactory(name="Brightside Retail BV", is_vendor=False, is_customer=True)
    ContactFactory(
        party=party, name="Jan de Vries", role="Accounts payable", email="jan@brightside.example"
    )
    return party


def ar_invoice(party, number="INV-1001", due=dt.date(2026, 11, 1), amount="1210.00", **kw):
    amount = Decimal(amount)
    kw.setdefault("status", Invoice.Status.ISSUED)
    return InvoiceFactory(
        party=party,
        direction=Direction.RECEIVABLE,
        number=number,
        issue_date=due - dt.timedelta(days=30),
        due_date=due,
        total_amount=amount,
        amount_payable=amount,
        amount_open=kw.pop("amount_open", amount),
        **kw,
    )


def paid_late(party, days_late=10, today=TODAY):
    """An invoice of `party` paid `days_late` days after its due date, within the year."""
    due = today - dt.timedelta(days=60)
    invoice = ar_invoice(party, number=f"OLD-{days_late}", due=due, status=Invoice.Status.PAID,
                         amount_open=Decimal("0"))  # fmt: skip
    payment = Payment.objects.create(
        direction=Direction.RECEIVABLE, party=party, date=due + dt.timedelta(days=days_late),
        amount=invoice.amount_payable, currency="EUR", reference=f"PAY-{days_late}",
    )  # fmt: skip
    PaymentAllocation.objects.create(payment=payment, invoice=invoice, amount=payment.amount)
    return invoice
