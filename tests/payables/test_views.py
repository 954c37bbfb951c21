"""Approvers decide in the console or from the e-mailed link; new e-invoices are checked
on import."""

from decimal import Decimal as D
from pathlib import Path

import pytest
from django.urls import reverse

from ledgerdesk.ledger.importer import import_bytes
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.payables import services
from ledgerdesk.payables.models import ApprovalRule, ApprovalStep
from tests.factories import InvoiceFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def approver():
    return UserFactory(username="marie", first_name="Marie", last_name="Jansen", role="Agent")


@pytest.fixture
def step(ap_team, approver):
    ApprovalRule.objects.create(name="All", approver=approver)
    invoice = InvoiceFactory(party=PartyFactory(name="Dupont SARL"), number="F-1")
    (step,) = services.route(invoice)
    return step


def test_the_link_shows_the_invoice_and_a_get_decides_nothing(client, step):
    url = reverse("payables:decide", args=[services.approval_token(step)])
    response = client.get(url)
    assert response.status_code == 200
    assert b"Invoice F-1 from Dupont SARL" in response.content
    step.refresh_from_db()
    assert step.state == ApprovalStep.State.PENDING


def test_the_link_approves_on_post(client, step):
    url = reverse("payables:decide", args=[services.approval_token(step)])
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 200
    step.refresh_from_db()
    assert step.state == ApprovalStep.State.APPROVED
    assert Invoice.objects.get(pk=step.invoice_id).status == Invoice.Status.SCHEDULED


def test_rejecting_from_the_link_without_a_reason_says_which_field(client, step):
    url = reverse("payables:decide", args=[services.approval_token(step)])
    response = client.post(url, {"decision": "reject"})
    assert b"note: say why the invoice is rejected" in response.content
    step.refresh_from_db()
    assert step.state == ApprovalStep.State.PENDING


def test_a_forged_link_is_not_found(client, step):
    token = services.approval_token(step)
    assert client.get(reverse("payables:decide", args=[token[:-3] + "abc"])).status_code == 404


def test_console_approval_by_the_approver_only(client, step, approver, agent):
    url = reverse("payables:decide_step", args=[step.pk])
    client.force_login(agent)
    client.post(url, {"decision": "approve"})
    step.refresh_from_db()
    assert step.state == ApprovalStep.State.PENDING
    client.force_login(approver)
    client.post(url, {"decision": "approve"})
    step.refresh_from_db()
    assert step.state == ApprovalStep.State.APPROVED


def test_the_approvals_page_lists_what_waits_for_me_in_few_queries(
    client, ap_team, approver, django_assert_max_num_queries
):
    ApprovalRule.objects.create(name="All", approver=approver)
    for n in range(15):
        services.route(InvoiceFactory(number=f"F-{n}"))
    client.force_login(approver)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("payables:approvals"))
    assert response.status_code == 200
    assert response.content.count(b'value="approve"') == 15


def test_the_invoice_page_shows_checks_and_approval(client, step, approver):
    client.force_login(approver)
    response = client.get(step.invoice.get_absolute_url())
    assert b"Checks and approval" in response.content
    assert b"Marie Jansen" in response.content


def test_outsiders_cannot_see_approvals(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("payables:approvals")).status_code == 403


def test_an_imported_e_invoice_is_checked_and_routed(
    ap_team, approver, django_capture_on_commit_callbacks
):
    ApprovalRule.objects.create(name="All", approver=approver)
    data = (FIXTURES / "einvoices" / "ubl" / "peppol-base-example.xml").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = import_bytes(data, "peppol-base-example.xml", direction="ap")
    assert outcome.added == 1, outcome.error
    invoice = Invoice.objects.get()
    # The sample names no order we know: held, and the vendor is told to add the order number.
    assert invoice.status == Invoice.Status.ON_HOLD
    assert "order number" in invoice.hold_reason
    assert invoice.match.mode == "no_order"


def test_approval_rule_amounts_bound_the_rule(approver):
    rule = ApprovalRule(name="Mid", min_amount=D("100"), max_amount=D("1000"), approver=approver)
    assert rule.fits(D("100"), "", "") and rule.fits(D("1000"), "", "")
    assert not rule.fits(D("99.99"), "", "") and not rule.fits(D("1000.01"), "", "")
    scoped = ApprovalRule(name="IT", cost_centre="CC-IT", category="capex", approver=approver)
    assert scoped.fits(D("5"), "CC-IT", "capex") and not scoped.fits(D("5"), "CC-HR", "capex")
