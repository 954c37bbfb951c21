"""Blame read sentence by sentence: one logistic model over the words of each sentence.

The blame rules are phrase classes, and each new writer brushes a customer off in
words of their own ("the exchange difference is really something for your bank",
"Credit notes have to be signed off by our Events department before Finance can").
The reply-level model of learned.py could not tell such a sentence from the apology
next to it: both are in a reply labelled blame. Here each sentence of the agent's own
words is an example of its own. A sentence where the rules found blame is a positive;
every sentence of a reply without blame is a negative; the other sentences of a
blamed reply are left out, since which of them carries the blame is not known.

When the rules find no blame, the sentence the model reads as the most likely
brush-off is flagged if its probability reaches the bar chosen by
bench/coach_train_clauses.py (cross-validated by writer, and never on the guard's
replies). Pure Python and deterministic; no weights file means no findings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .document import Document, Span
from .learned import MESSAGES, probability, tokens
from .model import Finding

WEIGHTS_FILE = Path(__file__).with_name("rules") / "en" / "blame_clauses.json"
RULE = "Learned.BlameClause"


def sentence_features(sentence: str) -> frozenset[str]:
    """The words of one sentence, with its word pairs and triples (numbers, amounts and
    dates folded to one token each, as in learned.py)."""
    words = tokens(sentence)
    names = {"bias"}
    names.update(f"w:{w}" for w in words)
    names.update(f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False))
    names.update(f"t:{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:], strict=False))
    return frozenset(names)


@dataclass(frozen=True)
class ClauseModel:
    weights: dict[str, float]
    add_at: float | None

    @property
    def active(self) -> bool:
        return self.add_at is not None and bool(self.weights)

    def most_likely(self, doc: Document) -> tuple[float, Span] | None:
        """The agent's sentence most likely to be a brush-off, with its probability
        (the document's sentences are its own words, trimmed; quoted text is blank)."""
        best: tuple[float, Span] | None = None
        for span in doc.sentences:
            p = probability(self.weights, sentence_features(doc.active[span[0] : span[1]]))
            if best is None or p > best[0]:
                best = (p, span)
        return best


def load_model(path: Path = WEIGHTS_FILE) -> ClauseModel:
    if not path.exists():
        return ClauseModel({}, None)
    data = json.loads(path.read_text(encoding="utf-8"))
    return ClauseModel(data["weights"], data.get("add_at"))


@lru_cache(maxsize=1)
def default_model() -> ClauseModel:
    return load_model()


def apply_clauses(model: ClauseModel, doc: Document, findings: list[Finding]) -> list[Finding]:
    """`findings` with a blame finding added on the likeliest brush-off, when no rule
    found blame and the model's probability reaches its bar."""
    if not model.active or any(f.category == "blame" for f in findings):
        return findings
    best = model.most_likely(doc)
    if best is None or best[0] < model.add_at:
        return findings
    start, end = best[1]
    added = Finding(
        rule=RULE,
        category="blame",
        severity="suggestion",
        start=start,
        end=end,
        message=MESSAGES["blame"],
    )
    return sorted([*findings, added], key=lambda f: (f.start, f.end, f.rule, f.message))
