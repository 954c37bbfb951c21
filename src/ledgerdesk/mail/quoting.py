"""What an agent reads of a message body: HTML made readable, quoted history and the
signature folded away behind a toggle.

Conservative by design: when in doubt, text stays in `new_text`. Folding away a real
sentence from a vendor is worse than showing a few lines of history.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

__all__ = ["html_to_text", "split_reply"]

# --- HTML to readable text -----------------------------------------------------------------


class _TextExtractor(HTMLParser):
    _SKIP = frozenset({"script", "style", "head", "title", "noscript", "template"})
    _PARAGRAPH = frozenset(
        {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre"}
    )
    _LINE = frozenset({"div", "tr", "li", "dt", "dd", "section", "article", "hr", "center"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line: list[str] = []
        self.skipping = 0
        self.quote_depth = 0
        self.pre = 0
        self.links: list[tuple[str, list[str]]] = []

    def flush(self, force: bool = False) -> None:
        if self.line or force:
            text = "".join(self.line)
            text = text if self.pre else text.strip(" ")  # <pre> indentation is content
            self.lines.append(("> " * self.quote_depth + text).rstrip())
            self.line = []

    def block_break(self, tag: str) -> None:
        self.flush()
        # Paragraph-like blocks get a blank line; a <div> only a line break, because Gmail
        # and Outlook wrap every single line in one.
        if tag in self._PARAGRAPH and self.lines and self.lines[-1].strip("> "):
            self.lines.append(("> " * self.quote_depth).rstrip())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skipping = 0  # a <head> left open must not swallow the body
        elif tag in self._SKIP:
            self.skipping += 1
        elif tag == "br":
            self.flush(force=True)
        elif tag in self._PARAGRAPH or tag in self._LINE:
            self.block_break(tag)
            self.quote_depth += tag == "blockquote"
            self.pre += tag == "pre"
            if tag == "li":
                self.line.append("- ")
        elif tag in ("td", "th") and "".join(self.line).strip():
            self.line.append("  ")
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", []))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._PARAGRAPH or tag in self._LINE:
            self.block_break(tag)
            self.quote_depth = max(0, self.quote_depth - (tag == "blockquote"))
            self.pre = max(0, self.pre - (tag == "pre"))
        elif tag == "a" and self.links:
            href, texts = self.links.pop()
            if _link_worth_showing(href.strip(), "".join(texts)):
                self.line.append(f" <{href.strip().removeprefix('mailto:')}>")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        for _, texts in self.links:
            texts.append(data)
        if self.pre:
            first, *rest = data.split("\n")
            self.line.append(first)
            for piece in rest:
                self.flush(force=True)
                self.line.append(piece)
            return
        text = re.sub(r"\s+", " ", data)
        if not self.line or "".join(self.line).endswith(" "):
            text = text.lstrip()
        if text:
            self.line.append(text)


def _link_worth_showing(href: str, text: str) -> bool:
    if not re.match(r"(?i)(https?|ftp|mailto):", href):
        return False  # anchors, javascript:, cid: images say nothing to a reader

    def bare(value: str) -> str:
        return re.sub(r"(?i)^(mailto:|https?://)?(www\.)?", "", value.strip()).rstrip("/").lower()

    return bool(bare(href)) and bare(href) not in bare(text)


def html_to_text(markup: str) -> str:
    """Readable text from HTML: paragraphs and line breaks kept, link targets shown in
    <angle brackets>, blockquotes prefixed with "> " so `split_reply` can fold them."""
    markup = markup.replace("\x00", "")
    extractor = _TextExtractor()
    try:
        extractor.feed(markup)
        extractor.close()
        extractor.flush()
        text = "\n".join(extractor.lines)
    except Exception:  # malformed declarations can still trip the parser: strip tags instead
        text = html.unescape(re.sub(r"(?s)<(script|style)\b.*?</\1>|<[^>]+>", " ", markup))
    text = re.sub(r"[ \t\xa0]+\n", "\n", text.replace("\xa0", " "))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- quoted history ------------------------------------------------------------------------

# "On <date>, <name> wrote:" and its translations; mail programs wrap it over up to 3 lines.
_ATTRIBUTION = re.compile(
    r"^\s*(?:On\b.{0,300}\bwrote|Am\b.{0,300}\bschrieb\b.{0,200}|Le\b.{0,300}\ba\s+écrit"
    r"|El\b.{0,300}\bescribió|Il\b.{0,300}\bha\s+scritto|Op\b.{0,300}\bschreef\b.{0,200})"
    r"\s*:\s*$",
    re.I | re.S,
)
_WROTE = re.compile(r"^\s*\S.{0,200}\b(?:wrote|schrieb|a écrit|escribió|schreef)\s*:\s*$", re.I)
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine"
    r"|mensaje original|messaggio originale|oorspronkelijk bericht)\s*-{2,}\s*$",
    re.I,
)
_FORWARD_MARKER = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded message|weitergeleitete nachricht|message transféré)\s*-{2,}"
    r"|begin forwarded message:|anfang der weitergeleiteten nachricht:)\s*$",
    re.I,
)
_HEADER = r"^\s*\*?(?:{})\s*\*?\s*:"
_FROM_LINE = re.compile(_HEADER.format("from|von|de|da|van|od|från|fra") + r"\s*\S", re.I)
_DATE_LINE = re.compile(
    _HEADER.format("sent|date|gesendet|datum|envoyé|enviado|fecha|inviato|data|verzonden"), re.I
)
_OTHER_LINE = re.compile(
    _HEADER.format("to|an|à|para|a|aan|cc|subject|betreff|objet|asunto|oggetto|onderwerp"), re.I
)
# Outlook on the web puts the whole header block on one line when it loses the <br>s.
_ONE_LINE_HEADER = re.compile(
    r"^\s*(?:from|von|de)\s*:.+\b(?:sent|gesendet|envoyé|date)\s*:.+\b(?:subject|betreff|objet)\s*:",
    re.I,
)
_QUOTED_LINE = re.compile(r"^\s{0,2}>")
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")


def _header_block_at(lines: list[str], i: int) -> bool:
    """Outlook's "From: / Sent: / To: / Subject:" block that starts the quoted history."""
    if _ONE_LINE_HEADER.match(lines[i]):
        return True
    if not _FROM_LINE.match(lines[i]):
        return False
    following = [line for line in lines[i + 1 : i + 7] if line.strip()][:5]
    return any(_DATE_LINE.match(line) for line in following) and any(
        _OTHER_LINE.match(line) for line in following
    )


def _history_marker(lines: list[str]) -> tuple[int | None, bool]:
    """Where Outlook-style history starts (a separator or a header block, followed by the
    old mail unquoted), and whether the text is a forward, which is kept whole."""
    for i, line in enumerate(lines):
        if _FORWARD_MARKER.match(line):
            return None, True
        if _ORIGINAL_MESSAGE.match(line) or _header_block_at(lines, i):
            before = i - 1
            while before >= 0 and not lines[before].strip():
                before -= 1
            return (before if before >= 0 and _UNDERSCORES.match(lines[before]) else i), False
    return None, False


def _trailing_quote(lines: list[str]) -> int | None:
    """Start of the "> " block that ends the text, with the "On ... wrote:" line above it.

    Only a block at the very end counts: quotes with answers below them are an inline
    reply, and there the quotes are the answers' context.
    """
    start = None
    for i in range(len(lines) - 1, -1, -1):
        if _QUOTED_LINE.match(lines[i]):
            start = i
        elif lines[i].strip():
            break
    if start is None:
        return None
    before = start - 1
    while before >= 0 and not lines[before].strip():
        before -= 1
    if before < 0:
        return start
    # Gmail wraps a long attribution over two or three lines; never join across a blank one.
    for first in range(before, max(before - 3, -1), -1):
        if not lines[first].strip():
            break
        if _ATTRIBUTION.match(" ".join(lines[first : before + 1])):
            return first
    return before if _WROTE.match(lines[before]) else start


# --- signatures ----------------------------------------------------------------------------

# "Sent from my iPhone" and its kin: a short last line naming a device or a mail app.
_MOBILE = re.compile(
    r"^\s*(?:sent (?:from|with)|get outlook for|von meinem|gesendet (?:von|mit)|envoyé de"
    r"|enviado desde|inviato da|verzonden (?:vanaf|met))\b(?:\s+\S+){1,5}\s*$",
    re.I,
)
_DEVICE = re.compile(
    r"\b(?:iphone|ipad|android|samsung|galaxy|huawei|pixel|blackberry|mobile|smartphone|phone"
    r"|handy|tablet|outlook|mail|gmail|yahoo|ios)\b",
    re.I,
)
_SIGN_OFF = re.compile(
    r"^\s*(?:(?:best|kind|warm|many thanks and)?\s*regards|best wishes|best|thanks(?: again)?"
    r"|thank you|many thanks|cheers|sincerely|yours sincerely|mit freundlichen grüßen"
    r"|(?:freundliche|viele|beste|liebe) grüße|gruß|cordialement|bien cordialement|bien à vous"
    r"|salutations(?: distinguées)?|saludos(?: cordiales)?|un saludo|(?:distinti|cordiali) saluti"
    r"|met vriendelijke groet(?:en)?|groeten)\s*[,.!]?\s*$",
    re.I,
)
# A sign-off block is folded only when what follows the name looks like contact details.
_CONTACT = re.compile(
    r"@|www\.|https?://|\+?\d[\d ()./-]{6,}\d|\b(?:tel|phone|fax|mobile|mob|direct)\b"
    r"|\b(?:gmbh|ag|ltd|llc|inc|sa|sarl|s\.a\.|bv|plc)\b",
    re.I,
)


def _signature_start(lines: list[str]) -> int | None:
    candidates = []
    for i, line in enumerate(lines):
        # "-- " is the standard delimiter; many programs drop its trailing space, so a bare
        # "--" counts only when a short block follows.
        limit = {"-- ": 25, "--": 10}.get(line.rstrip("\n"))
        if limit and sum(1 for rest in lines[i + 1 :] if rest.strip()) <= limit:
            candidates.append(i)
            break
    content = [i for i, line in enumerate(lines) if line.strip()]
    candidates += [i for i in content[-3:] if _MOBILE.match(lines[i]) and _DEVICE.search(lines[i])]
    for i in reversed(content[-20:]):
        if not _SIGN_OFF.match(lines[i]):
            continue
        after = [j for j in content if j > i]
        rest = after[1:]  # the sign-off and the name stay with the message
        if (
            rest
            and len(rest) <= 15
            and any(_CONTACT.search(lines[j]) for j in rest)
            and not any(lines[j].rstrip().endswith("?") or len(lines[j]) > 100 for j in rest)
        ):
            candidates.append(rest[0])
        break
    return min(candidates) if candidates else None


def split_reply(text: str) -> tuple[str, str, str]:
    """Split a plain-text body into (new_text, quoted_text, signature).

    A message without quote or signature comes back whole as `new_text`; so does one where
    folding would leave nothing to read (a bare forward, a reply that is only a quote).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    marker, forwarded = _history_marker(lines)
    if forwarded:  # a forward is the matter itself, quotes and all
        return text.strip("\n").rstrip(), "", ""
    starts = [i for i in (marker, _trailing_quote(lines)) if i is not None]
    quote_start = min(starts) if starts else len(lines)
    head = lines[:quote_start]
    signature_start = _signature_start(head)
    if signature_start is None:
        signature_start = len(head)
    new_text = "\n".join(head[:signature_start]).strip("\n").rstrip()
    if not new_text.strip():
        return text.strip("\n").rstrip(), "", ""
    signature = "\n".join(head[signature_start:]).strip()
    quoted = "\n".join(lines[quote_start:]).strip()
    return new_text, quoted, signature
