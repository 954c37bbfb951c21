"""Fee waivers within authority limits: applied at once within the requester's limit, else
waiting for the next role up whose limit covers it; never approved by the requester; the
open amount falls through the ledger (a credit note netted against the invoice); audited and
on the invoice's history."""

from decimal import Decimal

import pytest
from django.utils import timezone

from ledgerdesk.core.models import AuditEntry
from ledgerdesk.creditcontrol import services, waivers
from ledgerdesk.creditcontrol.common import CreditControlError
from ledgerdesk.creditcontrol.models import AuthorityLimit, FeeWaiver
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.portal import statement
from tests.creditcontrol.conftest import ar_invoice
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(customer):
    return ar_invoice(customer, amount="10000.00")


@pytest.mark.parametrize(
    "persona, amount, applied, approver",
    [
        ("agent", "50.00", True, ""),
        ("agent", "50.01", False, "Lead"),
        ("agent", "600.00", False, "Manager"),
        ("lead", "500.00", True, ""),
        ("lead", "500.01", False, "Manager"),
        ("manager", "5000.00", True, ""),
        ("manager", "5000.01", None, None),
    ],
)
def test_authority_limit_matrix(request, invoice, persona, amount, applied, approver):
    user = request.getfixturevalue(persona)
    if applied is None:
        with pytest.raises(CreditControlError, match="^amount: .* above every authority limit"):
            services.request_waiver(invoice, Decimal(amount), "Late fee charged in error", user)
        assert FeeWaiver.objects.count() == 0
        return
    waiver = services.request_waiver(invoice, Decimal(amount), "Late fee charged in error", user)
    invoice.refresh_from_db()
    if applied:
        assert waiver.state == FeeWaiver.State.APPLIED and waiver.decided_by == user
        assert invoice.amount_open == Decimal("10000.00") - Decimal(amount)
    else:
        assert waiver.state == FeeWaiver.State.PENDING and waiver.approver_role == approver
        assert invoice.amount_open == Decimal("10000.00")


def test_applied_waiver_is_a_credit_note_netted_against_the_invoice(invoice, agent):
    waiver = services.request_waiver(invoice, Decimal("25.00"), "Reminder fee waived", agent)
    credit_note = Invoice.objects.get(pk=waiver.credit_note_id)
    assert credit_note.kind == Invoice.Kind.CREDIT_NOTE and credit_note.corrects == invoice
    assert credit_note.amount_payable == Decimal("25.00") and credit_note.amount_open == 0
    allocation = invoice.allocations.get()
    assert (allocation.amount, allocation.deduction_amount) == (0, Decimal("25.00"))
    assert "Reminder fee waived" in allocation.deduction_reason
    # The customer's statement balances: billed 10,000, waived 25, owes 9,975.
    built = statement.build(invoice.party, invoice.issue_date, timezone.localdate())
    assert built.sections[0].closing == Decimal("9975.00")
    history = list(invoice.history.values_list("note", flat=True))
    assert any("Waived EUR 25.00 (Reminder fee waived)" in note for note in history)


def test_a_lead_approves_an_agents_request_above_the_agents_limit(invoice, agent, lead):
    waiver = services.request_waiver(invoice, Decimal("120.00"), "Goodwill", agent)
    assert services.can_decide(waiver, lead)
    services.approve(waiver, lead, "Long-standing customer")
    waiver.refresh_from_db()
    invoice.refresh_from_db()
    assert waiver.state == FeeWaiver.State.APPLIED and waiver.decided_by == lead
    assert waiver.decision_note == "Long-standing customer"
    assert invoice.amount_open == Decimal("9880.00")
    assert any("approved by lead" in n for n in invoice.history.values_list("note", flat=True))


def test_nobody_approves_their_own_request(invoice, lead):
    waiver = services.request_waiver(invoice, Decimal("900.00"), "Goodwill", lead)
    assert waiver.approver_role == "Manager"
    assert not services.can_decide(waiver, lead)
    with pytest.raises(CreditControlError, match="^decided_by: you cannot decide your own"):
        services.approve(waiver, lead)


def test_the_approvers_limit_must_cover_the_amount(invoice, agent, lead, manager):
    waiver = services.request_waiver(invoice, Decimal("900.00"), "Goodwill", agent)
    assert waiver.approver_role == "Manager"
    with pytest.raises(CreditControlError, match="^decided_by: this request waits for a Manager"):
        services.approve(waiver, lead)
    other_agent = UserFactory(username="agent2", role="Agent")
    with pytest.raises(CreditControlError, match="^decided_by:"):
        services.approve(waiver, other_agent)
    services.approve(waiver, manager)
    waiver.refresh_from_db()
    assert waiver.state == FeeWaiver.State.APPLIED


def test_a_lowered_limit_in_the_table_is_what_counts(invoice, lead, manager):
    AuthorityLimit.objects.filter(role="Manager").update(amount=Decimal("800.00"))
    waiver = services.request_waiver(invoice, Decimal("700.00"), "Goodwill", lead)
    assert waiver.approver_role == "Manager"
    waiver2 = services.request_waiver(invoice, Decimal("900.00"), "Goodwill", lead)
    assert waiver2.approver_role == "Admin"  # the manager's 800 does not cover 900
    with pytest.raises(CreditControlError, match="does not cover it|waits for a Admin"):
        services.approve(waiver2, manager)


def test_reject_needs_a_note_and_changes_no_money(invoice, agent, lead):
    waiver = services.request_waiver(invoice, Decimal("80.00"), "Goodwill", agent)
    with pytest.raises(CreditControlError, match="^decision_note:"):
        services.reject(waiver, lead, "")
    services.reject(waiver, lead, "The fee was correct")
    waiver.refresh_from_db()
    invoice.refresh_from_db()
    assert waiver.state == FeeWaiver.State.REJECTED and invoice.amount_open == Decimal("10000.00")
    with pytest.raises(CreditControlError, match="^state: this request was already decided"):
        services.approve(waiver, lead)
    assert any("rejected by lead" in n for n in invoice.history.values_list("note", flat=True))


@pytest.mark.parametrize(
    "amount, reason, message",
    [
        (Decimal("0"), "x", "^amount: must be above zero"),
        (Decimal("10.001"), "x", "^amount: EUR amounts have at most 2 decimals"),
        (Decimal("20000.00"), "x", "^amount: invoice INV-1001 has only EUR 10,000.00 open"),
        (Decimal("10.00"), "  ", "^reason: "),
    ],
)
def test_bad_requests_name_the_field(invoice, agent, amount, reason, message):
    with pytest.raises(CreditControlError, match=message):
        services.request_waiver(invoice, amount, reason, agent)
    assert FeeWaiver.objects.count() == 0


def test_every_step_is_audited(invoice, agent, lead):
    waiver = services.request_waiver(invoice, Decimal("80.00"), "Goodwill", agent)
    services.approve(waiver, lead)
    entries = AuditEntry.objects.filter(object_type="creditcontrol.feewaiver",
                                        object_id=str(waiver.pk))  # fmt: skip
    actions = sorted(entries.values_list("action", flat=True))
    assert actions == ["create", "update", "update"]
    assert entries.filter(after__state="applied").exists()


def test_approver_role_skips_roles_whose_limit_is_too_small():
    assert waivers.approver_role_for("Agent", Decimal("40"), "EUR") == "Lead"
    assert waivers.approver_role_for("Agent", Decimal("4000"), "EUR") == "Manager"


# --- Limits are per currency ----------------------------------------------------------------


def test_a_limit_in_one_currency_says_nothing_about_another(customer, agent):
    """The seeded limits are EUR: a JPY invoice has no limit until a lead adds one, and the
    request is refused naming the currency instead of comparing 50 EUR with 50 JPY."""
    yen = ar_invoice(customer, number="JP-1", amount="1200000", currency="JPY")
    with pytest.raises(CreditControlError, match="^amount: no role has an authority limit in JPY"):
        services.request_waiver(yen, Decimal("40"), "Bank fee", agent)
    assert FeeWaiver.objects.count() == 0


def test_per_currency_limits_route_in_the_invoices_currency(customer, agent, lead):
    AuthorityLimit.objects.create(role="Agent", currency="JPY", amount=Decimal("8000"))
    AuthorityLimit.objects.create(role="Lead", currency="JPY", amount=Decimal("80000"))
    yen = ar_invoice(customer, number="JP-1", amount="1200000", currency="JPY")
    within = services.request_waiver(yen, Decimal("8000"), "Bank fee", agent)
    assert within.state == FeeWaiver.State.APPLIED  # 8,000 JPY: far above "50", within JPY's
    above = services.request_waiver(yen, Decimal("8001"), "Bank fee", agent)
    assert (above.state, above.approver_role) == (FeeWaiver.State.PENDING, "Lead")
    # 60 EUR is above the agent's EUR limit even though the agent may waive 8,000 JPY.
    euro = ar_invoice(customer, number="EU-1", amount="1000.00")
    assert services.request_waiver(euro, Decimal("60.00"), "Fee", agent).approver_role == "Lead"
    services.approve(above, lead)
    yen.refresh_from_db()
    assert yen.amount_open == Decimal("1200000") - Decimal("16001")


def test_an_approvers_limit_is_read_in_the_waivers_currency(customer, agent, lead):
    """A lead with 500 EUR and 20 GBP cannot approve 60 GBP, though 60 < 500."""
    AuthorityLimit.objects.create(role="Agent", currency="GBP", amount=Decimal("10.00"))
    AuthorityLimit.objects.create(role="Lead", currency="GBP", amount=Decimal("20.00"))
    AuthorityLimit.objects.create(role="Manager", currency="GBP", amount=Decimal("100.00"))
    pounds = ar_invoice(customer, number="GB-1", amount="900.00", currency="GBP")
    waiver = services.request_waiver(pounds, Decimal("60.00"), "Fee", agent)
    assert waiver.approver_role == "Manager"
    assert not services.can_decide(waiver, lead)
    with pytest.raises(CreditControlError, match="^decided_by: this request waits for a Manager"):
        services.approve(waiver, lead)


def test_a_currency_without_minor_units_refuses_decimals(customer, agent):
    AuthorityLimit.objects.create(role="Agent", currency="JPY", amount=Decimal("8000"))
    yen = ar_invoice(customer, number="JP-1", amount="1200000", currency="JPY")
    with pytest.raises(CreditControlError, match="^amount: JPY amounts have at most 0 decimals"):
        services.request_waiver(yen, Decimal("10.50"), "Bank fee", agent)


def test_an_approver_exactly_at_their_limit_may_approve(invoice, agent, lead):
    waiver = services.request_waiver(invoice, Decimal("500.00"), "Goodwill", agent)
    assert waiver.approver_role == "Lead" and services.can_decide(waiver, lead)
    services.approve(waiver, lead)
    waiver.refresh_from_db()
    assert waiver.state == FeeWaiver.State.APPLIED


def test_approval_rechecks_what_is_open_now(customer, agent, lead):
    """Paid in full while the request waited: approving it would credit more than is owed."""
    small = ar_invoice(customer, number="S-1", amount="100.00")
    waiver = services.request_waiver(small, Decimal("80.00"), "Goodwill", agent)
    services.request_waiver(small, Decimal("50.00"), "Reminder fee", agent)  # applied at once
    with pytest.raises(CreditControlError, match="^amount: invoice S-1 has only EUR 50.00 open"):
        services.approve(waiver, lead)
    waiver.refresh_from_db()
    small.refresh_from_db()
    assert waiver.state == FeeWaiver.State.PENDING and small.amount_open == Decimal("50.00")
