"""How far careful readers agree with the labelled set, and the coach with them.

    python bench/coach_agreement.py [--quick]

tests/fixtures/coach/second_reading.yml holds two blind readings (a, b) of some replies
of the labelled set. For each category: Cohen's kappa between the writer's labels and
each reader, and between the readers; then exact match of whole replies, and the coach
measured against the writer's labels and against the majority of the three readings.
When readers agree with the writer far better than the coach does, the coach's misses
are its own, not disagreement about what a lead would flag. The coach is the current
one: once a part has been tuned on, its figures there are in-sample (the figures at the
part's freeze are in the labelled set's header), so the figures are given per part: on
the held-out part (`heldout`) they are honest. --quick changes nothing (the reading is
small). The last line is one JSON object, keyed by part.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import yaml  # noqa: E402

from coach_eval import FIXTURE, load_cases, score  # noqa: E402
from ledgerdesk.coach import CATEGORIES, review  # noqa: E402

READING = ROOT / "tests" / "fixtures" / "coach" / "second_reading.yml"


def kappa(x: dict[str, set[str]], y: dict[str, set[str]], category: str) -> float:
    """Cohen's kappa of two readings on one category (1.0 when both never use it)."""
    n = len(x)
    agree = sum((category in x[i]) == (category in y[i]) for i in x) / n
    px = sum(category in x[i] for i in x) / n
    py = sum(category in y[i] for i in x) / n
    chance = px * py + (1 - px) * (1 - py)
    return 1.0 if chance == 1 else (agree - chance) / (1 - chance)


def exact(x: dict[str, set[str]], y: dict[str, set[str]]) -> float:
    return round(sum(x[i] == y[i] for i in x) / len(x), 3)


def agreement(cases: list[dict[str, Any]], readings: dict[str, Any]) -> dict[str, Any]:
    """The figures of one part: kappa per category, exact match, the coach vs both."""
    writer = {c["id"]: c["expect"] for c in cases}
    a = {i: set(readings[i]["a"]) for i in writer}
    b = {i: set(readings[i]["b"]) for i in writer}
    majority = {
        i: {c for c in CATEGORIES if (c in writer[i]) + (c in a[i]) + (c in b[i]) >= 2}
        for i in writer
    }
    coach = {c["id"]: set(review(c["text"], c["context"]).categories) for c in cases}
    by_writer = score(cases, coach)["per_category"]
    by_majority = score([{**c, "expect": majority[c["id"]]} for c in cases], coach)["per_category"]
    print(
        f"{'category':15s} {'k(W,a)':>7s} {'k(W,b)':>7s} {'k(a,b)':>7s}   coach vs W   coach vs maj"
    )
    per_category = {}
    for category in CATEGORIES:
        k = [kappa(writer, a, category), kappa(writer, b, category), kappa(a, b, category)]
        w, m = by_writer[category], by_majority[category]
        per_category[category] = {
            "kappa": [round(x, 2) for x in k],
            "coach_vs_writer": [w["precision"], w["recall"]],
            "coach_vs_majority": [m["precision"], m["recall"]],
        }
        print(
            f"{category:15s} {k[0]:7.2f} {k[1]:7.2f} {k[2]:7.2f}   "
            f"{w['precision']:.2f}/{w['recall']:.2f}    {m['precision']:.2f}/{m['recall']:.2f}"
        )
    changed = sorted(i for i in writer if majority[i] != writer[i])
    figures = {
        "replies": len(cases),
        "exact": {
            "writer_a": exact(writer, a),
            "writer_b": exact(writer, b),
            "a_b": exact(a, b),
            "coach_writer": exact(writer, coach),
            "coach_majority": exact(majority, coach),
        },
        "majority_differs_from_writer": changed,
        "per_category": per_category,
    }
    print(
        "exact match: writer~a {writer_a}, writer~b {writer_b}, a~b {a_b}; "
        "coach~writer {coach_writer}, coach~majority {coach_majority}".format(**figures["exact"])
    )
    print(f"the majority of three differs from the writer on {len(changed)}: {', '.join(changed)}")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the same as without")
    parser.parse_args(argv)

    readings = yaml.safe_load(READING.read_text(encoding="utf-8"))["readings"]
    cases = [c for c in load_cases(FIXTURE) if c["id"] in readings]
    if len(cases) != len(readings):
        missing = sorted(set(readings) - {c["id"] for c in cases})[:5]
        raise SystemExit(f"{READING.name}: ids not in the labelled set: {missing}")
    parts = {}
    for split in sorted({c["split"] for c in cases}):
        part = [c for c in cases if c["split"] == split]
        print(f"\n{split}: {len(part)} replies read three times (the writer, a, b)")
        parts[split] = agreement(part, readings)
    print(json.dumps(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
