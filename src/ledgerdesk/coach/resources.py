"""Heavy helpers loaded on first use, never at import.

Django imports `ledgerdesk.coach` while it starts; loading a 160,000-word
dictionary there would slow every process start, including the ones that
never review a reply. Each helper is built once per process and then reused,
which is what keeps a review under a few milliseconds. They hold read-only data
only, so sharing them between requests (and threads) is safe.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_lock = threading.Lock()
_spellcheckers: dict[str, Any] = {}
_analyser: Any = None
_hyphenators: dict[str, Any] = {}


def spellchecker(language: str = "en") -> Any:
    with _lock:
        if language not in _spellcheckers:
            from spellchecker import SpellChecker

            # Distance 1 only: a distance-2 search costs tens of milliseconds
            # per long word, and most real typos are one edit away.
            _spellcheckers[language] = SpellChecker(language=language, distance=1)
        return _spellcheckers[language]


def sentiment_analyser() -> Any:
    global _analyser
    with _lock:
        if _analyser is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            _analyser = SentimentIntensityAnalyzer()
        return _analyser


def hyphenator(language: str = "en") -> Any:
    with _lock:
        if language not in _hyphenators:
            import pyphen

            lang = {"en": "en_US"}.get(language, language)
            _hyphenators[language] = pyphen.Pyphen(lang=lang)
        return _hyphenators[language]


@lru_cache(maxsize=20000)
def syllables(word: str, language: str = "en") -> int:
    """Syllables as pyphen's hyphenation points plus one.

    Hyphenation never splits off a single letter, so short words read a little
    low ("area" counts as one); the readability threshold is set with that bias
    in mind rather than patched with a second, competing heuristic.
    """
    return len(hyphenator(language).positions(word.lower())) + 1


@lru_cache(maxsize=4096)
def compound_sentiment(text: str) -> float:
    return float(sentiment_analyser().polarity_scores(text)["compound"])


def known_word(word: str, language: str = "en") -> bool:
    return word in spellchecker(language)


@lru_cache(maxsize=50000)
def spelling_candidates(word: str, language: str = "en") -> tuple[str, ...] | None:
    """None when the dictionary knows `word`; otherwise its likeliest corrections."""
    checker = spellchecker(language)
    if word in checker:
        return None
    candidates = (checker.candidates(word) or set()) - {word}
    if not candidates and len(word) >= 5:
        candidates = _doubling_candidates(checker, word)
    ranked = sorted(candidates, key=lambda w: (-checker.word_usage_frequency(w), w))
    return tuple(ranked[:3])


def _doubling_candidates(checker: Any, word: str) -> set[str]:
    """Words two edits away when one of the edits is a doubled or undoubled letter
    ("tommorow", "ocasionaly"), the commonest typo a distance-1 search misses. A full
    distance-2 search costs half a second per word; this costs a few milliseconds."""
    variants = set()
    for i in range(1, len(word)):
        if word[i] == word[i - 1]:
            variants.add(word[:i] + word[i + 1 :])
        elif word[i].isalpha() and word[i] not in "aeiouy":
            variants.add(word[: i + 1] + word[i:])
    found: set[str] = set()
    for variant in variants:
        if variant in checker:
            found.add(variant)
        else:
            found |= checker.known(checker.edit_distance_1(variant))
    return found - {word}
