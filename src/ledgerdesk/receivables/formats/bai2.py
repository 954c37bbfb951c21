"""BAI2 (BAI Cash Management Balance Reporting, version 2) files.

Records, one per line, comma-separated and ended by ``/``; a ``88`` record continues the
record before it:

- ``01`` file header (sender, receiver, creation date YYMMDD, time, file id, …, version 2);
- ``02`` group header (receiver, originator, status, as-of date YYMMDD, time, currency: the
  default for the group's accounts, USD when blank as the specification says);
- ``03`` account identifier: account number, currency, then (type code, amount, item count,
  funds type) repeated. ``010`` opening ledger is the opening balance and ``015`` closing ledger
  the closing balance; ``040`` opening available and ``045`` closing available stand in when the
  ledger ones are missing. Balances are dated the group's as-of date;
- ``16`` transaction detail: type code, amount, funds type (with its extra fields for ``V``,
  ``S`` and ``D``), bank reference, customer reference, and text to the end of the record (and
  of its ``88`` continuations). Type codes below 400 are credits, 400 and above debits;
- ``49`` account trailer, ``98`` group trailer, ``99`` file trailer: the control totals
  (sum of every amount in the ``03`` and ``16`` records below them) and record counts are
  checked and a mismatch is an error.

Amounts carry no decimal point: the currency's minor unit is implied (cents for USD/EUR/GBP,
none for JPY). One `Statement` per ``03`` account record; errors read "line 14: …".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from babel.numbers import get_currency_precision

from ..statement import Balance, Entry, Statement, StatementError
from ._common import check_currency, collapse, decode_text, fail, shown, split_lines

_AMOUNT_RE = re.compile(r"[+-]?[0-9]+")
_OPENING_CODES = ("010", "040")
_CLOSING_CODES = ("015", "045")
_DEFAULT_CURRENCY = "USD"  # BAI2: a blank group currency means US dollars


@dataclass
class _Record:
    code: str
    line: int
    fields: list[str]
    text: str = ""  # the free text of a 16 record
    lines: int = 1  # physical records, counting 88 continuations
    end: int = 0  # the line of the last 88 continuation (or of the record itself)

    def where(self) -> str:
        return f"line {self.line}"


@dataclass
class _Account:
    record: _Record
    currency: str
    total: Decimal = Decimal("0")
    records: int = 1
    entries: list[Entry] = field(default_factory=list)
    opening: Balance | None = None
    closing: Balance | None = None


def parse(data: bytes, filename: str = "") -> list[Statement]:
    records = _records(decode_text(data, filename), filename)
    if not records or records[0].code != "01":
        where = records[0].where() if records else "line 1"
        raise fail(filename, where, "a BAI2 file must start with a 01 (file header) record")
    return _Reader(records, filename).read()


def _records(text: str, filename: str) -> list[_Record]:
    records: list[_Record] = []
    for number, raw in enumerate(split_lines(text), 1):
        line = raw.strip()
        if not line:
            continue
        code, _, body = line.partition(",")
        if code == "88":
            if not records:
                raise fail(filename, f"line {number}", "88 (continuation) with nothing before it")
            previous = records[-1]
            previous.lines += 1
            previous.end = number
            if previous.code == "16":
                continued = body[:-1] if body.endswith("/") else body
                previous.text = collapse(f"{previous.text} {continued}")
            else:
                previous.fields.extend(_fields(body))
            continue
        if not re.fullmatch(r"[0-9]{2}", code):
            raise fail(filename, f"line {number}", f"{shown(code)} is not a BAI2 record code")
        record = _Record(code, number, [], end=number)
        if code == "16":
            record.fields, record.text = _detail_fields(body)
        else:
            record.fields = _fields(body)
        records.append(record)
    return records


def _fields(body: str) -> list[str]:
    body = body.strip()
    if body.endswith("/"):
        body = body[:-1]
    return [part.strip() for part in body.split(",")]


def _detail_fields(body: str) -> tuple[list[str], str]:
    """A 16 record's fields up to the customer reference, and the text after them."""
    parts = body.split(",")
    fields = parts[:3]  # type code, amount, funds type
    funds = fields[2].strip().upper() if len(fields) > 2 else ""
    index = 3
    extra = {"V": 2, "S": 3}.get(funds, 0)
    if funds == "D" and len(parts) > 3 and parts[3].strip().isdigit():
        extra = 1 + 2 * int(parts[3].strip())
    fields += parts[index : index + extra]
    index += extra
    fields += parts[index : index + 2]  # bank reference, customer reference
    index += 2
    text = ",".join(parts[index:]).strip()
    if not text and fields and fields[-1].rstrip().endswith("/"):
        fields[-1] = fields[-1].rstrip()[:-1]
    if text.endswith("/"):
        text = text[:-1]
    return [part.strip() for part in fields], collapse(text)


class _Reader:
    def __init__(self, records: list[_Record], filename: str) -> None:
        self.records = records
        self.filename = filename
        self.statements: list[Statement] = []

    def error(self, record: _Record, reason: str) -> StatementError:
        return fail(self.filename, record.where(), reason)

    def cut_short(self, reason: str) -> StatementError:
        return fail(self.filename, f"line {self.records[-1].end}", reason)

    def field(self, record: _Record, index: int, name: str) -> str:
        if index >= len(record.fields) or not record.fields[index]:
            raise self.error(record, f"{record.code} record: {name} (field {index + 2}) is missing")
        return record.fields[index]

    def date(self, record: _Record, index: int, name: str) -> dt.date:
        value = self.field(record, index, name)
        if re.fullmatch(r"[0-9]{6}", value):
            try:
                return dt.date(2000 + int(value[:2]), int(value[2:4]), int(value[4:]))
            except ValueError:
                pass
        raise self.error(record, f"{record.code} record: {name} {shown(value)} is not YYMMDD")

    def amount(self, record: _Record, value: str, currency: str, name: str) -> Decimal:
        value = value.strip()
        if not value:
            return Decimal("0")
        if not _AMOUNT_RE.fullmatch(value):
            raise self.error(
                record,
                f"{record.code} record: {name} {shown(value)} is not an amount "
                "(digits only, the decimals implied)",
            )
        return Decimal(value).scaleb(-get_currency_precision(currency))

    def read(self) -> list[Statement]:
        header = self.records[0]
        version = header.fields[7] if len(header.fields) > 7 else ""
        if version and version != "2":
            raise self.error(header, f"01 record: version {shown(version)}; only BAI2 is read")
        file_id = header.fields[4] if len(header.fields) > 4 else ""
        file_total = Decimal("0")
        groups = 0
        file_records = header.lines
        position = 1
        trailer: _Record | None = None
        while position < len(self.records):
            record = self.records[position]
            if record.code == "02":
                position, total, count = self.group(position, file_id)
                file_total += total
                file_records += count
                groups += 1
            elif record.code == "99":
                trailer = record
                file_records += record.lines
                position += 1
                break
            else:
                raise self.error(record, f"{record.code} record where a 02 or 99 was expected")
        if trailer is None:
            raise self.cut_short("the file ends without a 99 (file trailer); is it cut short?")
        if position < len(self.records):
            raise self.error(self.records[position], "a record after the 99 (file trailer)")
        self.check(trailer, 0, file_total, "file control total")
        self.count(trailer, 1, groups, "number of groups")
        self.count(trailer, 2, file_records, "number of records")
        return self.statements

    def check(self, record: _Record, index: int, total: Decimal, name: str) -> None:
        """Control totals are sums of the raw amounts as written (minor units)."""
        if index >= len(record.fields) or not record.fields[index]:
            return
        value = record.fields[index]
        if not _AMOUNT_RE.fullmatch(value):
            raise self.error(record, f"{record.code} record: {name} {shown(value)} is not a number")
        if Decimal(value) != total:
            raise self.error(
                record,
                f"{record.code} record: {name} is {value} but the records above add up to "
                f"{total} (difference {Decimal(value) - total})",
            )

    def count(self, record: _Record, index: int, actual: int, name: str) -> None:
        if index >= len(record.fields) or not record.fields[index]:
            return
        value = record.fields[index]
        if not value.isdigit() or int(value) != actual:
            raise self.error(
                record, f"{record.code} record: {name} is {value} but there are {actual}"
            )

    def group(self, position: int, file_id: str) -> tuple[int, Decimal, int]:
        header = self.records[position]
        as_of = self.date(header, 3, "as-of date")
        currency = _DEFAULT_CURRENCY
        if len(header.fields) > 5 and header.fields[5]:
            currency = check_currency(
                header.fields[5], self.filename, header.where(), "02 record: currency"
            )
        originator = header.fields[1] if len(header.fields) > 1 else ""
        total = Decimal("0")
        accounts = 0
        records = header.lines
        position += 1
        while position < len(self.records):
            record = self.records[position]
            if record.code == "03":
                position, account_total, count = self.account(
                    position, currency, as_of, originator, file_id
                )
                total += account_total
                records += count
                accounts += 1
            elif record.code == "98":
                records += record.lines
                self.check(record, 0, total, "group control total")
                self.count(record, 1, accounts, "number of accounts")
                self.count(record, 2, records, "number of records")
                return position + 1, total, records
            else:
                raise self.error(record, f"{record.code} record where a 03 or 98 was expected")
        raise self.cut_short("the group ends without a 98 (group trailer)")

    def account(
        self, position: int, group_currency: str, as_of: dt.date, originator: str, file_id: str
    ) -> tuple[int, Decimal, int]:
        record = self.records[position]
        number = self.field(record, 0, "account number")
        currency = group_currency
        if len(record.fields) > 1 and record.fields[1]:
            currency = check_currency(
                record.fields[1], self.filename, record.where(), "03 record: currency"
            )
        state = _Account(record, currency, records=record.lines)
        self.summaries(state, as_of)
        position += 1
        while position < len(self.records):
            item = self.records[position]
            if item.code == "16":
                state.records += item.lines
                state.entries.append(self.detail(item, state, as_of))
            elif item.code == "49":
                state.records += item.lines
                self.check(item, 0, state.total, "account control total")
                self.count(item, 1, state.records, "number of records")
                self.statements.append(self.statement(state, as_of, number, originator, file_id))
                return position + 1, state.total, state.records
            else:
                raise self.error(item, f"{item.code} record where a 16 or 49 was expected")
            position += 1
        raise self.cut_short("the account ends without a 49 (account trailer)")

    def summaries(self, state: _Account, as_of: dt.date) -> None:
        record = state.record
        fields = record.fields[2:]
        found: dict[str, Decimal] = {}
        index = 0
        while index < len(fields):
            code = fields[index]
            if not code:
                index += 1
                continue
            amount_text = fields[index + 1] if index + 1 < len(fields) else ""
            if not re.fullmatch(r"[0-9]{3}", code):
                raise self.error(record, f"03 record: type code {shown(code)} is not 3 digits")
            amount = self.amount(record, amount_text, state.currency, f"amount for {code}")
            state.total += Decimal(amount_text) if amount_text else Decimal("0")
            funds = fields[index + 3].upper() if index + 3 < len(fields) else ""
            index += 4 + _funds_extra(funds, fields, index + 4)
            if amount_text:
                found.setdefault(code, amount)
        for codes, attribute in ((_OPENING_CODES, "opening"), (_CLOSING_CODES, "closing")):
            for code in codes:
                if code in found:
                    setattr(state, attribute, Balance(found[code], state.currency, as_of))
                    break

    def detail(self, record: _Record, state: _Account, as_of: dt.date) -> Entry:
        code = self.field(record, 0, "type code")
        if not re.fullmatch(r"[0-9]{3}", code):
            raise self.error(record, f"16 record: type code {shown(code)} is not 3 digits")
        amount_text = record.fields[1] if len(record.fields) > 1 else ""
        amount = self.amount(record, amount_text, state.currency, "amount")
        state.total += Decimal(amount_text) if amount_text.strip() else Decimal("0")
        funds = record.fields[2].upper() if len(record.fields) > 2 else ""
        value_date = None
        if funds == "V" and len(record.fields) > 3 and record.fields[3]:
            value_date = self.date(record, 3, "value date")
        references = record.fields[3 + _funds_extra(funds, record.fields, 3) :]
        bank_reference = references[0] if references else ""
        customer_reference = references[1] if len(references) > 1 else ""
        return Entry(
            position=len(state.entries) + 1,
            booking_date=as_of,
            amount=amount if int(code) < 400 else -amount,
            currency=state.currency,
            value_date=value_date,
            bank_reference=bank_reference,
            remittance=record.text,
            transaction_code=code,
            source=record.where(),
            customer_reference=customer_reference,
        )

    def statement(
        self, state: _Account, as_of: dt.date, number: str, originator: str, file_id: str
    ) -> Statement:
        statement_id = "/".join(
            part for part in (file_id, originator, as_of.strftime("%Y%m%d"), number) if part
        )
        return Statement(
            format="bai2",
            statement_id=statement_id,
            account=number,
            currency=state.currency,
            opening=state.opening,
            closing=state.closing,
            date_from=as_of,
            date_to=as_of,
            entries=tuple(state.entries),
            source=state.record.where(),
        )


def _funds_extra(funds: str, fields: list[str], start: int) -> int:
    """How many fields follow a funds type: V has a date and time, S three amounts, D a list."""
    if funds == "V":
        return 2
    if funds == "S":
        return 3
    if funds == "D" and start < len(fields) and fields[start].isdigit():
        return 1 + 2 * int(fields[start])
    return 0
