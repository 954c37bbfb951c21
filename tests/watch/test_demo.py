"""Each check on the tiny demo set: what it finds there is what the demo's story tells of.

The demo (`ledgerdesk demo`) writes six months of vendor bills with their payables records:
matches for bills held on a mismatch, suspicions for held duplicates, pending approval steps.
Two checks find nothing there, on purpose, and the tests say why.
"""

import datetime as dt
from collections import Counter

import pytest
from django.core import mail
from django.utils import timezone

from ledgerdesk.demo import loading
from ledgerdesk.desk.models import Case
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.parties.models import Party
from ledgerdesk.payables.models import PaymentRun, PaymentRunItem
from ledgerdesk.watch import services
from ledgerdesk.watch.dates import business_days_before
from ledgerdesk.watch.models import Finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    loading.load("tiny", seed=7)


def test_each_check_finds_what_the_demo_story_holds_and_twice_opens_nothing(demo):
    cases_before = Case.objects.count()
    mails_before = len(mail.outbox)
    outcomes = {o.check: o for o in services.run()}
    findings = Finding.objects.select_related("invoice", "party")
    by_check = {name: [f for f in findings if f.check_name == name] for name in outcomes}
    today = timezone.localdate()

    # Bills waiting in approval with the due date within five days, or past it.
    assert by_check["approval_near_due"]
    for f in by_check["approval_near_due"]:
        assert f.invoice.status == Invoice.Status.IN_APPROVAL
        assert f.invoice.due_date <= today + dt.timedelta(days=5)

    # The demo's price and quantity mismatches, held with the reason in their history.
    kinds = Counter(f.kind for f in by_check["mismatch"])
    assert kinds["price"] >= 1 and kinds["quantity"] >= 1
    for f in by_check["mismatch"]:
        assert f.invoice.status == Invoice.Status.ON_HOLD
    held_for_mismatch = Invoice.objects.filter(
        direction="ap", status="on_hold", hold_reason__contains="mismatch"
    )
    assert set(held_for_mismatch) <= {f.invoice for f in by_check["mismatch"]}

    # The bill the import held as a suspected duplicate.
    assert by_check["duplicate"]
    assert all(f.invoice.duplicate_of_id for f in by_check["duplicate"])

    # US vendors with open bills and no tax form on file (the demo records none).
    open_bills = Invoice.objects.filter(direction="ap").exclude(status__in=Invoice.CLOSED_STATUSES)
    us_with_open_bills = set(
        Party.objects.filter(is_vendor=True, country="US", invoices__in=open_bills).distinct()
    )
    assert us_with_open_bills
    assert {f.party for f in by_check["vendor_documents"]} == us_with_open_bills

    # Not routed: the demo's newly received bills are at most three days old, inside the
    # target, so nothing is late.
    cutoff = business_days_before(today, 3)
    received = Invoice.objects.filter(direction="ap", status="received")
    assert all(timezone.localdate(b.status_changed_at) >= cutoff for b in received)
    assert outcomes["not_routed"].found == 0
    # The demo's payment run: the bank sent one payment back (a closed account).
    returned = PaymentRunItem.objects.filter(status="returned")
    if PaymentRun.objects.exists():
        assert returned.count() == 1
    assert outcomes["payment_returned"].found == returned.count()
    assert {f.invoice for f in by_check["payment_returned"]} == {i.invoice for i in returned}
    # A pattern needs three findings of one kind for one vendor; the tiny set's vendors have
    # at most two.
    per_vendor = Counter((f.party_id, f.kind) for f in findings)
    assert max(per_vendor.values()) < 3 and outcomes["repeat_vendor"].found == 0

    opened = sum(o.cases_opened for o in outcomes.values())
    assert opened == len(findings) == Case.objects.count() - cases_before
    vendor_facing = sum(o.vendors_told for o in outcomes.values())
    assert vendor_facing >= 3 and len(mail.outbox) - mails_before == vendor_facing

    again = services.run()
    assert sum(o.cases_opened for o in again) == 0
    assert sum(o.found for o in again) == len(findings)
    assert Case.objects.count() - cases_before == opened
