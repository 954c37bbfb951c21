"""Follow-up: what happens next, who does it, and by when."""

import pytest

from ledgerdesk.coach import review
from ledgerdesk.coach.extract import has_timeframe

FRAME = "Hi Anna,\n\nThank you for your e-mail. Invoice 4411 is approved. {}\n\nRegards,\nMarta"


def follow_up(sentence):
    text = FRAME.format(sentence)
    return {f.rule for f in review(text, {"contact_name": "Anna"}).findings
            if f.category == "follow_up"}  # fmt: skip


@pytest.mark.parametrize(
    "sentence",
    ["I will pay it on 7 May.", "It will be paid on Thursday.", "Our treasury team will release it "
     "tomorrow.", "Please send the delivery note by Friday.", "Could you let me know by 20 May "
     "when you will pay?", "You should see the money within two working days.",
     "I'll call you on Monday at 10:00.", "My colleague Sam will confirm by end of day.",
     "We'll offset it against your invoice in June.", "No further action is needed from you."],
)  # fmt: skip
def test_it_accepts_a_next_step_with_a_time(sentence):
    assert follow_up(sentence) == set()


@pytest.mark.parametrize(
    "sentence",
    ["Let me know if you need anything else.", "Hope this helps.", "Feel free to reach out "
     "with any questions.", "I trust this answers your question."],
)  # fmt: skip
def test_a_polite_closer_alone_is_not_a_follow_up(sentence):
    text = FRAME.format(sentence)
    found = [f for f in review(text, {}).findings if f.rule == "FollowUp.Missing"]
    assert len(found) == 1
    assert text[found[0].start : found[0].end].lower().startswith(sentence.lower()[:10])


@pytest.mark.parametrize(
    "sentence",
    ["I will release it as soon as possible.", "We'll get back to you shortly.",
     "It will be paid soon.", "I will look into it and come back to you in due course.",
     "We'll keep you posted."],
)  # fmt: skip
def test_it_asks_for_a_time_when_the_step_has_none(sentence):
    assert follow_up(sentence) == {"FollowUp.Timeframe"}


@pytest.mark.parametrize(
    "sentence",
    ["The money must be paid by 20 May.", "Please sign the form by Friday.",
     "Could you return the form by 12 May?", "It is going to be corrected tomorrow.",
     "The £780.00 will be with you by tomorrow."],
)  # fmt: skip
def test_any_future_or_request_with_a_time_is_a_follow_up(sentence):
    assert follow_up(sentence) == set()


def test_a_date_in_the_previous_sentence_is_not_the_time_of_the_next_step():
    text = FRAME.format("It was due on 3 May. We will get back to you as soon as we can.")
    assert "FollowUp.Timeframe" in {f.rule for f in review(text, {}).findings}


def test_that_day_points_back_at_the_previous_date():
    assert follow_up("It leaves our bank on 7 May. I'll send the remittance that day.") == set()


def test_happy_to_help_is_not_a_commitment():
    assert follow_up("I'll be happy to help if you have questions.") == {"FollowUp.Missing"}


def test_a_date_in_quoted_text_promises_nothing():
    text = FRAME.format("I will pay it.") + "\n\n> Please pay by 7 May."
    assert "FollowUp.Timeframe" in {f.rule for f in review(text, {}).findings}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("by Friday", True), ("within 3 business days", True), ("next week", True),
     ("on 7 May", True), ("at 3pm", True), ("in June", True), ("soon", False),
     ("shortly", False), ("in due course", False), ("as soon as possible", False)],
)  # fmt: skip
def test_what_counts_as_a_time_frame(text, expected):
    assert has_timeframe(text) is expected
