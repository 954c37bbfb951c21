"""Cash application end to end: a statement file in, payments and allocations in the ledger."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from ledgerdesk.desk.models import Case
from ledgerdesk.ledger.models import Invoice, Payment, PaymentAllocation
from ledgerdesk.receivables import services
from ledgerdesk.receivables.models import DeductionCase, StatementLine
from ledgerdesk.receivables.services import application
from tests.receivables.builders import Tx, camt053, csv_statement, mt940
from tests.receivables.cash import ar_invoice, customer

pytestmark = pytest.mark.django_db
State = StatementLine.State


def _import(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    out = StringIO()
    call_command("import_statement", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_payment_naming_its_invoice_is_applied_automatically(tmp_path, ar_team):
    acme = customer()
    paid = ar_invoice(acme, "INV-2026-004411", "1210.00")
    other = ar_invoice(acme, "INV-2026-004400", "1210.00")  # older, same amount: not chosen
    txs = [
        Tx(
            Decimal("1210.00"),
            "Payment INV-2026-004411",
            "Acme Retail",
            "NL02RABO0123456789",
            "E2E-9",
        )
    ]

    out = _import(tmp_path, "stmt.xml", camt053(txs))

    line = StatementLine.objects.get()
    assert line.state == State.APPLIED
    assert line.auto_applied is True and line.applied_by is None
    assert line.confidence >= 0.9
    assert line.unapplied_amount == 0
    payment = line.payment
    assert payment.direction == "ar" and payment.party == acme
    assert payment.amount == Decimal("1210.00") and payment.reference == "E2E-9"
    allocation = PaymentAllocation.objects.get()
    assert allocation.invoice == paid and allocation.amount == Decimal("1210.00")
    paid.refresh_from_db()
    other.refresh_from_db()
    assert paid.amount_open == 0 and paid.status == Invoice.Status.PAID
    assert other.amount_open == Decimal("1210.00")
    assert "1 line(s), 1 applied automatically, 0 to review, 0 held, 0 ignored" in out


def test_an_mt940_line_with_an_ocr_slip_in_the_number_is_applied(tmp_path, ar_team):
    acme = customer()
    paid = ar_invoice(acme, "INV-2026-004411", "300.00")
    ar_invoice(acme, "INV-2026-004412", "450.00")
    txs = [Tx(Decimal("300.00"), "INV-2O26-OO4411", "Acme Retail", "NL02RABO0123456789", "E2E-1")]

    _import(tmp_path, "stmt.sta", mt940(txs))

    line = StatementLine.objects.get()
    assert line.state == State.APPLIED, line.reason
    paid.refresh_from_db()
    assert paid.amount_open == 0


def test_importing_twice_applies_nothing_twice(tmp_path, ar_team):
    acme = customer()
    ar_invoice(acme, "INV-1", "100.00")
    data = camt053([Tx(Decimal("100.00"), "INV-1", "Acme", "NL02RABO0123456789", "E2E-1")])

    _import(tmp_path, "a.xml", data)
    out = _import(tmp_path, "a.xml", data)

    assert "already imported" in out
    assert Payment.objects.count() == 1 and PaymentAllocation.objects.count() == 1


def test_unidentified_cash_is_held_never_lost(tmp_path, ar_team):
    acme = customer()
    ar_invoice(acme, "INV-1", "100.00")
    txs = [Tx(Decimal("123.45"), "thanks", "Somebody Else", "GB33BUKB20201555555555", "E2E-5")]

    _import(tmp_path, "stmt.xml", camt053(txs))

    line = StatementLine.objects.get()
    assert line.state == State.HELD
    assert line.unapplied_amount == Decimal("123.45")
    assert line.payment is None
    assert "Unidentified" in line.reason
    assert StatementLine.objects.waiting().filter(pk=line.pk).exists()


def test_an_overpayment_applies_the_invoice_and_holds_the_rest(tmp_path, ar_team):
    acme = customer()
    invoice = ar_invoice(acme, "INV-2026-000777", "1000.00")
    txs = [Tx(Decimal("1100.00"), "INV-2026-000777", "Acme Retail", "NL02RABO0123456789", "E2E-7")]

    _import(tmp_path, "stmt.xml", camt053(txs))

    line = StatementLine.objects.get()
    invoice.refresh_from_db()
    assert line.state == State.HELD
    assert invoice.amount_open == 0
    assert line.unapplied_amount == Decimal("100.00")
    assert line.payment.amount == Decimal("1100.00")
    assert "Overpayment" in line.reason
    assert list(services.invoices_in_matching()) == [invoice.pk]


def test_a_short_payment_applies_what_came_and_opens_one_case(
    tmp_path, ar_team, django_capture_on_commit_callbacks
):
    acme = customer()
    invoice = ar_invoice(acme, "INV-2026-000555", "1000.00")
    first = [Tx(Decimal("900.00"), "INV-2026-000555", "Acme Retail", "NL02RABO0123456789", "E2E-1")]
    second = [
        Tx(Decimal("50.00"), "INV-2026-000555 rest", "Acme Retail", "NL02RABO0123456789", "E2E-2")
    ]

    # The case is opened by a task once the allocations are committed.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        out = _import(tmp_path, "one.xml", camt053(first, statement_id="S1"))
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _import(tmp_path, "two.xml", camt053(second, statement_id="S2", opening=Decimal("1900.00")))

    invoice.refresh_from_db()
    assert invoice.amount_open == Decimal("50.00")
    assert StatementLine.objects.filter(state=State.APPLIED, auto_applied=True).count() == 2
    case = Case.objects.get()
    assert case.category == Case.Category.SHORT_PAYMENT
    assert case.team == ar_team and case.party == acme
    assert list(case.invoices.all()) == [invoice]
    assert "900.00" in case.subject or "100.00" in case.subject
    assert DeductionCase.objects.get().invoice == invoice
    assert "1 short payment(s) each getting a deduction case" in out
    first_line = StatementLine.objects.get(statement__statement_id="S1")
    assert not first_line.reason.startswith(application.CASE_PENDING)
    # The customer is asked why, once, on the case's thread.
    from django.core import mail

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ar@acme.example"]
    assert case.reference in mail.outbox[0].subject
    assert "€900.00" in mail.outbox[0].body and "€100.00 is still open" in mail.outbox[0].body


def test_debits_are_ignored_and_our_own_transfers_too(tmp_path, ar_team):
    from tests.receivables.builders import OUR_IBAN

    txs = [
        Tx(Decimal("-40.00"), "bank charges", "Bank", ""),
        Tx(Decimal("5000.00"), "sweep", "Ourselves", OUR_IBAN, "E2E-OWN"),
    ]

    out = _import(tmp_path, "stmt.xml", camt053(txs))

    debit, transfer = StatementLine.objects.order_by("position")
    assert debit.state == State.IGNORED and debit.reason == "money out"
    assert transfer.state == State.IGNORED and "our own transfer" in transfer.reason
    assert Payment.objects.count() == 0
    assert "2 ignored" in out


def test_a_line_paying_several_invoices_allocates_each(tmp_path, ar_team):
    acme = customer()
    a = ar_invoice(acme, "INV-2026-000101", "100.00")
    b = ar_invoice(acme, "INV-2026-000102", "250.00")
    txs = [
        Tx(
            Decimal("350.00"),
            "INV-2026-000101 INV-2026-000102",
            "Acme Retail",
            "NL02RABO0123456789",
            "E2E-1",
        )
    ]

    _import(tmp_path, "stmt.xml", camt053(txs))

    line = StatementLine.objects.get()
    assert line.state == State.APPLIED
    assert set(line.payment.allocations.values_list("invoice_id", "amount")) == {
        (a.pk, Decimal("100.00")),
        (b.pk, Decimal("250.00")),
    }


def test_cash_application_twice_changes_nothing(tmp_path, ar_team):
    acme = customer()
    ar_invoice(acme, "INV-1", "100.00")
    _import(
        tmp_path, "a.xml", camt053([Tx(Decimal("100.00"), "INV-1", "Acme", "NL02RABO0123456789")])
    )

    summary = services.apply_cash()

    assert summary.lines == 0
    assert Payment.objects.count() == 1


def test_the_summary_counts_what_happened(tmp_path, ar_team):
    acme = customer()
    ar_invoice(acme, "INV-2026-000001", "100.00")
    path = tmp_path / "a.xml"
    path.write_bytes(
        camt053(
            [
                Tx(Decimal("100.00"), "INV-2026-000001", "Acme", "NL02RABO0123456789", "E1"),
                Tx(Decimal("7.00"), "who knows", "Stranger", "", "E2"),
                Tx(Decimal("-3.00"), "fee", "Bank", ""),
            ]
        )
    )
    services.import_files([path])

    summary = services.apply_cash()

    assert (summary.lines, summary.applied, summary.held) == (2, 1, 1)
    assert "2 line(s): 1 applied automatically, 0 to review, 1 held" in summary.line()


def test_invoices_in_matching_lists_review_candidates(db):
    from tests.receivables.test_line_page import make_line

    acme = customer()
    named = ar_invoice(acme, "INV-R1", "10.00")
    ar_invoice(acme, "INV-R2", "10.00")
    make_line("10.00", state=State.REVIEW, candidates=[named])
    make_line("10.00", state=State.APPLIED, candidates=[ar_invoice(acme, "INV-R3", "10.00")])

    assert list(services.invoices_in_matching()) == [named.pk]


def test_an_early_payment_discount_settles_the_invoice_without_a_case(tmp_path, ar_team):
    import datetime as dt

    acme = customer()
    invoice = ar_invoice(
        acme,
        "INV-2026-000321",
        "1000.00",
        discount_amount=Decimal("20.00"),
        discount_until=dt.date(2026, 11, 5),
    )
    txs = [Tx(Decimal("980.00"), "INV-2026-000321", "Acme Retail", "NL02RABO0123456789", "E1")]

    _import(tmp_path, "stmt.xml", camt053(txs))

    invoice.refresh_from_db()
    assert invoice.amount_open == 0 and invoice.status == Invoice.Status.PAID
    allocation = PaymentAllocation.objects.get()
    assert allocation.amount == Decimal("980.00")
    assert allocation.deduction_amount == Decimal("20.00")
    assert allocation.deduction_reason == "early-payment discount"
    assert not Case.objects.exists()


def test_an_uncertain_line_waits_for_an_agent_who_confirms_it(
    tmp_path, ar_team, agent_client, agent
):
    from django.urls import reverse

    acme = customer()
    first = ar_invoice(acme, "INV-2026-000601", "500.00")
    second = ar_invoice(acme, "INV-2026-000602", "500.00")
    txs = [Tx(Decimal("500.00"), "thank you", "Acme Retail", "NL02RABO0123456789", "E1")]

    _import(tmp_path, "stmt.xml", camt053(txs))

    line = StatementLine.objects.get()
    assert line.state == State.REVIEW
    assert set(line.candidates) >= {first.pk, second.pk}
    assert set(services.invoices_in_matching()) >= {first.pk, second.pk}
    assert Payment.objects.count() == 0

    page = agent_client.get(reverse("receivables:line", args=[line.pk])).content.decode()
    assert "INV-2026-000601" in page and "INV-2026-000602" in page
    response = agent_client.post(
        reverse("receivables:line", args=[line.pk]),
        {
            "action": "confirm",
            "invoice": line.candidates,
            **{f"amount_{pk}": "0" for pk in line.candidates},
            f"amount_{second.pk}": "500.00",
        },
    )

    assert response.status_code == 302
    line.refresh_from_db()
    assert line.state == State.APPLIED and not line.auto_applied and line.applied_by == agent
    second.refresh_from_db()
    assert second.status == Invoice.Status.PAID
    assert list(services.invoices_in_matching()) == []


def test_a_csv_statement_is_applied_by_its_creditor_reference(tmp_path, ar_team):
    acme = customer()
    invoice = ar_invoice(acme, "INV-2026-000888", "640.00", payment_reference="RF18539007547034")
    ar_invoice(acme, "INV-2026-000889", "640.00")
    txs = [Tx(Decimal("640.00"), "", "ACME RETAIL B.V.", "", creditor_reference="RF18539007547034")]

    _import(tmp_path, "stmt.csv", csv_statement(txs))

    line = StatementLine.objects.get()
    assert line.state == State.APPLIED, line.reason
    assert line.payment.allocations.get().invoice == invoice
    assert "payment reference given by the payer" in line.candidate_reasons[str(invoice.pk)]


def test_a_payment_made_twice_goes_to_an_agent_the_second_time(tmp_path, ar_team):
    """Half an invoice paid, then the same payment again (same amount, account, reference):
    the second is not taken for the rest of the invoice without an agent."""
    acme = customer()
    invoice = ar_invoice(acme, "INV-2026-000777", "1000.00", payment_reference="RF18539007547034")
    account = "NL02RABO0123456789"

    def tx(e2e):
        return Tx(
            Decimal("500.00"), "", "Acme Retail", account, e2e, "RF18539007547034",
            bank_reference=f"B-{e2e}",
        )  # fmt: skip

    _import(tmp_path, "one.xml", camt053([tx("E2E-1")], statement_id="S1"))
    # Again in the next statement, and twice within one statement.
    _import(
        tmp_path,
        "two.xml",
        camt053([tx("E2E-2"), tx("E2E-3")], statement_id="S2", opening=Decimal("1500.00")),
    )

    first, second, third = StatementLine.objects.order_by("pk")
    assert first.state == State.APPLIED and first.auto_applied
    assert second.state == State.REVIEW and not second.auto_applied
    assert f"already applied from bank line {first.pk}: paid twice?" in second.reason
    assert second.candidates[0] == invoice.pk
    # The engine itself sees the third repeat the second within one run: held, not applied.
    assert third.state in (State.REVIEW, State.HELD) and not third.auto_applied
    invoice.refresh_from_db()
    assert invoice.amount_open == Decimal("500.00")
    assert PaymentAllocation.objects.count() == 1
