"""Bank statement files built in tests: the same entries as camt.053 or as MT940."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

OUR_IBAN = "NL91ABNA0417164300"


@dataclass
class Tx:
    amount: Decimal  # signed: positive is money in
    remittance: str = ""
    name: str = ""
    iban: str = ""
    end_to_end: str = ""
    creditor_reference: str = ""
    booked: dt.date = dt.date(2026, 11, 3)
    bank_reference: str = ""


def camt053(txs: list[Tx], statement_id="STMT-2026-11-03", opening=Decimal("1000.00")) -> bytes:
    closing = opening + sum((t.amount for t in txs), Decimal("0"))
    day = txs[0].booked if txs else dt.date(2026, 11, 3)
    entries = []
    for n, t in enumerate(txs, 1):
        party, account = ("Dbtr", "DbtrAcct") if t.amount > 0 else ("Cdtr", "CdtrAcct")
        strd = ""
        if t.creditor_reference:
            strd = (
                "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
                f"<Ref>{t.creditor_reference}</Ref></CdtrRefInf></Strd>"
            )
        entries.append(
            f"""<Ntry><Amt Ccy="EUR">{abs(t.amount)}</Amt>
<CdtDbtInd>{"CRDT" if t.amount > 0 else "DBIT"}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>{t.booked}</Dt></BookgDt><ValDt><Dt>{t.booked}</Dt></ValDt>
<AcctSvcrRef>{t.bank_reference or f"BANK{n:04d}"}</AcctSvcrRef>
<NtryDtls><TxDtls><Refs><EndToEndId>{escape(t.end_to_end or "NOTPROVIDED")}</EndToEndId></Refs>
<RltdPties><{party}><Nm>{escape(t.name)}</Nm></{party}>
<{account}><Id><IBAN>{t.iban}</IBAN></Id></{account}></RltdPties>
<RmtInf>{f"<Ustrd>{escape(t.remittance)}</Ustrd>" if t.remittance else ""}{strd}</RmtInf>
</TxDtls></NtryDtls></Ntry>"""
        )
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>MSG-{statement_id}</MsgId><CreDtTm>{day}T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>{statement_id}</Id><CreDtTm>{day}T18:00:00</CreDtTm>
<Acct><Id><IBAN>{OUR_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{abs(opening)}</Amt>
<CdtDbtInd>{"CRDT" if opening >= 0 else "DBIT"}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{abs(closing)}</Amt>
<CdtDbtInd>{"CRDT" if closing >= 0 else "DBIT"}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>
{"".join(entries)}
</Stmt></BkToCstmrStmt></Document>"""
    return xml.encode()


def _mt_amount(value: Decimal) -> str:
    return f"{abs(value):.2f}".replace(".", ",")


def mt940(txs: list[Tx], reference="STMT1103", opening=Decimal("1000.00")) -> bytes:
    closing = opening + sum((t.amount for t in txs), Decimal("0"))
    day = txs[0].booked if txs else dt.date(2026, 11, 3)
    ymd = day.strftime("%y%m%d")
    lines = [
        f":20:{reference}",
        f":25:{OUR_IBAN}",
        ":28C:1/1",
        f":60F:{'C' if opening >= 0 else 'D'}{ymd}EUR{_mt_amount(opening)}",
    ]
    for n, t in enumerate(txs, 1):
        mark = "C" if t.amount > 0 else "D"
        bank_ref = t.bank_reference or f"BANK{n:04d}"
        lines.append(
            f":61:{t.booked:%y%m%d}{t.booked:%m%d}{mark}{_mt_amount(t.amount)}NTRFNONREF//{bank_ref}"
        )
        info = f"/EREF/{t.end_to_end or 'NOTPROVIDED'}"
        if t.iban or t.name:
            info += f"/CNTP/{t.iban}//{t.name}/"
        if t.creditor_reference:
            info += f"/REMI/STRD/CUR/{t.creditor_reference}/"
        elif t.remittance:
            info += f"/REMI/USTD//{t.remittance}/"
        lines.append(":86:" + info[:65])
        rest = info[65:]
        while rest:
            lines.append(rest[:65])
            rest = rest[65:]
    lines.append(f":62F:{'C' if closing >= 0 else 'D'}{ymd}EUR{_mt_amount(closing)}")
    lines.append("-")
    return ("\r\n".join(lines) + "\r\n").encode()


def csv_statement(txs: list[Tx], statement_id="STMT-2026-11-03") -> bytes:
    rows = [
        "account;statement_id;booking_date;amount;currency;reference;remittance;"
        "counterparty_name;counterparty_account;creditor_reference"
    ]
    for n, t in enumerate(txs, 1):
        rows.append(
            ";".join(
                [
                    OUR_IBAN,
                    statement_id,
                    t.booked.isoformat(),
                    f"{t.amount:.2f}",
                    "EUR",
                    t.bank_reference or f"BANK{n:04d}",
                    t.remittance,
                    t.name,
                    t.iban,
                    t.creditor_reference,
                ]
            )
        )
    return ("\n".join(rows) + "\n").encode()
