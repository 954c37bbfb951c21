"""Safe XML loading and typed reads shared by the UBL and CII parsers.

E-invoices come from outside, so the parser never resolves entities, never
touches the network and refuses any document that carries a DTD: no UBL or
CII document needs one, and refusing it closes XXE and entity-expansion
("billion laughs") attacks before they start.

`Node` pairs an element with the XPath that reaches it (written with the
prefixes the standards use), so every error can point at the exact element
a sender has to fix, e.g. ``/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Literal, overload

from lxml import etree

from .common import FormatError

# UNTDID 1001 codes that EN 16931 treats as credit notes (Peppol BIS 3 list).
CREDIT_NOTE_TYPE_CODES = frozenset(
    {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
)

DTD_REFUSED = "DTDs and entity declarations are not accepted"

# ASCII digits only: Decimal() would happily read Arabic-Indic digits, "1e5" or "NaN".
_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_ISO_DATE_RE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?")
_DATE_102_RE = re.compile(r"[0-9]{8}")
_CURRENCY_RE = re.compile(r"[A-Za-z]{3}")
# The first element start tag ends the prolog; a DOCTYPE can only come before it.
_FIRST_ELEMENT_RE = re.compile(r"<[A-Za-z_:]")


def shown(value: str, limit: int = 60) -> str:
    """A value quoted for an error message, cut short so a huge text stays readable."""
    if len(value) > limit:
        value = value[:limit] + "…"
    return repr(value)


def load(data: bytes, source: str) -> etree._Element:
    """Parse `data` safely and return the root element, or raise FormatError."""
    prolog = _prolog(data)
    # Checked before parsing so that a bomb is refused with a clear reason rather
    # than libxml2's amplification error; the docinfo check below is the backstop.
    for marker in ("<!DOCTYPE", "<!ENTITY"):
        at = prolog.find(marker)
        if at >= 0:
            line = prolog.count("\n", 0, at) + 1
            raise FormatError(DTD_REFUSED, f"line {line}", source)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise FormatError(f"not well-formed XML: {exc.msg}", f"line {line}", source) from None
    except (etree.LxmlError, ValueError) as exc:
        raise FormatError(f"cannot read the XML: {exc}", "", source) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise FormatError(DTD_REFUSED, "line 1", source)
    return root


def _prolog(data: bytes) -> str:
    """The text before the root element, where a DOCTYPE would have to be."""
    if data.startswith((b"\xff\xfe", b"<\x00")):
        text = data.decode("utf-16-le", "replace")
    elif data.startswith((b"\xfe\xff", b"\x00<")):
        text = data.decode("utf-16-be", "replace")
    else:
        # Every other encoding an invoice may declare is ASCII-compatible in its
        # markup, and latin-1 maps bytes one to one, so offsets and lines hold.
        text = data.decode("latin-1")
    first = _FIRST_ELEMENT_RE.search(text)
    return text[: first.start()] if first else text


def local_name(element: etree._Element) -> tuple[str, str]:
    """The (namespace, local name) of an element; namespace is "" when there is none."""
    qname = etree.QName(element)
    return qname.namespace or "", qname.localname


class Node:
    """An element plus the prefixed XPath that names it in error messages."""

    __slots__ = ("element", "path", "namespaces", "source")

    def __init__(
        self, element: etree._Element, path: str, namespaces: dict[str, str], source: str
    ) -> None:
        self.element = element
        self.path = path
        self.namespaces = namespaces
        self.source = source

    def error(self, reason: str, relative: str = "") -> FormatError:
        path = f"{self.path}/{relative}" if relative else self.path
        return FormatError(reason, path, self.source)

    def find(self, relative: str) -> Node | None:
        found = self.element.find(relative, self.namespaces)
        if found is None:
            return None
        return Node(found, f"{self.path}/{relative}", self.namespaces, self.source)

    def require(self, relative: str) -> Node:
        node = self.find(relative)
        if node is None:
            raise self.error("required element is missing", relative)
        return node

    def find_all(self, relative: str) -> list[Node]:
        """Every match; `relative` should be one step so the [n] index is exact."""
        return [
            Node(element, f"{self.path}/{relative}[{index}]", self.namespaces, self.source)
            for index, element in enumerate(self.element.findall(relative, self.namespaces), 1)
        ]

    def own_text(self) -> str:
        element = self.element
        # string() skips comments that some senders put inside an element.
        raw = element.text if len(element) == 0 else element.xpath("string()")
        return (raw or "").strip()

    def text(self, relative: str, *, required: bool = False) -> str:
        node = self.require(relative) if required else self.find(relative)
        if node is None:
            return ""
        value = node.own_text()
        if required and not value:
            raise node.error("required element is empty")
        return value

    def first_text(self, *relatives: str) -> str:
        """The first non-empty text among several alternative paths."""
        for relative in relatives:
            value = self.text(relative)
            if value:
                return value
        return ""

    def attribute(self, name: str) -> str:
        return (self.element.get(name) or "").strip()

    def own_decimal(self) -> Decimal:
        value = self.own_text()
        if not value:
            raise self.error("required amount is empty")
        if not _DECIMAL_RE.fullmatch(value):
            raise self.error(
                f"{shown(value)} is not a decimal number (digits with a point), "
                f"line {self.element.sourceline}"
            )
        return Decimal(value)

    @overload
    def decimal(self, relative: str, *, required: Literal[True]) -> Decimal: ...
    @overload
    def decimal(self, relative: str, *, required: bool = False) -> Decimal | None: ...
    def decimal(self, relative: str, *, required: bool = False) -> Decimal | None:
        node = self.require(relative) if required else self.find(relative)
        if node is None:
            return None
        if not required and not node.own_text():
            return None
        return node.own_decimal()

    @overload
    def iso_date(self, relative: str, *, required: Literal[True]) -> date: ...
    @overload
    def iso_date(self, relative: str, *, required: bool = False) -> date | None: ...
    def iso_date(self, relative: str, *, required: bool = False) -> date | None:
        """An xs:date (YYYY-MM-DD, optionally with a zone, which is dropped)."""
        node = self.require(relative) if required else self.find(relative)
        if node is None:
            return None
        value = node.own_text()
        if not value and not required:
            return None
        match = _ISO_DATE_RE.fullmatch(value)
        try:
            if match:
                return date.fromisoformat(match.group(1))
        except ValueError:
            pass
        raise node.error(
            f"{shown(value)} is not a date (YYYY-MM-DD), line {node.element.sourceline}"
        )

    @overload
    def date_102(self, relative: str, *, required: Literal[True]) -> date: ...
    @overload
    def date_102(self, relative: str, *, required: bool = False) -> date | None: ...
    def date_102(self, relative: str, *, required: bool = False) -> date | None:
        """A CII DateTimeString, which EN 16931 allows only in format 102 (YYYYMMDD)."""
        node = self.require(relative) if required else self.find(relative)
        if node is None:
            return None
        value = node.own_text()
        if not value and not required:
            return None
        line = node.element.sourceline
        date_format = node.attribute("format")
        if date_format and date_format != "102":
            raise node.error(
                f"date format {shown(date_format)} is not supported (only 102, YYYYMMDD), "
                f"line {line}"
            )
        if _DATE_102_RE.fullmatch(value):
            try:
                return date(int(value[:4]), int(value[4:6]), int(value[6:]))
            except ValueError:
                pass
        raise node.error(f"{shown(value)} is not a date (YYYYMMDD), line {line}")


def currency_code(node: Node, relative: str) -> str:
    value = node.text(relative, required=True)
    if not _CURRENCY_RE.fullmatch(value):
        raise node.error(f"{shown(value)} is not a currency code (ISO 4217, 3 letters)", relative)
    return value.upper()


def tax_in_currency(
    amounts: list[Node], currency: str, tax_currency: str, extra: dict
) -> tuple[Decimal | None, list[str]]:
    """The tax total stated in the invoice currency, from one or two tax amounts.

    With a separate tax currency (BT-6) a document states the tax twice, told
    apart only by currencyID; the one in the tax currency goes to `extra`.
    Returns the amount (None when no amount is in the invoice currency) and
    the currencies seen, for the caller's error message.
    """
    tax_amount: Decimal | None = None
    seen: list[str] = []
    for amount in amounts:
        stated = amount.attribute("currencyID").upper()
        seen.append(stated or "no currencyID")
        if stated == currency or (not stated and len(amounts) == 1):
            if tax_amount is None:
                tax_amount = amount.own_decimal()
        elif stated and stated == tax_currency:
            extra["tax_amount_in_tax_currency"] = amount.own_decimal()
    return tax_amount, seen
