"""Running a rule set over a reply: the Vale-style phrase rules and the registered checks."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .clauses import apply_clauses, default_model
from .context import Context, parse_context
from .document import Document, Span
from .extract import CURRENCY_CODES
from .learned import apply_layer, default_layer
from .model import Finding, Review, score_findings
from .registry import load_checks
from .resources import known_word
from .ruleset import Rule, RuleSet, load_rules

_NEGATOR = re.compile(
    r"\b(?:no(?!\s+(?:choice|option|alternative)\b)|not|never|nothing|none|without|won't"
    r"|will\s+not|wouldn't|isn't|aren't|don't|doesn't|haven't|hasn't|neither|nor)\b|n't\b",
    re.IGNORECASE,
)


def finding(rule: Rule, span: Span, message: str = "", suggestion: str | None = None) -> Finding:
    """A finding of `rule` at `span`; the rule's message and suggestion by default."""
    return Finding(
        rule=rule.name,
        category=rule.category,
        severity=rule.level,
        start=span[0],
        end=span[1],
        message=message or rule.message,
        suggestion=rule.suggestion if suggestion is None else suggestion,
    )


_PLACEHOLDER = re.compile(r"%(?:\[(\d)\])?s")


def _fill(template: str, *values: str) -> str:
    """Vale's (Go's) `%s` and `%[2]s` placeholders; missing values stay empty."""
    counter = iter(range(len(values) + 100))

    def value(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1 if match.group(1) else next(counter)
        return values[index] if 0 <= index < len(values) else ""

    return _PLACEHOLDER.sub(value, template)


def scope_spans(doc: Document, scope: str) -> list[Span]:
    """The stretches of the masked text a phrase rule looks at."""
    sentences = doc.sentences
    if not sentences:
        return []
    if scope == "opening":
        return [(sentences[0][0], sentences[min(1, len(sentences) - 1)][1])]
    if scope == "closing":
        body = doc.body_sentences or sentences
        return [(body[max(0, len(body) - 3)][0], sentences[-1][1])]
    if scope == "body":
        return [(sentences[0][0], doc.body_end)]
    return [(0, len(doc.active))]


def _excepted(rule: Rule, doc: Document, start: int, end: int) -> bool:
    exceptions = rule.compiled.get("exceptions")
    if exceptions is not None:
        s_start, s_end = doc.sentence_of(start)
        for match in exceptions.finditer(doc.active, s_start, max(s_end, end)):
            if match.start() < end and start < match.end():
                return True
    if rule.get("skip_negated"):
        s_start, _ = doc.sentence_of(start)
        before = re.split(r"[,;:]", doc.active[s_start:start])[-1]  # this clause only
        # A negator within the six words before the phrase reverses it:
        # "nothing has gone to collections" reassures, it does not threaten.
        window = " ".join(re.findall(r"[\w']+", before)[-6:])
        if _NEGATOR.search(window):
            return True
    return False


def _matches(pattern: re.Pattern[str], doc: Document, scope: str) -> Iterator[re.Match[str]]:
    for start, end in scope_spans(doc, scope):
        for match in pattern.finditer(doc.active, start, end):
            if match.end() > match.start():
                yield match


def run_existence(doc: Document, rule: Rule, rules: RuleSet) -> Iterator[Finding]:
    for match in _matches(rule.compiled["pattern"], doc, rule.get("scope", "text")):
        if _excepted(rule, doc, match.start(), match.end()):
            continue
        text = match.group()
        yield finding(rule, match.span(), _fill(rule.message, text), _fill(rule.suggestion, text))


def run_substitution(doc: Document, rule: Rule, rules: RuleSet) -> Iterator[Finding]:
    replacements = rule.compiled["replacements"]
    for match in _matches(rule.compiled["swap"], doc, rule.get("scope", "text")):
        if _excepted(rule, doc, match.start(), match.end()):
            continue
        replacement = replacements[int((match.lastgroup or "swap0")[4:])]
        text = match.group()
        # Vale fills substitution messages with (replacement, match).
        message = _fill(rule.message, replacement, text)
        suggestion = _fill(rule.suggestion, replacement, text) if rule.suggestion else ""
        yield finding(rule, match.span(), message, suggestion or replacement)


def run_occurrence(doc: Document, rule: Rule, rules: RuleSet) -> Iterator[Finding]:
    for start, end in scope_spans(doc, rule.get("scope", "text")):
        matches = [
            m
            for m in rule.compiled["pattern"].finditer(doc.active, start, end)
            if m.end() > m.start() and not _excepted(rule, doc, m.start(), m.end())
        ]
        limit_max, limit_min = rule.get("max"), rule.get("min")
        if isinstance(limit_max, int) and len(matches) > limit_max:
            extra = matches[limit_max]
            yield finding(rule, extra.span(), _fill(rule.message, str(len(matches))))
        elif isinstance(limit_min, int) and len(matches) < limit_min and doc.sentences:
            yield finding(rule, doc.sentences[0], _fill(rule.message, str(len(matches))))


# An amount as written beside a currency: with a decimal part or thousands groups
# ("42,500", "1.800,00"), so that "SES 4410" (a code and a number) is not one.
_AMOUNT_AFTER = re.compile(
    r"\s?-?\d{1,3}(?:(?:[,.\u00a0' ]\d{3})+(?:[.,]\d{1,2})?|[.,]\d{2})(?!\d)"
)
_AMOUNT_BEFORE = re.compile(r"\d(?:[,.]\d{3}|[.,]\d{2})\s?$")


def _currency_code(text: str, start: int, end: int) -> bool:
    """A three-letter code that is a known currency, or that is written right beside
    an amount ("KES 4,200.00", "4,200.00 KES"): a currency, not an internal acronym."""
    token = text[start:end]
    if len(token) != 3:
        return False
    return (
        token in CURRENCY_CODES
        or bool(_AMOUNT_AFTER.match(text, end))
        or bool(_AMOUNT_BEFORE.search(text, max(0, start - 12), start))
    )


def run_conditional(doc: Document, rule: Rule, rules: RuleSet) -> Iterator[Finding]:
    """Vale's conditional: every capture of `first` must also be captured by `second`.

    Vocabulary acronyms (plain to everyone) and glossary terms (Jargon.Glossary
    explains them better) are left out, so one acronym never gets two findings.
    """
    scope = rule.get("scope", "text")
    defined = {
        group
        for m in _matches(rule.compiled["second"], doc, scope)
        for group in m.groups()
        if group
    }
    # An acronym the customer wrote ("could you send the TDS certificate?") is theirs.
    reported: set[str] = set(re.findall(r"\b[A-Z]{2,6}\b", doc.customer_message))
    for match in _matches(rule.compiled["first"], doc, scope):
        token = match.group(1)
        if not token or token in defined or token in reported or token in rules.acronyms:
            continue
        if rules.glossary_pattern is not None and rules.glossary_pattern.fullmatch(token):
            continue
        if rule.get("skip_dictionary_words") and known_word(token.lower(), rules.language):
            continue  # "PAID" in capitals is shouting (Clarity.AllCaps), not an acronym
        if _currency_code(doc.active, match.start(1), match.end(1)):
            continue  # "NGN 42,500": a currency, plain to anyone paid in it
        # Spelt out by a name in the reply: "Ghana Revenue Authority ... the GRA".
        joint = r"\s+(?:(?:of|and|for|the)\s+)?"
        if re.search(r"\b" + joint.join(rf"{c}[a-z][\w'’-]*" for c in token), doc.active):
            continue
        if _excepted(rule, doc, match.start(1), match.end(1)):
            continue
        reported.add(token)
        yield finding(
            rule, match.span(1), _fill(rule.message, token), _fill(rule.suggestion, token)
        )


def conditions_hold(rule: Rule, ctx: Context) -> bool:
    """`when`: one of the alternatives matches the context; `unless`: none does.

    An unknown context value never matches, so a rule that needs to know
    (`when: {reminder_level: 0}`) is skipped when the caller did not say.
    """

    def matches(alternative: dict[str, Any]) -> bool:
        return all(
            ctx.get(key) is not None and ctx.get(key) == value for key, value in alternative.items()
        )

    when = rule.compiled.get("when")
    if when is not None and not any(matches(alt) for alt in when):
        return False
    unless = rule.compiled.get("unless")
    return not (unless is not None and any(matches(alt) for alt in unless))


_RUNNERS = {
    "existence": run_existence,
    "substitution": run_substitution,
    "occurrence": run_occurrence,
    "conditional": run_conditional,
}


def run_rules(doc: Document, ctx: Context, rules: RuleSet) -> list[Finding]:
    checks = load_checks()
    findings: list[Finding] = []
    for rule in rules.rules:
        if not rule.enabled or not conditions_hold(rule, ctx):
            continue
        if rule.extends == "check":
            produced: Iterable[Finding] = checks[rule.get("check")].function(doc, rule, ctx, rules)
        else:
            produced = _RUNNERS[rule.extends](doc, rule, rules)
        findings.extend(produced)
    size = len(doc.text)
    clean = {
        f
        for f in findings
        # Belt and braces: a finding must point at the agent's own words.
        if 0 <= f.start < f.end <= size and not doc.is_quoted(f.start)
    }
    return sorted(clean, key=lambda f: (f.start, f.end, f.rule, f.message))


def resolve_rules(rules: Any, ctx: Context) -> RuleSet:
    if isinstance(rules, RuleSet):
        return rules
    if rules is None:
        return load_rules(ctx.language, ctx.team)
    if isinstance(rules, str | os.PathLike):
        return load_rules(ctx.language, ctx.team, [Path(rules)])
    if isinstance(rules, list | tuple):
        return load_rules(ctx.language, ctx.team, [Path(p) for p in rules])
    raise TypeError(f"rules: expected a RuleSet, a path or a list of paths, got {rules!r}")


def review(text: str, context: dict[str, Any] | None = None, rules: Any = None) -> Review:
    """Review a draft reply; see the package docstring for the context keys."""
    if not isinstance(text, str):
        raise TypeError(f"text: expected a string, got {type(text).__name__}")
    ctx = parse_context(context)
    rule_set = resolve_rules(rules, ctx)
    doc = Document(text, ctx.customer_message)
    if not doc.has_words:
        # Nothing the agent wrote (empty, or only the quoted thread): nothing to coach.
        return Review(score=100, findings=[])
    findings = run_rules(doc, ctx, rule_set)
    if rules is None and ctx.language == "en":
        # The learned layer (learned.py) adds or vetoes the categories where it beat
        # the rules on writers it had not seen; trained for the default English rules.
        findings = apply_layer(default_layer(), doc, ctx, rule_set, findings)
        # Blame the rules missed, read sentence by sentence (clauses.py).
        findings = apply_clauses(default_model(), doc, findings)
        # It adds only what the context lets the rules judge: no threat without a known
        # reminder level or first lateness, as a missing key means "unknown".
        findings = [
            f
            for f in findings
            if not f.rule.startswith("Learned.") or _judged(f.category, rule_set, ctx)
        ]
    return Review(score=score_findings(findings), findings=findings)


def _judged(category: str, rule_set: RuleSet, ctx: Context) -> bool:
    """Some enabled rule of the category applies in this context."""
    return any(
        rule.category == category and rule.enabled and conditions_hold(rule, ctx)
        for rule in rule_set.rules
    )
