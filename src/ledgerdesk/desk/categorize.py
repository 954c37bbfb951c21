"""A first guess at a case's category from what the customer wrote. Pure; the agent can change it.

Ordered: the first category whose words appear wins, most specific first
("paid twice" is a duplicate payment before it is a payment question).
"""

from __future__ import annotations

import re

_RULES: list[tuple[str, re.Pattern]] = [
    (
        "bank_details",
        r"bank (?:details|account)|\biban\b|account (?:number )?(?:has )?changed|new account|"
        r"remit(?:tance)? to (?:a |our )?new",
    ),
    (
        "duplicate_payment",
        r"paid twice|double(?:d)? payment|duplicate payment|paid (?:it )?two times",
    ),
    (
        "short_payment",
        r"short[- ]?paid|short payment|underpaid|under-paid|deduct\w*|wrong amount|paid less|"
        r"partial(?:ly)? paid|remaining balance",
    ),
    (
        "dispute",
        r"\bdisput\w*|incorrect (?:invoice|amount|price)|wrong (?:invoice|price)|overcharg\w*",
    ),
    ("tax_form", r"\bw-?9\b|\bw-?8\w*|tax form|vat (?:certificate|number)|exemption certificate"),
    ("statement", r"statement of account|account statement|\bstatement\b|open items"),
    (
        "missing_invoice",
        r"copy of (?:the |our |your )?invoice|send (?:me|us) (?:a |the )?(?:copy|invoice)|"
        r"(?:not|never) received (?:the |your |an )?invoice|missing invoice|resend",
    ),
    (
        "payment_status",
        r"when will|payment status|where is (?:my|our) (?:payment|money)|not (?:been )?paid|"
        r"(?:not|n't) received (?:the |your |our )?payment|overdue|remittance|still waiting|"
        r"payment date",
    ),
]
_COMPILED = [(category, re.compile(pattern, re.IGNORECASE)) for category, pattern in _RULES]


def guess_category(subject: str, text: str) -> str:
    haystack = f"{subject}\n{text[:4000]}"
    for category, pattern in _COMPILED:
        if pattern.search(haystack):
            return category
    return "other"
