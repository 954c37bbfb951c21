"""Importing bank statements: idempotent, all or nothing, every entry kept."""

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ledgerdesk.core.models import AuditEntry, ImportRun
from ledgerdesk.receivables import services
from ledgerdesk.receivables.models import BankStatement, StatementLine
from ledgerdesk.receivables.statement import Balance, Entry, Statement
from tests.receivables.builders import OUR_IBAN, Tx, camt053, csv_statement, mt940

pytestmark = pytest.mark.django_db

TXS = [
    Tx(Decimal("1210.00"), "INV-77001", "Acme BV", "NL02RABO0123456789", "E2E-1"),
    Tx(Decimal("500.00"), "INV-77002", "Beta GmbH", "DE89370400440532013000", "E2E-2"),
    Tx(Decimal("-75.50"), "Office rent", "Landlord", "NL18RABO0123459876"),
]


def _run(tmp_path, name, data, *args):
    path = tmp_path / name
    path.write_bytes(data)
    from io import StringIO

    out = StringIO()
    call_command("import_statement", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_stores_statement_and_lines(tmp_path):
    out = _run(tmp_path, "stmt.xml", camt053(TXS), "--no-apply")

    statement = BankStatement.objects.get()
    assert statement.account == OUR_IBAN
    assert statement.format == "camt053"
    assert statement.opening_balance == Decimal("1000.00")
    assert statement.closing_balance == Decimal("2634.50")
    assert statement.line_count == 3 and statement.credit_count == 2
    lines = list(statement.lines.order_by("position"))
    assert [line.amount for line in lines] == [
        Decimal("1210.00"),
        Decimal("500.00"),
        Decimal("-75.50"),
    ]
    assert lines[0].end_to_end_id == "E2E-1"
    assert lines[0].counterparty_account == "NL02RABO0123456789"
    assert lines[0].unapplied_amount == Decimal("1210.00")
    assert "3 line(s) (2 money in)" in out
    run = ImportRun.objects.get()
    assert run.kind == "statements" and run.outcome == ImportRun.Outcome.IMPORTED
    assert statement.import_run == run
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count() == 1


def test_debits_are_ignored_with_a_reason(tmp_path):
    _run(tmp_path, "stmt.xml", camt053(TXS), "--no-apply")

    debit = StatementLine.objects.get(amount__lt=0)
    assert debit.state == StatementLine.State.IGNORED
    assert debit.reason == "money out"
    assert debit.unapplied_amount == 0


def test_the_same_file_twice_posts_nothing_twice(tmp_path):
    _run(tmp_path, "stmt.xml", camt053(TXS), "--no-apply")
    out = _run(tmp_path, "stmt.xml", camt053(TXS), "--no-apply")

    assert "already imported" in out
    assert BankStatement.objects.count() == 1
    assert StatementLine.objects.count() == 3
    assert ImportRun.objects.first().outcome == ImportRun.Outcome.NOTHING_NEW


def test_the_same_statement_in_another_format_posts_nothing_twice(tmp_path):
    _run(tmp_path, "stmt.xml", camt053(TXS), "--no-apply")
    out = _run(tmp_path, "stmt.sta", mt940(TXS), "--no-apply")

    assert "already imported" in out
    assert BankStatement.objects.count() == 1
    assert StatementLine.objects.count() == 3


def test_the_same_day_exported_as_csv_posts_nothing_twice(tmp_path):
    _run(tmp_path, "stmt.xml", camt053(TXS), "--no-apply")
    out = _run(tmp_path, "stmt.csv", csv_statement(TXS), "--no-apply")

    assert "already imported" in out
    assert BankStatement.objects.count() == 1
    assert StatementLine.objects.count() == 3


def test_an_overlapping_statement_posts_only_the_new_entries(tmp_path):
    _run(tmp_path, "intraday.xml", camt053(TXS[:1], statement_id="INTRADAY"), "--no-apply")
    out = _run(tmp_path, "day.xml", camt053(TXS, statement_id="EOD"), "--no-apply")

    assert BankStatement.objects.count() == 2
    assert StatementLine.objects.count() == 3
    assert "1 entry already imported with another statement" in out
    assert BankStatement.objects.get(statement_id="EOD").line_count == 2


def test_two_equal_payments_without_references_stay_two(tmp_path):
    same = Tx(Decimal("99.00"), "", "Cash Corp", "", "", bank_reference="NONREF")
    _run(tmp_path, "stmt.xml", mt940([same, same]), "--no-apply")

    assert StatementLine.objects.count() == 2


def test_a_bad_file_posts_nothing_and_names_the_problem(tmp_path):
    broken = camt053(TXS).replace(
        b"<CdtDbtInd>CRDT</CdtDbtInd><Sts>", b"<CdtDbtInd>CRDX</CdtDbtInd><Sts>", 1
    )

    with pytest.raises(CommandError, match="rejected"):
        _run(tmp_path, "broken.xml", broken)

    assert BankStatement.objects.count() == 0
    assert StatementLine.objects.count() == 0
    run = ImportRun.objects.get()
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert "CRDX" in run.message and "Ntry" in run.message


def test_a_file_with_one_bad_statement_posts_none_of_its_statements(tmp_path):
    second = mt940(TXS[1:], reference="SECOND").replace(b":61:", b":61:XX", 1)

    with pytest.raises(CommandError):
        _run(tmp_path, "two.sta", mt940(TXS[:1], reference="FIRST") + second)

    assert BankStatement.objects.count() == 0
    assert StatementLine.objects.count() == 0


def test_what_the_database_cannot_hold_is_refused_naming_the_entry():
    from ledgerdesk.receivables.services.importing import check_storable
    from ledgerdesk.receivables.statement import StatementError

    entry = Entry(1, dt.date(2026, 11, 3), Decimal("10.00"), "ZZZ", bank_reference="R2")
    bad = Statement(
        format="csv", statement_id="B", account=OUR_IBAN, currency="EUR", entries=(entry,)
    )

    with pytest.raises(StatementError, match=r"statement B, entry 1: currency 'ZZZ'"):
        check_storable(bad)


def test_store_statements_works_on_parsed_statements():
    statement = Statement(
        format="camt053",
        statement_id="S1",
        account="nl91 abna 0417 1643 00",
        currency="EUR",
        opening=Balance(Decimal("0"), "EUR", dt.date(2026, 11, 2)),
        closing=Balance(Decimal("10.00"), "EUR", dt.date(2026, 11, 3)),
        entries=(Entry(1, dt.date(2026, 11, 3), Decimal("10.00"), "EUR", bank_reference="R1"),),
    )

    first = services.store_statements([statement], "s1.xml")
    second = services.store_statements([statement], "s1.xml")

    assert first.statements == 1 and first.lines == 1
    assert second.already_imported
    assert BankStatement.objects.get().account == OUR_IBAN


def test_an_unreadable_file_is_reported(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_statement", str(tmp_path / "missing.xml"))
    assert ImportRun.objects.get().outcome == ImportRun.Outcome.REJECTED


def test_pending_entries_are_reported_not_posted():
    booked = Entry(1, dt.date(2026, 11, 3), Decimal("10.00"), "EUR", bank_reference="R1")
    pending = Entry(
        2, dt.date(2026, 11, 3), Decimal("20.00"), "EUR", bank_reference="R2", booked=False
    )
    statement = Statement(
        format="camt053",
        statement_id="S1",
        account=OUR_IBAN,
        currency="EUR",
        entries=(booked, pending),
    )

    outcome = services.store_statements([statement], "s1.xml")

    assert outcome.lines == 1
    assert StatementLine.objects.get().amount == Decimal("10.00")
    assert any("1 pending entry (not yet booked) not posted" in note for note in outcome.notes)


def test_a_real_statement_that_does_not_reconcile_is_refused_unless_accepted(db):
    """The anonymised ABN AMRO sample's balances do not add up: refused, nothing posted;
    imported only when a person says to take it as it is."""
    sample = Path(__file__).resolve().parents[1] / "fixtures/bank/mt940/jejik-abnamro.sta"
    out = StringIO()
    with pytest.raises(CommandError, match="rejected"):
        call_command("import_statement", str(sample), "--no-apply", stdout=out, stderr=StringIO())
    assert "does not reconcile" in out.getvalue()
    assert not BankStatement.objects.exists()
    call_command("import_statement", str(sample), "--no-apply", "--accept-unbalanced",
                 stdout=out, stderr=StringIO())  # fmt: skip
    assert BankStatement.objects.count() == 2
    assert "balances not checked" in out.getvalue()
