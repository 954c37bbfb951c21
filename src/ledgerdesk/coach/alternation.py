"""A list of phrases as one regular expression that is quick to scan.

A phrase rule is a long alternation, and Python's `re` tries every alternative at
every position where a word starts; case-insensitive literals give it no shortcut.
Here the phrases are grouped by the character they can start with, each group
behind a one-character lookahead, so at a word starting with "s" only the phrases
that can start with "s" are tried, in their original order.

The result matches exactly what `"|".join(phrases)` matches, with the same spans:
a phrase that can start with several characters sits in each of their groups, a
phrase whose first character cannot be told (`\\w...`, `.`, an empty match) sits in
every group and in a last group for the other characters. When that cannot be
guaranteed (a phrase with a capturing group, two first characters that are one
letter to a case-insensitive match, a pattern the parser does not know), the plain
join is returned.
"""

from __future__ import annotations

import re

try:  # the parser `re` itself uses; private, so any surprise means "do not group"
    from re import _constants as sre
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - other Python versions
    sre = sre_parse = None  # type: ignore[assignment]

# Ranges wider than this ("[a-z]") are spelt out, anything wider counts as unknown.
_MAX_RANGE = 64

# First characters: a set, or None when it cannot be told. With "nullable" the item
# can match nothing, so what follows it may supply the first character as well.
_First = tuple[set[str] | None, bool]


def _first_of_item(op: object, av: object, ignorecase: bool) -> _First:
    if op is sre.LITERAL:
        return {chr(av)}, False  # type: ignore[arg-type]
    if op is sre.IN:
        chars: set[str] = set()
        for kind, value in av:  # type: ignore[attr-defined]
            if kind is sre.LITERAL:
                chars.add(chr(value))
            elif kind is sre.RANGE and value[1] - value[0] <= _MAX_RANGE:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            else:  # NEGATE, CATEGORY (\w, \d), wide ranges
                return None, False
        return chars, False
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return set(), True  # zero-width: the next item starts the match
    if op is sre.BRANCH:
        chars, nullable = set(), False
        for branch in av[1]:  # type: ignore[index]
            found, empty = _first(branch, ignorecase)
            if found is None:
                return None, False
            chars |= found
            nullable = nullable or empty
        return chars, nullable
    if op is sre.SUBPATTERN:
        _group, add, remove, pattern = av  # type: ignore[misc]
        return _first(pattern, ignorecase)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, _high, pattern = av  # type: ignore[misc]
        found, empty = _first(pattern, ignorecase)
        return (found, empty or low == 0) if found is not None else (None, False)
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _first(av, ignorecase)
    return None, False


def _first(items: object, ignorecase: bool) -> _First:
    chars: set[str] = set()
    for op, av in items:  # type: ignore[attr-defined]
        found, nullable = _first_of_item(op, av, ignorecase)
        if found is None:
            return None, False
        chars |= found
        if not nullable:
            return chars, False
    return chars, True


def _starts(phrase: str, flags: int) -> set[str] | None:
    """The lower-cased characters a match of `phrase` can start with; None if unknown."""
    parsed = sre_parse.parse(phrase, flags)
    if parsed.state.groups > 1:  # a capturing group: copies would renumber it
        raise ValueError("capturing group")
    found, nullable = _first(parsed, bool(flags & re.IGNORECASE))
    if found is None or nullable:
        return None
    return {c.lower() for c in found}


def alternation(phrases: list[str], ignorecase: bool) -> str:
    """`"|".join(phrases)`, grouped by first character when that is exact (see above)."""
    plain = "|".join(phrases)
    if sre is None or len(phrases) < 4:
        return plain
    flags = re.IGNORECASE if ignorecase else 0
    try:
        starts = [_starts(phrase, flags) for phrase in phrases]
    except (re.error, ValueError, TypeError, AttributeError):
        return plain
    keys = sorted({c for found in starts if found is not None for c in found})
    # No text character may pass two groups' lookaheads, or the order of the phrases
    # would change: no two keys may be the same letter under IGNORECASE ("s" and the
    # long s). Case folding in `re` is an equivalence, so comparing the keys with each
    # other is enough.
    if (
        not keys
        or any(len(k) != 1 for k in keys)
        or any(
            re.fullmatch(f"(?i:{re.escape(a)})", b)
            for i, a in enumerate(keys)
            for b in keys[i + 1 :]
        )
    ):
        return plain
    unknown = [p for p, found in zip(phrases, starts, strict=True) if found is None]
    groups = []
    for key in keys:
        members = [
            p for p, found in zip(phrases, starts, strict=True) if found is None or key in found
        ]
        groups.append(f"(?=(?i:{re.escape(key)}))(?:{'|'.join(members)})")
    if unknown:
        every = "".join(re.escape(k) for k in keys)
        groups.append(f"(?!(?i:[{every}]))(?:{'|'.join(unknown)})")
    return "|".join(groups)
