"""How frustrated a message reads, 0 (calm) to 100 (furious), from VADER's offline lexicon.

VADER scores the whole message; shouting (ALL CAPS words, "!!!") and
repeated chasing ("third time", "still waiting") are what finance desks see
most, so they add to the score.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CHASING = re.compile(
    r"\b(still (?:waiting|not|no)"
    r"|(?:second|third|fourth|\d+(?:st|nd|rd|th)) (?:time|reminder|e-?mail)"
    r"|again|unacceptable|ridiculous|no one|nobody|escalat\w*|lawyer|legal action|fed up)\b",
    re.IGNORECASE,
)
_SHOUT = re.compile(r"\b[A-Z]{4,}\b")


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def frustration(text: str) -> int:
    if not text.strip():
        return 0
    compound = _analyzer().polarity_scores(text[:5000])["compound"]
    score = max(0.0, -compound) * 70
    score += min(20, 8 * len(_CHASING.findall(text)))
    score += min(10, 3 * len(_SHOUT.findall(text)) + 3 * text.count("!!"))
    return int(min(100, round(score)))
