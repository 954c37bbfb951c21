"""Cash application in bulk: the same ledger as line by line, in a handful of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction

from ledgerdesk.core.models import AuditEntry
from ledgerdesk.desk.models import Case
from ledgerdesk.desk.services import DeskError
from ledgerdesk.ledger import services as ledger
from ledgerdesk.ledger.models import (
    Direction,
    Invoice,
    InvoiceStatusChange,
    Payment,
    PaymentAllocation,
)
from ledgerdesk.receivables import matching, services
from ledgerdesk.receivables.models import DeductionCase, StatementLine
from ledgerdesk.receivables.services import application
from ledgerdesk.receivables.services.bulk import settle_many
from ledgerdesk.receivables.services.candidates import Found
from tests.receivables.builders import OUR_IBAN, Tx, camt053
from tests.receivables.cash import ar_invoice, customer

pytestmark = pytest.mark.django_db
State = StatementLine.State
ACME = "NL02RABO0123456789"
BOLT = "DE44500105175407324931"


@pytest.fixture
def statement(ar_team):
    """A day of payments of every kind, stored but not applied yet."""
    acme = customer()
    bolt = customer("Bolt Fasteners GmbH", BOLT)
    ar_invoice(acme, "INV-2026-004411", "1210.00")
    ar_invoice(acme, "INV-2026-000101", "100.00")
    ar_invoice(acme, "INV-2026-000102", "250.00")
    ar_invoice(
        acme,
        "INV-2026-000321",
        "1000.00",
        discount_amount=Decimal("20.00"),
        discount_until=dt.date(2026, 11, 5),
    )
    ar_invoice(acme, "INV-2026-000777", "1000.00")
    ar_invoice(acme, "INV-2026-000555", "1000.00")
    held = ar_invoice(bolt, "BF-2026-0042", "4321.50")
    Invoice.objects.filter(pk=held.pk).update(
        status=Invoice.Status.ON_HOLD, hold_reason="Waiting for the signed delivery note"
    )
    ar_invoice(bolt, "BF-2026-0043", "640.00", payment_reference="RF18539007547034")
    ar_invoice(bolt, "BF-2026-0050", "500.00")
    ar_invoice(bolt, "BF-2026-0051", "500.00")
    txs = [
        Tx(Decimal("1210.00"), "Payment INV-2026-004411", "Acme Retail", ACME, "E2E-1"),
        Tx(Decimal("350.00"), "INV-2026-000101 INV-2026-000102", "Acme Retail", ACME, "E2E-2"),
        Tx(Decimal("980.00"), "INV-2026-000321", "Acme Retail", ACME, "E2E-3"),
        Tx(Decimal("1100.00"), "INV-2026-000777", "Acme Retail", ACME, "E2E-4"),
        Tx(Decimal("900.00"), "INV-2026-000555", "Acme Retail", ACME, "E2E-5"),
        Tx(Decimal("4321.50"), "BF-2026-0042", "Bolt Fasteners", BOLT, "E2E-6"),
        Tx(Decimal("640.00"), "", "BOLT FASTENERS", "", creditor_reference="RF18539007547034"),
        Tx(Decimal("500.00"), "thank you", "Bolt Fasteners", BOLT, "E2E-8"),
        Tx(Decimal("123.45"), "thanks", "Somebody Else", "GB33BUKB20201555555555", "E2E-9"),
        Tx(Decimal("-40.00"), "bank charges", "Bank", ""),
        Tx(Decimal("5000.00"), "sweep", "Ourselves", OUR_IBAN, "E2E-11"),
    ]
    outcome = services.import_bytes(camt053(txs), "stmt.xml")
    assert not outcome.rejected, outcome.error
    return outcome


def ledger_state() -> dict:
    """What cash application wrote, with the ids of rows it created replaced by where they
    come from (a payment by its line's position), so two runs can be compared."""
    lines = list(StatementLine.objects.order_by("position"))
    payment_of = {line.payment_id: f"payment of line {line.position}" for line in lines}
    allocations = {
        a.pk: f"{payment_of[a.payment_id]} to {a.invoice_id}"
        for a in PaymentAllocation.objects.all()
    }

    def named(model: str, object_id: str) -> str:
        if model == "ledger.payment":
            return payment_of[int(object_id)]
        if model == "ledger.paymentallocation":
            return allocations[int(object_id)]
        return object_id

    def values(data: dict) -> dict:
        return {k: payment_of[v] if k == "payment" else v for k, v in data.items()}

    entries = sorted(
        (
            e.action,
            e.object_type,
            named(e.object_type, e.object_id),
            e.object_repr,
            sorted(values(e.before).items()),
            sorted(values(e.after).items()),
            e.note,
            e.actor_label,
        )
        for e in AuditEntry.objects.exclude(object_type__in=["receivables.bankstatement"])
        .exclude(action=AuditEntry.Action.CREATE, object_type="ledger.invoice")
        .exclude(object_type__startswith="desk.")
    )
    return {
        "lines": [
            (
                line.position,
                line.state,
                line.reason,
                line.confidence,
                line.candidates,
                line.candidate_reasons,
                line.unapplied_amount,
                line.auto_applied,
                line.applied_by_id,
                line.applied_at is not None,
                payment_of.get(line.payment_id) if line.payment_id else None,
            )
            for line in lines
        ],
        "payments": sorted(
            (payment_of[p.pk], p.direction, p.party_id, p.date, p.amount, p.currency, p.reference)
            for p in Payment.objects.all()
        ),
        "allocations": sorted(
            (allocations[a.pk], a.amount, a.deduction_amount, a.deduction_reason)
            for a in PaymentAllocation.objects.all()
        ),
        "invoices": list(
            Invoice.objects.order_by("pk").values_list("pk", "amount_open", "status", "hold_reason")
        ),
        "history": sorted(
            InvoiceStatusChange.objects.values_list("invoice_id", "status", "by_label", "note")
        ),
        "audit": entries,
        "deductions": sorted(
            DeductionCase.objects.values_list("invoice_id", "short_amount", "line__position")
        ),
        "cases": sorted(Case.objects.values_list("subject", "category", "party_id")),
        "mail": sorted((m.to[0], m.body) for m in mail.outbox),
    }


def run(capture, *, bulk: bool):
    """Apply cash one way (with what runs once it is committed: the deduction cases of the
    bulk path), note the outcome, and undo it."""
    mail.outbox.clear()
    with transaction.atomic():
        with capture(execute=True):
            summary = services.apply_cash(bulk=bulk)
        state = ledger_state()
        transaction.set_rollback(True)
    return summary, state


def test_bulk_and_line_by_line_write_the_same_ledger(statement, django_capture_on_commit_callbacks):
    single_summary, single = run(django_capture_on_commit_callbacks, bulk=False)
    bulk_summary, bulk = run(django_capture_on_commit_callbacks, bulk=True)

    # The statement covers every kind of line: each is where it should be.
    states = [line[1] for line in single["lines"]]
    assert states == [
        State.APPLIED,  # number in the remittance
        State.APPLIED,  # two invoices in one payment
        State.APPLIED,  # early-payment discount taken
        State.HELD,  # overpayment: invoice paid, the rest held
        State.APPLIED,  # short payment: applied, a deduction case asks why
        State.APPLIED,  # pays an invoice on hold
        State.APPLIED,  # RF creditor reference
        State.REVIEW,  # two invoices of that amount, no reference
        State.HELD,  # unidentified
        State.IGNORED,  # money out
        State.IGNORED,  # our own transfer
    ]
    assert len(single["payments"]) == 7 and len(single["deductions"]) == 1
    assert any("hold_reason" in dict(entry[4]) for entry in single["audit"])
    assert single_summary == bulk_summary
    for key in single:
        assert bulk[key] == single[key], key


def test_bulk_application_takes_a_few_queries_whatever_the_number_of_lines(
    ar_team, django_assert_max_num_queries
):
    acme = customer()
    txs = []
    for n in range(1, 41):
        ar_invoice(acme, f"INV-2026-{n:06d}", f"{100 + n}.00")
        txs.append(Tx(Decimal(f"{100 + n}.00"), f"INV-2026-{n:06d}", "Acme", ACME, f"E2E-{n}"))
    services.import_bytes(camt053(txs), "stmt.xml")

    # Per chunk: the lines, the payer and number searches, the open items, then in one
    # transaction the locks, the payments, allocations, amounts, statuses, history, the lines
    # and the audit entries. Line by line it is some twenty queries a line.
    with django_assert_max_num_queries(45):
        summary = services.apply_cash()

    assert summary.applied == 40
    assert Invoice.objects.filter(status=Invoice.Status.PAID).count() == 40
    assert AuditEntry.objects.filter(object_type="ledger.paymentallocation").count() == 40


def _line_and_proposal(invoice: Invoice, amount: str):
    line = StatementLine.objects.get()
    proposal = matching.Proposal(
        line_key=line.pk,
        allocations=(matching.Allocation(invoice.pk, Decimal(amount)),),
        confidence=0.99,
        reason=f"Remittance names invoice {invoice.number}.",
    )
    return line, proposal


def test_an_invoice_paid_meanwhile_sends_the_line_to_review_not_over_the_open_amount(ar_team):
    acme = customer()
    invoice = ar_invoice(acme, "INV-2026-000900", "100.00")
    txs = [Tx(Decimal("100.00"), "INV-2026-000900", "Acme Retail", ACME, "E2E-1")]
    services.import_bytes(camt053(txs), "stmt.xml")
    line, proposal = _line_and_proposal(invoice, "100.00")
    # Between the engine's proposal and the write, an agent places 40.00 of other cash on it.
    other = Payment.objects.create(
        direction=Direction.RECEIVABLE,
        party=acme,
        date=dt.date(2026, 11, 3),
        amount=Decimal("40.00"),
        currency="EUR",
    )
    ledger.allocate(other, invoice, Decimal("40.00"))
    found = {line.pk: Found()}
    summary = services.ApplySummary()
    config = matching.Config()

    rest = settle_many([(line, proposal)], found, config, summary, {invoice.pk: invoice})

    assert rest == [(line, proposal)]
    assert Payment.objects.count() == 1  # only the agent's
    invoice.refresh_from_db()
    assert invoice.amount_open == Decimal("60.00")
    application.settle(line, proposal, found[line.pk], config, summary, {invoice.pk: invoice})
    line.refresh_from_db()
    assert line.state == State.REVIEW
    assert "has only 60.00 EUR open" in line.reason
    invoice.refresh_from_db()
    assert invoice.amount_open == Decimal("60.00")


def test_a_line_worked_meanwhile_is_left_as_it_is(ar_team):
    acme = customer()
    invoice = ar_invoice(acme, "INV-2026-000901", "100.00")
    txs = [Tx(Decimal("100.00"), "INV-2026-000901", "Acme Retail", ACME, "E2E-1")]
    services.import_bytes(camt053(txs), "stmt.xml")
    line, proposal = _line_and_proposal(invoice, "100.00")
    # Another run of cash application held it in the meantime.
    StatementLine.objects.filter(pk=line.pk).update(state=State.HELD, reason="held by an agent")
    summary = services.ApplySummary()

    rest = settle_many([(line, proposal)], {line.pk: Found()}, matching.Config(), summary, {})

    assert rest == [] and summary.applied == summary.held == 0
    line.refresh_from_db()
    assert line.state == State.HELD and line.reason == "held by an agent"
    assert not Payment.objects.exists()


def test_allocate_many_writes_what_fits_and_returns_what_does_not(db):
    acme = customer()
    first = ar_invoice(acme, "INV-1", "100.00")
    second = ar_invoice(acme, "INV-2", "50.00")

    def plan(amount, *allocations):
        payment = Payment(
            direction=Direction.RECEIVABLE,
            party=acme,
            date=dt.date(2026, 11, 3),
            amount=Decimal(amount),
            currency="EUR",
            reference=f"P{amount}",
        )
        return ledger.PaymentPlan(
            payment,
            [
                PaymentAllocation(invoice=invoice, amount=Decimal(value))
                for invoice, value in allocations
            ],
        )

    fits = plan("130.00", (first, "100.00"), (second, "30.00"))
    too_much = plan("30.00", (second, "30.00"))  # only 20.00 left after the first
    rest = plan("20.00", (second, "20.00"))

    refused = ledger.allocate_many([fits, too_much, rest])

    assert [(p, str(e)) for p, e in refused] == [
        (too_much, "amount: invoice INV-2 has only 20.00 EUR open")
    ]
    assert too_much.payment.pk is None
    assert set(Payment.objects.values_list("reference", flat=True)) == {"P130.00", "P20.00"}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.amount_open == second.amount_open == 0
    assert first.status == second.status == Invoice.Status.PAID
    notes = list(second.history.values_list("note", flat=True))
    assert notes == ["Paid by Payment P20.00 of €20.00"]


def test_a_deduction_case_nobody_can_own_leaves_that_line_to_an_agent(db):
    from ledgerdesk.desk.models import Team

    Team.objects.create(code="ar", name="Accounts Receivable", direction="ar", email="ar@x.test")
    acme = customer()
    paid = ar_invoice(acme, "INV-2026-000101", "100.00")
    short = ar_invoice(acme, "INV-2026-000555", "1000.00")
    txs = [
        Tx(Decimal("100.00"), "INV-2026-000101", "Acme Retail", ACME, "E2E-1"),
        Tx(Decimal("900.00"), "INV-2026-000555", "Acme Retail", ACME, "E2E-2"),
    ]
    services.import_bytes(camt053(txs), "stmt.xml")

    summary = services.apply_cash()

    first, second = StatementLine.objects.order_by("position")
    assert first.state == State.APPLIED
    assert second.state == State.REVIEW and "nobody to own the case" in second.reason
    assert (summary.applied, summary.review, summary.cases) == (1, 1, 0)
    paid.refresh_from_db()
    short.refresh_from_db()
    assert paid.amount_open == 0 and short.amount_open == Decimal("1000.00")
    assert Payment.objects.count() == 1 and not Case.objects.exists()


def _short_statement():
    acme = customer()
    short = ar_invoice(acme, "INV-2026-000555", "1000.00")
    txs = [Tx(Decimal("900.00"), "INV-2026-000555", "Acme Retail", ACME, "E2E-1")]
    services.import_bytes(camt053(txs), "stmt.xml")
    return short


def test_a_short_payment_is_applied_at_once_and_its_case_opened_after_the_commit(
    ar_team, django_capture_on_commit_callbacks
):
    short = _short_statement()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        summary = services.apply_cash()

    # Committed: the cash is on the invoice, the line says its case is on its way.
    line = StatementLine.objects.get()
    assert line.state == State.APPLIED and summary.cases == 1
    assert line.reason.startswith("Deduction case pending for INV-2026-000555.")
    short.refresh_from_db()
    assert short.amount_open == Decimal("100.00")
    assert not Case.objects.exists()
    assert len(callbacks) == 1

    callbacks[0]()  # the task (run inline in tests)

    deduction = DeductionCase.objects.get()
    assert (deduction.invoice, deduction.line, deduction.short_amount) == (
        short,
        line,
        Decimal("100.00"),
    )
    line.refresh_from_db()
    assert line.reason.startswith("Remittance names invoice INV-2026-000555")
    assert len(mail.outbox) == 1
    # Run again (a retry, a second task): no second case, no second mail.
    callbacks[0]()
    assert Case.objects.count() == 1 and len(mail.outbox) == 1


def test_a_lost_deduction_case_task_is_made_up_for_by_the_hourly_task(
    ar_team, django_capture_on_commit_callbacks
):
    from ledgerdesk.receivables import tasks

    short = _short_statement()
    with django_capture_on_commit_callbacks(execute=False):
        services.apply_cash()  # the task never runs
    assert application.pending_deduction_cases() == [
        (short.pk, StatementLine.objects.get().pk, "100.00", "900.00")
    ]

    text = tasks.apply_pending_cash.call_local()

    assert "1 pending deduction case(s) opened" in text
    assert DeductionCase.objects.get().invoice == short
    assert not StatementLine.objects.get().reason.startswith(application.CASE_PENDING)
    assert application.pending_deduction_cases() == []
    assert (
        tasks.apply_pending_cash.call_local()
        == "0 line(s): 0 applied automatically, 0 to review, 0 held, 0 ignored"
    )
    assert Case.objects.count() == 1


def test_a_failing_deduction_case_task_leaves_the_allocation_and_the_line_pending(
    ar_team, django_capture_on_commit_callbacks
):
    short = _short_statement()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.apply_cash()
    # Before the task runs, the AR team loses everybody who could own the case.
    ar_team.members.clear()
    type(ar_team).objects.filter(pk=ar_team.pk).update(lead=None)

    callbacks[0]()  # the task fails (Huey logs it and retries it later)
    with pytest.raises(DeskError):  # as it does when retried
        application.open_deduction_cases(application.pending_deduction_cases())

    short.refresh_from_db()
    assert short.amount_open == Decimal("100.00") and PaymentAllocation.objects.count() == 1
    assert StatementLine.objects.get().reason.startswith("Deduction case pending for ")
    assert not DeductionCase.objects.exists() and not Case.objects.exists()


def _statement_of(n: int, start: int) -> None:
    party = customer(f"Customer {start} Ltd", f"NL02RABO0{start:09d}")
    txs = []
    for k in range(start, start + n):
        ar_invoice(party, f"INV-2026-{k:06d}", f"{1000 + 10 * k}.00")
        amount = Decimal(f"{1000 + 10 * k}.00") * (Decimal("0.9") if k % 5 == 0 else 1)
        txs.append(Tx(amount, f"INV-2026-{k:06d}", "Customer", f"NL02RABO0{start:09d}", f"E{k}"))
    services.import_bytes(camt053(txs, statement_id=f"S{start}"), f"s{start}.xml")


@pytest.mark.parametrize("n", [10, 60])
def test_the_queries_of_cash_application_do_not_grow_with_the_lines(
    n, ar_team, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """Short payments among them: their cases are opened by the task, not in the import."""
    _statement_of(n, 1000)

    with (
        django_assert_max_num_queries(40),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        summary = services.apply_cash()

    assert summary.applied == n and summary.cases == n // 5
    assert len(callbacks) == 1 and not Case.objects.exists()
    callbacks[0]()
    assert DeductionCase.objects.count() == n // 5
