"""A small learned layer over the phrase rules: one logistic regression per category.

The rules are phrase lists; a new writer finds new wordings. This layer reads the
same things a lead would (the agent's own words, never the quoted customer text;
what the case knows; which rules fired) and, for the categories where
cross-validation by writer showed it helps (bench/coach_train.py), may ADD a
category the rules missed or VETO the rules' findings of a category.

Pure Python and deterministic: binary features (sorted), weights in
``rules/en/learned.json`` written by bench/coach_train.py, trained by plain
stochastic gradient descent in a fixed order. No weights file, or no category
adopted in it, means the layer does nothing.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Collection, Iterable, Sequence, Set
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .context import Context
from .document import Document, Span
from .model import Finding
from .ruleset import RuleSet

WEIGHTS_FILE = Path(__file__).with_name("rules") / "en" / "learned.json"

# Numbers, amounts and dates become tokens: "4,200.00" and "1,520.00" say the same.
_NORMALISE = [
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"), " zdate "),
    (re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b", re.I), " zday "),
    (re.compile(r"\d{1,3}(?:[,.\u00a0' ]\d{3})+(?:[.,]\d{1,2})?|\d+[.,]\d{2}\b"), " zamt "),
    (re.compile(r"\d+"), " znum "),
]
_TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)?")
CONTEXT_FLAGS = ("frustrated", "incident", "reminder0", "first_late", "sla", "invoices")
# Categories whose fault is something present in the words (the span is the sentence
# that weighs most); the others are something missing (the span is the closing).
WORD_CATEGORIES = frozenset({"blame", "threat", "jargon", "clarity", "spelling", "accuracy"})

MESSAGES = {
    "blame": "This may read as blame or a brush-off. Check that it takes ownership and "
    "says what you will do rather than why it is not your fault.",
    "threat": "This may read as a threat. In a first reminder or a first late payment, "
    "ask and offer help instead of warning of consequences.",
    "jargon": "This may use internal terms the customer does not know. Say it in plain words.",
    "empathy": "The customer may be upset. Check that the reply acknowledges it and says "
    "how you will help.",
    "follow_up": "Check that the reply says what happens next, who does it and by when.",
    "critical_needs": "This is a mistake of ours. Check that the reply says what happened, "
    "how and by when it is fixed, and what stops it happening again.",
    "closing": "Check the closing: thank them genuinely, without presuming.",
    "greeting": "Check the greeting: address the contact by name.",
    "clarity": "This may be hard to follow. Check for long sentences and plain words.",
    "spelling": "Check the spelling here.",
    "accuracy": "Check that every invoice number, amount and date matches the case.",
}
# The rule whose generic suggestion the learned finding borrows. Blame has none: each
# blame rule's rewrite answers its own excuse, and a wrong one misleads more than none.
SUGGESTION_RULE = {
    "threat": "Threat.Collections",
    "empathy": "Empathy.Acknowledge",
    "follow_up": "FollowUp.Missing",
    "critical_needs": "CriticalNeeds.Fix",
    "closing": "Closing.Thanks",
    "jargon": "Jargon.UndefinedAcronym",
}


def tokens(text: str) -> list[str]:
    text = text.lower()
    for pattern, token in _NORMALISE:
        text = pattern.sub(token, text)
    return [t.replace("’", "'") for t in _TOKEN.findall(text)]


def text_features(doc: Document) -> dict[str, int]:
    """Unigrams and bigrams of the agent's own words -> index of the sentence holding them,
    and the words of the customer's last message -> -1 (in no sentence of the reply).

    Bigrams do not cross a sentence boundary; the last two sentences' unigrams also
    appear with an ``end:`` prefix (where the next step and the thanks belong). The
    customer's words (``cw:``) say how they feel ("again", "still", "weeks"), which
    decides whether the reply owes them an apology.
    """
    found: dict[str, int] = {}
    sentences = doc.sentences
    closing_from = max(0, len(sentences) - 2)
    for index, (start, end) in enumerate(sentences):
        words = tokens(doc.active[start:end])
        grams = [f"w:{w}" for w in words]
        grams += [f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False)]
        if index >= closing_from:
            grams += [f"end:{w}" for w in words]
        for gram in grams:
            found.setdefault(gram, index)
    if doc.customer_message:
        # Only their newest words: the thread they quote below is what they answered.
        for word in tokens(Document(doc.customer_message).active):
            found.setdefault(f"cw:{word}", -1)
    return found


def context_flags(ctx: Context, rules: RuleSet) -> list[str]:
    from .checks.conversation import frustration  # the same judgement the rules use

    flags = []
    empathy = rules.rule("Empathy.Acknowledge")
    if empathy is not None and frustration(empathy, ctx) is not None:
        flags.append("frustrated")
    if ctx.incident:
        flags.append("incident")
    if ctx.reminder_level == 0:
        flags.append("reminder0")
    if ctx.first_time_late:
        flags.append("first_late")
    if ctx.sla_breached:
        flags.append("sla")
    if ctx.invoices:
        flags.append("invoices")
    return flags


def features(
    words: dict[str, int], flags: Iterable[str], found: Iterable[tuple[str, str]]
) -> list[str]:
    """The reply's binary features, sorted: its words (from `text_features`), the
    context flags, and the (rule, category) pairs the rules found."""
    flags = sorted(set(flags))
    found = sorted(set(found))
    names = set(words)
    names.add("bias")
    fired = sorted({category for _, category in found})
    names.update(f"ctx:{flag}" for flag in flags)
    names.update(f"rule:{rule}" for rule, _ in found)
    names.update(f"cat:{c}" for c in fired)
    # What the rules said, read together with the case: "empathy fired and the
    # customer is upset" weighs differently from "empathy fired" alone.
    names.update(f"ctx:{flag}&cat:{c}" for flag in flags for c in fired)
    return sorted(names)


# ---- the model -------------------------------------------------------------------


def train_logistic(
    examples: Sequence[Sequence[str]],
    labels: Sequence[int],
    *,
    epochs: int = 12,
    rate: float = 0.2,
    l2: float = 1e-4,
    min_count: int = 2,
    seed: int = 7,
    prune: float = 0.02,
    max_share: float = 1.0,
) -> dict[str, float]:
    """L2 logistic regression over binary features by SGD in a seeded order.

    Features seen in fewer than `min_count` examples are dropped (except the bias), so
    are words in more than `max_share` of them, and
    so are weights smaller than `prune` once trained (they barely move a probability
    and would only make the weights file large). Deterministic: the same examples in the
    same order give the same weights.
    """
    counts: dict[str, int] = {}
    for feats in examples:
        for name in feats:
            counts[name] = counts.get(name, 0) + 1
    # Words in more than `max_share` of the replies ("the", "hi", "regards") say nothing
    # of a category; left in, their many small weights swamp the rules' own features.
    common = max_share * len(examples)
    keep = {
        name
        for name, n in counts.items()
        if name == "bias" or (n >= min_count and not (n > common and _is_word(name)))
    }
    rows = [[name for name in feats if name in keep] for feats in examples]
    weights: dict[str, float] = {}
    order = list(range(len(rows)))
    shuffler = random.Random(seed)
    for epoch in range(epochs):
        shuffler.shuffle(order)
        step = rate / (1.0 + 0.5 * epoch)
        for i in order:
            row = rows[i]
            z = sum(weights.get(name, 0.0) for name in row)
            p = _sigmoid(z)
            gradient = p - labels[i]
            for name in row:
                w = weights.get(name, 0.0)
                weights[name] = w - step * (gradient + l2 * w)
    return {name: round(w, 4) for name, w in sorted(weights.items()) if abs(w) >= prune}


def _is_word(name: str) -> bool:
    return name.startswith(("w:", "b:", "end:", "cw:"))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def probability(weights: dict[str, float], feats: Collection[str]) -> float:
    """The model's probability for a reply with these features. Only the features the
    model weighs are summed (a reply has hundreds, a pruned model weighs few of them),
    and `fsum` makes the result independent of their order."""
    present = weights.keys() & (feats if isinstance(feats, Set) else set(feats))
    return _sigmoid(math.fsum(weights[name] for name in present))


@dataclass(frozen=True)
class Decision:
    """How one category's model is used: add when p >= add_at (rules silent), veto when
    p < veto_below (rules fired). None switches that direction off."""

    add_at: float | None = None
    veto_below: float | None = None

    def apply(self, fired: bool, p: float) -> bool:
        if fired:
            return not (self.veto_below is not None and p < self.veto_below)
        return self.add_at is not None and p >= self.add_at


@dataclass(frozen=True)
class Layer:
    weights: dict[str, dict[str, float]]
    decisions: dict[str, Decision]

    @property
    def active(self) -> bool:
        return bool(self.decisions)


def load_layer(path: Path = WEIGHTS_FILE) -> Layer:
    if not path.exists():
        return Layer({}, {})
    data = json.loads(path.read_text(encoding="utf-8"))
    decisions = {
        category: Decision(d.get("add_at"), d.get("veto_below"))
        for category, d in data.get("decisions", {}).items()
    }
    weights = {c: data["weights"][c] for c in decisions}
    return Layer(weights, decisions)


@lru_cache(maxsize=1)
def default_layer() -> Layer:
    return load_layer()


# ---- applying it ------------------------------------------------------------------


def _word_span(doc: Document, weights: dict[str, float], where: dict[str, int]) -> Span:
    """The sentence whose n-grams push the category up the most."""
    totals: dict[int, float] = {}
    for name, index in where.items():
        w = weights.get(name, 0.0)
        if w > 0 and index >= 0 and not name.startswith("end:"):
            totals[index] = totals.get(index, 0.0) + w
    if not totals:
        return _closing_span(doc)
    best = min(totals, key=lambda i: (-totals[i], i))
    return doc.sentences[best]


def _closing_span(doc: Document) -> Span:
    body = doc.body_sentences or doc.sentences
    return body[-1]


def _learned_finding(
    category: str, doc: Document, rules: RuleSet, weights: dict[str, float], where: dict[str, int]
) -> Finding:
    if category in WORD_CATEGORIES:
        start, end = _word_span(doc, weights, where)
    elif category == "greeting":
        start, end = doc.sentences[0]
    else:
        start, end = _closing_span(doc)
    source = rules.rule(SUGGESTION_RULE.get(category, ""))
    suggestion = source.suggestion if source is not None and "%" not in source.suggestion else ""
    return Finding(
        rule="Learned." + "".join(p.capitalize() for p in category.split("_")),
        category=category,
        severity="suggestion",
        start=start,
        end=end,
        message=MESSAGES[category],
        suggestion=suggestion,
    )


def apply_layer(
    layer: Layer, doc: Document, ctx: Context, rules: RuleSet, findings: list[Finding]
) -> list[Finding]:
    """The rules' findings with the adopted categories added or vetoed by the model."""
    if not layer.active or not doc.sentences:
        return findings
    where = text_features(doc)
    feats = frozenset(
        features(where, context_flags(ctx, rules), [(f.rule, f.category) for f in findings])
    )
    fired = {f.category for f in findings}
    vetoed: set[str] = set()
    added: list[Finding] = []
    for category in sorted(layer.decisions):
        weights = layer.weights[category]
        p = probability(weights, feats)
        has = category in fired
        keep = layer.decisions[category].apply(has, p)
        if has and not keep:
            vetoed.add(category)
        elif keep and not has:
            added.append(_learned_finding(category, doc, rules, weights, where))
    size = len(doc.text)
    kept = [f for f in findings if f.category not in vetoed]
    kept += [f for f in added if 0 <= f.start < f.end <= size and not doc.is_quoted(f.start)]
    return sorted(kept, key=lambda f: (f.start, f.end, f.rule, f.message))


def describe(layer: Layer) -> dict[str, Any]:
    return {c: vars(d) for c, d in sorted(layer.decisions.items())}
