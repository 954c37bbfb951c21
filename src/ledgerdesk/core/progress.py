"""Progress bars for long CLI work, shown only when there is enough work to watch."""

from __future__ import annotations

import sys

from tqdm import tqdm

SHOW_FROM = 500  # items; smaller jobs finish before a bar would help


def bar(total: int, description: str, stream=None, unit: str = "doc", show_from: int = SHOW_FROM):
    """A tqdm bar on stderr for `total` items, or None for small jobs."""
    if total < show_from:
        return None
    return tqdm(
        total=total, desc=description[-40:], unit=unit, file=stream or sys.stderr, leave=False
    )
