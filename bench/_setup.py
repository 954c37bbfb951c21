"""Shared set-up for benchmarks: a private data directory and a migrated database.

Benchmarks run against their own throw-away SQLite database (or DATABASE_URL
if set), never the one `make run` uses.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def django_with_fresh_database(prefix: str) -> Path:
    workdir = Path(tempfile.mkdtemp(prefix=f"ledgerdesk-bench-{prefix}-"))
    os.environ.setdefault("LEDGERDESK_DATA_DIR", str(workdir / "data"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerdesk.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return workdir


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict:
    return {
        "p50": round(percentile(values, 50), 3),
        "p95": round(percentile(values, 95), 3),
        "max": round(max(values), 3) if values else 0.0,
        "mean": round(statistics.fmean(values), 3) if values else 0.0,
    }


def emit(result: dict) -> None:
    """The last line of every benchmark: one JSON object."""
    print(json.dumps(result, sort_keys=True))
