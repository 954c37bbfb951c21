"""The public surface: review(), Review, Finding, scoring, laziness."""

import json
import os
import subprocess
import sys

from ledgerdesk.coach import CATEGORIES, SEVERITY_WEIGHTS, Finding, Review, review
from ledgerdesk.coach.model import MAX_COUNTED_PER_RULE, score_findings

GOOD = """Hi Anna,

Thanks for checking in. Invoice 4411 for EUR 1,520.00 is approved and will be paid on 7 May.

I'll send you the remittance that day.

Kind regards,
Marta"""
CONTEXT = {
    "contact_name": "Anna Kowalska",
    "invoices": [
        {"number": "4411", "amount": "1520.00", "currency": "EUR", "due_date": "2026-05-03"}
    ],
}


def test_it_returns_a_review_with_score_and_findings():
    result = review(GOOD, CONTEXT)
    assert isinstance(result, Review)
    assert result.score == 100
    assert result.findings == []


def test_it_scores_by_severity_with_a_floor_at_zero():
    findings = [
        Finding(f"R{i}", "blame", "error", 0, 1, "m") for i in range(10)
    ]  # ten distinct rules
    assert score_findings(findings) == 0
    one_each = [
        Finding("A", "blame", "error", 0, 1, "m"),
        Finding("B", "clarity", "warning", 0, 1, "m"),
        Finding("C", "spelling", "suggestion", 0, 1, "m"),
    ]
    expected = 100 - sum(SEVERITY_WEIGHTS.values())
    assert score_findings(one_each) == expected


def test_it_counts_only_the_first_findings_of_one_rule():
    repeated = [
        Finding("Spelling.Dictionary", "spelling", "warning", i, i + 1, "m") for i in range(9)
    ]
    assert score_findings(repeated) == 100 - MAX_COUNTED_PER_RULE * SEVERITY_WEIGHTS["warning"]


def test_findings_carry_rule_category_severity_span_message_suggestion():
    text = "Dear customer,\n\nInvoice 4411 for 1,250.00 will be paid on 7 May.\n\nRegards,\nMarta"
    result = review(text, CONTEXT)
    amount = next(f for f in result.findings if f.rule == "Accuracy.Amount")
    assert amount.category == "accuracy"
    assert amount.severity == "error"
    assert text[amount.start : amount.end] == "1,250.00"
    assert "1,520.00" in amount.message
    assert amount.suggestion == "1,520.00"
    assert all(f.category in CATEGORIES for f in result.findings)


def test_to_dict_is_json_ready():
    text = "Dear customer,\n\nYour invoice is paid.\n\nRegards"
    data = review(text, {}).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"score", "findings", "weights"}
    assert set(data["findings"][0]) == {
        "rule", "category", "severity", "start", "end", "message", "suggestion",
    }  # fmt: skip


def test_it_is_deterministic():
    text = GOOD.replace("Thanks", "Thnks").replace("Hi Anna", "Dear customer")
    first = review(text, CONTEXT).to_dict()
    for _ in range(3):
        assert review(text, CONTEXT).to_dict() == first


def test_it_skips_replies_with_no_words_of_the_agent():
    assert review("", {}).findings == []
    assert review("> only the customer's words\n> nothing else", {}).findings == []


def test_importing_it_loads_no_dictionary_and_no_django():
    code = (
        "import sys, ledgerdesk.coach\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('spellchecker', 'vaderSentiment', 'pyphen', 'django', 'yaml')]\n"
        "print(heavy)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout.strip()
    assert out == "[]"


def test_it_rejects_text_that_is_not_a_string():
    import pytest

    with pytest.raises(TypeError):
        review(None, {})  # type: ignore[arg-type]
