"""PDF documents for the portal: a statement of account and a copy of an invoice (fpdf2).

fpdf2 is pure Python and needs no fonts installed: the PDF's built-in Helvetica is used, in
the Windows-1252 encoding (which has the euro sign). Text outside it (a Polish "ł", Babel's
narrow no-break space in French amounts) is brought into it by `_text`; a name in a script
that has no Latin form loses its letters, which is the price of shipping no font file.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from babel.numbers import format_decimal
from fpdf import FPDF
from fpdf.enums import TableCellFillMode

from ledgerdesk.portal.plainwords import Reader
from ledgerdesk.portal.statement import Statement

_ENCODING = "windows-1252"
_SPACES = {"\u202f": " ", "\u00a0": " ", "\u2009": " ", "\u2011": "-", "\u2212": "-"}


def _text(value) -> str:
    text = "".join(_SPACES.get(ch, ch) for ch in str(value))
    try:
        text.encode(_ENCODING)
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        try:
            ch.encode(_ENCODING)
            out.append(ch)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(plain or "?")
    return "".join(out)


class _Document(FPDF):
    def __init__(self, title: str, subtitle: str):
        super().__init__(format="A4")
        self.core_fonts_encoding = _ENCODING
        self.doc_title, self.doc_subtitle = _text(title), _text(subtitle)
        self.set_title(self.doc_title)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(16, 16, 16)
        self.add_page()

    def header(self):
        self.set_font("Helvetica", "B", 16)
        self.cell(0, 9, self.doc_title, new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 10)
        self.set_text_color(90, 100, 110)
        self.cell(0, 6, self.doc_subtitle, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(4)

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    def heading(self, text: str):
        self.ln(2)
        self.set_font("Helvetica", "B", 12)
        self.cell(0, 7, _text(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 9)

    def paragraph(self, text: str, size: int = 10):
        self.set_font("Helvetica", "", size)
        self.multi_cell(0, 5, _text(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def facts(self, pairs):
        self.set_font("Helvetica", "", 10)
        for label, value in pairs:
            if not value:
                continue
            self.set_text_color(90, 100, 110)
            self.cell(45, 6, _text(label))
            self.set_text_color(0, 0, 0)
            self.cell(0, 6, _text(value), new_x="LMARGIN", new_y="NEXT")

    def grid(self, headings, rows, widths, aligns, bold_rows=()):
        self.set_font("Helvetica", "", 9)
        with self.table(
            col_widths=widths,
            text_align=aligns,
            line_height=5,
            cell_fill_color=(244, 246, 249),
            cell_fill_mode=TableCellFillMode.ROWS,
            borders_layout="HORIZONTAL_LINES",
            first_row_as_headings=True,
        ) as table:
            table.row([_text(h) for h in headings])
            for index, values in enumerate(rows):
                if index in bold_rows:
                    self.set_font("Helvetica", "B", 9)
                table.row([_text(v) for v in values])
                if index in bold_rows:
                    self.set_font("Helvetica", "", 9)

    def bytes(self) -> bytes:
        return bytes(self.output())


def _amount(value: Decimal | None, reader: Reader) -> str:
    if value is None:
        return ""
    return format_decimal(value, format="#,##0.00", locale=reader.locale)


def statement_pdf(statement: Statement, reader: Reader) -> bytes:
    period = f"{reader.date(statement.start)} to {reader.date(statement.end)}"
    doc = _Document("Statement of account", f"{statement.party.name} - {period}")
    today = reader.date(reader.current_day())
    doc.paragraph(
        f"Made on {today}. Amounts you owe us are under Debit; payments and credits under "
        "Credit. A negative balance is in your favour."
    )
    if not statement.sections:
        doc.heading("Nothing to show")
        doc.paragraph("There were no invoices, credit notes or payments in this period.")
    for section in statement.sections:
        doc.heading(f"Amounts in {section.currency}")
        rows = [[reader.date(statement.start, "short"), "Opening balance", "", "", "",
                 _amount(section.opening, reader)]]  # fmt: skip
        for row in section.rows:
            rows.append(
                [
                    reader.date(row.day, "short"),
                    row.description,
                    row.reference,
                    _amount(row.debit or None, reader),
                    _amount(row.credit or None, reader),
                    _amount(row.balance, reader),
                ]
            )
        rows.append(
            [reader.date(statement.end, "short"), "Closing balance", "",
             _amount(section.debits, reader), _amount(section.credits, reader),
             _amount(section.closing, reader)]
        )  # fmt: skip
        doc.grid(
            ["Date", "Description", "Reference", "Debit", "Credit", "Balance"],
            rows,
            widths=(20, 62, 30, 22, 22, 24),
            aligns=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
            bold_rows=(0, len(rows) - 1),
        )
        closing = reader.money(section.closing, section.currency)
        doc.ln(2)
        doc.paragraph(f"Balance on {reader.date(statement.end)}: {closing}.")
    return doc.bytes()


def invoice_pdf(invoice, lines, explanation, reader: Reader) -> bytes:
    """A copy of `invoice` for the party's records, with where it stands today."""
    label = "credit note" if invoice.kind == "credit_note" else "invoice"
    title = f"Copy of {label} {invoice.number}"
    doc = _Document(title, invoice.party.name)
    money = reader.money
    party_role = "Customer" if invoice.direction == "ar" else "Vendor"
    reference = "Your reference" if invoice.direction == "ar" else "Our reference"
    doc.facts(
        [
            (party_role, invoice.party.name),
            ("Number", invoice.number),
            ("Date", reader.date(invoice.issue_date)),
            ("Due", reader.date(invoice.due_date) if invoice.due_date else ""),
            ("Order number", invoice.po_reference),
            (reference, invoice.buyer_reference),
            ("Payment reference", invoice.payment_reference),
        ]
    )  # fmt: skip
    doc.heading("Lines")
    rows = [
        [
            str(line.position),
            line.description or "-",
            reader.number(line.quantity.normalize()),
            _amount(line.unit_price, reader) if line.unit_price is not None else "",
            _amount(line.net_amount, reader),
        ]
        for line in lines
    ]
    if not rows:
        rows = [["", "The lines of this document are not on file; the totals are.", "", "", ""]]
    doc.grid(
        ["#", "Description", "Quantity", "Unit price", f"Amount ({invoice.currency})"],
        rows,
        widths=(10, 88, 22, 28, 32),
        aligns=("RIGHT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
    )
    doc.ln(3)
    totals = [
        ("Net", money(invoice.net_amount, invoice.currency)),
        ("Tax", money(invoice.tax_amount, invoice.currency)),
        ("Total", money(invoice.total_amount, invoice.currency)),
    ]
    if invoice.prepaid_amount:
        totals.append(("Paid in advance", money(invoice.prepaid_amount, invoice.currency)))
        totals.append(("To pay", money(invoice.amount_payable, invoice.currency)))
    totals.append(("Still open today", money(invoice.amount_open, invoice.currency)))
    doc.facts(totals)
    doc.heading(f"Where it stands on {reader.date(reader.current_day())}")
    words = explanation.elsewhere("in the portal or by e-mail")
    doc.paragraph(" ".join(s for s in words.sentences if s))
    doc.ln(3)
    doc.paragraph(
        "This is a copy for your records. The original is the document "
        + ("we sent you." if invoice.direction == "ar" else "you sent us."),
        size=8,
    )
    return doc.bytes()
