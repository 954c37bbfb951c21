"""Pure parsers for the invoice files LedgerDesk imports: our ERP's CSV, UBL and CII.

`parse_file` and `parse_bytes` pick the parser from the file itself:

- a ``.csv`` name, or text that is not XML: the ERP CSV (`formats.csv`);
- XML rooted in a UBL 2.1 ``Invoice`` or ``CreditNote``: `formats.ubl`;
- XML rooted in a UN/CEFACT ``CrossIndustryInvoice``: `formats.cii`;
- any other XML is refused with a FormatError that names its root element.

Every problem with the content is a `FormatError`; nothing here imports Django.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from . import cii, ubl
from . import csv as erp_csv
from .common import (
    KIND_CREDIT_NOTE,
    KIND_INVOICE,
    FormatError,
    ParsedInvoice,
    ParsedLine,
    ParsedParty,
)
from .xml import load, local_name

__all__ = [
    "KIND_CREDIT_NOTE",
    "KIND_INVOICE",
    "FormatError",
    "ParsedInvoice",
    "ParsedLine",
    "ParsedParty",
    "parse_bytes",
    "parse_file",
    "parse_xml",
]

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_XML_START_RE = re.compile(rb"\s*<")


def parse_file(path: str | os.PathLike[str]) -> list[ParsedInvoice]:
    """Parse the invoices in a file; messages name the file by its base name.

    An unreadable file raises OSError as usual: that is a problem with the
    path, not with the content.
    """
    file_path = Path(path)
    return parse_bytes(file_path.read_bytes(), file_path.name)


def parse_bytes(data: bytes, source: str = "") -> list[ParsedInvoice]:
    """Parse the invoices in `data`; `source` (a file name) only labels messages."""
    if _is_blank(data):
        raise FormatError("the file is empty", "line 1", source)
    if source.lower().endswith(".csv") or not _looks_like_xml(data):
        return erp_csv.parse(data, source)
    return [parse_xml(data, source)]


def parse_xml(data: bytes, source: str = "") -> ParsedInvoice:
    """Parse one UBL or CII document, whichever its root element says it is."""
    root = load(data, source)
    namespace, name = local_name(root)
    if ubl.is_ubl(namespace, name):
        return ubl.parse_root(root, source)
    if cii.is_cii(namespace, name):
        return cii.parse_root(root, source)
    raise FormatError(
        f"not an invoice: the root element is {name} ({namespace or 'no namespace'}); "
        "expected a UBL Invoice or CreditNote or a CII CrossIndustryInvoice",
        f"line {root.sourceline}",
        source,
    )


def _is_blank(data: bytes) -> bool:
    head = data.removeprefix(b"\xef\xbb\xbf")
    return not head or head.isspace()


def _looks_like_xml(data: bytes) -> bool:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            head = data[len(bom) : len(bom) + 400].decode(encoding, errors="ignore")
            return head.lstrip().startswith("<")
    return _XML_START_RE.match(data) is not None
