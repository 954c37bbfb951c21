"""ISO 20022 pain.001.001.03: a customer credit transfer initiation, the file a bank takes to
pay vendors. Pure: plain data in, XML bytes out.

One message holds one payment information block (one debtor account, one execution date)
with one credit transfer per vendor invoice payment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Transfer:
    end_to_end_id: str  # at most 35 characters
    amount: Decimal
    creditor_name: str
    creditor_iban: str
    creditor_bic: str = ""
    remittance: str = ""  # unstructured, at most 140 characters


@dataclass(frozen=True)
class Batch:
    message_id: str  # at most 35 characters
    created_at: dt.datetime  # aware
    initiator: str
    execution_date: dt.date
    currency: str
    debtor_name: str
    debtor_iban: str
    debtor_bic: str
    transfers: tuple[Transfer, ...]


def _text(parent, tag: str, value: str):
    element = etree.SubElement(parent, f"{{{NS}}}{tag}")
    element.text = value
    return element


def _el(parent, tag: str):
    return etree.SubElement(parent, f"{{{NS}}}{tag}")


def _amount(value: Decimal) -> str:
    return str(value.quantize(CENT))


def _iban(value: str) -> str:
    return value.replace(" ", "").upper()


def _agent(parent, tag: str, bic: str) -> None:
    institution = _el(_el(parent, tag), "FinInstnId")
    if bic:
        _text(institution, "BIC", bic.strip().upper())
    else:
        # Within SEPA the IBAN alone is enough; the scheme asks for this marker then.
        _text(_el(institution, "Othr"), "Id", "NOTPROVIDED")


def build(batch: Batch) -> bytes:
    """The pain.001 message for `batch`, UTF-8 with an XML declaration."""
    if not batch.transfers:
        raise ValueError("transfers: a payment file needs at least one payment")
    for transfer in batch.transfers:
        if transfer.amount <= 0:
            raise ValueError(f"amount: payment {transfer.end_to_end_id} is not positive")
        if len(transfer.end_to_end_id) > 35:
            raise ValueError(f"end_to_end_id: {transfer.end_to_end_id!r} is over 35 characters")
    total = sum((t.amount.quantize(CENT) for t in batch.transfers), Decimal("0"))
    count = str(len(batch.transfers))

    root = etree.Element(f"{{{NS}}}Document", nsmap={None: NS})
    initiation = _el(root, "CstmrCdtTrfInitn")
    header = _el(initiation, "GrpHdr")
    _text(header, "MsgId", batch.message_id[:35])
    _text(header, "CreDtTm", batch.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"))
    _text(header, "NbOfTxs", count)
    _text(header, "CtrlSum", _amount(total))
    _text(_el(header, "InitgPty"), "Nm", batch.initiator[:70])

    info = _el(initiation, "PmtInf")
    _text(info, "PmtInfId", batch.message_id[:35])
    _text(info, "PmtMtd", "TRF")
    _text(info, "NbOfTxs", count)
    _text(info, "CtrlSum", _amount(total))
    _text(_el(_el(info, "PmtTpInf"), "SvcLvl"), "Cd", "SEPA" if batch.currency == "EUR" else "NURG")
    _text(info, "ReqdExctnDt", batch.execution_date.isoformat())
    _text(_el(info, "Dbtr"), "Nm", batch.debtor_name[:70])
    _text(_el(_el(info, "DbtrAcct"), "Id"), "IBAN", _iban(batch.debtor_iban))
    _agent(info, "DbtrAgt", batch.debtor_bic)
    _text(info, "ChrgBr", "SLEV" if batch.currency == "EUR" else "SHAR")

    for transfer in batch.transfers:
        tx = _el(info, "CdtTrfTxInf")
        _text(_el(tx, "PmtId"), "EndToEndId", transfer.end_to_end_id)
        amount = _text(_el(tx, "Amt"), "InstdAmt", _amount(transfer.amount))
        amount.set("Ccy", batch.currency)
        _agent(tx, "CdtrAgt", transfer.creditor_bic)
        _text(_el(tx, "Cdtr"), "Nm", transfer.creditor_name[:70])
        _text(_el(_el(tx, "CdtrAcct"), "Id"), "IBAN", _iban(transfer.creditor_iban))
        if transfer.remittance:
            _text(_el(tx, "RmtInf"), "Ustrd", transfer.remittance[:140])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
