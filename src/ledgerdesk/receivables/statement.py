"""A bank statement as every parser returns it: plain data, no Django.

Each format in `receivables.formats` turns a file's bytes into a list of `Statement`s (a
camt.053 message, an MT940 file or a BAI2 file may carry several accounts or days). Amounts
are signed `Decimal`s in the statement's currency: positive is money in (a credit to our
account), negative is money out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


class StatementError(ValueError):
    """A file that cannot be read as a statement. The message names the file's line, tag or
    XPath and what is wrong; nothing of a file with an error is posted."""


@dataclass(frozen=True)
class Balance:
    amount: Decimal  # signed: a debit balance is negative
    currency: str
    date: dt.date | None


@dataclass(frozen=True)
class Entry:
    """One booked movement on the account."""

    position: int  # 1-based order within its statement
    booking_date: dt.date
    amount: Decimal  # signed: positive is money in
    currency: str
    value_date: dt.date | None = None
    # The bank's own reference for the entry (AcctSvcrRef, MT940 :61: bank reference, BAI2 ref).
    bank_reference: str = ""
    end_to_end_id: str = ""
    # A structured creditor reference (ISO 11649 "RF…") when the payer gave one.
    creditor_reference: str = ""
    # Free remittance text: what the payer wrote (invoice numbers, "payment for …").
    remittance: str = ""
    counterparty_name: str = ""
    counterparty_account: str = ""  # IBAN or account number of the payer / payee
    transaction_code: str = ""  # BkTxCd, MT940 transaction type, BAI2 type code
    # Where the entry is in the file, for messages: "line 14" or an XPath.
    source: str = ""
    # The account owner's own reference (MT940 :61: customer reference, BAI2 customer ref).
    customer_reference: str = ""
    # Other bank text about the entry (camt AddtlTxInf/AddtlNtryInf, MT940 :61: details).
    additional_info: str = ""
    # False for a camt entry whose Sts is PDNG or INFO: reported, not (yet) on the balance.
    booked: bool = True


@dataclass(frozen=True)
class Statement:
    format: str  # "camt053", "camt054", "mt940", "mt942", "bai2", "csv"
    statement_id: str  # the bank's id of the statement (Stmt/Id, :20:/:28C:, BAI2 group)
    account: str  # IBAN or account number of our account
    currency: str
    opening: Balance | None = None
    closing: Balance | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    entries: tuple[Entry, ...] = field(default_factory=tuple)
    # Where the statement starts in the file: "line 3" or an XPath such as "/Document/…/Stmt[1]".
    source: str = ""
