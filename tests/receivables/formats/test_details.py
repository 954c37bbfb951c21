"""Variants the real samples do not show, written out small: structured :86: fields, camt
batches and statuses, BAI2 funds types and continuations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ledgerdesk.receivables.formats import parse
from ledgerdesk.receivables.statement import StatementError


def mt940(*body: str, opening: str = "C240301EUR100,00", closing: str = "") -> bytes:
    lines = [":20:REF1", ":25:DE89370400440532013000", ":28C:7/1", f":60F:{opening}", *body]
    if closing:
        lines.append(f":62F:{closing}")
    return ("\r\n".join(lines) + "\r\n-\r\n").encode("latin-1")


def test_german_subfields_with_sepa_keywords():
    data = mt940(
        ":61:2403010301CR25,00NTRFNONREF//0301-77",
        ":86:166?00SEPA-GUTSCHRIFT?109310?20EREF+E2E-4711?21SVWZ+RE 2024-0815 KUNDE",
        "?22 12345?30COBADEFFXXX?31DE44500105175407324931?32MUSTERMANN GMBH",
        closing="C240301EUR125,00",
    )
    [entry] = parse(data)[0].entries
    assert entry.amount == Decimal("25.00")
    assert entry.end_to_end_id == "E2E-4711"
    assert entry.remittance == "RE 2024-0815 KUNDE 12345"
    assert entry.counterparty_name == "MUSTERMANN GMBH"
    assert entry.counterparty_account == "DE44500105175407324931"
    assert entry.bank_reference == "0301-77"
    assert "SEPA-GUTSCHRIFT" in entry.additional_info


def test_polish_subfields_with_iban_in_38():
    data = mt940(
        ":61:2403010301D12,50S034NONREF",
        ":86:034?00PRZELEW?20FV/2024/03/0?2117?32KOWALSKI JAN?38PL61109010140000071219812874",
        closing="C240301EUR87,50",
    )
    [entry] = parse(data)[0].entries
    assert entry.amount == Decimal("-12.50")
    assert entry.remittance == "FV/2024/03/017"
    assert entry.counterparty_account == "PL61109010140000071219812874"
    assert entry.counterparty_name == "KOWALSKI JAN"


def test_dutch_slash_tags_with_structured_reference_and_cntp():
    data = mt940(
        ":61:240301C40,00NTRFNONREF",
        ":86:/TRTP/SEPA OVERBOEKING/IBAN/NL44RABO0123456789/BIC/RABONL2U/NAME/J. JANSEN/REMI/STRD/",
        "CUR/RF18539007547034/EREF/NOTPROVIDED",
        ":61:240301D10,00NTRFNONREF",
        ":86:/CNTP/NL91ABNA0417164300/ABNANL2A/PIET PUK/AMSTERDAM/REMI/USTD//factuur 12/",
        closing="C240301EUR130,00",
    )
    first, second = parse(data)[0].entries
    assert first.creditor_reference == "RF18539007547034"
    assert first.remittance == ""
    assert first.end_to_end_id == ""
    assert (first.counterparty_name, first.counterparty_account) == (
        "J. JANSEN",
        "NL44RABO0123456789",
    )
    assert second.remittance == "factuur 12"
    assert (second.counterparty_name, second.counterparty_account) == (
        "PIET PUK",
        "NL91ABNA0417164300",
    )


def test_entry_date_rolls_over_the_year():
    data = mt940(
        ":61:2312311229D1,00NTRFNONREF",  # value 2023-12-31, booked 29 Dec
        ":61:2312310102D1,00NTRFNONREF",  # value 2023-12-31, booked 2 Jan 2024
        ":61:2401021231C2,00NTRFNONREF",  # value 2024-01-02, booked 31 Dec 2023
        opening="C231231EUR0,",
        closing="C240102EUR0,",
    )
    dates = [(e.value_date, e.booking_date) for e in parse(data)[0].entries]
    assert dates == [
        (dt.date(2023, 12, 31), dt.date(2023, 12, 29)),
        (dt.date(2023, 12, 31), dt.date(2024, 1, 2)),
        (dt.date(2024, 1, 2), dt.date(2023, 12, 31)),
    ]


def test_reversals_and_debit_balances():
    data = mt940(
        ":61:240301RD5,00NTRFNONREF",  # reversal of a debit: money back in
        ":61:240301RC7,00NTRFNONREF",  # reversal of a credit: money out
        opening="D240301EUR10,00",
        closing="D240301EUR12,00",
    )
    statement = parse(data)[0]
    assert [e.amount for e in statement.entries] == [Decimal("5.00"), Decimal("-7.00")]
    assert statement.opening.amount == Decimal("-10.00")


def test_mt940_latin1_file():
    data = mt940(":61:240301C1,00NTRFNONREF", ":86:Zahlung für Müller", closing="C240301EUR101,")
    assert parse(data)[0].entries[0].remittance == "Zahlung für Müller"


def test_mt940_entry_after_the_closing_balance_is_refused():
    data = mt940(closing="C240301EUR100,00") + b":61:240301C1,00NTRFNONREF\r\n"
    # The "-" ends the message, so the stray :61: has no :20: before it.
    with pytest.raises(StatementError, match=r"^line 7: :61: comes before any :20: field"):
        parse(data)


CAMT_HEAD = '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'


def camt(body: str, balances: str = "") -> bytes:
    return (
        f"{CAMT_HEAD}<Stmt><Id>S1</Id><Acct><Id><Othr><Id>12345678</Id></Othr></Id>"
        f"<Ccy>EUR</Ccy></Acct>{balances}{body}</Stmt></BkToCstmrStmt></Document>"
    ).encode()


def balance(code: str, amount: str) -> str:
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy='EUR'>{amount}</Amt>"
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><DtTm>2024-03-01T23:59:59</DtTm></Dt></Bal>"
    )


def entry(amount: str, status: str = "BOOK", details: str = "") -> str:
    return (
        f"<Ntry><Amt Ccy='EUR'>{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>{status}</Sts>"
        f"<BookgDt><Dt>2024-03-01</Dt></BookgDt><NtryDtls>{details}</NtryDtls></Ntry>"
    )


def test_camt_prcd_opening_other_account_id_and_pending_entries():
    data = camt(
        entry("10.00") + entry("99.00", status="PDNG"),
        balances=balance("PRCD", "5.00") + balance("CLBD", "15.00"),
    )
    statement = parse(data)[0]  # reconciles: the pending entry is not on the balance
    assert statement.account == "12345678"
    assert statement.opening.amount == Decimal("5.00")
    assert statement.opening.date == dt.date(2024, 3, 1)
    assert [(e.amount, e.booked) for e in statement.entries] == [
        (Decimal("10.00"), True),
        (Decimal("99.00"), False),
    ]


def test_camt_batch_without_matching_amounts_stays_one_entry():
    tx = (
        "<TxDtls><AmtDtls><TxAmt><Amt Ccy='EUR'>{amount}</Amt></TxAmt></AmtDtls>"
        "<RltdPties><Dbtr><Nm>{name}</Nm></Dbtr></RltdPties>"
        "<RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls>"
    )
    details = tx.format(amount="3.00", name="A", text="INV 1") + tx.format(
        amount="3.00", name="B", text="INV 2"
    )
    [single] = parse(camt(entry("10.00", details=details)))[0].entries
    assert single.amount == Decimal("10.00")
    assert single.remittance == "INV 1 | INV 2"
    assert single.counterparty_name == ""  # two different debtors: none is named
    assert single.source == "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]"


def test_camt_entry_without_any_date_is_refused():
    data = camt(entry("1.00").replace("<BookgDt><Dt>2024-03-01</Dt></BookgDt>", ""))
    with pytest.raises(StatementError) as caught:
        parse(data)
    assert str(caught.value) == (
        "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]: the entry has neither BookgDt nor ValDt"
    )


BAI2 = """01,SENDER,RECEIVER,240301,0800,F1,,,2/
02,RECEIVER,BANK1,1,240301,,EUR,2/
03,ACC-1,,010,100000,,,015,99000,,/
16,175,5000,S,1000,2000,2000,BR1,CR1,Payment from ACME, invoice 77/
88,second line of text
16,475,6000,D,2,1,3000,2,3000,BR2,,Cheque 12
16,301,,0,BR3,,/
49,210000,6/
98,210000,1,8/
99,210000,1,10/
"""


def test_bai2_funds_types_continuations_and_defaults():
    [statement] = parse(BAI2.encode())
    assert statement.currency == "EUR"
    assert (statement.opening.amount, statement.closing.amount) == (
        Decimal("1000.00"),
        Decimal("990.00"),
    )
    first, second, third = statement.entries
    assert (first.amount, first.bank_reference, first.customer_reference) == (
        Decimal("50.00"),
        "BR1",
        "CR1",
    )
    # The "/" that ends the 16 record is not part of the text.
    assert first.remittance == "Payment from ACME, invoice 77 second line of text"
    assert (second.amount, second.bank_reference, second.remittance) == (
        Decimal("-60.00"),
        "BR2",
        "Cheque 12",
    )
    assert (third.amount, third.bank_reference, third.remittance) == (Decimal("0"), "BR3", "")


def test_bai2_blank_group_currency_means_usd_and_yen_has_no_decimals():
    data = BAI2.replace("240301,,EUR,2/", "240301,,,2/")
    assert parse(data.encode())[0].currency == "USD"
    data = BAI2.replace("03,ACC-1,,", "03,ACC-1,JPY,")
    statement = parse(data.encode())[0]
    assert statement.opening.amount == Decimal("100000")
    assert statement.entries[0].amount == Decimal("5000")
