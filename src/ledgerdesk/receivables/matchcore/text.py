"""Reading references and names the way people and OCR write them.

An invoice number is compared by its *key*: upper-cased, separators dropped, and the letters
that OCR and typists confuse with digits read as those digits (O→0, I/L→1, S→5, B→8, Z→2, G→6).
The same mapping is applied to the open items' numbers and to the remittance text, so a letter
that really belongs in a number ("SI-…", "INV…") still compares equal to itself. A second key also
drops the leading zeros of each group of digits, for "SI-260114-42" written for "SI-260114-0042";
it keeps where the groups end ("51.260114.42"), or "SI-260907-0001, SI" would read as
"SI-260907-0151".
"""

from __future__ import annotations

import re
import unicodedata

_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2", "G": "6"})
_RUN = re.compile(r"[A-Z0-9]+")
# Zeros that open a group of digits (not preceded by a digit) and are followed by another digit.
_LEADING_ZEROS = re.compile(r"(?<![0-9])0+(?=[0-9])")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")
_RF = re.compile(r"RF[0-9]{2}[A-Z0-9]{1,21}")

# A key shorter than this (e.g. invoice "1042") also occurs by chance in amounts and dates, so
# finding it in the text is only evidence when the amount agrees too.
STRONG_KEY_LENGTH = 6


def strip_leading_zeros(run: str) -> str:
    return _LEADING_ZEROS.sub("", run)


_SEPARATORS = re.compile(r"[^A-Z0-9]+")


def number_keys(number: str) -> tuple[str, str, int]:
    """(full key, key without leading zeros, number of groups) of an invoice number."""
    mapped = number.upper().translate(_CONFUSABLE)
    full = _SEPARATORS.sub("", mapped)
    zero = _SEPARATORS.sub(".", _LEADING_ZEROS.sub("", mapped)).strip(".")
    return full, zero, zero.count(".") + 1 if zero else 0


def reference_key(reference: str) -> str:
    return _SEPARATORS.sub("", reference.upper().translate(_CONFUSABLE))


def plain(text: str) -> str:
    """Upper case, letters and digits only, nothing re-read: what was literally written."""
    return _NOT_ALNUM.sub("", text.upper())


class Runs:
    """The groups of letters and digits in a text, with where each sits in the text."""

    __slots__ = ("text", "mapped", "zeroless", "spans")

    def __init__(self, text: str):
        upper = text.upper()
        # upper() can lengthen a few non-ASCII letters ("ß" → "SS"); then show the upper text.
        self.text = text if len(upper) == len(text) else upper
        found = list(_RUN.finditer(upper))
        self.spans = [m.span() for m in found]
        self.mapped = [m.group().translate(_CONFUSABLE) for m in found]
        self.zeroless = [_LEADING_ZEROS.sub("", run) for run in self.mapped]

    def windows(self, width: int):
        """(start, end, full key, zeroless key) of every run of 1..width consecutive groups."""
        mapped, zeroless = self.mapped, self.zeroless
        count = len(mapped)
        for start in range(count):
            full = zero = ""
            for end in range(start, min(count, start + width)):
                full += mapped[end]
                zero = f"{zero}.{zeroless[end]}" if zero else zeroless[end]
                yield start, end, full, zero

    def written(self, start: int, end: int) -> str:
        return self.text[self.spans[start][0] : self.spans[end][1]]


def rf_is_valid(reference: str) -> bool:
    """ISO 11649: "RF", two check digits, up to 21 letters or digits; mod 97 of the rearranged
    number (letters as 10..35) is 1."""
    compact = plain(reference)
    if not _RF.fullmatch(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def rf_with_check(body: str) -> str:
    """The RF reference for `body` with its check digits (used by tests and the benchmark)."""
    body = plain(body)
    digits = "".join(str(int(ch, 36)) for ch in body + "RF00")
    return f"RF{98 - int(digits) % 97:02d}{body}"


# --- Payer names -----------------------------------------------------------------------------

_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "å": "aa", "œ": "oe"}
)
_WORD = re.compile(r"[a-z0-9]+")
# Legal forms and filler words say nothing about who paid: "Müller GmbH & Co. KG" is Müller.
_LEGAL_FORMS_TEXT = """
    ab ag and as asa aps bv bvba co company corp corporation cv eg ek ev gbr gmbh inc incorporated
    kft kg kgaa limited llc llp lp ltd mbh nv oy oyj ohg plc pty sa sarl sas sasu se sl sp spa
    srl sro ug und the et zoo ou doo ad kk bhd pte
"""
LEGAL_FORMS = frozenset(_LEGAL_FORMS_TEXT.split())


def name_tokens(name: str) -> frozenset[str]:
    text = unicodedata.normalize("NFKD", name.casefold().translate(_TRANSLIT))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return frozenset(
        word for word in _WORD.findall(text) if len(word) > 1 and word not in LEGAL_FORMS
    )


def _words(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name.casefold().translate(_TRANSLIT))
    return _WORD.findall("".join(ch for ch in text if not unicodedata.combining(ch)))


def legal_forms(name: str) -> frozenset[str]:
    """The legal-form words of a name ("gmbh", "co", "kg"), the dots of "B.V." dropped."""
    compact = re.sub(r"(?<=\b\w)\.(?=\w\b)|(?<=\b\w)\.", "", name)
    return frozenset(word for word in _words(compact) if word in LEGAL_FORMS)


def cut_legal_form(name: str) -> str:
    """The last word of a name when it is a legal form cut short by the bank ("LIMITE", "GMB"),
    else ""."""
    words = _words(name)
    if len(words) < 2 or words[-1] in LEGAL_FORMS or len(words[-1]) < 2:
        return ""
    last = words[-1]
    return last if any(form.startswith(last) for form in LEGAL_FORMS if len(form) > 3) else ""


def name_similarity(paid_by: frozenset[str], party: frozenset[str], last_word: str = "") -> float:
    """Share of words the two names have in common (1.0: the same words). A bank may cut the
    payer's name short, so a cut-off last word counts when it starts a word of the party's."""
    if not paid_by or not party:
        return 0.0
    common = len(paid_by & party)
    extra = len(paid_by) - common
    cut_short = extra and len(last_word) >= 3 and last_word not in party
    if cut_short and any(word.startswith(last_word) for word in party):
        common += 1
    return common / max(len(paid_by), len(party))


def last_word(name: str) -> str:
    words = sorted(name_tokens(name.rsplit(None, 1)[-1])) if name.strip() else []
    return words[-1] if words else ""


def account_key(account: str) -> str:
    return plain(account)


# Countries of the SEPA scheme (the EU and EEA, Switzerland, the United Kingdom and the small
# states around them), by the first two letters of an IBAN.
SEPA_COUNTRIES = frozenset(
    ("AD", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GI",
     "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MT", "NL", "NO", "PL",
     "PT", "RO", "SE", "SI", "SK", "SM", "VA")
)  # fmt: skip


def credited_in_full(currency: str, account: str) -> bool:
    """A euro payment from a SEPA account: the scheme credits the payee the full amount sent,
    so nothing was taken off it on the way (no bank fee)."""
    return currency == "EUR" and account_key(account)[:2] in SEPA_COUNTRIES
