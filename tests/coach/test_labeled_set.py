"""The labeled replies: their shape, and the coach's figures on the parts it was tuned on.

The held-out part (split `heldout`) is only checked for size here; its figures
are reported by bench/coach_eval.py and must not be turned into a test, which
would make it one more thing to tune against. Right after a freeze (the old
held-out part renamed `heldout-vN`) there is no held-out part at all until a
fresh one is written, and these tests hold either way.
"""

import re
from pathlib import Path

import pytest
import yaml

from ledgerdesk.coach import CATEGORIES, review

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "coach" / "labeled_replies.yml"


@pytest.fixture(scope="module")
def cases():
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    contexts = data["contexts"]
    out = []
    for item in data["replies"]:
        context = dict(contexts[item["ctx"]]) if item.get("ctx") else {}
        context.update(item.get("context") or {})
        out.append({**item, "context": context, "expect": set(item.get("expect") or [])})
    return out


def test_the_set_is_large_and_well_formed(cases):
    assert len(cases) >= 220
    assert len({c["id"] for c in cases}) == len(cases)
    heldout = sum(c.get("split") == "heldout" for c in cases)
    assert heldout == 0 or heldout >= 60, heldout
    for case in cases:
        assert case["expect"] <= set(CATEGORIES), case["id"]
        assert case["text"].strip(), case["id"]


def test_the_second_reading_reads_replies_of_the_set_in_its_categories(cases):
    reading = FIXTURE.with_name("second_reading.yml")
    readings = yaml.safe_load(reading.read_text(encoding="utf-8"))["readings"]
    ids = {c["id"] for c in cases}
    assert len(readings) >= 360
    for reply, readers in readings.items():
        assert reply in ids, reply
        assert set(readers) == {"a", "b"}, reply
        for said in readers.values():
            assert set(said) <= set(CATEGORIES), reply
            assert all(isinstance(words, str) and words.strip() for words in said.values()), reply


def test_the_parts_are_the_known_ones(cases):
    splits = {c.get("split", "dev") for c in cases}
    for split in splits:
        assert split in ("dev", "heldout") or re.fullmatch(r"heldout-v\d+", split), split
    frozen = [s for s in splits if s.startswith("heldout-v")]
    assert len(frozen) >= 4, frozen
    header = FIXTURE.read_text(encoding="utf-8").split("\ncontexts:", 1)[0]
    for split in frozen:
        # Every frozen part has its figures at the freeze recorded in the header.
        assert f"# - {split} (" in header, split


def test_every_category_has_positives_and_there_are_clean_replies(cases):
    for category in CATEGORIES:
        assert sum(category in c["expect"] for c in cases) >= 15, category
    assert sum(not c["expect"] for c in cases) >= 80


def test_the_tuned_parts_meet_the_targets(cases):
    tuned = [c for c in cases if c.get("split") != "heldout"]
    for category in CATEGORIES:
        tp = fp = fn = 0
        for case in tuned:
            got = category in review(case["text"], case["context"]).categories
            want = category in case["expect"]
            tp += got and want
            fp += got and not want
            fn += want and not got
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        assert precision >= 0.9 and recall >= 0.85, (category, precision, recall)


def test_quoted_customer_text_never_fires_in_the_good_replies(cases):
    quoting = [
        c
        for c in cases
        if c.get("split") != "heldout"  # measured by the bench, not asserted
        and not c["expect"]
        and ("\n>" in c["text"] or "wrote:" in c["text"])
    ]
    assert len(quoting) >= 5
    for case in quoting:
        assert review(case["text"], case["context"]).findings == [], case["id"]
