"""A small hand-made data set whose every figure is worked out by hand in the tests.

All times are explicit (Europe/Amsterdam is one hour ahead of UTC in November, so 09:00 UTC
is well inside the local day). The period is Mon 2 Nov - Sun 15 Nov 2026, "now" is
Fri 20 Nov 2026 12:00 UTC and "today" is 20 Nov 2026.

Cases of the AP team (hours after opening; targets as the due columns the desk stores):

    case  opened      channel  category        tier  owner  first resp.  resolved  state
    c1    Mon 2 Nov   email    payment_status  3     A      1 h (met)    10 h met  resolved
    c2    Tue 3 Nov   email    dispute         3     A      2 h (met)    50 h late resolved
    c3    Wed 4 Nov   portal   payment_status  2     A      4 h (met)    20 h met  closed (customer)
    c4    Thu 5 Nov   phone    other           1     B      10 h (late)  -, due passed  open
    c5    Mon 9 Nov   email    payment_status  3     B      3 h (met)    reopened, running
    c6    Tue 10 Nov  email    other           3     B      -, running   -, running  new
    c7    20 Oct      email    other           3     B      outside the period, open
    c9    20 Nov 06:00 email   other           3     B      after the period, open (6 h old)
    c8    AR team, 4 Nov, customer, open
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from ledgerdesk.desk.models import Case, CaseEvent, Message
from ledgerdesk.insights import times
from ledgerdesk.insights.metrics import Filters
from ledgerdesk.ledger.models import (
    Direction,
    Invoice,
    InvoiceStatusChange,
    Payment,
    PaymentAllocation,
)
from ledgerdesk.portal.models import CaseRating
from ledgerdesk.receivables.models import BankStatement, StatementLine
from ledgerdesk.surveys.models import Survey
from tests.factories import InvoiceFactory, PartyFactory, UserFactory

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TODAY = dt.date(2026, 11, 20)
START, END = dt.date(2026, 11, 2), dt.date(2026, 11, 15)
H = dt.timedelta(hours=1)
_numbers = itertools.count(1)


def at(day: int, hour: int = 9, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=UTC)


def make_case(
    team,
    opened,
    *,
    owner,
    party=None,
    channel="email",
    category="other",
    tier=3,
    first=None,
    first_due=None,
    resolved=None,
    resolution_due=None,
    state="open",
):
    """A case with the columns the desk stores, set by hand (hours after `opened`)."""
    number = next(_numbers)
    return Case.objects.create(
        reference=f"{team.code.upper()}-2026-{number:06d}",
        team=team,
        subject=f"Case {number}",
        party=party,
        channel=channel,
        category=category,
        tier=tier,
        owner=owner,
        state=state,
        opened_at=opened,
        first_response_at=None if first is None else opened + first * H,
        first_response_due=opened + first_due * H,
        resolved_at=None if resolved is None else opened + resolved * H,
        resolution_due=opened + resolution_due * H,
    )


def reply(case, author, when, score):
    return Message.objects.create(
        case=case,
        direction=Message.Direction.OUTBOUND,
        message_id=f"<{case.reference}.{when.isoformat()}@test>",
        author=author,
        at=when,
        text="Reply",
        review={"score": score, "findings": [], "threshold": 60},
    )


@pytest.fixture
def period():
    return Filters(start=START, end=END, today=TODAY)


@pytest.fixture
def desk_data(db, ap_team, ar_team):
    alice = UserFactory(username="alice", first_name="Alice", last_name="Archer", role="Agent")
    bob = UserFactory(username="bob", first_name="Bob", last_name="Baker", role="Agent")
    vendor = PartyFactory(name="Vendor One")
    customer = PartyFactory(name="Customer One", is_vendor=False, is_customer=True)
    t = ap_team
    c1 = make_case(
        t,
        at(2, 10),
        owner=alice,
        party=vendor,
        category="payment_status",
        first=1,
        first_due=16,
        resolved=10,
        resolution_due=40,
        state="resolved",
    )
    c2 = make_case(
        t,
        at(3, 10),
        owner=alice,
        party=vendor,
        category="dispute",
        first=2,
        first_due=16,
        resolved=50,
        resolution_due=40,
        state="resolved",
    )
    c3 = make_case(
        t,
        at(4, 10),
        owner=alice,
        party=customer,
        channel="portal",
        category="payment_status",
        tier=2,
        first=4,
        first_due=8,
        resolved=20,
        resolution_due=24,
        state="closed",
    )
    c4 = make_case(
        t,
        at(5, 10),
        owner=bob,
        party=vendor,
        channel="phone",
        tier=1,
        first=10,
        first_due=4,
        resolution_due=16,
    )
    c5 = make_case(
        t,
        at(9, 10),
        owner=bob,
        party=vendor,
        category="payment_status",
        first=3,
        first_due=16,
        resolution_due=24 * 21,
    )
    CaseEvent.objects.create(case=c5, kind="state", at=at(9, 16), text="Open → Resolved.")
    CaseEvent.objects.create(case=c5, kind="state", at=at(10, 9), text="Resolved → Open. Back.")
    c6 = make_case(
        t,
        at(10, 10),
        owner=bob,
        party=vendor,
        first_due=24 * 20,
        resolution_due=24 * 20,
        state="new",
    )
    c7 = make_case(
        t,
        at(20, 10, month=10),
        owner=bob,
        party=vendor,
        first=1,
        first_due=16,
        resolution_due=24 * 60,
    )
    c9 = make_case(t, NOW - 6 * H, owner=bob, party=vendor, first_due=16, resolution_due=40)
    c8 = make_case(
        ar_team, at(4, 10), owner=alice, party=customer, first=1, first_due=16, resolution_due=40
    )
    CaseRating.objects.create(case=c1, rating=5, comment="Quick and clear", at=at(3, 8))
    CaseRating.objects.create(case=c2, rating=2, comment="Took too long", at=at(6, 8))
    CaseRating.objects.create(case=c3, rating=4, at=at(5, 8))
    Survey.objects.create(
        kind="case",
        case=c5,
        party=vendor,
        team=t,
        channel="email",
        email="v@vendor.example",
        token="t1",
        answered_at=at(10, 12),
        rating=3,
    )
    Survey.objects.create(
        kind="relationship",
        party=vendor,
        team=t,
        channel="email",
        email="v@vendor.example",
        token="t2",
        round="2026-Q4",
        answered_at=at(12, 12),
        rating=4,
        comment="Easy to work with",
    )
    reply(c1, alice, at(2, 11), 80)
    reply(c2, alice, at(3, 12), 60)
    reply(c3, alice, at(10, 12), 90)
    reply(c4, bob, at(5, 20), 50)
    return {"alice": alice, "bob": bob, "cases": [c1, c2, c3, c4, c5, c6, c7, c8, c9]}


def invoice(
    party,
    direction,
    number,
    *,
    issued,
    due,
    total="1000.00",
    open_=None,
    status=Invoice.Status.ISSUED,
    currency="EUR",
):
    total = Decimal(total)
    return InvoiceFactory(
        party=party,
        direction=direction,
        number=number,
        issue_date=issued,
        due_date=due,
        currency=currency,
        total_amount=total,
        amount_payable=total,
        amount_open=total if open_ is None else Decimal(open_),
        status=status,
    )


def discount(inv, amount, until):
    Invoice.objects.filter(pk=inv.pk).update(discount_amount=Decimal(amount), discount_until=until)


def history(inv, *steps):
    for status, when in steps:
        InvoiceStatusChange.objects.create(invoice=inv, status=status, at=when)


def pay(inv, day, amount, *, deduction="0", reason=""):
    payment = Payment.objects.create(
        direction=inv.direction,
        party=inv.party,
        date=day,
        amount=Decimal(amount),
        currency=inv.currency,
    )
    PaymentAllocation.objects.create(
        payment=payment,
        invoice=inv,
        amount=Decimal(amount),
        deduction_amount=Decimal(deduction),
        deduction_reason=reason,
    )
    return payment


@pytest.fixture
def finance_data(db):
    """Vendor invoices with their status history, customer invoices, payments, bank lines."""
    S = Invoice.Status
    vendor = PartyFactory(name="Vendor Two")
    customer = PartyFactory(name="Customer Two", is_vendor=False, is_customer=True)
    d = dt.date
    # Vendor invoices: cycle time and paying on time.
    i1 = invoice(
        vendor,
        Direction.PAYABLE,
        "I1",
        issued=d(2026, 11, 2),
        due=d(2026, 11, 10),
        status=S.PAID,
        open_="0",
    )
    history(i1, (S.RECEIVED, at(2)), (S.APPROVED, at(4)), (S.PAID, at(12)))
    # Early-payment discounts: i1 paid after its discount date (missed), i2 before (captured),
    # i3 not paid (missed), R1 paid on its discount date (captured by the customer).
    discount(i1, "25.00", d(2026, 11, 11))
    pay(i1, d(2026, 11, 12), "1000.00")
    i2 = invoice(
        vendor,
        Direction.PAYABLE,
        "I2",
        issued=d(2026, 11, 3),
        due=d(2026, 11, 10),
        status=S.PAID,
        open_="0",
    )
    history(i2, (S.RECEIVED, at(3, 9)), (S.APPROVED, at(3, 21)), (S.PAID, at(7, 21)))
    pay(i2, d(2026, 11, 7), "1000.00")
    discount(i2, "20.00", d(2026, 11, 8))
    i3 = invoice(
        vendor,
        Direction.PAYABLE,
        "I3",
        issued=d(2026, 11, 5),
        due=d(2026, 11, 14),
        status=S.APPROVED,
    )
    history(i3, (S.RECEIVED, at(5)), (S.APPROVED, at(11)))
    discount(i3, "15.00", d(2026, 11, 9))
    i4 = invoice(
        vendor,
        Direction.PAYABLE,
        "I4",
        issued=d(2026, 10, 1),
        due=d(2026, 10, 31),
        status=S.PAID,
        open_="0",
    )
    history(i4, (S.RECEIVED, at(1, month=10)), (S.APPROVED, at(2, month=10)))
    # Customer invoices: on time, aging, DSO, discounts.
    r1 = invoice(
        customer,
        Direction.RECEIVABLE,
        "R1",
        issued=d(2026, 11, 1),
        due=d(2026, 11, 5),
        status=S.PAID,
        open_="0",
    )
    pay(r1, d(2026, 11, 5), "955.00", deduction="20.00", reason="early payment discount")
    discount(r1, "10.00", d(2026, 11, 5))
    PaymentAllocation.objects.create(
        payment=Payment.objects.get(allocations__invoice=r1),
        invoice=r1,
        amount=Decimal("0"),
        deduction_amount=Decimal("25.00"),
        deduction_reason="bank charges deducted",
    )
    r2 = invoice(
        customer,
        Direction.RECEIVABLE,
        "R2",
        issued=d(2026, 11, 2),
        due=d(2026, 11, 8),
        status=S.PAID,
        open_="0",
    )
    Invoice.objects.filter(pk=r2.pk).update(status_changed_at=at(6))
    r3 = invoice(customer, Direction.RECEIVABLE, "R3", issued=d(2026, 11, 3), due=d(2026, 11, 12))
    invoice(
        customer,
        Direction.RECEIVABLE,
        "R4",
        issued=d(2026, 11, 4),
        due=d(2026, 11, 12),
        status=S.CANCELLED,
    )
    invoice(
        customer,
        Direction.RECEIVABLE,
        "A0",
        issued=d(2026, 10, 26),
        due=d(2026, 11, 25),
        total="100.00",
    )
    a10 = invoice(
        customer,
        Direction.RECEIVABLE,
        "A10",
        issued=d(2026, 10, 11),
        due=d(2026, 11, 10),
        total="215.00",
        open_="200.00",
    )
    pay(
        a10,
        d(2026, 11, 8),
        "0.00",
        deduction="15.00",
        reason="early payment discount taken after the discount period",
    )
    invoice(
        customer,
        Direction.RECEIVABLE,
        "A45",
        issued=d(2026, 9, 6),
        due=d(2026, 10, 6),
        total="300.00",
    )
    invoice(
        customer,
        Direction.RECEIVABLE,
        "A75",
        issued=d(2026, 8, 7),
        due=d(2026, 9, 6),
        total="400.00",
    )
    invoice(
        customer,
        Direction.RECEIVABLE,
        "A120",
        issued=d(2026, 6, 23),
        due=d(2026, 7, 23),
        total="500.00",
    )
    invoice(
        customer,
        Direction.RECEIVABLE,
        "U1",
        issued=d(2026, 10, 20),
        due=d(2026, 12, 1),
        total="50.00",
        currency="USD",
    )
    # Bank lines: applied by the engine or by a person.
    statement = BankStatement.objects.create(
        account="NL91ABNA0417164300",
        statement_id="S1",
        format="camt053",
        currency="EUR",
        fingerprint="f1",
        imported_at=at(5),
    )
    for n, (amount, state, auto, when) in enumerate(
        [
            ("1000.00", "applied", True, at(5)),
            ("300.00", "applied", False, at(6)),
            ("200.00", "applied", True, at(7)),
            ("999.00", "applied", True, at(1, month=10)),
            ("50.00", "review", False, None),
        ]
    ):
        StatementLine.objects.create(
            statement=statement,
            position=n + 1,
            fingerprint=f"l{n}",
            account=statement.account,
            booking_date=d(2026, 11, 5),
            amount=Decimal(amount),
            currency="EUR",
            state=state,
            auto_applied=auto,
            applied_at=when,
        )
    times.refresh()
    return {"r3": r3, "customer": customer, "vendor": vendor}


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def now_fixed(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
