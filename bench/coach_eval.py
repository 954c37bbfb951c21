"""Precision and recall of the reply coach per category, and its latency.

    python bench/coach_eval.py [--quick] [--fixture PATH] [--show-errors]

Reads the labeled replies in tests/fixtures/coach/labeled_replies.yml. Each
reply lists the categories that should fire (`expect`); a category the coach
reports that is not listed is a false positive, one listed but not reported a
false negative.

Figures are given for the whole set and for each part (`split`):
- `dev`: the replies the rules were written against;
- `heldout-v1` to `heldout-v19`: written after earlier versions of the rules were
  frozen. Their figures at that point are recorded in the fixture's header;
  their misses were then used to improve the rules, so they now count as
  development data;
- `heldout`: written after the current rules were frozen and never used to
  tune them. These are the honest figures (`heldout` in the JSON). Right after a
  freeze there is no such part until a fresh one is written; the JSON then has
  `"heldout": null` and the table says so.

Latency is measured on 300-word replies built from the labeled texts, after
one warm-up review (the first review of a process loads the dictionary and the
sentiment lexicon, which a long-running web process does once).

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import yaml  # noqa: E402

from ledgerdesk.coach import CATEGORIES, review  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "coach" / "labeled_replies.yml"
PRECISION_TARGET = 0.9
RECALL_TARGET = 0.85


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The labeled replies with their contexts resolved (`ctx` names + `context` overrides)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    contexts = data.get("contexts", {})
    cases = []
    for item in data["replies"]:
        context: dict[str, Any] = {}
        if item.get("ctx"):
            context.update(contexts[item["ctx"]])
        context.update(item.get("context") or {})
        cases.append(
            {
                "id": item["id"],
                "split": item.get("split", "dev"),
                "text": item["text"],
                "context": context,
                "expect": set(item.get("expect") or []),
            }
        )
    return cases


def score(cases: list[dict[str, Any]], predictions: dict[str, set[str]]) -> dict[str, Any]:
    per_category: dict[str, dict[str, Any]] = {}
    for category in CATEGORIES:
        tp = fp = fn = 0
        for case in cases:
            predicted = category in predictions[case["id"]]
            expected = category in case["expect"]
            tp += predicted and expected
            fp += predicted and not expected
            fn += expected and not predicted
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        per_category[category] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "support": tp + fn,
        }
    exact = sum(predictions[c["id"]] == c["expect"] for c in cases)
    return {
        "replies": len(cases),
        "exact_match": round(exact / len(cases), 3) if cases else 0.0,
        "per_category": per_category,
        "all_targets_met": all(
            v["precision"] >= PRECISION_TARGET and v["recall"] >= RECALL_TARGET
            for v in per_category.values()
        ),
    }


def table(title: str, result: dict[str, Any]) -> str:
    lines = [
        f"{title}: {result['replies']} replies, exact match {result['exact_match']:.3f}",
        f"  {'category':<16}{'precision':>10}{'recall':>8}{'tp':>5}{'fp':>5}{'fn':>5}{'support':>9}",
    ]
    for category, v in result["per_category"].items():
        mark = ""
        if v["precision"] < PRECISION_TARGET or v["recall"] < RECALL_TARGET:
            mark = "  below target"
        lines.append(
            f"  {category:<16}{v['precision']:>10.3f}{v['recall']:>8.3f}{v['tp']:>5}"
            f"{v['fp']:>5}{v['fn']:>5}{v['support']:>9}{mark}"
        )
    return "\n".join(lines)


def long_replies(cases: list[dict[str, Any]], count: int, words: int = 300) -> list[tuple]:
    """Deterministic ~300-word replies: labeled bodies joined until long enough."""
    bodies = [c for c in cases if len(c["text"].split()) >= 25]
    replies = []
    for i in range(count):
        parts: list[str] = []
        context = bodies[i % len(bodies)]["context"]
        j = i
        while sum(len(p.split()) for p in parts) < words:
            parts.append(bodies[j % len(bodies)]["text"].strip())
            j += 7  # a stride co-prime with most set sizes, for variety
        text = " ".join("\n\n".join(parts).split(" ")[:words])
        replies.append((text, context))
    return replies


def latency(cases: list[dict[str, Any]], samples: int) -> dict[str, float]:
    replies = long_replies(cases, samples)
    review(replies[0][0], replies[0][1])  # warm-up: loads rules, dictionary, lexicon
    timings, cpu = [], []
    for text, context in replies:
        start, start_cpu = time.perf_counter(), time.process_time()
        review(text, context)
        cpu.append((time.process_time() - start_cpu) * 1000)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    cpu.sort()

    def p95(values: list[float]) -> float:
        return round(values[max(0, int(len(values) * 0.95) - 1)], 2)

    # Wall-clock figures are the ones that count; the CPU-time p95 shows how
    # much of a bad wall-clock figure is other processes on a shared machine.
    return {
        "samples": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": p95(timings),
        "max_ms": round(timings[-1], 2),
        "cpu_p95_ms": p95(cpu),
        "words": 300,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer latency samples")
    parser.add_argument("--fixture", type=Path, default=FIXTURE)
    parser.add_argument("--show-errors", action="store_true", help="list every miss")
    args = parser.parse_args(argv)

    cases = load_cases(args.fixture)
    predictions: dict[str, set[str]] = {}
    for case in cases:
        predictions[case["id"]] = review(case["text"], case["context"]).categories
    if args.show_errors:
        for case in cases:
            got, want = predictions[case["id"]], case["expect"]
            if got != want:
                extra, missing = sorted(got - want), sorted(want - got)
                print(f"{case['id']} [{case['split']}]: extra {extra} missing {missing}")

    overall = score(cases, predictions)
    splits = list(dict.fromkeys(c["split"] for c in cases))
    by_split = {
        name: score([c for c in cases if c["split"] == name], predictions) for name in splits
    }
    timing = latency(cases, 60 if args.quick else 400)

    titles = {
        "dev": "Development part (the rules were written against it)",
        "heldout": "Held-out part (written after the current rules were frozen, never tuned on)",
    }

    def title(name: str) -> str:
        if name.startswith("heldout-v"):
            version = name.removeprefix("heldout-v")
            return (
                f"Held-out part v{version} (figures at its freeze in the fixture header; "
                "since used for tuning)"
            )
        return titles.get(name, name)

    print(table("All labeled replies", overall))
    for name in splits:
        print(table(title(name), by_split[name]))
    if "heldout" not in by_split:
        print(
            "No held-out part: every part has been used for tuning, so there are no honest "
            "figures until a fresh `heldout` part is written."
        )
    print(
        f"Latency over {timing['samples']} replies of {timing['words']} words: "
        f"p50 {timing['p50_ms']} ms, p95 {timing['p95_ms']} ms, max {timing['max_ms']} ms "
        f"(CPU time p95 {timing['cpu_p95_ms']} ms)"
    )

    def brief(result: dict[str, Any]) -> dict[str, Any]:
        return {
            "replies": result["replies"],
            "exact_match": result["exact_match"],
            "per_category": {
                k: {"precision": v["precision"], "recall": v["recall"], "support": v["support"]}
                for k, v in result["per_category"].items()
            },
            "all_targets_met": result["all_targets_met"],
        }

    summary = {
        "replies": overall["replies"],
        "exact_match": overall["exact_match"],
        "per_category": brief(overall)["per_category"],
        "all_targets_met": overall["all_targets_met"],
        "splits": {name: brief(result) for name, result in by_split.items() if name != "heldout"},
        "heldout": brief(by_split["heldout"]) if "heldout" in by_split else None,
        "p50_ms": timing["p50_ms"],
        "p95_ms": timing["p95_ms"],
        "max_ms": timing["max_ms"],
        "cpu_p95_ms": timing["cpu_p95_ms"],
        "latency_samples": timing["samples"],
    }
    print(json.dumps(summary, sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
