"""A small hand-built AP world for the watch: one vendor with a contact, and builders for
each kind of thing a check looks for."""

import datetime as dt
from decimal import Decimal as D

import pytest

from ledgerdesk.ledger.models import Invoice, PurchaseOrder
from ledgerdesk.parties.models import BankAccount
from ledgerdesk.payables.models import (
    ApprovalStep,
    InvoiceMatch,
    PayingAccount,
    PaymentRun,
    PaymentRunItem,
    SuspectedDuplicate,
)
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory, UserFactory

# A Wednesday in the past (the desk's clocks refuse to stop before they started): three
# business days back is the Friday before.
NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture
def vendor(db):
    party = PartyFactory(name="Papeterie Dupont SARL", country="FR")
    ContactFactory(
        party=party, name="Claire Dupont", email="claire@dupont.example", is_primary=True
    )
    return party


@pytest.fixture
def silent_vendor(db):
    """A vendor with a contact but no e-mail address."""
    party = PartyFactory(name="Quiet Tools GmbH", country="DE")
    ContactFactory(party=party, name="Jonas Weber", email="", phone="+49 30 1234567")
    return party


def received_bill(vendor, number="F-100", days_ago=6, **kw):
    return InvoiceFactory(
        party=vendor,
        number=number,
        status=Invoice.Status.RECEIVED,
        status_changed_at=NOW - dt.timedelta(days=days_ago),
        issue_date=TODAY - dt.timedelta(days=days_ago + 1),
        due_date=TODAY + dt.timedelta(days=25),
        **kw,
    )


def pending_approval(vendor, number="F-200", due_in=3, **kw):
    bill = InvoiceFactory(
        party=vendor,
        number=number,
        status=Invoice.Status.IN_APPROVAL,
        issue_date=TODAY - dt.timedelta(days=20),
        due_date=TODAY + dt.timedelta(days=due_in),
        **kw,
    )
    approver = UserFactory(first_name="Anna", last_name="Approver")
    ApprovalStep.objects.create(
        invoice=bill,
        level=1,
        approver=approver,
        state=ApprovalStep.State.PENDING,
        requested_at=NOW - dt.timedelta(days=6),
    )
    return bill


def mismatched(vendor, number="F-300", kinds="price", **kw):
    order = PurchaseOrder.objects.create(
        party=vendor,
        number=f"PO-{number}",
        order_date=TODAY - dt.timedelta(days=40),
        currency="EUR",
        total_amount=D("1000"),
    )
    bill = InvoiceFactory(
        party=vendor, number=number, status=Invoice.Status.ON_HOLD, purchase_order=order, **kw
    )
    InvoiceMatch.objects.create(
        invoice=bill,
        order=order,
        mode=InvoiceMatch.Mode.THREE_WAY,
        status=InvoiceMatch.Status.MISMATCH,
        kinds=kinds,
        findings=[
            {
                "line": 1,
                "kind": kind,
                "message": f"Line 1: the {kind.replace('_', ' ')} differs from order line 1.",
                "within_tolerance": False,
            }
            for kind in kinds.split(",")
        ],
    )
    return bill


def suspected(vendor, number="F-400", earlier_number="F-4OO"):
    earlier = InvoiceFactory(party=vendor, number=earlier_number, status=Invoice.Status.APPROVED)
    bill = InvoiceFactory(party=vendor, number=number, status=Invoice.Status.ON_HOLD)
    return SuspectedDuplicate.objects.create(
        invoice=bill, earlier=earlier, reasons="Same amount; number differs by O/0", score=D("0.9")
    )


def paying_account():
    return PayingAccount.objects.get_or_create(
        name="Main EUR", iban="NL91ABNA0417164300", currency="EUR", holder_name="Hub BV"
    )[0]


def payment_run(
    vendor,
    status=PaymentRun.Status.PAID,
    item_status=PaymentRunItem.Status.PAID,
    number="F-500",
    reason="",
    run_ref="PR-1",
):
    account = BankAccount.objects.create(party=vendor, iban="FR7630006000011234567890189")
    bill = InvoiceFactory(party=vendor, number=number, status=Invoice.Status.SCHEDULED)
    run = PaymentRun.objects.create(
        reference=run_ref,
        run_date=TODAY - dt.timedelta(days=3),
        currency="EUR",
        account=paying_account(),
        status=status,
        failure_reason=reason,
    )
    return PaymentRunItem.objects.create(
        run=run,
        invoice=bill,
        amount=bill.amount_payable,
        vendor_account=account,
        end_to_end_id=f"E2E-{number}",
        status=item_status,
        return_reason=reason if item_status == PaymentRunItem.Status.RETURNED else "",
    )
