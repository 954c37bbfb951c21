"""One bank line beside its candidate invoices: an agent confirms, holds or refunds it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ledgerdesk.core.models import AuditEntry
from ledgerdesk.desk.models import Case
from ledgerdesk.ledger.models import Invoice, Payment
from ledgerdesk.receivables import services
from ledgerdesk.receivables.models import BankStatement, StatementLine
from tests.receivables.cash import ar_invoice, customer

pytestmark = pytest.mark.django_db
State = StatementLine.State


def make_line(amount="1210.00", state=State.REVIEW, candidates=(), **kwargs):
    statement, _ = BankStatement.objects.get_or_create(
        account="NL91ABNA0417164300",
        fingerprint="f" * 64,
        defaults={
            "statement_id": "S1",
            "format": "camt053",
            "currency": "EUR",
            "imported_at": dt.datetime(2026, 11, 3, tzinfo=dt.UTC),
        },
    )
    position = statement.lines.count() + 1
    return StatementLine.objects.create(
        statement=statement,
        position=position,
        fingerprint=f"line{position}",
        account=statement.account,
        booking_date=dt.date(2026, 11, 3),
        amount=Decimal(amount),
        currency="EUR",
        remittance=kwargs.pop("remittance", "payment"),
        counterparty_name=kwargs.pop("counterparty_name", "Acme Retail"),
        state=state,
        unapplied_amount=Decimal(amount),
        candidates=[c.pk for c in candidates],
        candidate_reasons={
            str(c.pk): ["paid from the customer's bank account"] for c in candidates
        },
        confidence=0.6,
        reason=kwargs.pop("reason", "Two open invoices of this amount"),
        **kwargs,
    )


@pytest.fixture
def review(db):
    acme = customer()
    first = ar_invoice(acme, "INV-A", "1210.00")
    second = ar_invoice(acme, "INV-B", "1210.00")
    return make_line(candidates=[first, second]), first, second


def url(line):
    return reverse("receivables:line", args=[line.pk])


def test_it_shows_the_line_beside_its_candidates(agent_client, review):
    line, first, second = review

    response = agent_client.get(url(line))

    assert response.status_code == 200
    text = response.content.decode()
    assert "INV-A" in text and "INV-B" in text
    assert "paid from the customer&#x27;s bank account" in text
    assert 'class="badge badge-warn">To review' in text


def test_an_agent_confirms_an_allocation(agent_client, agent, review, ar_team):
    line, first, second = review

    response = agent_client.post(
        url(line),
        {
            "action": "confirm",
            "invoice": [first.pk, second.pk],
            f"amount_{first.pk}": "0",
            f"amount_{second.pk}": "1210.00",
        },
    )

    assert response.status_code == 302
    line.refresh_from_db()
    assert line.state == State.APPLIED
    assert line.auto_applied is False and line.applied_by == agent
    assert line.payment.allocations.get().invoice == second
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == Invoice.Status.PAID and first.amount_open == Decimal("1210.00")
    assert AuditEntry.objects.filter(object_type="receivables.statementline").exists()
    assert not Case.objects.exists()


def test_it_refuses_more_than_the_invoice_has_open_naming_the_field(agent_client, review):
    line, first, _ = review

    response = agent_client.post(
        url(line), {"action": "confirm", "invoice": [first.pk], f"amount_{first.pk}": "1300.00"}
    )

    assert response.status_code == 400
    form = response.context["confirm_form"]
    assert f"amount_{first.pk}" in form.errors
    assert "only 1210.00 EUR open" in form.errors[f"amount_{first.pk}"][0]
    assert Payment.objects.count() == 0


def test_it_refuses_more_than_the_line_brought(agent_client, review):
    line, first, second = review

    response = agent_client.post(
        url(line),
        {
            "action": "confirm",
            "invoice": [first.pk, second.pk],
            f"amount_{first.pk}": "1210.00",
            f"amount_{second.pk}": "10.00",
        },
    )

    assert response.status_code == 400
    assert "more than the 1210.00 EUR to place" in response.content.decode()
    line.refresh_from_db()
    assert line.state == State.REVIEW


def test_a_deduction_needs_a_reason(agent_client, review):
    line, first, _ = review

    response = agent_client.post(
        url(line),
        {
            "action": "confirm",
            "invoice": [first.pk],
            f"amount_{first.pk}": "1200.00",
            f"deduction_{first.pk}": "10.00",
        },
    )

    assert response.status_code == 400
    assert "deduction_reason" in response.context["confirm_form"].errors


def test_a_partial_confirmation_leaves_the_rest_held(agent_client, review):
    line, first, _ = review
    line.amount = line.unapplied_amount = Decimal("2000.00")
    line.save()

    agent_client.post(
        url(line), {"action": "confirm", "invoice": [first.pk], f"amount_{first.pk}": "1210.00"}
    )

    line.refresh_from_db()
    assert line.state == State.HELD
    assert line.unapplied_amount == Decimal("790.00")
    assert line.payment.amount == Decimal("2000.00")


def test_a_short_confirmation_opens_one_deduction_case(agent_client, review, ar_team):
    line, first, _ = review
    line.amount = line.unapplied_amount = Decimal("1000.00")
    line.save()

    agent_client.post(
        url(line),
        {
            "action": "confirm",
            "invoice": [first.pk],
            f"amount_{first.pk}": "1000.00",
            "open_case": "on",
        },
    )

    case = Case.objects.get()
    assert case.category == Case.Category.SHORT_PAYMENT
    assert list(case.invoices.all()) == [first]
    assert "210.00" in case.subject
    # A second short payment on the same invoice opens no second case.
    other = make_line("100.00", candidates=[first])
    services.confirm(
        other,
        [
            services.Placement(
                invoice=Invoice.objects.get(pk=first.pk), amount=Decimal("100.00"), short=True
            )
        ],
        None,
    )
    assert Case.objects.count() == 1


def test_an_agent_finds_an_invoice_by_number_for_unidentified_cash(agent_client):
    acme = customer()
    invoice = ar_invoice(acme, "INV-2026-123456", "75.00")
    line = make_line("75.00", state=State.HELD)

    response = agent_client.get(url(line), {"find": "inv-2026-123456"})
    assert "INV-2026-123456" in response.content.decode()

    agent_client.post(
        url(line),
        {"action": "confirm", "invoice": [invoice.pk], f"amount_{invoice.pk}": "75.00"},
    )
    line.refresh_from_db()
    assert line.state == State.APPLIED


def test_held_cash_is_held_with_a_note_and_refunded_with_a_reason(agent_client, agent):
    line = make_line("50.00", state=State.HELD)

    response = agent_client.post(url(line), {"action": "hold", "note": ""})
    assert response.status_code == 400
    assert "note" in response.context["decision_form"].errors

    agent_client.post(url(line), {"action": "hold", "note": "asked the payer for remittance"})
    line.refresh_from_db()
    assert line.state == State.HELD and "asked the payer" in line.reason

    agent_client.post(url(line), {"action": "refund", "note": "paid us by mistake"})
    line.refresh_from_db()
    assert line.state == State.IGNORED
    assert line.refunded_amount == Decimal("50.00") and line.unapplied_amount == 0
    assert "Refund of 50.00 EUR" in line.reason and line.applied_by == agent
    assert not StatementLine.objects.waiting().exists()


def test_a_decided_line_cannot_be_decided_again(agent_client, review):
    line, first, _ = review
    line.state = State.IGNORED
    line.save()

    response = agent_client.post(
        url(line), {"action": "confirm", "invoice": [first.pk], f"amount_{first.pk}": "1210.00"}
    )

    assert response.status_code == 302
    assert Payment.objects.count() == 0


def test_the_page_takes_a_fixed_number_of_queries(agent_client, django_assert_max_num_queries):
    acme = customer()
    invoices = [ar_invoice(acme, f"INV-Q{n}", "100.00") for n in range(15)]
    line = make_line(candidates=invoices)

    # session, user, its permissions (user and group), the line with its statement and
    # payment, the candidate invoices with their parties, the user's role for the top bar:
    # the same for 15 candidates as for 2.
    with django_assert_max_num_queries(7) as captured:
        response = agent_client.get(url(line))
    assert response.status_code == 200
    assert len(captured) <= 7, [q["sql"] for q in captured.captured_queries]
