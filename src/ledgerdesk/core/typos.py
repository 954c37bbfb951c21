"""Telling a slip of the finger from a different word (pure: no Django).

Shared by the reply coach (an invoice number one slip away from the case's) and duplicate
detection (a bill number one keystroke away from another of the vendor's).
"""

from __future__ import annotations


def one_change_or_swap(a: str, b: str) -> bool:
    """Same length, and one character changed or two neighbours swapped."""
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) == 1:
        return True
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )


def one_keystroke(a: str, b: str) -> bool:
    """One edit apart: a character changed, added or dropped, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return one_change_or_swap(a, b)
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
