"""An AP invoice from arrival to a planned payment: duplicates, match, approval, delegation."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core import mail

from ledgerdesk.ledger.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    Invoice,
    InvoiceLine,
    PurchaseOrder,
    PurchaseOrderLine,
)
from ledgerdesk.payables import services
from ledgerdesk.payables.models import (
    ApprovalRule,
    ApprovalStep,
    Delegation,
    InvoiceMatch,
    SuspectedDuplicate,
    Tolerance,
)
from tests.factories import InvoiceFactory, PartyFactory, UserFactory

TODAY = dt.date(2026, 10, 5)
pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor():
    return PartyFactory(name="Papeterie Dupont SARL", payment_terms_days=30)


@pytest.fixture
def order(vendor):
    po = PurchaseOrder.objects.create(
        party=vendor, number="4500012345", order_date=dt.date(2026, 9, 1), currency="EUR",
        total_amount=D("601.00"), cost_centre="CC-4100", category="goods",
    )  # fmt: skip
    paper = PurchaseOrderLine.objects.create(
        order=po, position=1, description="Printer paper A4", quantity=10, unit_price=D("24.50")
    )
    toner = PurchaseOrderLine.objects.create(
        order=po, position=2, description="Toner cartridge black", quantity=4, unit_price=D("89.00")
    )
    receipt = GoodsReceipt.objects.create(order=po, number="GR-1", received_on=dt.date(2026, 9, 20))
    GoodsReceiptLine.objects.create(receipt=receipt, order_line=paper, quantity=10)
    GoodsReceiptLine.objects.create(receipt=receipt, order_line=toner, quantity=4)
    return po


def bill(vendor, order, number="F-2026-0042", lines=(("Printer paper A4", 10, "24.50"),), **kw):
    net = sum(D(q) * D(p) for _, q, p in lines)
    invoice = InvoiceFactory(
        party=vendor, number=number, purchase_order=order, net_amount=net, tax_amount=D("0"),
        total_amount=net, amount_payable=net, amount_open=net, **kw,
    )  # fmt: skip
    for position, (description, quantity, price) in enumerate(lines, start=1):
        InvoiceLine.objects.create(
            invoice=invoice, position=position, description=description, quantity=quantity,
            unit_price=D(price), net_amount=(D(quantity) * D(price)).quantize(D("0.01")),
        )  # fmt: skip
    return invoice


@pytest.fixture
def approver():
    return UserFactory(username="marie", first_name="Marie", last_name="Jansen", role="Agent")


def test_a_clean_invoice_is_matched_and_routed_to_the_approver_the_rules_name(
    ap_team, vendor, order, approver, django_capture_on_commit_callbacks
):
    ApprovalRule.objects.create(name="Office supplies", cost_centre="CC-4100", approver=approver)
    invoice = bill(vendor, order)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.intake(invoice, today=TODAY)
    assert outcome.outcome == "routed"
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.IN_APPROVAL
    assert invoice.match.status == InvoiceMatch.Status.OK
    assert invoice.history.last().note == "Routed to Marie Jansen"
    (step,) = outcome.steps
    assert step.state == ApprovalStep.State.PENDING and step.approver == approver
    (message,) = mail.outbox
    assert message.to == ["marie@hub.example"]
    assert "/payables/approve/" in message.body


def test_a_price_mismatch_holds_the_invoice_with_the_reason_in_plain_words(ap_team, vendor, order):
    invoice = bill(vendor, order, lines=(("Printer paper A4", 10, "26.00"),))
    assert services.intake(invoice, today=TODAY).outcome == "held: mismatch"
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ON_HOLD
    assert invoice.hold_reason.startswith("Line 1 (Printer paper A4): billed at EUR 26.00 each")
    assert invoice.match.kinds == "price"
    assert not invoice.approval_steps.exists()


def test_tolerance_per_vendor_beats_the_default(ap_team, vendor, order, approver):
    Tolerance.objects.create(price_pct=D("2"))
    Tolerance.objects.create(vendor=vendor, price_pct=D("10"), amount=D("20"))
    assert services.tolerance_for(vendor.pk, "goods").price_pct == D("10")
    assert services.tolerance_for(PartyFactory().pk, "goods").price_pct == D("2")
    ApprovalRule.objects.create(name="All", approver=approver)
    invoice = bill(vendor, order, lines=(("Printer paper A4", 10, "26.00"),))
    assert services.intake(invoice, today=TODAY).outcome == "routed"
    assert invoice.match.status == InvoiceMatch.Status.WITHIN


def test_quantity_already_billed_on_another_invoice_counts(ap_team, vendor, order, approver):
    ApprovalRule.objects.create(name="All", approver=approver)
    first = bill(vendor, order, number="F-1", lines=(("Printer paper A4", 6, "24.50"),))
    services.intake(first, today=TODAY)
    second = bill(vendor, order, number="F-2", lines=(("Printer paper A4", 6, "24.50"),))
    assert services.intake(second, today=TODAY).outcome == "held: mismatch"
    assert "6 were billed before" in second.match.messages[0]


def test_an_ocr_slip_of_a_known_number_is_held_as_a_suspected_duplicate(ap_team, vendor, order):
    original = bill(vendor, order, number="F-2026-0042")
    copy = bill(vendor, order, number="F-2O26-OO42")
    assert services.intake(copy, today=TODAY).outcome == "held: duplicate"
    (suspicion,) = SuspectedDuplicate.objects.filter(invoice=copy)
    assert suspicion.earlier == original
    copy.refresh_from_db()
    assert copy.hold_reason.startswith("Suspected duplicate of invoice F-2026-0042")
    # Checking again records nothing new.
    services.check_duplicates(copy)
    assert SuspectedDuplicate.objects.count() == 1


def test_without_a_rule_the_ap_lead_approves(ap_team, vendor, order):
    (step,) = services.intake(bill(vendor, order), today=TODAY).steps
    assert step.approver == ap_team.lead


def test_rules_by_amount_make_two_levels_in_order(ap_team, vendor, order, approver):
    cfo = UserFactory(username="cfo", first_name="Chris", last_name="Fo", role="Manager")
    ApprovalRule.objects.create(name="Department", level=1, approver=approver)
    ApprovalRule.objects.create(name="Large", level=2, min_amount=D("200"), approver=cfo)
    ApprovalRule.objects.create(name="Huge", level=3, min_amount=D("50000"), approver=cfo)
    invoice = bill(vendor, order)
    first, second = services.intake(invoice, today=TODAY).steps
    assert (first.approver, second.approver) == (approver, cfo)
    assert second.state == ApprovalStep.State.WAITING
    services.decide(first, approver, approve=True, today=TODAY)
    second.refresh_from_db()
    assert second.state == ApprovalStep.State.PENDING
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.IN_APPROVAL
    assert invoice.history.last().note == "Routed to Chris Fo"
    services.decide(second, cfo, approve=True, today=TODAY)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.SCHEDULED
    assert invoice.scheduled_payment_date == invoice.due_date


def test_an_away_approver_s_delegate_stands_in(ap_team, vendor, order, approver):
    deputy = UserFactory(username="deputy", first_name="Dee", last_name="Puty", role="Agent")
    Delegation.objects.create(approver=approver, delegate=deputy, starts=TODAY, ends=TODAY)
    ApprovalRule.objects.create(name="All", approver=approver)
    invoice = bill(vendor, order)
    (step,) = services.intake(invoice, today=TODAY).steps
    assert step.approver == deputy and step.on_behalf_of == approver
    assert invoice.history.last().note == "Routed to Dee Puty for Marie Jansen"
    with pytest.raises(services.PayablesError, match="waiting for someone else"):
        services.decide(step, approver, approve=True)
    # Outside the delegation the approver approves in person.
    assert services.stand_in(approver, TODAY + dt.timedelta(days=1)) == approver


def test_delegations_chain_but_never_in_a_circle(approver):
    deputy = UserFactory(username="deputy")
    Delegation.objects.create(approver=approver, delegate=deputy, starts=TODAY, ends=TODAY)
    Delegation.objects.create(approver=deputy, delegate=approver, starts=TODAY, ends=TODAY)
    assert services.stand_in(approver, TODAY) == deputy


def test_rejecting_needs_a_reason_the_vendor_reads(ap_team, vendor, order, approver):
    ApprovalRule.objects.create(name="All", approver=approver)
    invoice = bill(vendor, order)
    (step,) = services.intake(invoice, today=TODAY).steps
    with pytest.raises(services.PayablesError, match="^note:"):
        services.decide(step, approver, approve=False)
    services.decide(step, approver, approve=False, note="We did not order express delivery.")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.REJECTED
    assert invoice.history.last().note == "We did not order express delivery."


def test_a_discount_on_offer_schedules_payment_on_the_discount_date(
    ap_team, vendor, order, approver
):
    ApprovalRule.objects.create(name="All", approver=approver)
    invoice = bill(vendor, order, discount_amount=D("4.90"), discount_until=dt.date(2026, 10, 11))
    (step,) = services.intake(invoice, today=TODAY).steps
    services.decide(step, approver, approve=True, today=TODAY)
    invoice.refresh_from_db()
    assert invoice.scheduled_payment_date == dt.date(2026, 10, 11)
    assert "to take the early-payment discount" in invoice.history.last().note


def test_a_link_works_once_and_cannot_be_forged(ap_team, vendor, order, approver):
    ApprovalRule.objects.create(name="All", approver=approver)
    (step,) = services.intake(bill(vendor, order), today=TODAY).steps
    token = services.approval_token(step)
    assert services.step_from_token(token) == step
    with pytest.raises(services.PayablesError, match="not valid"):
        services.step_from_token(token[:-2] + "xx")
    services.decide(step, approver, approve=True)
    with pytest.raises(services.PayablesError, match="already approved"):
        services.decide(services.step_from_token(token), approver, approve=True)


def test_an_approval_that_sits_is_chased_then_escalated_to_the_lead(
    ap_team, vendor, order, approver
):
    ApprovalRule.objects.create(name="All", approver=approver)
    invoice = bill(vendor, order, due_date=dt.date(2026, 12, 31))
    (step,) = services.intake(invoice, today=TODAY).steps
    mail.outbox.clear()
    later = step.requested_at + dt.timedelta(days=3)
    assert services.chase(now=later).reminded == 1
    assert mail.outbox[-1].subject.startswith("Reminder: Please approve invoice F-2026-0042")
    assert services.chase(now=later).reminded == 0  # not twice in a row
    services.chase(now=later + dt.timedelta(days=3))
    result = services.chase(now=later + dt.timedelta(days=6))
    assert result.escalated == 1
    step.refresh_from_db()
    assert step.approver == ap_team.lead and step.on_behalf_of == approver and step.escalated
    invoice.refresh_from_db()
    assert invoice.history.last().note == "Routed to Lena Lead (waited on Marie Jansen too long)"


def test_a_copy_is_cancelled_and_a_different_bill_continues(ap_team, vendor, order, lead):
    original = bill(vendor, order, number="F-2026-0042")
    copy = bill(vendor, order, number="F-2O26-OO42")
    services.intake(copy, today=TODAY)
    suspicion = SuspectedDuplicate.objects.get(invoice=copy)
    services.decide_duplicate(suspicion, lead, same=True)
    copy.refresh_from_db()
    assert copy.status == Invoice.Status.CANCELLED
    assert copy.history.last().note == (
        "A copy of invoice F-2026-0042: we pay it once, under that number"
    )
    with pytest.raises(services.PayablesError, match="^decision: already decided"):
        services.decide_duplicate(suspicion, lead, same=False)

    other = bill(vendor, order, number="F-2026-0024", lines=(("Toner cartridge black", 4, "89"),))
    other.total_amount = original.total_amount  # same amount, digits swapped: suspected
    other.save()
    services.intake(other, today=TODAY)
    suspicion = SuspectedDuplicate.objects.get(invoice=other)
    outcome = services.decide_duplicate(suspicion, lead, same=False)
    assert outcome.outcome == "routed"
    other.refresh_from_db()
    assert other.status == Invoice.Status.IN_APPROVAL


def test_a_bill_held_for_goods_not_received_goes_on_once_they_arrive(ap_team, vendor, lead):
    order = PurchaseOrder.objects.create(
        party=vendor, number="4500099999", order_date=dt.date(2026, 9, 1), currency="EUR"
    )
    chairs = PurchaseOrderLine.objects.create(
        order=order, position=1, description="Office chair", quantity=4, unit_price=D("180")
    )
    invoice = bill(vendor, order, lines=(("Office chair", 4, "180"),))
    assert services.intake(invoice, today=TODAY).outcome == "held: mismatch"
    assert services.recheck(invoice, today=TODAY).outcome == "held: mismatch"
    receipt = GoodsReceipt.objects.create(order=order, number="GR-9", received_on=TODAY)
    GoodsReceiptLine.objects.create(receipt=receipt, order_line=chairs, quantity=4)
    from ledgerdesk.payables.tasks import recheck_held

    assert recheck_held.call_local() == {"routed": 1}
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.IN_APPROVAL


def test_steps_already_waiting_move_to_the_delegate_when_the_approver_goes_away(
    ap_team, vendor, order, approver
):
    ApprovalRule.objects.create(name="All", approver=approver)
    invoice = bill(vendor, order)
    (step,) = services.intake(invoice, today=TODAY).steps
    deputy = UserFactory(username="deputy", first_name="Dee", last_name="Puty", role="Agent")
    today = dt.date.today()
    Delegation.objects.create(approver=approver, delegate=deputy, starts=today, ends=today)
    step.refresh_from_db()
    assert step.approver == deputy and step.on_behalf_of == approver
    assert invoice.history.last().note == "Routed to Dee Puty for Marie Jansen"
