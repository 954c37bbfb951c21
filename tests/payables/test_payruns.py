"""Payment runs: what is paid when, the bank file, four eyes, and the vendor's advice."""

import csv
import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core import mail
from lxml import etree

from ledgerdesk.ledger.models import Invoice, Payment
from ledgerdesk.parties.models import BankAccount
from ledgerdesk.payables import payruns
from ledgerdesk.payables.models import PayingAccount, PaymentRun, PaymentRunItem, RemittanceAdvice
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db
RUN = dt.date(2026, 11, 27)
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


@pytest.fixture
def account():
    return PayingAccount.objects.create(
        name="Main EUR", iban="NL02 ABNA 0123 4567 89", bic="ABNANL2A", currency="EUR",
        holder_name="Hub Shared Services BV",
    )  # fmt: skip


def vendor(name, iban="FR76 3000 6000 0112 3456 7890 189", bic="AGRIFRPP"):
    party = PartyFactory(name=name)
    if iban:
        BankAccount.objects.create(party=party, iban=iban, bic=bic, holder_name=name)
    email = f"ap@{name.split()[0].lower()}.example"
    ContactFactory(party=party, name=f"Clerk of {name}", email=email, is_primary=True)
    return party


def bill(party, number, amount, **kw):
    kw.setdefault("status", Invoice.Status.SCHEDULED)
    kw.setdefault("scheduled_payment_date", RUN)
    return InvoiceFactory(party=party, number=number, total_amount=D(amount),
                          amount_payable=D(amount), amount_open=D(amount), **kw)  # fmt: skip


@pytest.fixture
def proposer():
    return UserFactory(username="pat", role="Lead")


@pytest.fixture
def checker():
    return UserFactory(username="quinn", role="Lead")


def test_a_run_pays_what_is_due_and_lists_what_it_cannot_with_why(account, proposer):
    dupont = vendor("Dupont SARL")
    nobank = vendor("Nobank GmbH", iban="")
    due = bill(dupont, "F-1", "1000.00")
    later = bill(dupont, "F-2", "500.00", scheduled_payment_date=RUN + dt.timedelta(days=30),
                 due_date=RUN + dt.timedelta(days=30))  # fmt: skip
    unpaid = bill(nobank, "N-1", "300.00")
    held = bill(dupont, "F-3", "200.00", status=Invoice.Status.ON_HOLD)
    run = payruns.propose(RUN, "EUR", account, user=proposer)
    assert [i.invoice for i in run.items.all()] == [due]
    assert run.total == D("1000.00")
    assert run.left_out == [
        {"invoice": unpaid.pk, "number": "N-1", "vendor": "Nobank GmbH",
         "why": "no verified bank account for the vendor"},
    ]  # fmt: skip
    assert later.pk not in [i.invoice_id for i in run.items.all()]
    assert held.pk not in [i.invoice_id for i in run.items.all()]
    # Proposing again does not put the same invoice in a second live run.
    again = payruns.propose(RUN, "EUR", account, user=proposer)
    assert again.items.count() == 0


def test_discounts_are_captured_while_cash_allows_biggest_first(account, proposer):
    dupont = vendor("Dupont SARL")
    due = bill(dupont, "F-1", "1000.00")
    not_due = {"status": Invoice.Status.APPROVED, "scheduled_payment_date": None,
               "due_date": RUN + dt.timedelta(days=40)}  # fmt: skip
    small = bill(dupont, "F-2", "1000.00", discount_amount=D("10.00"),
                 discount_until=RUN + dt.timedelta(days=3), **not_due)  # fmt: skip
    big = bill(dupont, "F-3", "1000.00", discount_amount=D("20.00"),
               discount_until=RUN + dt.timedelta(days=3), **not_due)  # fmt: skip
    run = payruns.propose(RUN, "EUR", account, cash_available=D("2000.00"), user=proposer)
    items = {i.invoice_id: i for i in run.items.all()}
    assert set(items) == {due.pk, big.pk}
    assert items[big.pk].amount == D("980.00") and items[big.pk].discount == D("20.00")
    assert run.discounts == D("20.00")
    assert run.left_out[0]["number"] == "F-2"
    assert run.left_out[0]["why"] == "not enough cash in this run; it keeps its due date"
    big.refresh_from_db()
    assert big.status == Invoice.Status.SCHEDULED and big.scheduled_payment_date == RUN
    assert "to take the early-payment discount" in big.history.last().note
    small.refresh_from_db()
    assert small.status == Invoice.Status.APPROVED


def test_four_eyes_then_the_bank_file(account, proposer, checker):
    dupont = vendor("Dupont SARL")
    bill(dupont, "F-1", "1000.00")
    bill(dupont, "F-2", "234.56")
    run = payruns.propose(RUN, "EUR", account, user=proposer)
    with pytest.raises(payruns.RunError, match="^status: approve the run"):
        payruns.export(run)
    with pytest.raises(payruns.RunError, match="^approver: a second person"):
        payruns.approve(run, proposer)
    payruns.approve(run, checker)
    xml = etree.fromstring(payruns.export(run))
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.EXPORTED
    assert xml.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
    assert xml.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == "1234.56"
    info = xml.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert info.findtext("p:ReqdExctnDt", namespaces=NS) == "2026-11-27"
    assert info.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == "NL02ABNA0123456789"
    txs = info.findall("p:CdtTrfTxInf", NS)
    amounts = sorted(t.find("p:Amt/p:InstdAmt", NS).text for t in txs)
    assert amounts == ["1000.00", "234.56"]
    assert {t.find("p:Amt/p:InstdAmt", NS).get("Ccy") for t in txs} == {"EUR"}
    assert {t.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) for t in txs} == {
        "FR7630006000011234567890189"
    }
    assert {t.findtext("p:RmtInf/p:Ustrd", namespaces=NS) for t in txs} == {
        "Invoice F-1",
        "Invoice F-2",
    }
    rows = list(csv.DictReader(io.StringIO(payruns.csv_text(run))))
    assert [r["invoice"] for r in rows] == ["F-1", "F-2"] and rows[0]["amount"] == "1000.00"


def test_paid_writes_the_ledger_and_advises_each_vendor_once(
    account, proposer, checker, django_capture_on_commit_callbacks
):
    dupont = vendor("Dupont SARL")
    first = bill(dupont, "F-1", "1000.00", discount_amount=D("20"), discount_until=RUN)
    second = bill(dupont, "F-2", "500.00")
    run = payruns.propose(RUN, "EUR", account, user=proposer)
    payruns.approve(run, checker)
    payruns.export(run)
    with django_capture_on_commit_callbacks(execute=True):
        payruns.mark_paid(run)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == Invoice.Status.PAID
    assert first.amount_open == 0
    allocation = first.allocations.get()
    assert allocation.amount == D("980.00") and allocation.deduction_amount == D("20.00")
    assert allocation.deduction_reason == "early-payment discount"
    assert Payment.objects.filter(party=dupont).count() == 2
    (advice,) = mail.outbox
    assert advice.to == ["ap@dupont.example"]
    assert "- invoice F-1: EUR 980.00 (early-payment discount of EUR 20.00 taken)" in advice.body
    assert "account ending 0189" in advice.body
    assert payruns.send_advices(run.pk) == 0  # once per run and vendor
    assert RemittanceAdvice.objects.get().channel == "email"


def test_a_returned_payment_holds_the_invoice_and_marks_the_run(account, proposer, checker):
    dupont = vendor("Dupont SARL")
    first = bill(dupont, "F-1", "1000.00")
    second = bill(dupont, "F-2", "500.00")
    run = payruns.propose(RUN, "EUR", account, user=proposer)
    payruns.approve(run, checker)
    payruns.export(run)
    item = run.items.get(invoice=first)
    with pytest.raises(payruns.RunError, match="^reason:"):
        payruns.mark_returned(item, " ")
    payruns.mark_returned(item, "account closed (AC04)")
    payruns.mark_paid(run)
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.RETURNED
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Invoice.Status.ON_HOLD
    assert first.hold_reason == "Payment returned by the bank: account closed (AC04)"
    assert second.status == Invoice.Status.PAID
    assert run.items.get(invoice=first).status == PaymentRunItem.Status.RETURNED


def test_a_failed_run_frees_its_invoices_for_the_next_run(account, proposer, checker):
    dupont = vendor("Dupont SARL")
    invoice = bill(dupont, "F-1", "1000.00")
    run = payruns.propose(RUN, "EUR", account, user=proposer)
    payruns.approve(run, checker)
    payruns.fail(run, "file rejected: debtor account blocked")
    assert run.status == PaymentRun.Status.FAILED
    retry = payruns.propose(RUN, "EUR", account, user=proposer)
    assert [i.invoice for i in retry.items.all()] == [invoice]


def test_an_account_in_another_currency_is_refused(account):
    with pytest.raises(payruns.RunError, match="^account:"):
        payruns.propose(RUN, "USD", account)


def test_console_propose_approve_export_and_pay(client, account, proposer, checker):
    dupont = vendor("Dupont SARL")
    bill(dupont, "F-1", "1000.00")
    client.force_login(proposer)
    response = client.post("/payables/runs/new/", {"run_date": "2026-13-01", "account": account.pk})
    assert response.status_code == 400 and b"Enter the date as YYYY-MM-DD." in response.content
    response = client.post("/payables/runs/new/", {"run_date": "2026-11-27", "account": account.pk})
    run = PaymentRun.objects.get()
    assert response.url == f"/payables/runs/{run.pk}/"
    client.post(f"/payables/runs/{run.pk}/approve/")
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.PROPOSED  # the proposer cannot approve
    client.force_login(checker)
    client.post(f"/payables/runs/{run.pk}/approve/")
    response = client.post(f"/payables/runs/{run.pk}/pain001/")
    assert response["Content-Disposition"] == f'attachment; filename="{run.reference}.xml"'
    assert b'<InstdAmt Ccy="EUR">1000.00</InstdAmt>' in response.content
    client.post(f"/payables/runs/{run.pk}/paid/")
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.PAID
    page = client.get(f"/payables/runs/{run.pk}/")
    assert b"Paid" in page.content and b"F-1" in page.content


def test_run_pages_take_few_queries(client, account, proposer, django_assert_max_num_queries):
    for n in range(12):
        bill(vendor(f"Vendor{n} Ltd"), f"V-{n}", "100.00")
    run = payruns.propose(RUN, "EUR", account, user=proposer)
    client.force_login(proposer)
    with django_assert_max_num_queries(10):
        assert client.get(f"/payables/runs/{run.pk}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/payables/runs/").status_code == 200


def test_agents_see_runs_but_cannot_propose(client, agent):
    client.force_login(agent)
    assert client.get("/payables/runs/").status_code == 200
    assert client.get("/payables/runs/new/").status_code == 403


def test_the_command_proposes_then_exports_the_approved_run(account, checker, tmp_path):
    from django.core.management import call_command

    bill(vendor("Dupont SARL"), "F-1", "1000.00")
    out = io.StringIO()
    call_command("payment_run", "--date", "2026-11-27", "--currency", "eur",
                 "--csv", str(tmp_path / "run.csv"), stdout=out)  # fmt: skip
    run = PaymentRun.objects.get()
    assert f"{run.reference}: 1 payment(s), EUR 1,000.00" in out.getvalue()
    assert "F-1" in (tmp_path / "run.csv").read_text()
    payruns.approve(run, checker)
    call_command("payment_run", "--export", run.reference, "--pain001", str(tmp_path / "p.xml"),
                 stdout=out)  # fmt: skip
    assert (tmp_path / "p.xml").read_bytes().startswith(b"<?xml")
