"""Property tests: random statements written as MT940, camt.053 and CSV parse back the same.

The writers here are deliberately small and independent of the parsers. A final property
throws damaged copies of the real samples at `parse`: it must answer with statements or a
StatementError, never with another exception.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerdesk.receivables.formats import detect, parse
from ledgerdesk.receivables.statement import StatementError

BANK = Path(__file__).resolve().parents[2] / "fixtures" / "bank"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Tx:
    booking_date: dt.date
    value_date: dt.date
    amount: Decimal
    remittance: str
    name: str
    account: str
    end_to_end_id: str
    customer_reference: str
    bank_reference: str


@dataclass(frozen=True)
class Stmt:
    reference: str
    sequence: str
    account: str
    currency: str
    opening: Decimal
    opening_date: dt.date
    closing_date: dt.date
    transactions: tuple[Tx, ...]

    @property
    def closing(self) -> Decimal:
        return self.opening + sum((tx.amount for tx in self.transactions), Decimal("0"))


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# SWIFT's X character set without "/", "-", ":" and "?": those carry structure in :86:.
WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.,()'"

words = st.lists(st.text(WORD_CHARS, min_size=1, max_size=12), max_size=8).map(" ".join)
codes = st.text(ALNUM, min_size=1, max_size=16)
ibans = st.builds(
    lambda country, check, rest: f"{country}{check:02d}{rest}",
    st.sampled_from(["NL", "DE", "CH", "GB", "NO"]),
    st.integers(0, 99),
    st.text(ALNUM, min_size=11, max_size=20),
)
cents = st.integers(1, 10**9).map(lambda n: Decimal(n).scaleb(-2))
dates = st.dates(dt.date(2001, 1, 1), dt.date(2078, 12, 1))


@st.composite
def transactions(draw, around: dt.date) -> Tx:
    value_date = around + dt.timedelta(days=draw(st.integers(-40, 40)))
    booking_date = value_date + dt.timedelta(days=draw(st.integers(-60, 60)))
    sign = draw(st.sampled_from([1, -1]))
    return Tx(
        booking_date=booking_date,
        value_date=value_date,
        amount=draw(cents) * sign,
        remittance=draw(words),
        name=draw(words),
        account=draw(ibans),
        # "NONREF" and "NOTPROVIDED" are how a bank says there is no reference: read as none.
        end_to_end_id=draw(codes.filter(lambda c: c.upper() != "NOTPROVIDED")),
        customer_reference=draw(codes.filter(lambda c: c.upper() != "NONREF")),
        bank_reference=draw(codes.filter(lambda c: c.upper() != "NONREF")),
    )


@st.composite
def statements(draw) -> Stmt:
    opening_date = draw(dates)
    return Stmt(
        reference=draw(codes),
        sequence=str(draw(st.integers(1, 99999))),
        account=draw(ibans),
        currency=draw(st.sampled_from(["EUR", "USD", "CHF", "PLN", "NOK"])),
        opening=draw(st.integers(-(10**9), 10**9).map(lambda n: Decimal(n).scaleb(-2))),
        opening_date=opening_date,
        closing_date=opening_date + dt.timedelta(days=draw(st.integers(0, 5))),
        transactions=tuple(draw(st.lists(transactions(opening_date), max_size=6))),
    )


def parsed_entries(statement) -> list[tuple]:
    return [
        (
            e.booking_date,
            e.value_date,
            e.amount,
            e.remittance,
            e.counterparty_name,
            e.counterparty_account,
        )
        for e in statement.entries
    ]


def written_entries(stmt: Stmt) -> list[tuple]:
    return [
        (tx.booking_date, tx.value_date, tx.amount, tx.remittance, tx.name, tx.account)
        for tx in stmt.transactions
    ]


# --- MT940 -------------------------------------------------------------------------------


def swift_amount(amount: Decimal) -> str:
    return f"{abs(amount):.2f}".replace(".", ",")


def swift_balance(tag: str, amount: Decimal, currency: str, day: dt.date) -> str:
    mark = "D" if amount < 0 else "C"
    return f":{tag}:{mark}{day:%y%m%d}{currency}{swift_amount(amount)}"


def wrapped(text: str, width: int = 65) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def write_mt940(stmts: list[Stmt], envelope: bool, reversals: list[bool], newline: str) -> bytes:
    lines: list[str] = []
    for stmt in stmts:
        if envelope:
            lines.append("{1:F01TESTNL2AXXXX0000000000}{2:O940TESTNL2AXXXXN}{3:}{4:")
        lines += [
            f":20:{stmt.reference}",
            f":25:{stmt.account}",
            f":28C:{stmt.sequence}",
            swift_balance("60F", stmt.opening, stmt.currency, stmt.opening_date),
        ]
        for index, tx in enumerate(stmt.transactions):
            reversal = reversals[index % len(reversals)] if reversals else False
            # A reversed debit (RD) is money in, a reversed credit (RC) money out.
            marks = {(True, False): "C", (True, True): "RD", (False, False): "D"}
            mark = marks.get((tx.amount > 0, reversal), "RC")
            lines.append(
                f":61:{tx.value_date:%y%m%d}{tx.booking_date:%m%d}{mark}{swift_amount(tx.amount)}"
                f"NTRF{tx.customer_reference}//{tx.bank_reference}"
            )
            info = f"/EREF/{tx.end_to_end_id}/REMI/{tx.remittance}/NAME/{tx.name}/IBAN/{tx.account}"
            first, *rest = wrapped(info)
            lines.append(f":86:{first}")
            lines += rest
        lines.append(swift_balance("62F", stmt.closing, stmt.currency, stmt.closing_date))
        lines.append("-}{5:}" if envelope else "-")
    return (newline.join(lines) + newline).encode()


@SETTINGS
@given(
    stmts=st.lists(statements(), min_size=1, max_size=3),
    envelope=st.booleans(),
    reversals=st.lists(st.booleans(), max_size=4),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_mt940_round_trip(stmts, envelope, reversals, newline):
    data = write_mt940(stmts, envelope, reversals, newline)
    assert detect(data) == "mt940"
    result = parse(data, "random.sta")
    assert parse(data, "random.sta") == result
    assert len(result) == len(stmts)
    for got, stmt in zip(result, stmts, strict=True):
        assert got.statement_id == f"{stmt.reference}/{stmt.sequence}"
        assert (got.account, got.currency) == (stmt.account, stmt.currency)
        assert (got.opening.amount, got.opening.date) == (stmt.opening, stmt.opening_date)
        assert (got.closing.amount, got.closing.date) == (stmt.closing, stmt.closing_date)
        assert parsed_entries(got) == written_entries(stmt)
        assert [(e.end_to_end_id, e.customer_reference, e.bank_reference) for e in got.entries] == [
            (tx.end_to_end_id, tx.customer_reference, tx.bank_reference) for tx in stmt.transactions
        ]


# --- camt.053 ----------------------------------------------------------------------------

CAMT_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=10,
)
camt_words = st.lists(CAMT_TEXT, max_size=6).map(" ".join)


def camt_balance(code: str, amount: Decimal, currency: str, day: dt.date) -> str:
    indicator = "DBIT" if amount < 0 else "CRDT"
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="{currency}">{abs(amount):.2f}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>'
        f"<Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>"
    )


def camt_tx(tx: Tx, currency: str, version: int, with_amount: bool) -> str:
    party, account = ("Dbtr", "DbtrAcct") if tx.amount > 0 else ("Cdtr", "CdtrAcct")
    name = f"<Nm>{escape(tx.name)}</Nm>"
    if version >= 8:
        name = f"<Pty>{name}</Pty>"
    amount = ""
    if with_amount:
        amount = (
            f"<AmtDtls><TxAmt><Amt Ccy={quoteattr(currency)}>{abs(tx.amount):.2f}</Amt>"
            "</TxAmt></AmtDtls>"
        )
    return (
        f"<TxDtls><Refs><AcctSvcrRef>{tx.bank_reference}</AcctSvcrRef>"
        f"<EndToEndId>{tx.end_to_end_id}</EndToEndId></Refs>{amount}"
        f"<RltdPties><{party}>{name}</{party}><{account}><Id><IBAN>{tx.account}</IBAN></Id>"
        f"</{account}></RltdPties>"
        f"<RmtInf><Ustrd>{escape(tx.remittance)}</Ustrd></RmtInf></TxDtls>"
    )


def camt_entries(stmt: Stmt, version: int, batches: list[bool]) -> str:
    out = []
    pending = list(stmt.transactions)
    index = 0
    while pending:
        tx = pending.pop(0)
        group = [tx]
        # Join the next transaction into a batch when it has the same sign and dates.
        if pending and batches and batches[index % len(batches)]:
            nxt = pending[0]
            if (nxt.amount > 0) == (tx.amount > 0) and (nxt.booking_date, nxt.value_date) == (
                tx.booking_date,
                tx.value_date,
            ):
                group.append(pending.pop(0))
        index += 1
        total = sum((t.amount for t in group), Decimal("0"))
        status = "<Sts><Cd>BOOK</Cd></Sts>" if version >= 8 else "<Sts>BOOK</Sts>"
        details = "".join(camt_tx(t, stmt.currency, version, len(group) > 1) for t in group)
        out.append(
            f'<Ntry><Amt Ccy="{stmt.currency}">{abs(total):.2f}</Amt>'
            f"<CdtDbtInd>{'CRDT' if total > 0 else 'DBIT'}</CdtDbtInd>{status}"
            f"<BookgDt><DtTm>{tx.booking_date.isoformat()}T10:00:00+01:00</DtTm></BookgDt>"
            f"<ValDt><Dt>{tx.value_date.isoformat()}</Dt></ValDt>"
            f"<NtryDtls>{details}</NtryDtls></Ntry>"
        )
    return "".join(out)


def write_camt053(stmts: list[Stmt], version: int, batches: list[bool]) -> bytes:
    body = "".join(
        f"<Stmt><Id>{stmt.reference}</Id><Acct><Id><IBAN>{stmt.account}</IBAN></Id></Acct>"
        + camt_balance("OPBD", stmt.opening, stmt.currency, stmt.opening_date)
        + camt_balance("CLBD", stmt.closing, stmt.currency, stmt.closing_date)
        + camt_entries(stmt, version, batches)
        + "</Stmt>"
        for stmt in stmts
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version:02d}">'
        f"<BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId></GrpHdr>{body}</BkToCstmrStmt></Document>"
    ).encode()


@st.composite
def camt_statements(draw) -> Stmt:
    stmt = draw(statements())
    txs = tuple(
        Tx(**{**tx.__dict__, "remittance": draw(camt_words), "name": draw(camt_words)})
        for tx in stmt.transactions
    )
    return Stmt(**{**stmt.__dict__, "transactions": txs})


@SETTINGS
@given(
    stmts=st.lists(camt_statements(), min_size=1, max_size=3),
    version=st.integers(2, 10),
    batches=st.lists(st.booleans(), max_size=4),
)
def test_camt053_round_trip(stmts, version, batches):
    data = write_camt053(stmts, version, batches)
    assert detect(data) == "camt053"
    result = parse(data)
    assert parse(data) == result
    assert len(result) == len(stmts)
    for got, stmt in zip(result, stmts, strict=True):
        assert (got.statement_id, got.account, got.currency) == (
            stmt.reference,
            stmt.account,
            stmt.currency,
        )
        assert (got.opening.amount, got.opening.date) == (stmt.opening, stmt.opening_date)
        assert (got.closing.amount, got.closing.date) == (stmt.closing, stmt.closing_date)
        assert parsed_entries(got) == written_entries(stmt)
        assert [(e.end_to_end_id, e.bank_reference) for e in got.entries] == [
            (tx.end_to_end_id, tx.bank_reference) for tx in stmt.transactions
        ]


# --- CSV ---------------------------------------------------------------------------------

CSV_COLUMNS = [
    "booking_date",
    "amount",
    "currency",
    "value_date",
    "reference",
    "remittance",
    "counterparty_name",
    "counterparty_account",
    "account",
    "statement_id",
]


def csv_amount(amount: Decimal, thousands: bool) -> str:
    return f"{amount:,.2f}" if thousands else f"{amount:.2f}"


def write_csv(stmts, order, delimiter, bom, thousands, upper) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([c.upper() if upper else c for c in order])
    for number, stmt in enumerate(stmts):
        for tx in stmt.transactions:
            row = {
                "booking_date": tx.booking_date.isoformat(),
                "amount": csv_amount(tx.amount, thousands),
                "currency": stmt.currency,
                "value_date": tx.value_date.isoformat(),
                "reference": tx.bank_reference,
                "remittance": tx.remittance,
                "counterparty_name": tx.name,
                "counterparty_account": tx.account,
                "account": stmt.account,
                "statement_id": f"S{number}",
            }
            writer.writerow([row[c] for c in order])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode()


@SETTINGS
@given(
    stmts=st.lists(camt_statements().filter(lambda s: s.transactions), min_size=1, max_size=3),
    order=st.permutations(CSV_COLUMNS),
    delimiter=st.sampled_from([",", ";"]),
    bom=st.booleans(),
    thousands=st.booleans(),
    upper=st.booleans(),
)
def test_csv_round_trip(stmts, order, delimiter, bom, thousands, upper):
    data = write_csv(stmts, order, delimiter, bom, thousands, upper)
    result = parse(data, "export.csv")
    assert parse(data, "export.csv") == result
    assert len(result) == len(stmts)
    for number, (got, stmt) in enumerate(zip(result, stmts, strict=True)):
        assert (got.statement_id, got.account, got.currency) == (
            f"S{number}",
            stmt.account,
            stmt.currency,
        )
        assert got.opening is None and got.closing is None
        assert parsed_entries(got) == written_entries(stmt)


# --- damaged samples ---------------------------------------------------------------------

SAMPLES = sorted(
    p
    for p in BANK.rglob("*")
    if p.is_file() and not p.name.startswith(("LICENSE", "expected", "golden"))
)


@settings(max_examples=300, deadline=None)
@given(
    path=st.sampled_from(SAMPLES),
    where=st.floats(0, 1),
    cut=st.integers(0, 40),
    junk=st.binary(max_size=12),
)
def test_damaged_samples_raise_only_statement_errors(path, where, cut, junk):
    data = path.read_bytes()
    at = int(len(data) * where)
    damaged = data[:at] + junk + data[at + cut :]
    try:
        statements = parse(damaged, path.name, check_balances=False)
    except StatementError as exc:
        assert str(exc)
    else:
        assert statements
