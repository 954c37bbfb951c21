"""Every reminder template passes the reply coach for a sample invoice, at every position
(first reminder or later) and for both tones; no threat ever reaches a first-time late payer."""

import pytest

from ledgerdesk import coach
from ledgerdesk.creditcontrol import wording
from ledgerdesk.creditcontrol.reminders import GUARDED

SAMPLE = {
    "name": "Jan de Vries",
    "number": "INV-00042",
    "amount": "EUR 1,210.00",
    "due": "31 October 2026",
    "reply_by": "Friday 13 November 2026",
    "team": "Accounts Receivable",
}
CONTEXT = {
    "contact_name": "Jan de Vries",
    "invoices": [
        {
            "number": "INV-00042",
            "amount": "1210.00",
            "currency": "EUR",
            "due_date": "2026-10-31",
            "status": "issued",
        }
    ],  # fmt: skip
    "team": "ar",
    "language": "en",
}


@pytest.mark.parametrize("level, tone", sorted(wording.REMINDERS))
@pytest.mark.parametrize("position", [0, 1, 2])
def test_every_reminder_passes_the_coach(level, tone, position):
    subject, body = wording.REMINDERS[(level, tone)]
    text = body.format(**SAMPLE)
    context = {**CONTEXT, "reminder_level": position, "first_time_late": tone == wording.GENTLE}
    review = coach.review(text, context)
    blocking = [
        (f.rule, text[f.start : f.end])
        for f in review.findings
        if f.category in GUARDED and f.severity in ("error", "warning")
    ]
    assert blocking == []
    assert review.score >= 90
    assert "INV-00042" in subject.format(**SAMPLE)


def test_every_level_has_both_tones_and_they_differ():
    levels = {level for level, _ in wording.REMINDERS}
    assert levels == {"before_due", "on_due", "after_due_1", "after_due_2", "after_due_3"}
    for level in levels:
        gentle = wording.REMINDERS[(level, wording.GENTLE)][1]
        direct = wording.REMINDERS[(level, wording.DIRECT)][1]
        assert gentle != direct


def test_the_coach_would_catch_a_threat_in_a_first_reminder():
    """The check the tests above rely on is live: a threat is an error for a first-timer."""
    text = wording.REMINDERS[("after_due_1", wording.GENTLE)][1].format(**SAMPLE)
    text = text.replace("Thank you for your help", "Otherwise we will pass this to a "
                        "collections agency. Thank you for your help")  # fmt: skip
    review = coach.review(text, {**CONTEXT, "reminder_level": 0, "first_time_late": True})
    assert any(f.category == "threat" and f.severity == "error" for f in review.findings)


def _blocking(text, context):
    review = coach.review(text, context)
    return [
        (f.rule, text[f.start : f.end])
        for f in review.findings
        if f.category in GUARDED and f.severity in ("error", "warning")
    ]


@pytest.mark.parametrize("level, tone", sorted(wording.REMINDERS))
def test_no_text_threatens_even_when_read_as_a_first_reminder_to_a_first_timer(level, tone):
    """The coach only treats threats as errors in a first reminder or to a first-time late
    payer; the direct texts promise never to threaten, so they are read the strictest way
    too (otherwise "repeat" texts would be checked by rules that never fire)."""
    text = wording.REMINDERS[(level, tone)][1].format(**SAMPLE)
    assert _blocking(text, {**CONTEXT, "reminder_level": 0, "first_time_late": True}) == []


@pytest.mark.parametrize("level, tone", sorted(wording.REMINDERS))
def test_every_text_passes_for_a_partly_paid_invoice(level, tone):
    """The open amount of a partly paid invoice is written as "the remaining ... of ...";
    it must read well and still pass the coach in every text."""
    values = {**SAMPLE, "amount": "the remaining EUR 610.00 of EUR 1,210.00"}
    text = wording.REMINDERS[(level, tone)][1].format(**values)
    context = {**CONTEXT, "reminder_level": 1, "first_time_late": tone == wording.GENTLE}
    assert _blocking(text, context) == []
    assert "EUR 610.00" in text


def test_later_texts_say_what_came_before_and_first_ones_do_not():
    """The wording level (not the timing level) picks these: "second reminder" is only
    ever sent after one after-due reminder (see schedule.wording_level)."""
    first = wording.REMINDERS[("after_due_1", wording.DIRECT)][1]
    assert "reminder" not in first.lower()
    assert "second reminder" in wording.REMINDERS[("after_due_2", wording.DIRECT)][1]
    assert "third reminder" in wording.REMINDERS[("after_due_3", wording.DIRECT)][1]
