"""ISO 20022 camt.053 (statement) and camt.054 (debit/credit notification), any version.

The document namespace ``urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN`` (or ``camt.054``)
may carry any version; the elements read here have the same names from 001.02 to 001.08 and
later (where a later version moved a name one level down, e.g. ``Dbtr/Pty/Nm``, both are read).

- One `Statement` per ``BkToCstmrStmt/Stmt`` or ``BkToCstmrDbtCdtNtfctn/Ntfctn``.
- Balances: ``OPBD`` (else ``PRCD``) is the opening, ``CLBD`` the closing balance, signed by
  ``CdtDbtInd`` (``DBIT`` is negative).
- Entries (``Ntry``): ``Amt``/``@Ccy``, ``CdtDbtInd`` gives the sign, ``BookgDt``/``ValDt``
  (``Dt`` or ``DtTm``), ``AcctSvcrRef``, ``BkTxCd`` and, from ``NtryDtls/TxDtls``:
  ``Refs/EndToEndId``, ``RmtInf/Ustrd`` (joined), ``RmtInf/Strd/CdtrRefInf/Ref``, and the
  counterparty from ``RltdPties`` (the debtor of a credit, the creditor of a debit).
- An entry with several ``TxDtls`` (a batch) becomes one `Entry` per ``TxDtls`` with its own
  amount when every ``TxDtls`` states one in the entry's currency and they add up to the
  entry; otherwise it stays one `Entry` carrying every transaction's remittance text.
- An entry whose ``Sts`` is ``PDNG`` or ``INFO`` is returned with ``booked=False``.

The XML is read with the hardened loader the invoice parsers use (no DTD, no entities, no
network). Errors name an XPath such as ``/Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from lxml import etree

from ledgerdesk.ledger.formats.common import FormatError
from ledgerdesk.ledger.formats.xml import load

from ..statement import Balance, Entry, Statement, StatementError
from ._common import check_currency, collapse, fail, shown

_NAMESPACE_RE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.05([34])\.001\.[0-9]{2}")
_AMOUNT_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DATE_RE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:T.*|Z|[+-][0-9]{2}:[0-9]{2})?")
_ROOTS = {"BkToCstmrStmt": ("camt053", "Stmt"), "BkToCstmrDbtCdtNtfctn": ("camt054", "Ntfctn")}
_NOT_BOOKED = {"PDNG", "INFO", "FUTR"}
_QUALIFIED: dict[tuple[str, str], str] = {}


class _Node:
    """An element and the XPath (without prefixes) that reaches it, for messages.

    The path is kept as (parent node, step) and only spelled out for a message.
    """

    __slots__ = ("element", "parent", "step", "ns", "filename")

    def __init__(
        self,
        element: etree._Element,
        parent: _Node | None,
        step: str,
        ns: str,
        filename: str,
    ) -> None:
        self.element = element
        self.parent = parent
        self.step = step
        self.ns = ns
        self.filename = filename

    @property
    def path(self) -> str:
        steps = []
        node: _Node | None = self
        while node is not None:
            steps.append(node.step)
            node = node.parent
        return "/" + "/".join(reversed(steps))

    def error(self, reason: str, relative: str = "") -> StatementError:
        path = f"{self.path}/{relative}" if relative else self.path
        return fail(self.filename, path, reason)

    def _qualified(self, relative: str) -> str:
        key = (self.ns, relative)
        qualified = _QUALIFIED.get(key)
        if qualified is None:
            steps = relative.split("/")
            qualified = "/".join(f"{{{self.ns}}}{step}" if self.ns else step for step in steps)
            _QUALIFIED[key] = qualified
        return qualified

    def find(self, relative: str) -> _Node | None:
        found = self.element.find(self._qualified(relative))
        if found is None:
            return None
        return _Node(found, self, relative, self.ns, self.filename)

    def require(self, relative: str) -> _Node:
        node = self.find(relative)
        if node is None:
            raise self.error("required element is missing", relative)
        return node

    def find_all(self, name: str) -> list[_Node]:
        """Children called `name` (one step), each with its [n] index in the path."""
        return [
            _Node(element, self, f"{name}[{index}]", self.ns, self.filename)
            for index, element in enumerate(self.element.iterchildren(self._qualified(name)), 1)
        ]

    def own_text(self) -> str:
        element = self.element
        if len(element) == 0:
            return collapse(element.text or "")
        # Mixed content (or a comment inside): the text of the element and its descendants.
        return collapse("".join(element.itertext()))  # itertext skips comments

    def text(self, *relatives: str) -> str:
        """The first non-empty text among alternative paths ("" when none)."""
        for relative in relatives:
            node = self.find(relative)
            if node is not None:
                value = node.own_text()
                if value:
                    return value
        return ""

    def date(self, relative: str) -> dt.date | None:
        """A date from ``relative/Dt`` or ``relative/DtTm`` (the zone of a DtTm is ignored)."""
        holder = self.find(relative)
        if holder is None:
            return None
        for child in ("Dt", "DtTm"):
            node = holder.find(child)
            if node is None:
                continue
            value = node.own_text()
            match = _DATE_RE.fullmatch(value)
            try:
                if match:
                    return dt.date.fromisoformat(match.group(1))
            except ValueError:
                pass
            raise node.error(f"{shown(value)} is not a date (YYYY-MM-DD)")
        raise holder.error("neither Dt nor DtTm is given")

    def amount(self) -> tuple[Decimal, str]:
        """The unsigned amount and the currency of an ``Amt Ccy="…"`` element."""
        value = self.own_text()
        if not _AMOUNT_RE.fullmatch(value):
            raise self.error(f"{shown(value)} is not an amount (digits with a '.' decimal)")
        currency = self.element.get("Ccy")
        if not currency:
            raise self.error("the Ccy attribute (currency) is missing")
        return Decimal(value), check_currency(currency, self.filename, self.path + "/@Ccy")

    def sign(self, relative: str = "CdtDbtInd") -> int:
        node = self.require(relative)
        value = node.own_text()
        if value == "CRDT":
            return 1
        if value == "DBIT":
            return -1
        raise node.error(f"{shown(value)} is neither CRDT nor DBIT")


def parse(data: bytes, filename: str = "") -> list[Statement]:
    try:
        root = load(data, filename)
    except FormatError as exc:
        raise fail(filename, exc.location, exc.reason) from None
    qname = etree.QName(root)
    namespace = qname.namespace or ""
    top = f"/{qname.localname}"
    if qname.localname != "Document":
        raise fail(filename, top, "the root element must be Document (an ISO 20022 message)")
    if namespace and not _NAMESPACE_RE.fullmatch(namespace):
        raise fail(
            filename,
            top,
            f"namespace {shown(namespace, 80)} is not camt.053 or camt.054 "
            "(urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN)",
        )
    document = _Node(root, None, top.lstrip("/"), namespace, filename)
    for message_name, (fmt, item_name) in _ROOTS.items():
        message = document.find(message_name)
        if message is not None:
            items = message.find_all(item_name)
            if not items:
                raise message.error(f"no {item_name} in the message")
            return [_statement(item, fmt) for item in items]
    raise document.error("neither BkToCstmrStmt (camt.053) nor BkToCstmrDbtCdtNtfctn (camt.054)")


def _statement(node: _Node, fmt: str) -> Statement:
    statement_id = node.text("Id")
    if not statement_id:
        raise node.error("required element is missing or empty", "Id")
    acct = node.require("Acct")
    account = acct.text("Id/IBAN", "Id/Othr/Id")
    if not account:
        raise acct.error("the account has neither Id/IBAN nor Id/Othr/Id")
    opening, closing = _balances(node)
    currency_node = acct.find("Ccy")
    currency = ""
    if currency_node is not None and currency_node.own_text():
        currency = check_currency(currency_node.own_text(), node.filename, currency_node.path)
    entries: list[Entry] = []
    for ntry in node.find_all("Ntry"):
        entries.extend(_entries(ntry, len(entries)))
    if not currency:
        if opening is not None:
            currency = opening.currency
        elif closing is not None:
            currency = closing.currency
        elif entries:
            currency = entries[0].currency
        else:
            raise acct.error("no currency: give Acct/Ccy, a balance or an entry")
    for entry in entries:
        if entry.currency != currency:
            raise fail(
                node.filename,
                entry.source + "/Amt",
                f"the entry is in {entry.currency}, the account in {currency}",
            )
    date_from, date_to = _period(node)
    if date_from is None:
        dates = [e.booking_date for e in entries]
        if opening is not None and opening.date is not None:
            date_from = opening.date
        elif dates:
            date_from = min(dates)
        if closing is not None and closing.date is not None:
            date_to = closing.date
        elif dates:
            date_to = max(dates)
    return Statement(
        format=fmt,
        statement_id=statement_id,
        account=account,
        currency=currency,
        opening=opening,
        closing=closing,
        date_from=date_from,
        date_to=date_to,
        entries=tuple(entries),
        source=node.path,
    )


def _period(node: _Node) -> tuple[dt.date | None, dt.date | None]:
    period = node.find("FrToDt")
    if period is None:
        return None, None
    found: list[dt.date | None] = []
    for name in ("FrDtTm", "ToDtTm"):
        child = period.find(name)
        value = child.own_text() if child is not None else ""
        match = _DATE_RE.fullmatch(value)
        try:
            found.append(dt.date.fromisoformat(match.group(1)) if match else None)
        except ValueError:
            raise period.error(f"{shown(value)} is not a date-time", name) from None
    return found[0], found[1]


def _balances(node: _Node) -> tuple[Balance | None, Balance | None]:
    by_code: dict[str, Balance] = {}
    for bal in node.find_all("Bal"):
        code = bal.text("Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry")
        if code not in ("OPBD", "PRCD", "CLBD") or code in by_code:
            continue
        amount, currency = bal.require("Amt").amount()
        by_code[code] = Balance(amount * bal.sign(), currency, bal.date("Dt"))
    return by_code.get("OPBD") or by_code.get("PRCD"), by_code.get("CLBD")


def _entries(ntry: _Node, before: int) -> list[Entry]:
    amount, currency = ntry.require("Amt").amount()
    sign = ntry.sign()
    status = ntry.text("Sts/Cd", "Sts")
    booking_date = ntry.date("BookgDt")
    value_date = ntry.date("ValDt")
    if booking_date is None:
        booking_date = value_date
    if booking_date is None:
        raise ntry.error("the entry has neither BookgDt nor ValDt")
    common = {
        "booking_date": booking_date,
        "currency": currency,
        "value_date": value_date,
        "transaction_code": _transaction_code(ntry),
        "booked": status not in _NOT_BOOKED,
    }
    entry_ref = ntry.text("AcctSvcrRef")
    entry_info = ntry.text("AddtlNtryInf")
    transactions = [
        tx for details in ntry.find_all("NtryDtls") for tx in details.find_all("TxDtls")
    ]
    split = _split_amounts(transactions, amount * sign, currency, sign)
    if split is not None:
        return [
            Entry(
                position=before + index,
                amount=tx_amount,
                source=tx.path,
                **common,
                **_details(tx, tx_amount, entry_ref, entry_info),
            )
            for index, (tx, tx_amount) in enumerate(zip(transactions, split, strict=True), 1)
        ]
    details = _details(transactions[0], sign, entry_ref, entry_info) if transactions else {}
    if len(transactions) > 1:
        # A batch without usable amounts per transaction: one entry that keeps every
        # transaction's text so nothing the bank sent is lost.
        parts = [_details(tx, sign, entry_ref, entry_info) for tx in transactions]
        details["remittance"] = " | ".join(p["remittance"] for p in parts if p["remittance"])
        for key in ("counterparty_name", "counterparty_account", "end_to_end_id"):
            values = {p[key] for p in parts}
            details[key] = values.pop() if len(values) == 1 else ""
    if not details:
        details = {"bank_reference": entry_ref, "additional_info": entry_info}
    return [Entry(position=before + 1, amount=amount * sign, source=ntry.path, **common, **details)]


def _split_amounts(
    transactions: list[_Node], total: Decimal, currency: str, sign: int
) -> list[Decimal] | None:
    """Signed amounts per TxDtls when they can stand for the entry, else None."""
    if len(transactions) < 2:
        return None
    amounts: list[Decimal] = []
    for tx in transactions:
        amt = tx.find("AmtDtls/TxAmt/Amt")
        if amt is None:
            amt = tx.find("Amt")
        if amt is None:
            return None
        value, tx_currency = amt.amount()
        if tx_currency != currency:
            return None
        tx_sign = tx.sign() if tx.find("CdtDbtInd") is not None else sign
        amounts.append(value * tx_sign)
    return amounts if sum(amounts, Decimal("0")) == total else None


def _details(tx: _Node, amount: Decimal | int, entry_ref: str, entry_info: str) -> dict[str, str]:
    # The counterparty is who paid us for a credit, who we paid for a debit.
    party, account = ("Dbtr", "DbtrAcct") if amount >= 0 else ("Cdtr", "CdtrAcct")
    end_to_end = tx.text("Refs/EndToEndId")
    if end_to_end.upper() == "NOTPROVIDED":
        end_to_end = ""
    remittance = " ".join(
        node.own_text() for info in tx.find_all("RmtInf") for node in info.find_all("Ustrd")
    )
    creditor_reference = ""
    for info in tx.find_all("RmtInf"):
        for strd in info.find_all("Strd"):
            creditor_reference = strd.text("CdtrRefInf/Ref")
            if creditor_reference:
                break
        if creditor_reference:
            break
    info_parts = [part for part in (tx.text("AddtlTxInf"), entry_info) if part]
    return {
        "bank_reference": tx.text("Refs/AcctSvcrRef") or entry_ref,
        "end_to_end_id": end_to_end,
        "creditor_reference": creditor_reference,
        "remittance": collapse(remittance),
        "counterparty_name": tx.text(
            f"RltdPties/{party}/Nm", f"RltdPties/{party}/Pty/Nm", f"RltdPties/Ultmt{party}/Nm"
        ),
        "counterparty_account": tx.text(
            f"RltdPties/{account}/Id/IBAN", f"RltdPties/{account}/Id/Othr/Id"
        ),
        "additional_info": " | ".join(info_parts),
    }


def _transaction_code(ntry: _Node) -> str:
    domain = ntry.find("BkTxCd/Domn")
    if domain is not None:
        parts = [domain.text("Cd"), domain.text("Fmly/Cd"), domain.text("Fmly/SubFmlyCd")]
        return "-".join(part for part in parts if part)
    return ntry.text("BkTxCd/Prtry/Cd")
