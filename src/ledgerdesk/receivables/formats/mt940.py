"""SWIFT MT940 customer statements (and MT942 interim reports).

A file holds one or more statements, each starting at ``:20:``; they may be bare or wrapped in
the SWIFT envelope ``{1:…}{2:…}{4:`` … ``-}``, with bank header lines (``ABNANL2A``, ``940``,
``:940:``) before them and CRLF or LF line ends. A field runs until the next ``:NN[A]:`` tag;
its further lines are continuation lines.

Fields read:

- ``:20:`` reference, ``:28:``/``:28C:`` statement number (the statement id is ``20/28C``);
- ``:25:`` our account (required);
- ``:60F:``/``:60M:`` opening and ``:62F:``/``:62M:`` closing balance (C/D mark, YYMMDD date,
  currency, amount with a decimal comma); each statement (and each ``M`` page) must reconcile;
- ``:61:`` entries: value date YYMMDD, optional entry date MMDD (the year rolls over at the
  turn of the year), mark ``C``/``D``/``RC``/``RD`` (a reversal of a debit is money in), an
  optional funds code letter, the amount, the transaction type (``N``/``F``/``S`` and a code),
  the customer reference, ``//`` the bank reference, and supplementary details on the next line;
- ``:86:`` information to the account owner for the entry before it. Structured variants are
  split: German/Polish/Dutch sub-fields ``?20``–``?29``/``?60``–``?63`` (remittance), ``?31``/
  ``?38`` (account), ``?32``/``?33`` (name), also with ``>`` as separator (Triodos); the Dutch
  SEPA tags ``/EREF/ /REMI/ /NAME/ /IBAN/ /CNTP/ /BENM/ /ORDP/``; ``EREF+``/``SVWZ+`` SEPA
  keywords; mBank's ``Z RACH.: … OD: … TYT.: …``; Knab's ``REK: …/NAAM: …``. Otherwise the
  whole text is the remittance;
- MT942: ``:34F:`` (currency), ``:13D:`` (date and time), ``:90D:``/``:90C:``; it has no
  balances, so ``opening`` and ``closing`` stay None and the statement's format is ``mt942``
  (`detect` names the whole family ``mt940``).

Other tags (``:64:``, ``:65:``, ``:NS:`` …) are accepted and not used. Errors read
"line 14: :61: …".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..statement import Balance, Entry, Statement, StatementError
from ._common import IBAN_RE, check_currency, collapse, decode_text, fail, shown, split_lines

_TAG_RE = re.compile(r":([0-9]{2}[A-Z]?|NS):(.*)")
_BLOCK_RE = re.compile(r"\s*\{[1-5]:")  # SWIFT envelope blocks {1:…}{2:…}{3:…}{4:
_END_RE = re.compile(r"\s*-(?:\}.*|[A-Z]{0,3})\s*")
_BALANCE_RE = re.compile(r"([CD])([0-9]{6})([A-Z]{3})([0-9][0-9,.]*)")
_AMOUNT_RE = re.compile(r"[0-9]+(?:,[0-9]*)?")
_MARK_RE = re.compile(r"RC|RD|EC|ED|C|D")
_TYPE_RE = re.compile(r"[NFS][A-Z0-9 ]{3}")
_SUBFIELD_START_RE = re.compile(r"\s*(?:[0-9]{3})?([?>])[0-9]{2}")
_SLASH_TAGS = (
    "EREF|MARF|REMI|NAME|IBAN|BIC|BENM|ORDP|CSID|ISDT|RTRN|TRCD|ADDR|CNTP|PREF|SVCL|"
    "ULTC|ULTD|ULTB|PURP|TRTP|CDTRREFTP|CDTRREF|ISSR|CHGS|EXCH|OCMT|RTYP|ID"
)
_SLASH_TAG_RE = re.compile(rf"/({_SLASH_TAGS})/")
_SEPA_KEY_RE = re.compile(r"(?<![A-Za-z])(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC)\+")
_KNAB_RE = re.compile(r"REK: ([A-Z0-9]+)/NAAM: (.+)$")
# A field line is at most 65 characters; a full line continues without a space.
_LINE_WIDTH = 65
_MONEY_IN = {"C", "RD", "EC"}


@dataclass
class _Field:
    tag: str
    line: int
    lines: list[str] = field(default_factory=list)

    @property
    def first(self) -> str:
        return self.lines[0].strip()

    def where(self) -> str:
        return f"line {self.line}"


def parse(data: bytes, filename: str = "") -> list[Statement]:
    text = decode_text(data, filename)
    messages: list[list[_Field]] = []
    current: list[_Field] | None = None
    last: _Field | None = None
    for number, raw in enumerate(split_lines(text), 1):
        line = raw.replace("\x01", "").replace("\x03", "").replace("\x00", "")
        if _BLOCK_RE.match(line):
            envelope = line.find("{4:")
            if envelope < 0:
                last = None  # {5:…} trailer or a header block on its own line
                continue
            line = line[envelope + 3 :]
            if not line.strip():
                continue
        if _END_RE.fullmatch(line):
            current, last = None, None
            continue
        tag = _TAG_RE.fullmatch(line)
        if tag:
            name = tag.group(1)
            if name == "20":
                current = []
                messages.append(current)
            elif current is None:
                raise fail(filename, f"line {number}", f":{name}: comes before any :20: field")
            last = _Field(name, number, [tag.group(2)])
            current.append(last)
        elif last is not None:
            last.lines.append(line)
        # Anything else outside a statement is a bank header line ("ABNANL2A", "940").
    if not messages:
        raise fail(filename, "line 1", "no MT940 statement (no :20: field) in the file")
    return [_statement(fields, filename) for fields in messages]


def _statement(fields: list[_Field], filename: str) -> Statement:
    head = fields[0]
    reference = head.first
    sequence = ""
    account: str | None = None
    opening: Balance | None = None
    closing: Balance | None = None
    currency = ""
    report_date: dt.date | None = None
    interim = False  # an MT942 (interim transaction report): :34F:/:13D:, no balances
    entries: list[dict] = []
    current: dict | None = None
    for item in fields:
        tag = item.tag
        if tag in ("28", "28C"):
            sequence = item.first
        elif tag == "25":
            account = collapse(" ".join(item.lines))
            if not account:
                raise fail(filename, item.where(), ":25: (account) is empty")
        elif tag in ("60F", "60M"):
            if opening is not None:
                raise fail(filename, item.where(), f":{tag}: a second opening balance")
            opening = _balance(item, filename)
        elif tag in ("62F", "62M"):
            if closing is not None:
                raise fail(filename, item.where(), f":{tag}: a second closing balance")
            closing = _balance(item, filename)
            current = None
        elif tag == "61":
            if closing is not None:
                raise fail(filename, item.where(), ":61: comes after the closing balance")
            current = _line(item, filename)
            entries.append(current)
        elif tag == "86":
            if current is not None:
                current["info"].extend(item.lines)
        elif tag == "34F":
            interim = True
            if not currency:
                currency = check_currency(item.first[:3], filename, item.where(), ":34F: currency")
        elif tag in ("90D", "90C") and not currency:
            match = re.match(r"[0-9]+([A-Z]{3})", item.first)
            if match:
                currency = check_currency(
                    match.group(1), filename, item.where(), f":{tag}: currency"
                )
        elif tag == "13D":
            interim = True
            report_date = _yymmdd(item.first[:6], filename, item, "date")
    where = head.where()
    statement_id = f"{reference}/{sequence}" if sequence else reference
    if account is None:
        raise fail(filename, where, f"statement {statement_id!r} has no :25: (account) field")
    if opening is not None and closing is None:
        raise fail(
            filename,
            fields[-1].where(),
            f"statement {statement_id!r} ends without a closing balance (:62F:); "
            "is the file cut short?",
        )
    if closing is not None and opening is None:
        raise fail(filename, where, f"statement {statement_id!r} has no opening balance (:60F:)")
    if opening is not None and closing is not None:
        if opening.currency != closing.currency:
            raise fail(
                filename,
                where,
                f"statement {statement_id!r}: opening balance in {opening.currency}, "
                f"closing balance in {closing.currency}",
            )
        currency = opening.currency
    if not currency:
        raise fail(filename, where, f"statement {statement_id!r} states no currency")
    built = tuple(_entry(position, values, currency) for position, values in enumerate(entries, 1))
    dates = [entry.booking_date for entry in built]
    date_from = opening.date if opening else (min(dates) if dates else report_date)
    date_to = closing.date if closing else (report_date or (max(dates) if dates else None))
    return Statement(
        format="mt942" if interim and opening is None else "mt940",
        statement_id=statement_id,
        account=account,
        currency=currency,
        opening=opening,
        closing=closing,
        date_from=date_from,
        date_to=date_to,
        entries=built,
        source=where,
    )


def _yymmdd(value: str, filename: str, item: _Field, what: str) -> dt.date:
    if re.fullmatch(r"[0-9]{6}", value):
        year = int(value[:2])
        try:
            return dt.date(year + (1900 if year >= 80 else 2000), int(value[2:4]), int(value[4:]))
        except ValueError:
            pass
    raise fail(filename, item.where(), f":{item.tag}: {what} {shown(value)} is not a date (YYMMDD)")


def _amount(value: str, filename: str, item: _Field) -> Decimal:
    if not _AMOUNT_RE.fullmatch(value):
        raise fail(
            filename,
            item.where(),
            f":{item.tag}: amount {shown(value)} is not a SWIFT amount "
            "(digits with a decimal comma, e.g. 1234,56)",
        )
    return Decimal(value.replace(",", ".").rstrip(".") or "0")


def _balance(item: _Field, filename: str) -> Balance:
    value = item.first
    match = _BALANCE_RE.fullmatch(value)
    if not match:
        raise fail(
            filename,
            item.where(),
            f":{item.tag}: {shown(value)} is not a balance (C/D mark, date YYMMDD, "
            "currency, amount with a decimal comma)",
        )
    mark, date_text, currency, amount_text = match.groups()
    date = _yymmdd(date_text, filename, item, "date")
    amount = _amount(amount_text, filename, item)
    currency = check_currency(currency, filename, item.where(), f":{item.tag}: currency")
    return Balance(amount if mark == "C" else -amount, currency, date)


def _line(item: _Field, filename: str) -> dict:
    """The parts of a :61: statement line, checked one by one for a precise message."""
    text = item.lines[0].rstrip()
    where = item.where()

    def bad(reason: str) -> StatementError:
        return fail(filename, where, f":61: {reason} in {shown(text, 60)}")

    value_date = _yymmdd(text[:6], filename, item, "value date")
    rest = text[6:]
    entry_md = ""
    if re.match(r"[0-9]{4}", rest):
        entry_md, rest = rest[:4], rest[4:]
    mark = _MARK_RE.match(rest)
    if not mark:
        raise bad("no C/D/RC/RD mark after the date")
    rest = rest[mark.end() :]
    if len(rest) > 1 and rest[0].isalpha() and rest[1].isdigit():
        rest = rest[1:]  # funds code (third letter of the currency code)
    amount_match = re.match(r"[0-9][0-9,.]*", rest)
    if not amount_match:
        raise bad("no amount after the C/D mark")
    amount = _amount(amount_match.group(0), filename, item)
    rest = rest[amount_match.end() :]
    kind = _TYPE_RE.match(rest)
    if not kind:
        raise bad("no transaction type (N, F or S and a 3-character code) after the amount")
    rest = rest[kind.end() :]
    if "//" in rest:
        customer, bank = rest.split("//", 1)
        extra = bank[16:]
        bank = bank[:16]
    else:
        customer, bank, extra = rest[:16], "", rest[16:]
    booking_date = value_date
    if entry_md:
        booking_date = _entry_date(value_date, entry_md, filename, item)
    details = [extra.strip()] + [line.strip() for line in item.lines[1:]]
    customer = customer.strip()
    return {
        "booking_date": booking_date,
        "value_date": value_date,
        "amount": amount if mark.group(0) in _MONEY_IN else -amount,
        "transaction_code": kind.group(0).strip(),
        "customer_reference": "" if customer.upper() == "NONREF" else customer,
        "bank_reference": "" if bank.strip().upper() == "NONREF" else bank.strip(),
        "details": collapse(" ".join(d for d in details if d)),
        "info": [],
        "source": where,
    }


def _entry_date(value_date: dt.date, month_day: str, filename: str, item: _Field) -> dt.date:
    """The entry (booking) date MMDD in the year that puts it nearest to the value date."""
    candidates = []
    for year in (value_date.year - 1, value_date.year, value_date.year + 1):
        try:
            candidates.append(dt.date(year, int(month_day[:2]), int(month_day[2:])))
        except ValueError:
            continue
    if not candidates:
        raise fail(filename, item.where(), f":61: entry date {shown(month_day)} is not MMDD")
    return min(candidates, key=lambda day: abs((day - value_date).days))


def _entry(position: int, values: dict, currency: str) -> Entry:
    info = _information(values["info"], values["customer_reference"])
    account = info.get("account", "")
    name = info.get("name", "")
    details = values["details"]
    customer = values["customer_reference"]
    if not account and IBAN_RE.fullmatch(customer):
        account = customer
        if not name and details and not IBAN_RE.fullmatch(details):
            name = details
    if not account and details and IBAN_RE.fullmatch(details.split(" ")[0]):
        account = details.split(" ")[0]
    additional = [details] if details else []
    if info.get("raw"):
        additional.append(info["raw"])
    return Entry(
        position=position,
        booking_date=values["booking_date"],
        amount=values["amount"],
        currency=currency,
        value_date=values["value_date"],
        bank_reference=values["bank_reference"],
        end_to_end_id=info.get("end_to_end_id", ""),
        creditor_reference=info.get("creditor_reference", ""),
        remittance=info.get("remittance", ""),
        counterparty_name=name,
        counterparty_account=account,
        transaction_code=values["transaction_code"],
        source=values["source"],
        customer_reference=customer,
        additional_info=" | ".join(additional),
    )


def _joined(lines: list[str]) -> str:
    """Free text of a multi-line field: a full 65-character line runs on without a space."""
    out = ""
    for line in lines:
        out += line
        if len(line) < _LINE_WIDTH or line.endswith(" "):
            out += " "
    return collapse(out)


def _information(lines: list[str], customer_reference: str) -> dict[str, str]:
    """What the :86: lines of one entry say: remittance, counterparty, references."""
    if not lines or not any(line.strip() for line in lines):
        return {}
    packed = "".join(lines)
    subfields = _SUBFIELD_START_RE.match(packed)
    if subfields:
        return _subfields(packed, subfields.group(1))
    if _SLASH_TAG_RE.match(packed.lstrip()):
        return _slash_tags(packed.strip())
    text = _joined(lines)
    if re.search(r"(?:^|; )TYT\.:", text):
        return _mbank(text)
    knab = _KNAB_RE.search(text)
    if knab:
        return {
            "account": knab.group(1),
            "name": knab.group(2).strip(),
            "remittance": collapse(text[: knab.start()]),
        }
    first = lines[0].strip()
    head, _, rest_of_first = first.partition(" ")
    if head and (IBAN_RE.fullmatch(head) or head == customer_reference):
        # SNS/ASN style: the counterparty's account and name, then the description.
        return {
            "account": head,
            "name": collapse(rest_of_first),
            "remittance": _joined(lines[1:]),
        }
    return _sepa_keywords({"remittance": text})


def _subfields(packed: str, separator: str) -> dict[str, str]:
    parts = re.split(rf"\{separator}([0-9]{{2}})" if separator == "?" else r">([0-9]{2})", packed)
    values: dict[str, list[str]] = {}
    for code, value in zip(parts[1::2], parts[2::2], strict=True):
        values.setdefault(code, []).append(value)

    def take(*codes: str) -> str:
        return "".join("".join(values.get(code, [])) for code in codes)

    remittance = take(*(str(n) for n in range(20, 30)), "60", "61", "62", "63")
    result = {
        "remittance": collapse(remittance),
        "name": collapse(take("32", "33")),
        "account": collapse(take("38") or take("31")),
        "raw": collapse(packed),
    }
    return _sepa_keywords(result)


def _sepa_keywords(result: dict[str, str]) -> dict[str, str]:
    """German SEPA keywords in a remittance text: EREF+ (end-to-end id), SVWZ+ (purpose)."""
    text = result.get("remittance", "")
    marks = list(_SEPA_KEY_RE.finditer(text))
    if not marks:
        return result
    found: dict[str, str] = {}
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        found.setdefault(mark.group(1), collapse(text[mark.end() : end]))
    if "SVWZ" in found:
        result["remittance"] = found["SVWZ"]
    eref = found.get("EREF", "")
    if eref and eref.upper() != "NOTPROVIDED":
        result["end_to_end_id"] = eref
    if found.get("IBAN") and not result.get("account"):
        result["account"] = found["IBAN"]
    return result


def _slash_tags(packed: str) -> dict[str, str]:
    marks = list(_SLASH_TAG_RE.finditer(packed))
    found: dict[str, str] = {}
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(packed)
        found.setdefault(mark.group(1), packed[mark.end() : end].strip())
    remittance = found.get("REMI", "").rstrip("/")
    creditor_reference = ""
    if remittance.startswith("USTD//"):
        remittance = remittance[6:]
    elif remittance.startswith("STRD/"):
        parts = [part for part in remittance.split("/") if part]
        creditor_reference = parts[-1] if len(parts) > 1 else ""
        remittance = ""
    name = found.get("NAME", "").rstrip("/")
    account = found.get("IBAN", "").rstrip("/")
    counterparty = found.get("CNTP", "")
    if counterparty:
        cntp = counterparty.split("/")
        account = account or cntp[0]
        if len(cntp) > 2:
            name = name or cntp[2]
    eref = found.get("EREF", "").rstrip("/")
    return {
        "remittance": collapse(remittance),
        "creditor_reference": creditor_reference,
        "name": collapse(name),
        "account": account.strip(),
        "end_to_end_id": "" if eref.upper() == "NOTPROVIDED" else collapse(eref),
        "raw": collapse(packed),
    }


def _mbank(text: str) -> dict[str, str]:
    result: dict[str, str] = {"raw": text}
    for segment in text.split(";"):
        key, _, value = segment.partition(":")
        key, value = key.strip().upper(), collapse(value)
        if key == "TYT.":
            result["remittance"] = value
        elif key in ("Z RACH.", "NA RACH.", "DO RACH."):
            result["account"] = value.replace(" ", "")
        elif key in ("OD", "DLA", "NADAWCA", "ODBIORCA"):
            result["name"] = value
    result.setdefault("remittance", text)
    return result
