"""The reply as the checks see it: the agent's own words, split into parts.

Quoted customer text is blanked out (every character but newlines becomes a
space) rather than cut out. Offsets in the blanked text are therefore offsets in
the original text, and no check can ever report a span inside the customer's
words, which are never the agent's to be judged on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

Span = tuple[int, int]

_QUOTE_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
# Where a client starts quoting the whole earlier message: everything after it
# is the thread history. Gmail wraps long "On ... wrote:" lines, so one line
# break is allowed inside.
_HISTORY_START = [
    re.compile(r"^[ \t]*On\b[^\n]{0,250}(?:\n[^\n]{0,120})?\bwrote:[ \t]*$", re.MULTILINE),
    re.compile(r"^[ \t]*-{2,}\s*(?:Original|Forwarded) Message\s*-{2,}", re.MULTILINE | re.I),
    re.compile(r"^[ \t]*From:[^\n]*\n(?:[^\n]*\n){0,3}?[ \t]*(?:Sent|Date):", re.MULTILINE),
]
_INLINE_QUOTE = re.compile(
    r"\"([^\"\n]{3,600})\"|“([^”]{3,600})”|„([^“”]{3,600})[“”]|«([^»]{3,600})»"
)
_QUOTE_INTRO = re.compile(
    r"\b(?:you|they|your\s+(?:colleague|team|e-?mail|message|note|letter))\s+"
    r"(?:wrote|said|say|mentioned|asked|stated|put\s+it|told\s+us|write|ask)\b[^.!?\n]{0,25}$"
    r"|\byour\s+(?:e-?mail|message|note|letter)\s*(?:said|says|read|reads)?\s*:?\s*$",
    re.IGNORECASE,
)
_ABBREVIATIONS = {
    "e.g", "i.e", "mr", "mrs", "ms", "dr", "no", "nos", "approx", "etc", "vs", "ltd", "inc",
    "co", "corp", "ref", "inv", "st", "nr", "fig", "dept", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "p.o", "a.m", "p.m",
}  # fmt: skip
_BOUNDARY = re.compile(r"[.!?]+[\"')\]”’]*(?=\s|$)|\n")
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_SALUTATION = re.compile(
    r"^(?:hi|hello|hey|hiya|dear|good\s+(?:morning|afternoon|evening|day)|morning|afternoon"
    r"|greetings|hola|bonjour|hallo|hej|ciao|salut|ol[aá]|buongiorno|guten\s+(?:tag|morgen)"
    r"|g['’]day|howdy|bonsoir|buen[oa]s\s+(?:d[ií]as|tardes|noches)|bom\s+dia|boa\s+tarde"
    r"|goedemorgen|goedemiddag|god\s+morgen|namaste|kia\s+ora|salaam|shalom|moin"
    # Salutations of other languages that take the name after them: "Sehr geehrte Frau
    # Schmidt", "Hei Bjørn", "Estimada Ana", "Chère Amélie", "Geachte heer Jansen".
    r"|hei|hall[åa]|moi|witam|sehr\s+geehrte[rs]?|liebe[rs]?|estimad[oa]s?|querid[oa]s?"
    r"|ch[eè]re?s?|geachte|beste|k[æa]re?|car[oa]|gentile|prezad[oa]s?|szanown[ya]"
    # "Good day" in more languages, alone on its line ("Dobrý den,", "Labdien!"); with a
    # name after it, Greeting.Missing reads the name (it may be in its vocative).
    r"|(?:dobr[ýy]\s+de[nň]|dzie[nń]\s+dobry|labdien|laba\s+diena|sveiki|tere(?:\s+p[äa]evast)?"
    r"|j[óo]\s+napot(?:\s+k[íi]v[áa]nok)?|dobar\s+dan|dober\s+dan|bun[ăa]\s+ziua|merhaba|ahoj"
    r"|gr[üu]ezi|servus|zdravo|goddag|god\s+dag|hyv[äa][äa]\s+p[äa]iv[äa][äa]|kalim[ée]ra"
    r"|konnichiwa|selamat\s+pagi|xin\s+ch[àa]o)(?=[ \t]*[,!.]?[ \t]*$))(?!\w)",
    re.IGNORECASE,
)
# A reply signed with just a name, no "Regards": one to three capitalised words
# alone on the last line.
# The name may carry a job title on a line or two below it ("Henrik Dahl" over
# "Accounts Payable Manager"), with the team and the company after a comma and the
# company's legal form in small letters ("Finance, Spolek Zelený Dům z.s.", "Sp. z o.o.").
_NAME_SIGNATURE = re.compile(
    r"(?m)^[ \t]*(?:[A-Z][^\W\d_]+[ \t]?){1,3}[ \t]*"
    r"(?:\n[ \t]*[A-Z][^\W\d_]+\.?,?(?:[ \t]+(?:[A-Z][^\W\d_]+\.?,?|&|and|of|for|z"
    r"|[a-z]{1,3}\.(?:[ ]?[a-z]{1,3}\.)*)){0,7}[ \t]*){0,2}\s*\Z"
)
# A greeting word, a comma, then the name alone up to the end of the line.
_NAME_AFTER_COMMA = re.compile(
    r",[ \t]*((?:(?:Mr|Mrs|Ms|Dr)\.?[ \t]+)?[A-Z][^\W\d_]*(?:[.'’-][^\W\d_]*)?"
    r"(?:[ \t]+[A-Z][^\W\d_]*(?:[.'’-][^\W\d_]*)?){0,2})[ \t]*[,!:]?[ \t]*$"
)
# "Raj," alone on the first line: a name used as the greeting.
_NAME_LINE = re.compile(r"^(?:[A-Z][^\W\d_]*[.'’-]?\s?){1,3},[ \t]*$")
SIGN_OFF = re.compile(
    r"^[ \t]*(?:(?:kind(?:est)?|best|warm(?:est)?|many|with)\s+(?:regards|wishes|thanks)"
    r"|regards|best|thanks(?:\s+again)?|thank\s+you(?:\s+again)?|many\s+thanks|cheers"
    r"|sincerely|yours\s+(?:sincerely|faithfully|truly)|all\s+the\s+best|speak\s+soon"
    r"|talk\s+soon|with\s+thanks|thanks\s+and\s+regards|best\s+regards|rgds"
    # Thanks in the reader's language: "Muchas gracias,", "Merci et bonne journée,".
    r"|(?:muchas\s+)?gracias|(?:merci|danke|grazie|obrigad[oa]|tack|takk|kiitos)(?:\s+[^\W\d_]+){0,3}"
    # Sign-offs in the reader's language: "Vennlig hilsen,", "Mit freundlichen Grüßen".
    r"|(?:med\s+)?(?:vennlig|venlig)(?:e|st)?\s+hilsen(?:er)?|mit\s+freundlichen\s+gr(?:ü|ue)(?:ß|ss)en"
    r"|(?:un\s+)?(?:cordiales\s+)?saludos?(?:\s+cordiales)?|atentamente|atenciosamente"
    r"|(?:bien\s+)?cordialement|(?:met\s+)?vriendelijke\s+groet(?:en)?|(?:med\s+)?v[äa]nlig(?:a|en)?"
    r"\s+h[äa]lsning(?:ar)?|h[äa]lsningar|mvh|(?:cordiali|distinti)\s+saluti|pozdrawiam"
    r"|ystävällisin\s+terveisin|(?:viele|beste|freundliche|liebe|herzliche)\s+gr(?:ü|ue)(?:ß|ss)e"
    r"|z\s+poważaniem|s\s+pozdravem"
    # ... of central and eastern Europe and further: "Pagarbiai," (Lithuanian), "Ar cieņu,"
    # (Latvian), "Lugupidamisega," (Estonian), "Üdvözlettel," (Hungarian), "S poštovanjem,".
    r"|pagarbiai|su\s+pagarba|ar\s+cie[nņ]u|lugupidamisega|parimate\s+soovidega|tervitades"
    r"|terveisin|[üu]dv[öo]zlettel|tisztelettel|s\s+po[šs]tovanjem"
    r"|(?:srda[čc]an|lijep|lep|srde[čc]en)\s+pozdrav|s\s+(?:p[řr][áa]telsk[ýy]m\s+)?pozdrav(?:em|om)"
    r"|z\s+wyrazami\s+szacunku|cu\s+(?:stim[aă]|respect|drag)|saygılarımla|saygilarimla"
    r"|(?:com\s+os\s+)?(?:melhores\s+)?cumprimentos|cordialmente|abra[çc]os?|ng[āa]\s+mihi"
    r"|(?:hartelijke\s+)?groet(?:en|jes)?"
    # "Thank you for your patience," closing the letter before the name.
    r"|(?:many\s+)?thank(?:s|\s+you)(?:\s+again)?\s+for\s+[^.!?\n]{1,50}(?=,))[ \t]*[,.!]?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


def fold(text: str) -> str:
    """Lower-case and strip accents, for comparing names and quoted text."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_words(text: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD.findall(fold(text))]


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def _repeats_customer(quoted: str, customer_words: list[str], customer_joined: str) -> bool:
    words = fold_words(quoted)
    if not words or not customer_words:
        return False
    if f" {' '.join(words)} " in customer_joined:
        return True
    known = set(customer_words)
    return len(words) >= 3 and sum(w in known for w in words) / len(words) >= 0.8


_ANSWER_BELOW = re.compile(r"(?:[ \t]*\n)*(?:[ \t]*>[^\n]*(?:\n|$))+(?:[ \t]*\n)*(?=[ \t]*[^\s>])")


def _answered_below(text: str, header_end: int) -> bool:
    """Whether the quote under a history header is followed by the writer's own words."""
    start = header_end + 1 if text[header_end : header_end + 1] == "\n" else header_end
    return bool(_ANSWER_BELOW.match(text, start))


def mask_quotes(text: str, customer_message: str | None = None) -> tuple[str, list[Span]]:
    """Return `text` with quoted customer text blanked out, and the blanked spans."""
    chars = list(text)
    quoted: list[Span] = []
    history_at = len(text)
    for pattern in _HISTORY_START:
        match = pattern.search(text)
        if match and match.start() < history_at:
            if _answered_below(text, match.end()):
                # "On ... wrote:" over a few "> " lines, answered below them: only
                # the header is history; the "> " lines are masked as quotes.
                quoted.append(match.span())
                continue
            history_at = match.start()
    if history_at < len(text):
        quoted.append((history_at, len(text)))
    for match in _QUOTE_LINE.finditer(text, 0, history_at):
        quoted.append(match.span())
    customer_words = fold_words(customer_message or "")
    customer_joined = f" {' '.join(customer_words)} "
    for match in _INLINE_QUOTE.finditer(text, 0, history_at):
        inner = next(g for g in match.groups() if g is not None)
        before = text[max(0, match.start() - 80) : match.start()]
        if _QUOTE_INTRO.search(before) or _repeats_customer(inner, customer_words, customer_joined):
            quoted.append(match.span())
    for start, end in quoted:
        _blank(chars, start, end)
    quoted.sort()
    return "".join(chars), quoted


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str
    sentence_initial: bool


class Document:
    """A reply split into sentences, paragraphs and words over the masked text."""

    def __init__(self, text: str, customer_message: str | None = None) -> None:
        self.text = text
        self.customer_message = customer_message or ""
        self.active, self.quoted = mask_quotes(text, customer_message)
        # Results that several checks share, for this reply only.
        self.memo: dict[object, object] = {}

    @cached_property
    def sentences(self) -> list[Span]:
        text = self.active
        spans: list[Span] = []
        start = 0
        # After a line ending in a colon, each line up to the next blank line is an
        # item of a list ("we still need:\nthe signed form\na bank letter"), however
        # it starts; it is not one long sentence wrapped over several lines.
        listing = False
        for match in _BOUNDARY.finditer(text):
            if match.group() == "\n":
                line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()].strip()
                if line.endswith(":"):
                    listing = True
                elif not line:
                    listing = False
                rest = text[match.end() : match.end() + 200].lstrip(" \t")
                # A line that carries on in lower case is a wrapped sentence.
                if (
                    not listing
                    and rest
                    and rest[0].islower()
                    and text[start : match.start()].strip()
                ):
                    continue
            else:
                word = re.search(r"([\w.]+)$", text[start : match.start()])
                token = word.group(1).lower().rstrip(".") if word else ""
                if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                    continue
            spans.append((start, match.end()))
            start = match.end()
        spans.append((start, len(text)))
        trimmed = []
        for s, e in spans:
            chunk = text[s:e]
            left = len(chunk) - len(chunk.lstrip())
            right = len(chunk.rstrip())
            if right > left:
                trimmed.append((s + left, s + right))
        return trimmed

    @cached_property
    def paragraphs(self) -> list[Span]:
        spans = []
        for match in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", self.active):
            spans.append(match.span())
        return spans

    @cached_property
    def words(self) -> list[Word]:
        initial = {s for s, _ in self.sentences}
        return [
            Word(m.start(), m.end(), m.group(), m.start() in initial)
            for m in _WORD.finditer(self.active)
        ]

    @cached_property
    def sign_off(self) -> Span | None:
        """The "Kind regards," line; what follows it is the agent's signature."""
        matches = list(SIGN_OFF.finditer(self.active))
        if not matches:
            return None
        last = matches[-1]
        # Only near the end: "Thanks!" opening a reply is not a sign-off.
        tail_words = len(_WORD.findall(self.active[last.end() :]))
        if tail_words > 40:
            return None
        stripped = last.group().strip()
        offset = last.group().index(stripped)
        return (last.start() + offset, last.start() + offset + len(stripped))

    @cached_property
    def body_end(self) -> int:
        """Where the agent's own prose ends: the sign-off line, else a bare name
        signing the reply ("Tomasz" on the last line), else the end."""
        if self.sign_off:
            return self.sign_off[0]
        last = _NAME_SIGNATURE.search(self.active)
        if last and self.active[: last.start()].strip():
            return last.start()
        return len(self.active)

    @cached_property
    def body_sentences(self) -> list[Span]:
        return [s for s in self.sentences if s[0] < self.body_end]

    @cached_property
    def body_words(self) -> list[Word]:
        return [w for w in self.words if w.start < self.body_end]

    @cached_property
    def salutation(self) -> tuple[Span, str] | None:
        """The opening "Hi Anna," line, and the words after the greeting word."""
        if not self.sentences:
            return None
        first = self.sentences[0]
        line_end = self.active.find("\n", first[0])
        line_end = len(self.active) if line_end < 0 else line_end
        line = self.active[first[0] : line_end]
        match = _SALUTATION.match(line)
        if not match:
            named = _NAME_LINE.match(line.rstrip())
            if named is None:
                return None
            name = line.rstrip()[:-1].rstrip()
            return (first[0], first[0] + len(name)), name
        head = line[match.end() :]
        # The name after a comma: "Good morning, Anna,", "Hello, Mr Silva!".
        named = _NAME_AFTER_COMMA.match(head)
        if named:
            end = first[0] + match.end() + named.end(1)
            return (first[0], end), named.group(1)
        cut = re.search(r"[,\n!:;–—]| - |\.(?=\s*$)", head)
        addressee = (head[: cut.start()] if cut else head).strip()
        end = first[0] + match.end() + (cut.start() if cut else len(head.rstrip()))
        return (first[0], end), addressee

    def sentence_of(self, pos: int) -> Span:
        for span in self.sentences:
            if span[0] <= pos < span[1]:
                return span
        return (pos, pos)

    def sentence_index(self, pos: int) -> int:
        for i, span in enumerate(self.sentences):
            if span[0] <= pos < span[1]:
                return i
        return -1

    def is_quoted(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.quoted)

    @cached_property
    def has_words(self) -> bool:
        return bool(self.words)
