"""Broken copies of the real samples: each is refused with the position and the problem."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ledgerdesk.receivables.formats import detect, parse
from ledgerdesk.receivables.statement import StatementError

BANK = Path(__file__).resolve().parents[2] / "fixtures" / "bank"


def sample(name: str) -> bytes:
    return (BANK / name).read_bytes()


def refused(data: bytes, filename: str = "", **kwargs) -> str:
    with pytest.raises(StatementError) as caught:
        parse(data, filename, **kwargs)
    return str(caught.value)


def replaced(data: bytes, old: bytes, new: bytes) -> bytes:
    assert data.count(old) >= 1, old
    return data.replace(old, new, 1)


# --- empty and unknown -------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\n", b"\xef\xbb\xbf"])
def test_empty_file(data):
    message = refused(data, "upload.sta")
    assert message == "upload.sta: the file is empty"


@pytest.mark.parametrize(
    "data",
    [
        b"hello, world\nthis is not a statement\n",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        b'<?xml version="1.0"?><Invoice xmlns="urn:oasis:names"><ID>1</ID></Invoice>',
    ],
)
def test_unknown_format_names_the_accepted_ones(data):
    message = refused(data, "mystery.bin")
    assert message.startswith("mystery.bin: line 1: not a bank statement format")
    for accepted in ("camt.053", "camt.054", "MT940", "BAI2", "CSV"):
        assert accepted in message


def test_other_iso20022_message_is_refused_with_its_path():
    data = replaced(
        sample("camt/test-camt054"), b"BkToCstmrDbtCdtNtfctn>", b"BkToCstmrAcctRpt>"
    ).replace(b"</BkToCstmrDbtCdtNtfctn>", b"</BkToCstmrAcctRpt>")
    data = data.replace(b"camt.054.001.04", b"camt.052.001.04")
    with pytest.raises(StatementError, match="not a bank statement format"):
        detect(data)


# --- MT940 -------------------------------------------------------------------------------


def test_mt940_truncated_file():
    data = sample("mt940/jejik-generic.sta")
    cut = b"\n".join(data.split(b"\n")[:5]) + b"\n"  # up to the first :61:, no :62F:
    message = refused(cut, "generic.sta")
    assert message.startswith("generic.sta: line 5: ")
    assert "'GENERIC/1' ends without a closing balance (:62F:)" in message


def test_mt940_truncated_in_the_middle_of_a_line():
    data = sample("mt940/jejik-generic.sta")
    cut = data[: data.index(b"D10,00N000") + 4]  # ":61:110101D10," and nothing after
    message = refused(cut)
    assert message.startswith("line 5: :61: no transaction type")


def test_mt940_balance_that_does_not_reconcile():
    data = replaced(
        sample("mt940/jejik-generic.sta"), b":62F:C110201EUR90,00", b":62F:C110201EUR91,00"
    )
    message = refused(data, "generic.sta")
    assert message == (
        "generic.sta: line 1: statement 'GENERIC/1' does not reconcile: opening 100.00 + "
        "entries -10.00 = 90.00, but the closing balance is 91.00 (difference 1.00 EUR)"
    )


def test_mt940_second_block_is_checked_on_its_own():
    data = replaced(
        sample("mt940/jejik-rabobank-iban.sta"),
        b":62F:C130115EUR000000000930,00",
        b":62F:C130115EUR000000000935,00",
    )
    message = refused(data)
    assert message.startswith("line 14: statement '940S130101/0' does not reconcile")
    assert "difference 5.00 EUR" in message


def test_mt940_bad_amount():
    data = replaced(sample("mt940/jejik-generic.sta"), b"D10,00N000", b"D10.00N000")
    message = refused(data, "generic.sta")
    assert message.startswith("generic.sta: line 5: :61: amount '10.00' is not a SWIFT amount")


def test_mt940_bad_balance_amount():
    data = replaced(
        sample("mt940/jejik-sns.sta"), b":60F:C120608EUR1234,56", b":60F:C120608EUR12x4,56"
    )
    message = refused(data)
    assert message.startswith("line 4: :60F: 'C120608EUR12x4,56' is not a balance")


def test_mt940_bad_date():
    data = replaced(sample("mt940/jejik-generic.sta"), b":60F:C110101EUR", b":60F:C111301EUR")
    assert refused(data).startswith("line 4: :60F: date '111301' is not a date (YYMMDD)")
    data = replaced(sample("mt940/jejik-generic.sta"), b":61:110101D", b":61:110230D")
    assert refused(data).startswith("line 5: :61: value date '110230' is not a date (YYMMDD)")


def test_mt940_missing_account():
    data = replaced(sample("mt940/jejik-knab.sta"), b":25:123456789\n", b"")
    message = refused(data, "knab.sta")
    assert (
        message
        == "knab.sta: line 1: statement 'B4E08MS9D00A0009/998/1' has no :25: (account) field"
    )


def test_mt940_field_before_any_statement():
    data = b":25:123\n:20:X\n:25:1\n:60F:C200101EUR1,\n:62F:C200101EUR1,\n"
    assert refused(data) == "line 1: :25: comes before any :20: field"


def test_mt940_unknown_currency():
    data = replaced(sample("mt940/jejik-sns.sta"), b"EUR1234,56", b"XYZ1234,56")
    assert refused(data) == "line 4: :60F: currency 'XYZ' is not an ISO 4217 currency code"


# --- camt --------------------------------------------------------------------------------

STMT = "/Document/BkToCstmrStmt/Stmt[1]"


def test_camt_truncated_file():
    data = sample("camt/test-camt053-txdtls")
    message = refused(data[: len(data) // 2], "camt.xml")
    assert message.startswith("camt.xml: line ")
    assert "not well-formed XML" in message


def test_camt_balance_that_does_not_reconcile():
    data = replaced(
        sample("camt/test-camt053-txdtls"),
        b'<Amt Ccy="CHF">79443.15</Amt>',
        b'<Amt Ccy="CHF">79443.10</Amt>',
    )
    message = refused(data)
    assert message.startswith(f"{STMT}: statement '20170323123456789012345' does not reconcile")
    assert "difference -0.05 CHF" in message


def test_camt_debit_balance_is_negative():
    data = sample("camt/test-camt053-no-ntry").replace(b"CRDT", b"DBIT")
    statement = parse(data)[0]
    assert statement.opening.amount == statement.closing.amount == Decimal("-1520.76")


def test_camt_bad_amount():
    data = replaced(sample("camt/test-camt053-txdtls"), b">3483.00<", b">3483,00<")
    assert refused(data) == (
        f"{STMT}/Ntry[1]/Amt: '3483,00' is not an amount (digits with a '.' decimal)"
    )


def test_camt_bad_sign():
    data = replaced(
        sample("camt/test-camt054"), b"<CdtDbtInd>CRDT</CdtDbtInd>", b"<CdtDbtInd>C</CdtDbtInd>"
    )
    assert refused(data) == (
        "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/CdtDbtInd: 'C' is neither CRDT nor DBIT"
    )


def test_camt_bad_date():
    data = sample("camt/test-camt053-txdtls")
    booking = data.index(b"<BookgDt>")
    data = data[:booking] + data[booking:].replace(b"2017-03-22", b"2017-02-30", 1)
    assert refused(data) == f"{STMT}/Ntry[1]/BookgDt/Dt: '2017-02-30' is not a date (YYYY-MM-DD)"


def test_camt_missing_account():
    data = sample("camt/test-camt053-txdtls")
    start, end = data.index(b"<Acct>"), data.index(b"</Acct>") + len(b"</Acct>")
    message = refused(data[:start] + data[end:])
    assert message == f"{STMT}/Acct: required element is missing"


def test_camt_missing_amount_currency():
    data = replaced(sample("camt/test-camt054"), b'<Amt Ccy="EUR">5.00</Amt>', b"<Amt>5.00</Amt>")
    assert refused(data).startswith(
        "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/Amt: the Ccy attribute"
    )


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE Document [<!ENTITY x "boom">]>\n',
        b'<!DOCTYPE Document SYSTEM "http://example.invalid/camt.dtd">\n',
        b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n',
    ],
)
def test_camt_with_doctype_or_entity_is_refused(doctype):
    data = sample("camt/test-camt054")
    declaration_end = data.index(b"?>") + 3
    data = data[:declaration_end] + doctype + data[declaration_end:]
    message = refused(data, "camt054.xml")
    assert message == "camt054.xml: line 2: DTDs and entity declarations are not accepted"


def test_camt_unknown_version_namespace():
    data = sample("camt/test-camt054").replace(
        b"urn:iso:std:iso:20022:tech:xsd:camt.054.001.04", b"urn:example:camt.054"
    )
    message = refused(data)
    assert message.startswith("/Document: namespace 'urn:example:camt.054' is not camt.053")


def test_camt_later_versions_are_read():
    data = sample("camt/test-camt053-txdtls").replace(b"camt.053.001.04", b"camt.053.001.08")
    assert parse(data)[0].entries[1].amount == 1296


# --- BAI2 --------------------------------------------------------------------------------


def test_bai2_wrong_account_control_total():
    data = replaced(sample("bai2/citi_example.bai2"), b"49,20001,10/", b"49,20002,10/")
    message = refused(data, "citi.bai2", check_balances=False)
    assert message == (
        "citi.bai2: line 12: 49 record: account control total is 20002 but the records above "
        "add up to 20001 (difference 1)"
    )


def test_bai2_wrong_record_counts():
    data = replaced(sample("bai2/svb_us_example.bai2"), b"98,138884258,1,9/", b"98,138884258,1,8/")
    assert refused(data) == "line 10: 98 record: number of records is 8 but there are 9"
    data = replaced(sample("bai2/svb_us_example.bai2"), b"99,282030196,2,20", b"99,282030196,3,20")
    assert refused(data) == "line 20: 99 record: number of groups is 3 but there are 2"


def test_bai2_wrong_file_control_total():
    data = replaced(sample("bai2/svb_us_example.bai2"), b"99,282030196,", b"99,282030195,")
    assert refused(data).startswith("line 20: 99 record: file control total is 282030195")


def test_bai2_truncated_file():
    data = sample("bai2/svb_us_example.bai2")
    cut = b"\n".join(data.split(b"\n")[:17])
    assert refused(cut) == "line 17: the account ends without a 49 (account trailer)"
    cut = b"\n".join(data.split(b"\n")[:19])
    assert refused(cut) == "line 19: the file ends without a 99 (file trailer); is it cut short?"


def test_bai2_balance_that_does_not_reconcile():
    data = sample("bai2/svb_us_example.bai2")
    # Raise the first closing ledger by one cent and every control total with it.
    for old, new in [
        (b"015,35217175,,,/", b"015,35217176,,,/"),
        (b"49,138884258,", b"49,138884259,"),
        (b"98,138884258,", b"98,138884259,"),
        (b"99,282030196,", b"99,282030197,"),
    ]:
        data = replaced(data, old, new)
    message = refused(data)
    assert message.startswith("line 3: statement ")
    assert "does not reconcile" in message and "difference 0.01 USD" in message


def test_bai2_bad_amount_and_date():
    data = replaced(sample("bai2/svb_us_example.bai2"), b"16,142,490196,", b"16,142,4901.96,")
    assert refused(data) == (
        "line 7: 16 record: amount '4901.96' is not an amount (digits only, the decimals implied)"
    )
    data = replaced(sample("bai2/svb_us_example.bai2"), b"1,220201,,USD", b"1,220231,,USD")
    assert refused(data) == "line 2: 02 record: as-of date '220231' is not YYMMDD"


def test_bai2_missing_account_number():
    data = replaced(sample("bai2/svb_us_example.bai2"), b"03,1234567890,USD", b"03,,USD")
    assert refused(data) == "line 3: 03 record: account number (field 2) is missing"


# --- CSV ---------------------------------------------------------------------------------

CSV = (
    "booking_date;amount;currency;remittance;counterparty_name\n"
    "2024-03-01;1.234,00;EUR;INV-1;ACME\n"
)


def test_csv_missing_required_header():
    data = b"booking_date,currency,remittance\n2024-03-01,EUR,INV-1\n"
    message = refused(data, "bank.csv")
    assert message.startswith("bank.csv: line 1: the header has no 'amount' column")


def test_csv_bad_amount_names_line_and_column():
    data = b"Booking_Date,Amount,Currency\n2024-03-01,10.00,EUR\n2024-03-02,12.3.4,EUR\n"
    assert refused(data) == (
        "line 3, column amount: '12.3.4' is not an amount (e.g. -1,234.56: '.' decimal, "
        "optional ',' thousands)"
    )


def test_csv_bad_date_names_line_and_column():
    data = b"booking_date;amount;currency\n2024-13-01;5;EUR\n"
    assert refused(data) == "line 2, column booking_date: '2024-13-01' is not a date (YYYY-MM-DD)"


def test_csv_mixed_currency_in_one_statement():
    data = b"booking_date,amount,currency\n2024-03-01,5,EUR\n2024-03-01,5,USD\n"
    assert refused(data) == (
        "line 3, column currency: USD differs from EUR of the statement's first row (line 2)"
    )


def test_csv_header_only():
    assert refused(b"booking_date,amount,currency\n", "x.csv") == (
        "x.csv: line 2: the file has a header but no rows"
    )


def test_csv_with_bom_semicolons_and_thousands():
    data = (
        b"\xef\xbb\xbf"
        + (
            "Booking_Date;Amount;Currency;Value_Date;Reference;Remittance;Counterparty_Name;"
            "Counterparty_Account;Account;Statement_ID;Creditor_Reference\n"
            '2024-03-01;"1,234.50";eur;2024-03-02;B1;Invoice 7;Müller GmbH;'
            "DE02 1203 0000 0000 2020 51;"
            "NO9386011117947;S1;RF18 5390 0754 7034\n"
            "2024-03-02;-20;EUR;;;;;;NO9386011117947;S1;\n"
        ).encode()
    )
    assert detect(data, "export.txt") == "csv"
    [statement] = parse(data)
    assert (statement.statement_id, statement.account, statement.currency) == (
        "S1",
        "NO9386011117947",
        "EUR",
    )
    first, second = statement.entries
    assert first.amount == 1234.5 and second.amount == -20
    assert first.counterparty_name == "Müller GmbH"
    assert first.counterparty_account == "DE02120300000000202051"
    assert first.creditor_reference == "RF18539007547034"
    assert first.value_date.isoformat() == "2024-03-02"
    assert second.source == "line 3"
