"""Read one inbound e-mail into plain data, and judge whether it may open a case.

Pure: raw bytes in, frozen dataclasses out, no Django. Real mail is messy (wrong charsets,
broken boundaries, null bytes, 8-bit headers), so every header and part is read with a
fallback; only input that is not an e-mail at all raises `ParseError`, whose reason the
caller keeps in the quarantine.
"""

from __future__ import annotations

import email
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from ledgerdesk.mail.quoting import html_to_text


class ParseError(ValueError):
    """The input cannot be read as an e-mail; `reason` is meant for a person."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int
    content: bytes = field(repr=False)
    content_id: str = ""  # without angle brackets; what `cid:` links in the HTML point at
    inline: bool = False  # shown inside the body rather than offered as a download


@dataclass(frozen=True, kw_only=True)
class ParsedMessage:
    message_id: str
    synthetic_id: bool = False
    in_reply_to: str = ""  # "" when absent, like every other missing header
    references: list[str] = field(default_factory=list)
    subject: str = ""
    sender_name: str = ""
    sender_email: str = ""
    reply_to: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    date: datetime | None = None
    text: str = ""
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    # Headers that tell machine-sent mail from people (see `classify`).
    auto_submitted: str = ""
    precedence: str = ""
    x_loop: str = ""
    x_autoreply: str = ""
    list_id: str = ""
    return_path: str = ""
    content_type: str = ""
    report_type: str = ""
    raw_sha256: str = ""

    @property
    def reply_address(self) -> str:
        return self.reply_to or self.sender_email


# A stray "Note: pay now" text file parses as a header named "Note"; requiring one of the
# fields every mail carries tells a message from text that merely contains a colon.
_MESSAGE_FIELDS = frozenset(
    {"from", "sender", "to", "cc", "subject", "date", "message-id", "received", "return-path"}
    | {"mime-version", "content-type", "delivered-to", "in-reply-to", "references", "reply-to"}
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BOILERPLATE = re.compile(r"^\s*this is an? .*(?:mime|multi-?part|openpgp).*$", re.I | re.M)


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse raw RFC 5322 bytes; raise `ParseError` only when they are not an e-mail."""
    raw = bytes(raw)
    if not raw.strip():
        raise ParseError("the message is empty")
    # Files saved by hand often start with a byte-order mark or a blank line, either of
    # which would end the headers before the first one.
    text = raw.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n\t ")
    try:
        msg = email.message_from_bytes(text, policy=policy.default)
    except Exception as exc:  # the stdlib parser is lenient; this is the last resort
        raise ParseError(f"the mail parser gave up: {exc}") from exc
    names = {str(name).strip().lower() for name in msg}
    if not names:
        raise ParseError("no e-mail headers found: the data does not start with header lines")
    if not names & _MESSAGE_FIELDS:
        seen = ", ".join(sorted(names)[:5])
        raise ParseError(f"none of the usual e-mail headers (From, To, Subject, Date); saw {seen}")
    try:
        return _build(msg, raw)
    except Exception as exc:  # an unreadable message must reach the quarantine, not crash ingest
        raise ParseError(f"unreadable message ({type(exc).__name__}: {exc})") from exc


def _build(msg: Message, raw: bytes) -> ParsedMessage:
    digest = hashlib.sha256(raw).hexdigest()
    message_id = next(iter(_ids(_header(msg, "Message-ID"))), "")
    sender = _addresses(msg, "From") or _addresses(msg, "Sender")
    plain: list[str] = []
    markup: list[str] = []
    attachments: list[Attachment] = []
    _walk(msg, plain, markup, attachments)
    text = "\n".join(part for part in plain if part.strip())
    if not text.strip() and markup:
        text = html_to_text("\n".join(markup))
    if not text.strip() and isinstance(msg.preamble, str):
        # Some mailers put the only text in the MIME preamble; showing it beats losing it.
        text = _BOILERPLATE.sub("", _clean(msg.preamble, keep_lines=True))
    return ParsedMessage(
        message_id=message_id or f"{digest[:40]}@synthetic.ledgerdesk.invalid",
        synthetic_id=not message_id,
        in_reply_to=next(iter(_ids(_header(msg, "In-Reply-To"))), ""),
        references=list(dict.fromkeys(_ids(_header(msg, "References")))),
        subject=_header(msg, "Subject"),
        sender_name=sender[0][0] if sender else "",
        sender_email=sender[0][1] if sender else "",
        reply_to=next((addr for _, addr in _addresses(msg, "Reply-To")), ""),
        to=[addr for _, addr in _addresses(msg, "To")],
        cc=[addr for _, addr in _addresses(msg, "Cc")],
        date=_date(msg),
        text=text.strip(),
        html="\n".join(markup),
        attachments=attachments,
        auto_submitted=_header(msg, "Auto-Submitted"),
        precedence=_header(msg, "Precedence"),
        x_loop=_header(msg, "X-Loop"),
        x_autoreply=_header(msg, "X-Autoreply") or _header(msg, "X-Autorespond"),
        list_id=_header(msg, "List-Id"),
        # Each relay may add one; the topmost is the one the final delivery wrote.
        return_path=_header(msg, "Return-Path", first_only=True),
        content_type=msg.get_content_type(),
        report_type=str(msg.get_param("report-type", "") or "").lower(),
        raw_sha256=digest,
    )


# --- headers -------------------------------------------------------------------------------


def _clean(value: str, keep_lines: bool = False) -> str:
    if _SURROGATE.search(value):  # raw 8-bit bytes the parser kept as surrogates
        try:
            value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:
            value = value.encode("utf-8", "replace").decode("utf-8")
    if keep_lines:
        return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    # Collapse ASCII whitespace only: an ideographic space (U+3000) is part of a subject.
    return re.sub(r"[ \t\r\n]+", " ", _CONTROL.sub(" ", value)).strip()


def _decode_raw(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # undecodable encoded-words: the raw text is still better than nothing
        return value


def _raw_values(msg: Message, name: str) -> list[str]:
    return [str(v) for k, v in msg.raw_items() if k.lower() == name.lower()]


def _header(msg: Message, name: str, first_only: bool = False) -> str:
    """All values of one header (or the topmost), decoded and joined by ", "; "" if absent."""
    try:
        values = [str(value) for value in msg.get_all(name) or []]
    except Exception:  # policy.default parses lazily and can trip on a malformed value
        values = [_decode_raw(value) for value in _raw_values(msg, name)]
    values = [v for v in (_clean(value) for value in values) if v]
    return ", ".join(values[:1] if first_only else values)


def _addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    """(display name, lowercased address) pairs of an address header."""
    try:
        header = msg.get(name)
        pairs = [(a.display_name, a.addr_spec) for a in header.addresses] if header else []
    except Exception:
        pairs = getaddresses([_decode_raw(v) for v in _raw_values(msg, name)])
    result = []
    for display, address in pairs:
        address = _clean(address).strip("<>").lower()
        display = _clean(display)
        if address:
            result.append(("" if display.lower() == address else display, address))
    return result


def _ids(value: str) -> list[str]:
    """Message ids without angle brackets; tolerant of clients that drop the brackets."""
    found = re.findall(r"<\s*([^<>\s]+)\s*>", value)
    return found or [token.strip("<>,;") for token in value.split() if "@" in token]


def _date(msg: Message) -> datetime | None:
    try:
        header = msg.get("Date")
        value = header.datetime if header is not None else None
    except Exception:
        value = None
    if value is None:
        raw = next(iter(_raw_values(msg, "Date")), "")
        try:
            value = parsedate_to_datetime(_clean(raw))
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if value.tzinfo is None:  # "-0000" means "zone unknown"; UTC is the honest reading
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


# --- body and attachments ------------------------------------------------------------------


def _walk(part: Message, plain: list[str], markup: list[str], files: list[Attachment]) -> None:
    maintype, ctype = part.get_content_maintype(), part.get_content_type()
    if maintype == "message":  # forwarded mail, delivery reports: kept whole, as a file
        files.append(_attachment(part, len(files) + 1))
    elif part.is_multipart():
        for sub in part.iter_parts():
            _walk(sub, plain, markup, files)
    elif maintype == "multipart":  # a multipart without a usable boundary is just text
        plain.append(_text_of(part))
    elif ctype in ("text/plain", "text/html") and not _is_file(part):
        (plain if ctype == "text/plain" else markup).append(_text_of(part))
    else:
        files.append(_attachment(part, len(files) + 1))


def _is_file(part: Message) -> bool:
    return part.get_content_disposition() == "attachment" or bool(_filename(part))


def _payload_bytes(part: Message) -> bytes:
    if part.get_content_maintype() == "message" or part.is_multipart():
        inner = part.get_payload()
        messages = inner if isinstance(inner, list) else [inner]
        return b"".join(_as_bytes(m) for m in messages if isinstance(m, Message))
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    payload = part.get_payload()
    return payload.encode("utf-8", "replace") if isinstance(payload, str) else b""


def _as_bytes(msg: Message) -> bytes:
    try:  # compat32 re-emits headers as received instead of refolding them
        return msg.as_bytes(policy=policy.compat32)
    except Exception:
        return _clean(str(msg.get_payload()), keep_lines=True).encode("utf-8")


def _text_of(part: Message) -> str:
    try:
        charset = part.get_content_charset() or ""
    except Exception:
        charset = ""
    return _clean(_decode_text(_payload_bytes(part), charset), keep_lines=True)


def _decode_text(data: bytes, charset: str) -> str:
    """Decode body bytes, trusting the declared charset except where mailers often lie."""
    charset = charset.strip().lower()
    # Mail labelled ASCII or Latin-1 (or not at all) is very often UTF-8 or Windows-1252.
    if charset in ("", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", "replace")
    try:
        return data.decode(charset, "replace")
    except (LookupError, UnicodeError, ValueError, TypeError):
        return _decode_text(data, "")


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    # Stored under this name by the caller: never let it carry a path.
    name = _clean(re.split(r"[/\\]", _clean(name))[-1])
    return "" if name in (".", "..") else name[-200:]


def _attachment(part: Message, number: int) -> Attachment:
    ctype = part.get_content_type()
    fallback = {
        "message/rfc822": "forwarded-message.eml",
        "message/delivery-status": "delivery-status.txt",
    }.get(ctype, f"attachment-{number}")
    content = _payload_bytes(part)
    content_id = _header(part, "Content-ID").strip().strip("<>").strip()
    disposition = part.get_content_disposition()
    return Attachment(
        filename=_filename(part) or fallback,
        content_type=ctype,
        size=len(content),
        content=content,
        content_id=content_id,
        inline=disposition == "inline" or (disposition is None and bool(content_id)),
    )


# --- machine-sent mail ---------------------------------------------------------------------


@dataclass(frozen=True)
class Disposition:
    """What the desk may do with a message. Auto-replies, bounces and loops never open a
    case or get a reply, so two machines cannot answer each other for ever."""

    is_auto_reply: bool = False
    is_bounce: bool = False
    is_loop: bool = False
    from_list: bool = False
    no_reply_sender: bool = False  # no sender, or a noreply@ address: nobody reads a reply
    reason: str = "ordinary message"

    @property
    def may_open_case(self) -> bool:
        return not (self.is_auto_reply or self.is_bounce or self.is_loop)

    @property
    def may_auto_reply(self) -> bool:
        # RFC 3834: never auto-answer list traffic either.
        return self.may_open_case and not (self.from_list or self.no_reply_sender)


_AUTO_SUBJECT = re.compile(
    r"^\s*(?:out of (?:the )?office|automatic reply|auto[- ]?reply|autoreply|abwesenheitsnotiz"
    r"|automatische antwort|r[ée]ponse automatique|absence du bureau|respuesta autom[áa]tica"
    r"|risposta automatica|automatisch antwoord)\b|\bis out of (?:the )?office\.?\s*$",
    re.I,
)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(?:undeliverable|undelivered mail|delivery status notification|mail delivery failed"
    r"|returned mail|failure notice|unzustellbar|non remis)\b",
    re.I,
)
_NO_REPLY = re.compile(r"^(?:no-?reply|do-?not-?reply|donotreply)\b", re.I)
_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def classify(msg: ParsedMessage, own_addresses: Iterable[str]) -> Disposition:
    """Tell mail from people apart from auto-replies, bounces and our own mail coming back."""
    own = {address.strip().lower() for address in own_addresses if address.strip()}
    local_part = msg.sender_email.split("@")[0]
    precedence = msg.precedence.strip().lower()
    auto_submitted = msg.auto_submitted.split(";")[0].strip().lower()
    loop, bounce, auto = [], [], []
    if msg.sender_email in own:
        loop.append(f"sender {msg.sender_email} is one of our own addresses")
    named = own.intersection(a.lower() for a in _ADDRESS.findall(msg.x_loop))
    if named:
        loop.append(f"X-Loop names our address {sorted(named)[0]}")
    if msg.content_type == "multipart/report" and msg.report_type == "delivery-status":
        bounce.append("delivery status notification (multipart/report)")
    if local_part in ("mailer-daemon", "postmaster"):
        bounce.append(f"sent by {msg.sender_email}")
    if msg.return_path.replace(" ", "") == "<>":
        bounce.append("empty Return-Path <>")
    if _BOUNCE_SUBJECT.search(msg.subject):
        bounce.append(f"subject {msg.subject!r} reads like a bounce")
    if auto_submitted and auto_submitted != "no":
        auto.append(f"Auto-Submitted: {auto_submitted}")
    if precedence in ("bulk", "junk", "auto_reply"):
        auto.append(f"Precedence: {precedence}")
    if msg.x_autoreply and msg.x_autoreply.strip().lower() not in ("no", "false", "0"):
        auto.append("X-Autoreply/X-Autorespond header")
    if msg.content_type == "multipart/report" and msg.report_type == "disposition-notification":
        auto.append("read receipt")
    if _AUTO_SUBJECT.search(msg.subject):
        auto.append(f"subject {msg.subject!r} reads like an automatic reply")
    # Precedence: list is list traffic, not an auto-reply: a shared mailbox fronted by a
    # Google Group adds it to every vendor's mail, and those must still open cases.
    from_list = bool(msg.list_id) or precedence == "list"
    no_reply = not msg.sender_email or bool(_NO_REPLY.match(local_part))
    reasons = [f"mail loop: {r}" for r in loop] + [f"bounce: {r}" for r in bounce]
    reasons += [f"auto-reply: {r}" for r in auto]
    if from_list:
        reasons.append(f"mailing list {msg.list_id or '(Precedence: list)'}")
    if no_reply:
        reasons.append(f"no-reply sender {msg.sender_email or '(none)'}")
    return Disposition(
        is_auto_reply=bool(auto),
        is_bounce=bool(bounce),
        is_loop=bool(loop),
        from_list=from_list,
        no_reply_sender=no_reply,
        reason="; ".join(reasons) or "ordinary message",
    )


# --- subjects ------------------------------------------------------------------------------

CASE_PREFIXES = ("AP", "AR")
_REFERENCE = rf"(?:{'|'.join(CASE_PREFIXES)})-\d{{4}}-\d{{6,}}"
_CASE_TAG = re.compile(rf"\[\s*({_REFERENCE})\s*\]", re.I)
_CASE_BARE = re.compile(rf"(?<![\w-])({_REFERENCE})(?![\w-])", re.I)
# Re/Fwd in English, German (AW, WG), French (TR), Dutch (Antw), Nordic (SV, VS), Spanish
# (RV), Italian (Rif), Polish (Odp); Outlook counts ("Re[2]:"), French spacing ("RE :"),
# and the "[EXTERNAL]" tag mail gateways put in front.
_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:re|aw|wg|fw|fwd|tr|sv|vs|rv|antw|rif|odp|enc|res)\s*(?:\[\d+\]|\(\d+\))?\s*:"
    r"|\[(?:ext|external|extern|externe)\]|\*?external\*?:)\s*",
    re.I,
)


def find_case_reference(subject: str) -> str | None:
    """The case reference in a subject, upper-cased: the [AP-2026-000123] tag, or the bare
    reference when a person typed it without brackets."""
    match = _CASE_TAG.search(subject) or _CASE_BARE.search(subject)
    return match.group(1).upper() if match else None


def clean_subject(subject: str) -> str:
    """The subject without reply/forward prefixes and without the case tag."""
    text = _CASE_TAG.sub(" ", subject)
    while (shorter := _SUBJECT_PREFIX.sub("", text, count=1)) != text:
        text = shorter
    return " ".join(text.split())


# --- invoice numbers -----------------------------------------------------------------------

# A number counts only right after a word meaning "invoice" (in the languages vendors write
# in), or when it carries the INV prefix itself: "our ref 4411" alone is not enough.
_INVOICE_WORD = (
    r"(?<![\w-])(?:rechnungsnummern?|rechnungs-?nr\.?|rechnung(?:en)?|re-nr\.?|invoices?|inv\.?"
    r"|factures?|facturas?|fattur[ae]|faktur[ay]|factu(?:ur|ren))(?!\w)"
)
# "Nr" glued to digits is the number's own prefix ("invoice NR000"), not the word "number":
# the word must end there ("Nr. 4411", "no 4411"); only "n°" may touch the digits.
_NUMBER_WORD = r"(?:\s*(?:(?:number|nummer|num[ée]ro|número|num|nr|no)(?![a-z0-9])|n°|nº)\.?)?"
# Letters, digits and inner separators, with at least one digit, not followed by more
# digits after a comma or dot (that is an amount, "1,234.56").
_CANDIDATE = r"(?=[A-Z0-9._/-]*\d)([A-Z0-9](?:[A-Z0-9]|[-/._](?=[A-Z0-9]))*)(?![A-Z0-9]|[.,]\d)"
_INVOICE = re.compile(rf"{_INVOICE_WORD}{_NUMBER_WORD}\s*[:#]?\s*{_CANDIDATE}", re.I)
_ANOTHER = re.compile(
    rf"\s*(?:,|&|/|\band\b|\bund\b|\bet\b|\bor\b|\boder\b)\s*(?:(?:no|nr|n°|#)\.?\s*)?{_CANDIDATE}",
    re.I,
)
_INV_PREFIXED = re.compile(r"(?<![\w/-])(INV-?\d+(?:[-/]\d+)*)(?![\w/-])", re.I)
_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}")


def _plausible(token: str) -> bool:
    return len(token) >= 3 and any(c.isdigit() for c in token) and not _DATE.fullmatch(token)


def _shape(token: str) -> str:
    return re.sub(r"\d", "9", token.upper())


def find_invoice_numbers(text: str) -> list[str]:
    """Invoice numbers named in a text, in order of appearance, each once (as written)."""
    found: list[tuple[int, str]] = []
    for match in _INVOICE.finditer(text):
        first = match.group(1)
        if not _plausible(first):
            continue
        found.append((match.start(1), first))
        position = match.end()
        # "invoices 4411, 4412 and 4413": a list continues only with numbers shaped like
        # the first, so "invoice 4411 and 100 EUR" does not make 100 an invoice.
        while (more := _ANOTHER.match(text, position)) and _shape(more.group(1)) == _shape(first):
            found.append((more.start(1), more.group(1)))
            position = more.end()
    found += [(m.start(1), m.group(1)) for m in _INV_PREFIXED.finditer(text)]
    seen: dict[str, str] = {}
    for _, token in sorted(found):
        seen.setdefault(token.upper(), token)
    return list(seen.values())
