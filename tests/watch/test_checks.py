"""Each check on a small hand-built data set: what it finds, and what it leaves alone."""

import datetime as dt

import pytest

from ledgerdesk.coach import review
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.payables.models import ApprovalStep, PaymentRun, PaymentRunItem
from ledgerdesk.watch import checks
from ledgerdesk.watch.checks import Settings
from ledgerdesk.watch.models import Finding, VendorDocument
from tests.factories import InvoiceFactory, PartyFactory
from tests.watch.builders import (
    NOW,
    TODAY,
    mismatched,
    payment_run,
    pending_approval,
    received_bill,
    suspected,
)

pytestmark = pytest.mark.django_db


def found(name, **limits):
    check = checks.get(name)
    settings = Settings({**check.defaults(), **limits}, NOW)
    return check(), settings, list(check().find(settings))


def keys(name, **limits):
    return sorted(item.key for item in found(name, **limits)[2])


def test_the_registry_holds_every_check_once_with_what_a_lead_needs():
    assert list(checks.REGISTRY) == [
        "not_routed",
        "approval_near_due",
        "mismatch",
        "duplicate",
        "payment_returned",
        "vendor_documents",
        "repeat_vendor",
    ]
    for check in checks.CHECKS:
        assert check.title and check.description and check.subject_template
        assert "reply_days" in check.defaults()


def test_not_routed_finds_bills_waiting_longer_than_the_business_days(vendor):
    late = received_bill(vendor, "F-1", days_ago=6)  # Thursday 12th: late after 3 business days
    received_bill(vendor, "F-2", days_ago=2)  # Monday 16th: within 3 business days
    InvoiceFactory(
        party=vendor,
        number="F-3",
        status=Invoice.Status.IN_APPROVAL,
        status_changed_at=NOW - dt.timedelta(days=20),
    )
    received_bill(vendor, "F-4", days_ago=9, direction="ar")
    assert keys("not_routed") == [f"invoice:{late.pk}"]
    # Late after 4 business days, not after 5.
    assert keys("not_routed", days=5) == []


def test_approval_near_due_finds_pending_steps_close_to_the_due_date(vendor):
    near = pending_approval(vendor, "F-1", due_in=3)
    pending_approval(vendor, "F-2", due_in=30)
    overdue = pending_approval(vendor, "F-3", due_in=-2)
    done = pending_approval(vendor, "F-4", due_in=1)
    done.approval_steps.update(state=ApprovalStep.State.APPROVED)
    assert keys("approval_near_due") == [f"invoice:{near.pk}", f"invoice:{overdue.pk}"]
    assert keys("approval_near_due", days=40) == sorted(
        f"invoice:{pk}" for pk in (near.pk, overdue.pk, Invoice.objects.get(number="F-2").pk)
    )


def test_approval_near_due_finds_a_discount_about_to_lapse(vendor):
    bill = pending_approval(
        vendor,
        "F-1",
        due_in=40,
        discount_amount="24.20",
        discount_until=TODAY + dt.timedelta(days=2),
    )
    _, settings, [item] = found("approval_near_due")
    assert item.key == f"invoice:{bill.pk}"
    assert item.facts["deadline_label"] == "last day for the early-payment discount"
    assert "Friday 20 November" in checks.get("approval_near_due")().message(item, settings)


def test_mismatch_finds_price_quantity_and_not_received_but_not_arithmetic(vendor):
    price = mismatched(vendor, "F-1", kinds="price")
    qty = mismatched(vendor, "F-2", kinds="quantity,not_received")
    mismatched(vendor, "F-3", kinds="arithmetic")
    paid = mismatched(vendor, "F-4", kinds="price")
    Invoice.objects.filter(pk=paid.pk).update(status=Invoice.Status.PAID)
    items = {item.key: item for item in found("mismatch")[2]}
    assert sorted(items) == sorted([f"invoice:{price.pk}", f"invoice:{qty.pk}"])
    assert items[f"invoice:{qty.pk}"].kind == "quantity"
    assert "the quantity differs" in items[f"invoice:{qty.pk}"].facts["differences"]


def test_duplicate_finds_open_suspicions_above_the_score(vendor):
    open_one = suspected(vendor, "F-1", "F-l")
    decided = suspected(vendor, "F-2", "F-Z")
    decided.decision = "different"
    decided.save()
    assert keys("duplicate") == [f"suspicion:{open_one.pk}"]
    assert keys("duplicate", min_score=95) == []


def test_payment_returned_finds_returned_items_and_failed_runs(vendor):
    returned = payment_run(
        vendor,
        item_status=PaymentRunItem.Status.RETURNED,
        number="F-1",
        reason="Account closed",
        run_ref="PR-1",
    )
    failed = payment_run(
        vendor,
        status=PaymentRun.Status.FAILED,
        number="F-2",
        item_status=PaymentRunItem.Status.INCLUDED,
        reason="File rejected",
        run_ref="PR-2",
    )
    payment_run(vendor, number="F-3", run_ref="PR-3")  # paid: nothing to say
    items = {item.key: item for item in found("payment_returned")[2]}
    assert sorted(items) == sorted([f"run-item:{returned.pk}", f"run-item:{failed.pk}"])
    assert (
        "returned by the bank (reason given: Account closed)"
        in (items[f"run-item:{returned.pk}"].facts["how"])
    )
    assert keys("payment_returned", days=1) == []  # the runs were three days ago


def test_vendor_documents_finds_missing_tax_forms_and_expiring_certificates(vendor):
    us = PartyFactory(name="Acme Inc.", country="US")
    InvoiceFactory(party=us, status=Invoice.Status.APPROVED)
    covered = PartyFactory(name="Covered LLC", country="US")
    InvoiceFactory(party=covered, status=Invoice.Status.APPROVED)
    VendorDocument.objects.create(party=covered, kind="tax_form", received_at=TODAY)
    idle = PartyFactory(name="Idle Corp", country="US")  # no open bills: nothing to ask
    InvoiceFactory(party=vendor)
    expiring = VendorDocument.objects.create(
        party=vendor,
        kind="insurance",
        reference="POL-7",
        received_at=TODAY.replace(year=2025),
        valid_until=TODAY + dt.timedelta(days=10),
    )
    renewed = VendorDocument.objects.create(
        party=covered,
        kind="insurance",
        received_at=TODAY.replace(year=2025),
        valid_until=TODAY + dt.timedelta(days=5),
    )
    VendorDocument.objects.create(
        party=covered, kind="insurance", received_at=TODAY, valid_until=TODAY.replace(year=2027)
    )
    assert keys("vendor_documents") == sorted(
        [f"vendor:{us.pk}:tax_form", f"document:{expiring.pk}"]
    )
    assert f"document:{renewed.pk}" not in keys("vendor_documents")
    assert f"vendor:{idle.pk}:tax_form" not in keys("vendor_documents")
    assert keys("vendor_documents", expiring_days=5, tax_form_countries=[]) == []


def test_repeat_vendor_counts_findings_of_one_kind_in_the_window(vendor):
    other = PartyFactory(name="Other BV")
    for n in range(3):
        Finding.objects.create(
            check_name="mismatch",
            key=f"invoice:{n}",
            party=vendor,
            kind="price",
            summary="x",
            first_seen=NOW - dt.timedelta(days=n),
        )
    for n in range(2):
        Finding.objects.create(
            check_name="mismatch", key=f"invoice:q{n}", party=vendor, kind="quantity", summary="x"
        )
        Finding.objects.create(
            check_name="duplicate", key=f"s:{n}", party=other, kind="duplicate", summary="x"
        )
    Finding.objects.create(
        check_name="duplicate",
        key="s:old",
        party=other,
        kind="duplicate",
        summary="x",
        first_seen=NOW - dt.timedelta(days=200),
    )
    check, settings, items = found("repeat_vendor")
    assert [item.key for item in items] == [f"vendor:{vendor.pk}:price"]
    assert "put our order" not in check.message(items[0], settings)
    assert "send us the new price list" in check.message(items[0], settings)
    assert keys("repeat_vendor", min_findings=2) == sorted(
        [
            f"vendor:{vendor.pk}:price",
            f"vendor:{vendor.pk}:quantity",
            f"vendor:{other.pk}:duplicate",
        ]
    )
    assert f"vendor:{other.pk}:duplicate" in keys("repeat_vendor", min_findings=3, days=365)


@pytest.mark.parametrize("name", list(checks.REGISTRY))
def test_every_message_says_what_happened_what_we_do_by_when_and_how_it_stops(name, vendor):
    """The reply coach, asked to read the message as an incident reply, misses none of the
    three critical needs and finds no blame and no threat."""
    us = PartyFactory(name="Acme Inc.", country="US")
    InvoiceFactory(party=us, status=Invoice.Status.APPROVED)
    received_bill(vendor, "F-1")
    pending_approval(vendor, "F-2")
    mismatched(vendor, "F-3", kinds="price,quantity")
    suspected(vendor, "F-4", "F-4O")
    payment_run(
        vendor, item_status=PaymentRunItem.Status.RETURNED, number="F-5", reason="Account closed"
    )
    for n in range(3):
        Finding.objects.create(
            check_name="mismatch",
            key=f"k{n}",
            party=vendor,
            kind="quantity",
            summary="x",
            first_seen=NOW,
        )
    check, settings, items = found(name)
    assert items, f"{name} found nothing in the hand-built set"
    text = check.message(items[0], settings, to="Claire Dupont", team="Accounts Payable")
    result = review(text, {"incident": True, "contact_name": "Claire Dupont"})
    bad = [f for f in result.findings if f.category in ("critical_needs", "blame", "threat")]
    assert not bad, f"{name}: {[(f.rule, f.message) for f in bad]}\n{text}"
    assert text.startswith("Dear Claire Dupont,")
    assert "What happened:" in text and "What we are doing:" in text
    assert "To make sure this does not happen again" in text
