"""Blame read sentence by sentence (coach/clauses.py, trained by bench/coach_train_clauses.py)."""

from pathlib import Path

import pytest
import yaml

from ledgerdesk.coach import review
from ledgerdesk.coach.clauses import (
    RULE,
    ClauseModel,
    apply_clauses,
    default_model,
    load_model,
    sentence_features,
)
from ledgerdesk.coach.document import Document
from ledgerdesk.coach.learned import probability
from ledgerdesk.coach.model import Finding
from tests.coach.helpers import RULES_ALONE, findings, framed, hits

# A hand-made model: "department" and "not ours" push a sentence towards a brush-off.
HAND = ClauseModel(weights={"bias": -4.0, "w:department": 3.0, "b:not ours": 5.0}, add_at=0.5)
GUARD = Path(__file__).resolve().parents[1] / "fixtures" / "coach" / "layer_guard.yml"


def added(model, text, found=()):
    return apply_clauses(model, Document(text), list(found))


def test_numbers_amounts_and_dates_read_alike():
    one = sentence_features("Invoice 4411 for EUR 1,250.00 was due on 2026-05-03.")
    other = sentence_features("Invoice 9001 for EUR 7,000.10 was due on 2026-11-30.")
    assert one == other
    assert "t:invoice znum for" in one and "bias" in one


def test_the_likeliest_sentence_is_flagged_as_a_suggestion_on_the_agents_words():
    text = framed(
        "Thanks for asking. The delay is on the depot's side, not ours. I will chase them."
    )
    (found,) = added(HAND, text)
    assert found.rule == RULE and found.category == "blame" and found.severity == "suggestion"
    assert text[found.start : found.end] == "The delay is on the depot's side, not ours."
    assert "blame" in found.message and found.suggestion == ""


def test_nothing_is_added_below_the_bar_or_when_the_rules_found_blame():
    text = framed("Our purchasing department will send the order today.")
    assert added(HAND, text) == []  # one weak word: p = sigmoid(-1) < 0.5
    ours = Finding("Blame.NotMyJob", "blame", "warning", 0, 5, "x")
    brush_off = framed("That is for another department, not ours.")
    assert added(HAND, brush_off, [ours]) == [ours]


def test_quoted_customer_text_is_never_read():
    text = framed(
        "I have checked and will pay on Friday.\n\n> The delay is on your side, not ours."
    )
    assert "not ours" in Document(text).text and added(HAND, text) == []


def test_no_weights_or_no_bar_means_no_findings(tmp_path):
    assert load_model(tmp_path / "missing.json").active is False
    off = ClauseModel(HAND.weights, None)
    assert added(off, framed("That is for another department, not ours.")) == []


def test_a_teams_own_rule_set_is_read_without_the_model():
    # The model was trained for the default English rules, as the learned layer is.
    text = framed("Unfortunately it's down to your bank to make sure the transfer reaches us.")
    got = review(text, {"contact_name": "Greta Lund"}, rules=RULES_ALONE)
    assert all(not f.rule.startswith("Learned.") for f in got.findings)


shipped = pytest.mark.skipif(not default_model().active, reason="no model adopted")


@shipped
def test_the_shipped_model_reads_none_of_the_guard_replies_as_blame():
    guard = yaml.safe_load(GUARD.read_text(encoding="utf-8"))["guard"]
    never = [g for g in guard if "blame" in g.get("never", ())]
    assert len(never) >= 3
    for case in never:
        got = review(case["text"], case.get("context") or {})
        assert not [f for f in got.findings if f.rule == RULE], case["name"]


# Brush-offs and plain sentences in wordings written for this file. The model is a
# reading, not a list: it ranks every brush-off above every plain or owning sentence,
# and flags only those past its bar (0.8 when this was written: the guard raised it).
BRUSH_OFFS = [
    "Card declines are really a matter for your card issuer rather than for us.",
    "Refunds of this kind are handled by our Treasury department, so Accounts Payable"
    " cannot release it ourselves.",
    "Our finance system was being upgraded last week, so nothing could be paid.",
]
PLAIN = [
    "I have refunded the fee today and you will see it on your statement by Friday 12 June.",
    "Our policy covers this, so I have credited your account in full.",
    "I am sorry we sent the payment to your old account; I will make sure it is returned.",
]


def p_of(sentence):
    model = default_model()
    return probability(model.weights, sentence_features(sentence))


@shipped
def test_the_shipped_model_reads_every_brush_off_above_every_plain_sentence():
    assert min(map(p_of, BRUSH_OFFS)) > max(map(p_of, PLAIN))


@shipped
def test_the_shipped_model_flags_a_brush_off_the_rules_miss():
    body = f"{BRUSH_OFFS[2]} I will confirm by Friday 12 June.\n\nThank you for your patience."
    assert not findings(body, "blame", rules=RULES_ALONE)
    ((rule, said),) = hits(body, "blame")
    assert rule == RULE and said == BRUSH_OFFS[2]


@shipped
@pytest.mark.parametrize("sentence", PLAIN)
def test_the_shipped_model_leaves_owning_and_plain_sentences_alone(sentence):
    body = f"{sentence}\n\nThank you for your patience."
    assert not findings(body, "blame")
