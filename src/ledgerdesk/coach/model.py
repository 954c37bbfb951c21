"""The plain values the coach returns: findings and the review that scores them.

Both are frozen dataclasses holding only str/int/list so that a review can be
stored next to the sent reply as JSON and compared across time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CATEGORIES: tuple[str, ...] = (
    "greeting",
    "empathy",
    "blame",
    "jargon",
    "clarity",
    "spelling",
    "accuracy",
    "follow_up",
    "closing",
    "threat",
    "critical_needs",
)

SEVERITIES: tuple[str, ...] = ("error", "warning", "suggestion")

# Points taken off the score of 100 for each finding. An error is something the
# reader would be misled or hurt by (a wrong amount, a threat in a first
# reminder); a warning is something a team lead would send back; a suggestion is
# polish. With these weights two errors and two warnings still leave a passing
# 56, while a reply with six errors reaches the floor of 0.
SEVERITY_WEIGHTS: dict[str, int] = {"error": 15, "warning": 7, "suggestion": 3}

# Only the first few findings of one rule count towards the score: ten typos are
# one coaching point ("run a spell check"), not ten, and must not push every
# other finding off the scale.
MAX_COUNTED_PER_RULE = 3


@dataclass(frozen=True)
class Finding:
    """One thing to change in a reply.

    `start`/`end` are character offsets into the text exactly as passed to
    `review()`, so the composer can underline `text[start:end]`.
    """

    rule: str
    category: str
    severity: str
    start: int
    end: int
    message: str
    suggestion: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Review:
    """The coach's verdict on one draft: a 0-100 score and the findings behind it."""

    score: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def categories(self) -> set[str]:
        return {f.category for f in self.findings}

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "findings": [f.to_dict() for f in self.findings],
            "weights": dict(SEVERITY_WEIGHTS),
        }


def score_findings(findings: list[Finding]) -> int:
    """100 minus the severity weight of each finding, floor 0 (see SEVERITY_WEIGHTS)."""
    counted: dict[str, int] = {}
    penalty = 0
    for finding in findings:
        seen = counted.get(finding.rule, 0)
        if seen >= MAX_COUNTED_PER_RULE:
            continue
        counted[finding.rule] = seen + 1
        penalty += SEVERITY_WEIGHTS.get(finding.severity, 0)
    return max(0, 100 - penalty)
