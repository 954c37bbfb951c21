"""Proactive corrections: a credit we owe opens a proactive case and tells the customer what
happened, what we do and by when, and how we stop a repeat, before they notice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from ledgerdesk.creditcontrol import credits, services
from ledgerdesk.creditcontrol.common import CreditControlError
from ledgerdesk.creditcontrol.models import CreditOwed, FollowUp
from ledgerdesk.desk.models import Case
from tests.creditcontrol.conftest import ar_invoice

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["tax_error", "overpayment", "unapplied"])
def test_every_credit_text_meets_the_critical_needs(customer, ar_team, kind):
    credit = CreditOwed(kind=kind, amount=Decimal("210.00"), currency="EUR",
                        source_reference="INV-1001", refund_by=dt.date(2026, 12, 1))  # fmt: skip
    _, text = credits.credit_text(credit, "Jan de Vries", "Accounts Receivable")
    review = credits.review(text, "Jan de Vries", "ar")
    bad = [f.rule for f in review.findings if f.severity in ("error", "warning")]
    assert bad == [], text
    assert "What happened:" in text and "by Tuesday 1 December 2026" in text
    assert "again" in text or "prevent" in text


def test_tax_charged_in_error_opens_a_proactive_case_and_tells_the_customer(customer, ar_team,
                                                                            agent):  # fmt: skip
    invoice = ar_invoice(customer)
    credit, created = services.record_credit(
        customer, kind="tax_error", amount=Decimal("210.00"), currency="EUR",
        source_reference="INV-1001", invoice=invoice,
    )  # fmt: skip
    assert created
    case = credit.case
    assert case.channel == Case.Channel.PROACTIVE and case.incident and case.team == ar_team
    assert list(case.invoices.all()) == [invoice]
    [sent] = mail.outbox
    assert sent.to == ["jan@brightside.example"]
    assert "charged you tax of EUR 210.00 in error" in sent.body
    stored = case.messages.get().review
    assert not [f for f in stored["findings"] if f["category"] == "critical_needs"]
    assert FollowUp.objects.get(case=case).due_on == credit.refund_by
    # Recording it again changes nothing.
    again, created = services.record_credit(
        customer, kind="tax_error", amount=Decimal("210.00"), currency="EUR",
        source_reference="INV-1001", invoice=invoice,
    )  # fmt: skip
    assert not created and again == credit and len(mail.outbox) == 1


def test_without_an_email_contact_nothing_is_recorded(customer, ar_team):
    customer.contacts.all().delete()
    with pytest.raises(CreditControlError, match="^party: no billing contact"):
        services.record_credit(customer, kind="overpayment", amount=Decimal("5.00"),
                               currency="EUR", source_reference="PAY-1")  # fmt: skip
    assert CreditOwed.objects.count() == 0


def test_the_command(customer, ar_team, capsys):
    call_command("record_credit", str(customer.pk), "overpayment", "45.50", "PAY-778")
    assert "told the customer" in capsys.readouterr().out
    call_command("record_credit", str(customer.pk), "overpayment", "45.50", "PAY-778")
    assert "Already recorded" in capsys.readouterr().out
    with pytest.raises(CommandError, match="^amount: "):
        call_command("record_credit", str(customer.pk), "overpayment", "lots", "PAY-9")
    with pytest.raises(CommandError, match="^party: "):
        call_command("record_credit", "99999", "overpayment", "1", "PAY-9")


def test_the_same_source_with_another_amount_is_refused_not_ignored(customer, ar_team):
    services.record_credit(customer, kind="overpayment", amount=Decimal("45.50"),
                           currency="EUR", source_reference="PAY-778")  # fmt: skip
    with pytest.raises(CreditControlError, match="^amount: PAY-778 was already recorded as EUR"):
        services.record_credit(customer, kind="overpayment", amount=Decimal("54.50"),
                               currency="EUR", source_reference="PAY-778")  # fmt: skip
    assert len(mail.outbox) == 1


def test_an_unknown_currency_is_refused(customer, ar_team):
    with pytest.raises(CreditControlError, match="^currency: 'EURO' is not an ISO 4217 code"):
        services.record_credit(customer, kind="overpayment", amount=Decimal("5.00"),
                               currency="EURO", source_reference="PAY-1")  # fmt: skip
    assert CreditOwed.objects.count() == 0
