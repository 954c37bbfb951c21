"""Checks on the wording itself: jargon, readability, sentence and paragraph length,
shouting, and spelling."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

from ..context import Context
from ..document import SIGN_OFF, Document, Span, fold, fold_words
from ..engine import _excepted, finding
from ..extract import misspelt_calendar_word
from ..model import Finding
from ..registry import load_checks, register
from ..resources import known_word, spelling_candidates, syllables
from ..ruleset import GlossaryTerm, Rule, RuleSet

_STOP = {"a", "an", "the", "of", "for", "to", "and", "or", "in", "on", "our", "your", "we"}
_AFTER_EXPLAINED = re.compile(
    # Not a clause that only ranks or weighs it: "our DPO, which is one of the targets our
    # treasury team watches", "which is important to us", "which is why ...".
    r"\s*(?:,|—|–|-)?\s*(?:which|that|this)\s+(?:is|means|stands\s+for|are|refers\s+to)\b"
    r"(?!\s+(?:(?:also|still|now|really|very|quite)\s+)?(?:one\s+of|among|why"
    r"|because|important|key|critical|vital|crucial|closely|watched|tracked|monitored)\b)"
    r"|\s*(?:,|—|–|:)?\s*(?:means|stands\s+for|is\s+short\s+for|i\.e\.|meaning|in\s+other\s+words)\b"
    r"|\s*\((?:i\.e\.|meaning|=)"
    # A definition after a colon or a dash, past the acronym in brackets if any:
    # "three-way match (3WM): a check that ...", "the GRN – our record that ...".
    r"|(?:\s*\([^()\n]{1,20}\))?\s*(?::|—|–|\s-)\s*(?:a|an|i\.e\.|that\s+is|in\s+other\s+words"
    r"|our|the\s+(?:check|record|document|note|process|step|list|code|account|report|screen|system"
    r"|team|form|flag|block|hold))\s+\w+"
    # An apposition naming what it is: "the GRN, a record that the goods arrived".
    r"|(?:\s*\([^()\n]{1,20}\))?\s*,\s*(?:a|an|our)\s+(?:[\w-]+\s+){0,3}?(?:that|which|where"
    r"|showing|confirming|listing|recording|used\s+(?:to|for)|for\s+\w+ing)\b"
    # ... or "the" and a word for a kind of thing: "two-way match, the check that ...",
    # not a list of documents ("the GRN, the invoice that you sent").
    r"|(?:\s*\([^()\n]{1,20}\))?\s*,\s*the\s+(?:[\w-]+\s+)?(?:check|control|test|record|process"
    r"|step|list|code|flag|block|hold|rule|screen|system|tool|report|register|procedure|sheet)s?"
    r"\s+(?:that|which|where|showing|confirming|listing|recording|used|for|of\s+\w+ing)\b",
    re.IGNORECASE,
)
_NAMED_AFTER = re.compile(
    r"\b(?:(?:we|they|people|you\s+may\s+see|it\s+is|it[’']s|this\s+is)\s+(?:call|calls|called"
    r"|term|terms|termed|name|names|named)(?:\s+(?:this|it|that|them))?|(?:known|referred\s+to)\s+as"
    r"|so[- ]called)\s+(?:an?\s+|the\s+)?[\"“'‘]?$",
    re.IGNORECASE,
)
# A definition a few words on, in the same sentence: "We run a three-way match on every
# invoice, meaning we check ...", "a PO hold on it, which means ...".
_EXPLAINED_LATER = re.compile(
    r"(?:\s+[\w'’-]+){1,6}?\s*,\s*(?:meaning|which\s+means|that\s+is,|i\.e\.|in\s+other\s+words)\s",
    re.IGNORECASE,
)
# Brackets holding only codes or numbers: "(LFA1/LFBK)", "(R)", "(status B)".
_CODES_ONLY = re.compile(r"\s*(?:[A-Z0-9][A-Z0-9_-]*(?:\s*[/,&+]\s*|\s+|\s+and\s+)?)+\s*")
_ASKS_MEANING = re.compile(
    r"\b(?:not\s+sure|unsure|don[’']t\s+know|do\s+not\s+know|no\s+idea|not\s+clear)\s+what"
    r"\s+(?:that|this|it|these|those|they)\s+(?:is|are|means?|stands?\s+for)\b"
    r"|\bwhat\s+(?:is|are)\s+(?:that|this|these|those)\s*\?"
    r"|\bwhat\s+does\s+[^.?!\n]{1,30}\s+(?:mean|stand\s+for)\b",
    re.IGNORECASE,
)
_THANKS_LINE = re.compile(r"(?:many\s+)?thank(?:s|\s+you)\s+(?:again\s+)?for\b", re.IGNORECASE)
_TOKEN = re.compile(r"[^\s]*[^\W_][^\s]*")
_SKIP_SPANS = re.compile(r"\S+@\S+\.\w+|(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|eu)\b")


def _content_words(text: str) -> list[str]:
    return [w for w in fold_words(text) if w not in _STOP]


def _initials_match(words: list[str], acronym: str) -> bool:
    letters = [ch for ch in fold(acronym) if ch.isalpha()]
    if len(letters) < 2:
        return False
    # "two-way match (2WM)": each part of a hyphenated word has its initial.
    initials = "".join(part[0] for w in words for part in w.split("-") if part)
    return "".join(letters) in initials


def explained_at(text: str, start: int, end: int, term: GlossaryTerm) -> bool:
    """ "goods receipt note (GRN)", "GRN (goods receipt note)", "GRN, which means ..."."""
    explanation = set(_content_words(term.explanation))
    after = text[end : end + 160]
    # "GRN (...)" or "ERP system (...)": brackets right after the term or the
    # noun it qualifies.
    paren = re.match(r"(?:\s+[a-z]+){0,2}\s*\(([^()]{3,120})\)", after)
    # Codes in brackets ("vendor master (LFA1/LFBK)") name it again; they explain nothing.
    if paren and not _CODES_ONLY.fullmatch(paren.group(1)):
        inner = _content_words(paren.group(1))
        if len(inner) >= 2 or explanation & set(inner):
            return True
    if _AFTER_EXPLAINED.match(after) or _EXPLAINED_LATER.match(after):
        return True
    # Set off by dashes: "our vendor master file - the central record of supplier data -".
    dashed = re.match(r"\s+[-–—]\s+([^\n.!?–—]{3,120}?)\s+[-–—](?=\s|$)", after)
    if dashed:
        inner = _content_words(dashed.group(1))
        if len(inner) >= 2 or explanation & set(inner):
            return True
    before = text[max(0, start - 160) : start]
    # Named after it was described: "it isn't linked to a purchase order; we call this a
    # \"PO hold\"", "a block known as a 'credit hold'".
    if _NAMED_AFTER.search(before):
        return True
    lead_in = re.search(
        r"([^().;:!?\n]{3,160}?)\s*(?:\(\s*|,?\s*(?:or|aka|also\s+called))\s*$", before
    )
    if lead_in and (before.rstrip().endswith("(") or re.search(r"\b(?:or|aka|called)\s*$", before)):
        words = _content_words(lead_in.group(1))[-8:]
        # The term's own name in full right before it: "withholding tax (WHT)".
        name = _content_words(term.explanation.split(",")[0])
        if name and set(name) <= set(words):
            return True
        if explanation and len(explanation & set(words)) * 2 >= len(explanation):
            return True
        all_words = fold_words(lead_in.group(1))[-8:]
        if _initials_match(all_words, text[start:end]) or _initials_match(words, text[start:end]):
            return True
    return False


def _glossary_matches(doc: Document, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    """The glossary's terms in the reply's own text, found once per reply: jargon reports
    them, spelling skips them, and the scan is one of the costliest of a review."""
    key = ("glossary", pattern)
    found = doc.memo.get(key)
    if found is None:
        found = doc.memo[key] = list(pattern.finditer(doc.active))
    return found  # type: ignore[return-value]


@register("jargon")
def jargon(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    pattern = rules.glossary_pattern
    if pattern is None:
        return
    # A term the customer used first is the customer's own vocabulary, unless they
    # quoted it to ask what it means ("Your remittance says \"WHT\". We are not sure
    # what that is.").
    message = ctx.customer_message or ""
    used = (
        {m.lastgroup for m in pattern.finditer(message)}
        if not _ASKS_MEANING.search(message)
        else set()
    )
    first: dict[str | None, re.Match[str]] = {}
    for match in _glossary_matches(doc, pattern):
        if (
            match.end() <= doc.body_end
            and match.lastgroup not in used
            and not _signature_line(doc.active, match.start())
        ):
            first.setdefault(match.lastgroup, match)
    for match in first.values():
        term = rules.glossary_term(match)
        if explained_at(doc.active, match.start(), match.end(), term):
            continue
        said = match.group()
        yield finding(
            rule,
            match.span(),
            f"'{said}' is internal jargon: the reader may not know it means "
            f"{term.explanation}. Explain it the first time, or use the plain words.",
            f"{term.explanation} ({said})",
        )


def _prose_sentences(doc: Document) -> list[Span]:
    """Body sentences without the greeting line, which is not prose."""
    sentences = list(doc.body_sentences)
    if (
        doc.salutation
        and sentences
        and sentences[0][0] == doc.salutation[0][0]
        and len(_TOKEN.findall(doc.active[sentences[0][0] : sentences[0][1]])) <= 6
    ):
        sentences = sentences[1:]
    return sentences


# An account or telephone number written in groups ("EE38 2200 2210 2014 5685",
# "+420 555 123 456") is read as one item, not as one word per group.
_NUMBER_GROUPS = re.compile(r"(?<!\S)(?:[A-Z]{2}\d{2}|\+?\d+)(?: \d+){2,}(?!\S)")


def _word_count(text: str) -> int:
    count = len(_TOKEN.findall(text))
    for run in _NUMBER_GROUPS.finditer(text):
        count -= run.group().count(" ")
    return count


@register(
    "readability",
    max_grade=12.0,
    min_words=60,
    short_min_words=30,
    short_max_grade=14.0,
    short_sentence_cap=20,
)
def readability(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    sentences = _prose_sentences(doc)
    if not sentences:
        return
    # Syllables per sentence in one pass over the words (both lists are sorted).
    starts = [s for s, _ in sentences]
    per_sentence = [0] * len(sentences)
    word_count = 0
    for word in doc.words:
        i = bisect_right(starts, word.start) - 1
        if i >= 0 and word.start < sentences[i][1]:
            per_sentence[i] += syllables(word.text, rules.language)
            word_count += 1
    params = rule.params
    if word_count < params["short_min_words"]:
        return
    # Flesch-Kincaid grade level.
    words_per_sentence = word_count / len(sentences)
    limit = params["max_grade"]
    if word_count < params["min_words"]:
        # A short reply has too few sentences for their length to say much (one long
        # sentence is Clarity.LongSentence's business), but dense wording still shows:
        # it is graded with its sentence length capped, against a higher bar.
        words_per_sentence = min(words_per_sentence, params["short_sentence_cap"])
        limit = params["short_max_grade"]
    grade = 0.39 * words_per_sentence + 11.8 * sum(per_sentence) / word_count - 15.59
    if grade <= limit:
        return
    hardest = sentences[max(range(len(sentences)), key=per_sentence.__getitem__)]
    yield finding(
        rule,
        hardest,
        f"This reply reads at US school grade {grade:.0f}; aim for {params['max_grade']:.0f} "
        "or below. This is the hardest sentence.",
    )


# Where one main clause ends and the next begins: a semicolon or colon, or a comma
# with a conjunction that starts a new clause ("..., but ...", "..., so ...", or
# ", and" with a new subject: "..., and we confirm it in writing"). Not a bare comma
# or ", and" before a noun, which as often join the items of one list.
_CLAUSE_JOINT = re.compile(
    r"[;:](?=\s)|,\s+(?:but|so|yet|and\s+then|and\s+so)\b"
    r"|,\s+(?=and\s+(?:I|we|you|they|he|she|it)(?:['’]\w+)?\s+\w+)"
    # ", and before each payment run ...": a clause opening on its own adverbial.
    r"|,\s+(?=and\s+(?:before|after|when|once|if|since|until|then|from\s+now\s+on|as|because"
    r"|while|though|although|unless)\s)"
    # ", and billing sends invoices to ...": a bare noun as subject, a verb in "-s" and its
    # object (not a list's last item: ", and credit notes", ", and bank statements for").
    r"|,\s+(?=and\s+[a-z]{3,}(?<!s)\s+[a-z]{2,}(?<![eus])s\s+(?:a|an|the|our|your|its|their|it"
    r"|them|us|you|me|him|her|[a-z]+s)\b)"
    # A conjunction set off by commas opens a clause of its own: "send us a credit note,
    # or, if the price was agreed, ask your account manager ...".
    r"|,\s+(?=(?:or|and|but)\s*,\s)"
    # ", and Ms Baumann calls you": a named person and a verb.
    r"|,\s+(?=and\s+(?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?(?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+)?"
    r"\s+(?:is|was|will|can|has|\w+(?<!s)s|\w+ed)\b)"
    # ", and our team is checking ...", ", and any note from the customer now appears":
    # a new subject (a determiner and a few words) and its verb start a new clause.
    # ", and late-payment interest under the Act will apply": a modal verb after a few
    # words starts a clause of its own.
    r"|,\s+(?=and\s+(?:[\w-]+\s+){1,8}?(?:will|would|can|could|should|must|may|might|shall)\s)"
    r"|,\s+(?=and\s+(?:a|an|our|the|your|any|every|each|all|its|their|my|this|that|these|those|no)"
    r"\s+(?:\w+\s+){0,4}?(?:is|are|was|were|has|have|had|will|would|can|could|should|must"
    r"|now|also|\w+(?<!s)s)\b)"
    # The subject may carry a short phrase of its own: ", and any credit hold on a
    # customer who paid in the last 30 days is reviewed by a person".
    r"|,\s+(?=and\s+(?:any|every|each|all|no)\s+(?:\w+\s+){0,12}?(?:is|are|will|can|must)\s+\w+ed\b)"
    # "... parked in our GL and the open item will be knocked off once ...": "and", a
    # new subject and a modal verb start a clause even without a comma.
    r"|\s+(?=and\s+(?:the|our|your|this|that|a|an)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:will|would|can|could|should|must|may|might|shall)\s)"
    # An aside set off by spaced dashes reads as a sentence of its own: "To avoid any
    # interruption – our platform deactivates access once ... – please arrange payment".
    r"|\s[–—]\s|\s-\s(?=\w)"
    # So does a comment on what came before, after a comma: "... an impact on our cash
    # position, which our treasury team watches closely, so ...", or one with a subject
    # of its own: "..., which your marketing team asked for on 14 April".
    r"|,\s+(?=which\s+(?:(?:really|also|still|only|then|now|already|usually|normally|often)\s+)?"
    r"(?:is|was|are|were|has|have|had|will|would|can|could|should|must|may|might|means|our|we"
    r"|you|your|they|their|I|my)\s)",
    re.IGNORECASE,
)
# An opening subordinate clause set off by a comma ("To make sure this can't happen
# again, ...") is read as a unit of its own.
# It runs to the comma before the main clause's subject ("If payment, or a call to
# agree a plan, has not reached us by Friday, we will ...") or else to its first comma.
_OPENING_CLAUSE = re.compile(
    r"\s*(?:To|If|When|Once|As\s+soon\s+as|Because|Since|After|Before|Although|While|Until"
    # A comma or point inside a number ("EUR 7,955.75") ends nothing.
    r"|Unless)\b(?:(?:[^;:.!?]|(?<=\d)[.,](?=\d)){0,120}?,(?=\s+(?:I|we|you|they|he|she|it"
    r"|there|this|that|your|our|the|its|their|my|any|all|no|a|an)\s)"
    r"|(?:[^,;:.!?]|(?<=\d)[.,](?=\d)){0,80}?,(?!\d))",
    re.IGNORECASE,
)
# A short lead-in is read as a unit too: "Just so you know, ...", "Please note that ...".
_LEAD_IN = re.compile(
    r"\s*(?:(?:just\s+so\s+you\s+know|to\s+be\s+clear|for\s+clarity|in\s+the\s+meantime"
    r"|that\s+said|meanwhile|however|finally"
    # ... or the source a statement rests on: "Under the agreement, ...", "As per our
    # terms, ...", "According to our records, ...".
    r"|(?:under|according\s+to|as\s+per|per|in\s+line\s+with|in\s+accordance\s+with)"
    r"\s+(?:the|our|your|its|their)\s+(?:[\w-]+\s+){0,2}?[\w-]+)\s*,"
    r"|(?:please\s+)?(?:note|bear\s+in\s+mind|be\s+aware|remember)\s+that\b)",
    re.IGNORECASE,
)


def _units(text: str) -> list[str]:
    """A clause, with its lead-in and opening subordinate clause split off."""
    units = []
    lead = _LEAD_IN.match(text)
    if lead:
        units.append(text[: lead.end()])
        text = text[lead.end() :]
    opening = _OPENING_CLAUSE.match(text)
    if opening:
        units.append(text[: opening.end()])
        text = text[opening.end() :]
    return [*units, text]


def _reads_as_short_sentences(text: str, count: int, params: dict) -> bool:
    """A sentence a little over the limit that is a chain of short main clauses
    ("It arrived on 4 May, but the run used the value date, so it charged a fee")
    reads like two or three short sentences: the reader takes it clause by clause."""
    if count > params["max_chain_words"]:
        return False
    # Each main clause may open with its own subordinate clause: "I do need to be
    # clear, though: if we haven't heard by Friday, your account will ...".
    clauses = [unit for part in _CLAUSE_JOINT.split(text) for unit in _units(part)]
    return len(clauses) > 1 and all(
        _word_count(clause) <= params["max_clause_words"] for clause in clauses
    )


# A short aside in brackets (a figure, a rate, a gloss: "(34 days at 11.15% a year)",
# "(around £900)") is read past, not as part of the sentence's load.
_ASIDE = re.compile(r"\s*\((?:[^()\n\s]+\s*){1,8}\)")


@register("long_sentence", max_words=35, max_chain_words=45, max_clause_words=25)
def long_sentence(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    for span in _prose_sentences(doc):
        text = doc.active[span[0] : span[1]]
        count = _word_count(text)
        if count <= rule.params["max_words"]:
            continue
        read = _ASIDE.sub("", text) if "(" in text else text
        if _word_count(read) > rule.params["max_words"] and not _reads_as_short_sentences(
            read, _word_count(read), rule.params
        ):
            yield finding(
                rule,
                span,
                f"This sentence has {count} words; split it so each sentence says one thing "
                f"(at most {rule.params['max_words']}).",
            )


@register("wall_of_text", max_words=120)
def wall_of_text(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    for start, end in doc.paragraphs:
        if start >= doc.body_end:
            continue
        end = min(end, doc.body_end)
        count = _word_count(doc.active[start:end])
        if count > rule.params["max_words"]:
            yield finding(
                rule,
                (start, len(doc.active[:end].rstrip())),
                f"This paragraph runs to {count} words. Break it up: one point per paragraph, "
                "with a blank line between.",
            )


def _known_caps(word: str, rules: RuleSet, customer: str) -> bool:
    """Capitals that are not shouting: acronyms, codes, the customer's own words."""
    return (
        not known_word(word.lower(), rules.language)  # "DEUTDEFF" is a bank code
        or word in rules.acronyms
        or word.rstrip("s") in rules.acronyms
        or (rules.glossary_pattern is not None and rules.glossary_pattern.fullmatch(word))
        or (bool(customer) and re.search(rf"\b{re.escape(word)}\b", customer) is not None)
    )


# A reference written as one run of letters and digits joined by slashes or hyphens
# ("UNI/EXED/2026/0117", "ACC-OPS-2026-14"): its capitals are a code, not shouting.
_CODE_TOKEN = re.compile(r"[\w.]*\d[\w.]*")


def _in_code(text: str, word: Any) -> bool:
    start = word.start
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "([\"'“‘":
        start -= 1
    end = word.end
    while end < len(text) and not text[end].isspace() and text[end] not in ")]\"'”’,;:":
        end += 1
    token = text[start:end].rstrip(".!?")
    return any(c in token for c in "/-") and any(
        _CODE_TOKEN.fullmatch(part) for part in re.split(r"[/-]", token)
    )


@register("all_caps", min_letters=5)
def all_caps(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    customer = ctx.customer_message or ""
    run: list[tuple[int, int, str]] = []

    def flush() -> Iterator[Finding]:
        # Shouting is ordinary words in capitals ("PLEASE NOTE", "URGENT").
        plain = [w for w in run if not _known_caps(w[2], rules, customer)]
        long_plain = [w for w in plain if len(w[2]) >= rule.params["min_letters"]]
        shouting = long_plain or (len(run) >= 2 and any(len(w[2]) >= 3 for w in plain))
        if run and shouting:
            span = (run[0][0], run[-1][1])
            said = doc.active[span[0] : span[1]]
            yield finding(rule, span, suggestion=said.lower().capitalize())

    previous_end = -1
    text = doc.active
    for word in doc.body_words:
        caps = len(word.text) >= 2 and word.text.isupper() and not _in_code(text, word)
        if caps and run and re.fullmatch(r"[\s,;:!.&/-]*", doc.active[previous_end : word.start]):
            run.append((word.start, word.end, word.text))
        else:
            if run:
                yield from flush()
            run = [(word.start, word.end, word.text)] if caps else []
        previous_end = word.end
    if run:
        yield from flush()


_BRITISH = [
    ("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ise", "ize"),
    ("ises", "izes"), ("yse", "yze"), ("ysed", "yzed"), ("our", "or"), ("ours", "ors"),
    ("tre", "ter"), ("tres", "ters"), ("lled", "led"), ("lling", "ling"), ("ogue", "og"),
    ("ence", "ense"), ("mme", "m"), ("eable", "able"), ("gement", "gment"),
]  # fmt: skip
# Only "-gement" keeps an "e" in British spelling (judgement, acknowledgement): "payement"
# and "arguement" are slips, not British forms of "payment" and "argument".


_PREFIXES = ("re", "un", "mis", "de", "pre", "non", "co", "over", "under", "sub", "auto", "multi")


def _accepted(word: str, rules: RuleSet, compounds: bool = True) -> bool:
    """Known as written, as a British spelling, a plural, a possessive or a compound."""
    if word in rules.vocabulary or known_word(word, rules.language):
        return True  # the common case, one dictionary lookup
    checked = [word]
    if word.endswith(("'s", "’s")):
        checked.append(word[:-2])
    for form in list(checked):
        if form.endswith("s") and len(form) > 4:
            checked.append(form[:-1])
        for uk, us in _BRITISH:
            if form.endswith(uk):
                checked.append(form[: -len(uk)] + us)
        # British forms inside a word: colours, organisational, apologised.
        for uk, us in (("our", "or"), ("isation", "ization"), ("ise", "ize"), ("yse", "yze")):
            if uk in form[1:]:
                checked.append(form.replace(uk, us))
    for form in checked:
        if form in rules.vocabulary or known_word(form, rules.language):
            return True
    # A known word behind a common prefix: "rebill", "unapplied", "misallocated",
    # "rematched". The rest must be a word of four letters or more, so a typo seldom
    # passes as one; after "un" it must be a participle or an adjective ("unapplied",
    # not "untill").
    for prefix in _PREFIXES:
        rest = word[len(prefix) :]
        if prefix == "un" and not rest.endswith(("ed", "ing", "able", "ible")):
            continue
        if (
            word.startswith(prefix)
            and len(rest) >= 4
            and rest.isalpha()
            and (rest in rules.vocabulary or known_word(rest, rules.language))
        ):
            return True
    if not compounds:
        return False
    # Compounds the dictionary lacks: "timesheet", "webform", "payrun".
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if known_word(head, rules.language) and (
            known_word(tail, rules.language) or tail in rules.vocabulary
        ):
            return True
    return False


# A pronoun, a "wh-" word or a modal with its verb clipped on: "that'd be great",
# "there'll be", "could've", "what're". The dictionary lists only some of them.
_CONTRACTION = re.compile(
    r"(?:i|you|he|she|it|we|they|that|this|there|here|who|what|where|when|why|how|which"
    r"|could|should|would|must|might)'(?:d|ll|ve|re)"
)


def _contraction(word: str) -> bool:
    return _CONTRACTION.fullmatch(word) is not None


def _one_edit(a: str, b: str) -> bool:
    """One letter added, dropped, changed, or two neighbours swapped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@register("spelling", min_letters=3, min_initial_letters=6)
def spelling(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    ignore = set(fold_words(ctx.contact_name or "")) | set(fold_words(ctx.customer_message or ""))
    for term in rules.glossary:
        ignore.update(fold_words(term.term))
    skip_spans = [m.span() for m in _SKIP_SPANS.finditer(doc.active)]
    # A glossary term ("pmt method T") is jargon, which Jargon reports; not a typo.
    if rules.glossary_pattern is not None:
        skip_spans += [m.span() for m in _glossary_matches(doc, rules.glossary_pattern)]
    salutation_end = doc.salutation[0][1] if doc.salutation else -1
    # Words written with a capital mid-sentence are names; so are their other uses.
    proper = {w.text.lower() for w in doc.words if not w.sentence_initial and w.text[0].isupper()}
    words = list(doc.body_words)
    # A closing line of thanks is the agent's prose too: "Thank you for your pacience,".
    # Only that line: the name signed below it is no typo ("Pieter van Wyk").
    if doc.sign_off and _THANKS_LINE.match(doc.active, doc.sign_off[0]):
        line_end = doc.active.find("\n", doc.sign_off[0], doc.sign_off[1])
        line_end = doc.sign_off[1] if line_end < 0 else line_end
        words += [w for w in doc.words if doc.sign_off[0] <= w.start < line_end]
    found: list[tuple[Any, str]] = []
    for word in words:
        text = word.text
        lowered = text.lower().replace("’", "'")
        # A day or month name is never a person's: "Wensday" is a slip, not a name.
        calendar = (
            misspelt_calendar_word(doc.active, word.start, word.end) if text[0].isupper() else None
        )
        if (
            calendar
            and lowered not in ignore
            and lowered not in rules.vocabulary
            and not known_word(lowered, rules.language)
        ):
            yield finding(
                rule,
                (word.start, word.end),
                f"'{text}' looks misspelt; did you mean '{calendar}'?",
                calendar,
            )
            continue
        # A word in a shouted line ("CONFIRMED BY OUR WAREHOSUE") is prose in capitals.
        shouted = text.isupper() and _shouted(doc, word, text, rules)
        if shouted:
            text = text.lower()
            lowered = text
        if (
            len(text) < rule.params["min_letters"]
            or word.start < salutation_end
            or text.isupper()
            # A capital inside the word is a brand or a product: "iTax", "eBay", "PayPal".
            or any(c.isupper() for c in text[1:])
            or lowered in ignore
            or (lowered in proper and not shouted)
            or any(s <= word.start < e for s, e in skip_spans)
        ):
            continue
        if text[0].isupper() and (
            not word.sentence_initial or len(text) < rule.params["min_initial_letters"]
        ):
            continue
        parts = [p for p in re.split(r"[-]", lowered) if p]
        if len(parts) > 1 and (
            all(len(p) < 3 or _accepted(p, rules) for p in parts)
            or _accepted(lowered.replace("-", ""), rules)
        ):
            continue
        if _accepted(lowered, rules, compounds=False) or _contraction(lowered):
            continue
        compound = _accepted(lowered, rules)
        if compound and len(lowered) < 7:
            continue
        candidates = spelling_candidates(lowered, rules.language)
        if not candidates and not compound and len(lowered) >= 8 and lowered.isalpha():
            candidates = _moved_letter(lowered, rules)
        if shouted:
            candidates = tuple(c for c in candidates or () if _one_edit(lowered, c))
        if compound:
            # Read as two words only when it is not one slip from a real word:
            # "garanteed" is "guaranteed" mistyped, not "gar" + "anteed". A slip keeps
            # the first letter: "cashroom" is a cash office, not "washroom" mistyped.
            candidates = tuple(
                c for c in candidates or () if _one_edit(lowered, c) and c[0] == lowered[0]
            )
        if not candidates:
            continue  # nothing close: a name or a term, not a typo
        fix = candidates[0].upper() if shouted else candidates[0]
        if text[0].isupper():
            fix = fix.capitalize()
        found.append((word, fix))
    for word, fix in found:
        if (
            _foreign_phrase(doc, word, found, rules)
            or _signed_name(doc, word)
            or _title_line(doc, word)
            or _unknown_sign_off(doc, word, fix)
        ):
            continue
        yield finding(
            rule,
            (word.start, word.end),
            f"'{word.text}' looks misspelt; did you mean '{fix}'?",
            fix,
        )


def _shouted(doc: Document, word: Any, text: str, rules: RuleSet) -> bool:
    """Whether a word in capitals stands in a shouted sentence: three or more ordinary
    words in capitals around it ("PLEASE NOTE THAT ..."), not an acronym or a code."""
    if len(text) < 5 or not text.isalpha() or text in rules.acronyms:
        return False
    start, end = doc.sentence_of(word.start)
    capitals = re.findall(r"\b[A-Z]{2,}\b", doc.active[start:end])
    return sum(1 for w in capitals if known_word(w.lower(), rules.language)) >= 3


def _moved_letter(word: str, rules: RuleSet) -> tuple[str, ...]:
    """Words the dictionary knows with one letter of `word` moved two or three places:
    "inconvienence" is "inconvenience" with its "i" put in early. A distance-1 search
    misses these; trying each move costs a few hundred lookups."""
    found = []
    for i, letter in enumerate(word):
        rest = word[:i] + word[i + 1 :]
        for j in range(max(0, i - 3), min(len(word), i + 4)):
            if abs(j - i) < 2:
                continue  # no move, or a swap of neighbours (one edit, found already)
            variant = rest[:j] + letter + rest[j:]
            if variant != word and known_word(variant, rules.language):
                found.append(variant)
    return tuple(dict.fromkeys(found))


# A letter English does not use ("Ngā mihi", "Dzień dobry") marks its phrase as
# another language.
_FOREIGN_LETTER = re.compile(r"[^\x00-\x7f’‘“”–—…£€]")
_FUNCTION_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "i",
        "you",
        "we",
        "he",
        "she",
        "it",
        "they",
        "my",
        "your",
        "our",
        "his",
        "her",
        "its",
        "their",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "and",
        "or",
        "but",
        "not",
        "this",
        "that",
        "these",
        "those",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "please",
    }
)
_PHRASE_STOP = re.compile(r"[,.;:!?()\n]")


# A name, or a job title or department under it, in any language: "Contas a Pagar",
# "Head of Finance".
_NAME_LINE = re.compile(
    r"[ \t]*(?:[A-Z][\w'’.-]*|van|von|de|da|di|der|den|du|la|le|bin|al)"
    r"(?:[ \t]+(?:[A-Z][\w'’.-]*|van|von|de|da|di|der|den|du|la|le|bin|al|a|e|y|do|dos|das"
    r"|del|des|of|and|for|und|für|&)){0,4}[ \t]*$"
)


def _signature_line(text: str, pos: int) -> bool:
    """Whether `pos` stands in a team or a name signed at the very end with no sign-off
    above it ("We appreciate your help.\n\nVendor Master Data Team"): a line of capitalised
    words alone, after a blank line, with at most two such lines below it."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    if not _NAME_LINE.fullmatch(text, start, end) or not text[:start].rstrip(" \t").endswith(
        "\n\n"
    ):
        return False
    below = [line for line in text[end:].splitlines() if line.strip()]
    return len(below) <= 2 and all(_NAME_LINE.fullmatch(line) for line in below)


# A title or department written under the signed name, its parts set apart by a slash, a
# comma or a bar, in any language: "Comptes clients / Accounts, Recrutement Lavallée".
_TITLE_PART = re.compile(r"[ \t]*[A-Z][\w'’.&-]*(?:[ \t]+[\w'’.&-]+){0,4}[ \t]*")


def _title_line(doc: Document, word: Any) -> bool:
    """Whether the word stands in a line under a signed name at the end (a job title or a
    department, perhaps in two languages), which is no prose of the reply."""
    text = doc.active
    start = text.rfind("\n", 0, word.start) + 1
    end = text.find("\n", word.end)
    end = len(text) if end < 0 else end
    line = text[start:end]
    if any(c in line for c in ".!?:;") or not all(
        _TITLE_PART.fullmatch(part) for part in re.split(r"\s*[/,|]\s*", line.strip())
    ):
        return False
    above_end = start - 1
    above_start = text.rfind("\n", 0, max(above_end, 0)) + 1
    if above_end <= 0 or not _NAME_LINE.fullmatch(text, above_start, above_end):
        return False
    return len([ln for ln in text[end:].splitlines() if ln.strip()]) <= 2


def _signed_name(doc: Document, word: Any) -> bool:
    """Whether the word is part of a name signed on its own line near the end ("Pieter
    van Wyk"): a capitalised word there is the writer's name, not a typo."""
    text = doc.active
    if not word.text[0].isupper():
        return False
    start = text.rfind("\n", 0, word.start) + 1
    end = text.find("\n", word.end)
    end = len(text) if end < 0 else end
    if not _NAME_LINE.fullmatch(text, start, end):
        return False
    return len([line for line in text[end:].splitlines() if line.strip()]) <= 3


def _unknown_sign_off(doc: Document, word: Any, fix: str) -> bool:
    """Whether the word stands in the line that closes the letter above the signed name
    ("Is mise le meas," over "Róisín Kiely"): a sign-off of up to four words and a comma,
    in whatever language. It is a slip only if the line corrected is a sign-off we know
    ("Kind reagrds," is "Kind regards,")."""
    text = doc.active
    start = text.rfind("\n", 0, word.start) + 1
    end = text.find("\n", word.end)
    end = len(text) if end < 0 else end
    line = text[start:end].strip()
    if not line.endswith(",") or len(line.split()) > 4 or any(c.isdigit() for c in line):
        return False
    below = [ln.split() for ln in text[end:].splitlines() if ln.strip()]
    # A name below it, in any alphabet: "Pádraig Ó Sé".
    if not below or len(below) > 3 or len(below[0]) > 4 or not below[0][0][0].isupper():
        return False
    corrected = text[start : word.start] + fix + text[word.end : end]
    return not SIGN_OFF.fullmatch(corrected.strip())


def _foreign_phrase(doc: Document, word: Any, found: list[tuple[Any, str]], rules: RuleSet) -> bool:
    """Whether the word belongs to a phrase in another language: a greeting or closing
    such as "Ngā mihi," or "Obrigada pelo seu email." Its phrase (up to a comma or a
    full stop) has a letter English does not use, or most of its words are unknown."""
    text = doc.active
    start = word.start
    while start > 0 and not _PHRASE_STOP.match(text, start - 1):
        start -= 1
    end = word.end
    while end < len(text) and not _PHRASE_STOP.match(text, end):
        end += 1
    phrase = text[start:end]
    if _FOREIGN_LETTER.search(phrase):
        return True
    words = re.findall(r"[^\W\d_]{2,}", phrase)
    # Words the dictionary does not know at all count too: "conta corrente 45871-9".
    flagged = sum(1 for other, _ in found if start <= other.start < end)
    whole = re.findall(r"(?<![’'])\b[^\W\d_]{3,}", phrase)  # not the "ve" of "I've"
    unknown = max(
        flagged,
        sum(1 for w in whole if not w.isupper() and not _accepted(w.lower(), rules, False)),
    )
    # "Your statment is atached" is English with two slips: it has English's small words,
    # as has "I've recieved everything".
    english = any(w.lower() in _FUNCTION_WORDS for w in words) or bool(
        re.search(r"\bI\b|\b\w+['’](?:ve|ll|re|m|d|t)\b", phrase)
    )
    return unknown >= 2 and unknown * 2 >= len(words) and not english


@register("presumptive_thanks", presumptive_phrases=[])
def presumptive_thanks(
    doc: Document, rule: Rule, ctx: Context, rules: RuleSet
) -> Iterator[Finding]:
    """Thanks for what the reader has not done or agreed to ("Thanks in advance", "Thank
    you for your cooperation") when it is the reply's only thanks. Beside genuine thanks
    ("Thank you for letting us know. ... Thank you for your cooperation.") the stock line
    is a courtesy: the reader has been thanked for something real."""
    matches = [
        m
        for m in rule.compiled["presumptive_phrases"].finditer(doc.active)
        if m.end() > m.start() and not _excepted(rule, doc, m.start(), m.end())
    ]
    if not matches:
        return
    # The thanks rules (Closing.Thanks) say whether genuine thanks is there: they
    # report nothing when it is.
    thanks = load_checks()["thanks"].function
    judges = [r for r in rules.rules if r.extends == "check" and r.get("check") == "thanks"]
    if judges and not any(next(iter(thanks(doc, r, ctx, rules)), None) for r in judges):
        return
    for match in matches:
        yield finding(rule, match.span(), rule.message.replace("%s", match.group()))
