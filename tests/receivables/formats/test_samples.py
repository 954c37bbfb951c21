"""The real bank files in tests/fixtures/bank parse to what they state.

mt940/expected.tsv and the camt golden-*.pydata files come with the samples; they are read
here, not retyped. The BAI2 figures were read off the files by hand.

Several samples do not reconcile (opening + entries != closing). They are anonymised fixtures
from open-source parser test suites whose amounts were edited by hand (the second ABN AMRO
statement opens at 2876.84 right after one that closed at 876.84; the Citi BAI2 example books
0.01 between an opening and closing ledger of 100.00). `parse` refuses them by default, which
`test_samples_that_do_not_reconcile_are_refused` pins; the content checks use
``check_balances=False``.
"""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from ledgerdesk.receivables.formats import balance_difference, detect, parse
from ledgerdesk.receivables.statement import StatementError

BANK = Path(__file__).resolve().parents[2] / "fixtures" / "bank"
MT940 = BANK / "mt940"
CAMT = BANK / "camt"
BAI2 = BANK / "bai2"


def _expected_mt940() -> list[dict[str, str]]:
    # Rows end at LF only: the sberbank row carries a stray CR (copied from its CRLF file).
    lines = (MT940 / "expected.tsv").read_bytes().decode("utf-8").split("\n")
    header, *rows = [[cell.strip() for cell in line.split("\t")] for line in lines if line]
    return [dict(zip(header, row, strict=True)) for row in rows]


def _swift_balance(text: str) -> tuple[Decimal, str, dt.date] | None:
    """'C110522EUR3236,28' -> (Decimal('3236.28'), 'EUR', 2011-05-22)."""
    if not text:
        return None
    sign = 1 if text[0] == "C" else -1
    day = dt.date(2000 + int(text[1:3]), int(text[3:5]), int(text[5:7]))
    amount = Decimal(text[10:].replace(",", ".").rstrip(".") or "0")
    return sign * amount, text[7:10], day


MT940_ROWS = _expected_mt940()
# Checked by hand against the files: these add up, the others were edited (see module doc).
MT940_RECONCILING = {
    "jejik-generic.sta",
    "jejik-rabobank-iban.sta",
    "jejik-sns.sta",
    "mBank-mt940.sta",
    "mBank-mt942.sta",
    "sberbank-171011_01234945.sta",
    "ASNB-0708271685_09022020_164516.940.txt",
}


@pytest.mark.parametrize("row", MT940_ROWS, ids=[row["file"] for row in MT940_ROWS])
def test_mt940_sample_matches_expected_tsv(row):
    data = (MT940 / row["file"]).read_bytes()
    assert detect(data, row["file"]) == "mt940"
    statements = parse(data, row["file"], check_balances=False)
    assert len(statements) == int(row["statements"])
    assert sum(len(s.entries) for s in statements) == int(row["entries"])
    for where, balance in (
        ("first_opening_balance", statements[0].opening),
        ("last_closing_balance", statements[-1].closing),
    ):
        expected = _swift_balance(row[where])
        if expected is None:
            assert balance is None
        else:
            assert (balance.amount, balance.currency, balance.date) == expected
    for statement in statements:
        assert statement.account
        assert [e.position for e in statement.entries] == list(range(1, len(statement.entries) + 1))
        assert all(e.currency == statement.currency for e in statement.entries)
        assert all(e.source.startswith("line ") for e in statement.entries)
    assert parse(data, row["file"], check_balances=False) == statements  # deterministic


def test_every_mt940_sample_is_listed_in_expected_tsv():
    listed = {row["file"] for row in MT940_ROWS}
    on_disk = {p.name for p in MT940.iterdir() if not p.name.startswith(("LICENSE", "expected"))}
    assert listed == on_disk


@pytest.mark.parametrize("row", MT940_ROWS, ids=[row["file"] for row in MT940_ROWS])
def test_samples_that_do_not_reconcile_are_refused(row):
    data = (MT940 / row["file"]).read_bytes()
    if row["file"] in MT940_RECONCILING:
        assert len(parse(data, row["file"])) == int(row["statements"])
        return
    statements = parse(data, row["file"], check_balances=False)
    first_bad = next(s for s in statements if balance_difference(s))
    with pytest.raises(StatementError) as caught:
        parse(data, row["file"])
    message = str(caught.value)
    assert message.startswith(f"{row['file']}: {first_bad.source}: ")
    assert repr(first_bad.statement_id) in message
    assert f"difference {balance_difference(first_bad)}" in message


def test_mt940_details_abnamro_multi_line_86_and_reversed_dates():
    statements = parse((MT940 / "jejik-abnamro.sta").read_bytes(), check_balances=False)
    first = statements[0]
    assert first.statement_id == "ABN AMRO BANK NV/19321/1"
    assert first.account == "517852257"
    entry = first.entries[0]
    assert entry.amount == Decimal("-9")
    assert entry.value_date == dt.date(2011, 5, 24)
    assert entry.booking_date == dt.date(2011, 5, 24)
    assert entry.transaction_code == "N192"
    assert entry.remittance.startswith("GIRO 428428 KPN - DIGITENNE")
    assert entry.remittance.endswith("BETREFT FACTUUR D.D. 20-05-2011 INCL. 1,44 BTW")
    # Entry date before the value date: 110521 value, 0523 entry.
    assert first.entries[1].value_date == dt.date(2011, 5, 21)
    assert first.entries[1].booking_date == dt.date(2011, 5, 23)
    # The blank line inside the block and the :62F: after it are read as usual.
    assert len(first.entries) == 8
    assert first.closing.amount == Decimal("876.84")


def test_mt940_structured_86_variants():
    rabo = parse((MT940 / "jejik-rabobank-iban.sta").read_bytes())[0].entries
    assert rabo[0].end_to_end_id == "01-01-2013 12:00 0030000987654321"
    assert rabo[0].counterparty_name == "CONTRA ACCOUNT HOLDER"  # wrapped mid-word
    assert rabo[0].counterparty_account == "NL70ABNA0987654321"  # from the :61: details
    assert rabo[1].remittance == "Reference 201301234"
    assert rabo[1].counterparty_name == "JOHN DOE"

    triodos = parse((MT940 / "jejik-triodos.sta").read_bytes(), check_balances=False)
    assert triodos[0].entries[0].remittance == (
        "ALGEMENE TUSSENREKENING KOSTEN VAN 01-10-2010 TOT EN MET 31-12-2010"
    )
    assert triodos[0].entries[1].remittance == "HUUR KANTOOR - FEB 2010"

    mbank = parse((MT940 / "mBank-mt940.sta").read_bytes())[0]
    assert mbank.account == "PL29114010810000267002001002"
    first = mbank.entries[0]
    assert first.amount == Decimal("0.01")
    assert first.remittance == "PRZELEW SRODKOW"
    assert first.counterparty_account == "56114010810000267002001001"
    assert first.counterparty_name.startswith("JAN NOWAK")
    assert first.bank_reference == "MB170119012058"

    knab = parse((MT940 / "jejik-knab.sta").read_bytes(), check_balances=False)[1].entries
    assert (knab[0].counterparty_name, knab[0].counterparty_account) == (
        "PICQER",
        "NL65INGB0123456789",
    )
    assert knab[0].remittance == "FACTUUR 201403110, 201403113"

    asn = parse((MT940 / "ASNB-0708271685_09022020_164516.940.txt").read_bytes())
    payment = asn[0].entries[0]
    assert payment.counterparty_account == "NL47INGB9999999999"
    assert payment.counterparty_name == "hr gjlm paulissen"
    assert payment.remittance == "Betaling sieraden"
    assert [s.statement_id for s in asn[:2]] == ["0000000000/1/1", "0000000000/2/1"]


def test_mt942_has_no_balances_but_a_currency():
    data = (MT940 / "mBank-mt942.sta").read_bytes()
    assert detect(data) == "mt940"
    statement = parse(data)[0]
    assert statement.format == "mt942"
    assert statement.opening is None and statement.closing is None
    assert statement.currency == "PLN"
    assert statement.date_to == dt.date(2017, 1, 19)
    assert sum(e.amount for e in statement.entries) == Decimal("0.03")


def test_mt940_crlf_and_funds_code():
    statement = parse((MT940 / "sberbank-171011_01234945.sta").read_bytes())[0]
    assert statement.currency == "HUF"
    assert [e.amount for e in statement.entries] == [
        Decimal("-2402.00"),
        Decimal("-3460.00"),
        Decimal("-3575.00"),
    ]
    assert statement.entries[0].source == "line 12"


CAMT_SAMPLES = [
    ("test-camt053", "golden-camt053.pydata", "camt053"),
    ("test-camt053-txdtls", "golden-camt053-txdtls.pydata", "camt053"),
    ("test-camt053-no-ntry", "golden-camt053-no-ntry.pydata", "camt053"),
    ("test-camt054", "golden-camt054.pydata", "camt054"),
]


@pytest.mark.parametrize(("sample", "golden", "fmt"), CAMT_SAMPLES)
def test_camt_sample_matches_golden(sample, golden, fmt):
    data = (CAMT / sample).read_bytes()
    assert detect(data, sample) == fmt
    currency, account, expected = ast.literal_eval((CAMT / golden).read_text(encoding="utf-8"))
    statements = parse(data, sample, check_balances=False)
    assert all(s.format == fmt for s in statements)
    if not expected:
        # The golden result skips a statement without entries; we keep it, with no entries.
        assert currency is None
        assert [len(s.entries) for s in statements] == [0]
        assert statements[0].opening.amount == statements[0].closing.amount == Decimal("1520.76")
        return
    with_entries = [s for s in statements if s.entries]
    assert len(with_entries) == len(expected)
    for statement, want in zip(with_entries, expected, strict=True):
        assert statement.currency == currency
        assert statement.account == account
        assert statement.statement_id == want["name"]
        if statement.opening is None:
            # camt.054 states no balances; the golden file shows its importer's 0.0 default.
            assert fmt == "camt054" and want["balance_start"] == want["balance_end_real"] == 0
            assert statement.date_from.isoformat() == want["date"]
        else:
            assert statement.opening.amount == Decimal(repr(want["balance_start"]))
            assert statement.closing.amount == Decimal(repr(want["balance_end_real"]))
            assert statement.opening.date.isoformat() == want["date"]
        assert len(statement.entries) == len(want["transactions"])
        for entry, tx in zip(statement.entries, want["transactions"], strict=True):
            assert entry.amount == Decimal(repr(tx["amount"]))
            assert entry.booking_date.isoformat() == tx["date"]
            assert entry.counterparty_name == tx["partner_name"]
            assert entry.counterparty_account == tx["account_number"]
            assert (entry.creditor_reference or entry.end_to_end_id) == tx["ref"]
            assert entry.transaction_code == tx["transaction_type"]
            assert entry.source.startswith("/Document/")


def test_camt_details_beyond_the_golden_files():
    statement = parse((CAMT / "test-camt053").read_bytes(), check_balances=False)[0]
    debit = statement.entries[0]
    assert debit.remittance == "Insurance policy 857239PERIOD 01.01.2014 - 31.12.2014"
    assert debit.end_to_end_id == "435005714488-ABNO33052620"
    assert debit.value_date == dt.date(2014, 1, 5)
    # The batch of two TxDtls became two entries that keep the entry's total.
    batch = statement.entries[1:3]
    assert sum(e.amount for e in batch) == Decimal("-664.05")
    assert batch[1].source.endswith("/Ntry[2]/NtryDtls[1]/TxDtls[2]")
    credit = statement.entries[3]
    assert credit.counterparty_name == "3rd party Media"  # the debtor of a credit
    assert credit.additional_info == "#RD PARTY MEDIA CUSNO 90782 4210773"

    swiss = parse((CAMT / "test-camt053-txdtls").read_bytes())[0]
    assert swiss.entries[0].creditor_reference == "302388292000011111111111111"
    assert swiss.entries[0].bank_reference == "123456CHCAFEBABE"
    assert swiss.date_from == swiss.date_to == dt.date(2017, 3, 23)

    notification = parse((CAMT / "test-camt054").read_bytes())[0]
    assert notification.entries[0].end_to_end_id == "ENDTOENDID-01"
    assert notification.entries[0].bank_reference == "15180015077602405"


def test_camt053_sample_does_not_reconcile_and_says_so():
    with pytest.raises(StatementError) as caught:
        parse((CAMT / "test-camt053").read_bytes(), "test-camt053")
    message = str(caught.value)
    assert message.startswith("test-camt053: /Document/BkToCstmrStmt/Stmt[1]: ")
    assert "'1234Test/1' does not reconcile" in message
    assert "difference -434.16 EUR" in message


def test_bai2_citi_example():
    data = (BAI2 / "citi_example.bai2").read_bytes()
    assert detect(data) == "bai2"
    [statement] = parse(data, check_balances=False)
    assert statement.account == "77777777"
    assert statement.currency == "GBP"
    assert statement.opening.amount == statement.closing.amount == Decimal("100.00")
    assert statement.opening.date == dt.date(2015, 7, 15)
    [entry] = statement.entries
    assert entry.amount == Decimal("0.01")
    assert entry.transaction_code == "191"
    assert entry.value_date == dt.date(2015, 7, 15)
    assert entry.bank_reference == "1234567890"
    assert entry.customer_reference == "RP12312312312312"
    assert entry.remittance.startswith("FR:FP SIP INCOMING ENDT:20150715 TRID:RP12312312312312")
    assert entry.remittance.endswith("BO:11111111 BO1:DOE JO")
    assert entry.source == "line 4"
    # An illustration with placeholder balances: 100.00 + 0.01 != 100.00.
    with pytest.raises(StatementError, match=r"line 3: .*difference -0.01 GBP"):
        parse(data)


def test_bai2_svb_example_two_groups():
    statements = parse((BAI2 / "svb_us_example.bai2").read_bytes())
    assert [s.account for s in statements] == ["1234567890", "1234567890"]
    assert [s.date_from for s in statements] == [dt.date(2022, 2, 1), dt.date(2022, 2, 2)]
    assert [(s.opening.amount, s.closing.amount) for s in statements] == [
        (Decimal("347269.79"), Decimal("352171.75")),
        (Decimal("352171.75"), Decimal("361229.75")),
    ]
    assert [
        [(e.amount, e.bank_reference, e.remittance) for e in s.entries] for s in statements
    ] == [
        [(Decimal("4901.96"), "172629", "SOME PAYMENT ACH OFFSET")],
        [(Decimal("9058.00"), "150675", "SOME PAYMENT ACH OFFSET")],
    ]
    assert all(s.currency == "USD" for s in statements)
    assert len({s.statement_id for s in statements}) == 2
