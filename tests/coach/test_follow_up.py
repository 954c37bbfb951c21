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


@pytest.mark.parametrize(
    ("text", "expected"),
    [("paid with the June payroll", True), ("included in your March salary", True),
     ("in this month's pay run", True), ("once we receive the signed form", True),
     ("as soon as you return it", True), ("in the second week of June", True),
     ("on the 15th", True), ("later this month", True), ("within a fortnight", True),
     ("immediately", True), ("I'm re-issuing it now", True),
     ("with the next payment run", False), ("in a payment run", False),
     ("with your salary", False), ("once it is approved", False), ("when you pay", False),
     ("the invoice is pending now", False), ("it is now approved", False)],
)  # fmt: skip
def test_time_frames_tied_to_a_cycle_or_to_the_readers_step(text, expected):
    assert has_timeframe(text) is expected


@pytest.mark.parametrize(
    "sentence",
    ["It would help if you could send the delivery note by Friday.",
     "Just let us know by Tuesday which date suits you.",
     "We may have to pause deliveries if the balance is not paid by 30 June.",
     "Expect the refund by Monday.", "We send the remittance on Friday.",
     "It is approved and scheduled for payment on 7 May.",
     "I'm re-issuing the credit note now.", "It wil be settled on 10 June.",
     "The refund left our account this morning."],
)  # fmt: skip
def test_more_wordings_of_a_next_step_with_a_time(sentence):
    assert follow_up(sentence) == set()


@pytest.mark.parametrize(
    "sentence",
    ["Just let us know if you have questions.", "If you could not find it, never mind.",
     "If it is paid by bank transfer, the fee is lower."],
)  # fmt: skip
def test_lookalikes_of_those_wordings_are_not_next_steps(sentence):
    assert follow_up(sentence) == {"FollowUp.Missing"}


def test_a_cycle_without_its_turn_still_needs_a_time():
    assert follow_up("It will go out with the next payment run.") == {"FollowUp.Timeframe"}


@pytest.mark.parametrize(
    "sentence",
    ["The refund usually takes two to three working days to arrive.",
     "Claims are normally paid within ten days of approval.",
     "Both open items are due at the end of June.",
     "All future statements will go to your new address.",
     "We'll pay into the new account from your next invoice onwards.",
     "A corrected credit note is attached."],
)  # fmt: skip
def test_usual_times_standing_changes_and_documents_sent(sentence):
    assert follow_up(sentence) == set()


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [("It usually takes a while to arrive.", "FollowUp.Missing"),
     ("Future payments will go to the new account once it is verified.", "FollowUp.Timeframe"),
     ("A copy of your statement is attached.", "FollowUp.Missing")],
)  # fmt: skip
def test_their_lookalikes_still_miss_a_step_or_a_time(sentence, rule):
    assert follow_up(sentence) == {rule}


@pytest.mark.parametrize(
    "sentence",
    ["The refund went out today and should reach your bank within three working days.",
     "The credit note is being prepared, which should be ready on 12 May.",
     "Completion is expected by Friday."],
)  # fmt: skip
def test_an_expected_next_event_with_a_time_is_a_follow_up(sentence):
    assert follow_up(sentence) == set()


def test_a_matter_closed_in_two_words_needs_no_next_step():
    assert follow_up("Your payment arrived this morning. All settled.") == set()


def test_where_something_should_be_kept_is_not_a_next_step():
    # Tricky negative: "should be on file" says where a document is, not what comes next.
    assert follow_up("The signed contract should be on file with your buyer.") == {
        "FollowUp.Missing"
    }


def test_a_misspelt_day_still_sets_the_time():
    assert has_timeframe("I'll send it by Thrusday.")
    assert has_timeframe("We pay on 3 Febuary 2026.")
    # Tricky negatives: a name close to a month, a day name without a time slot.
    assert not has_timeframe("Marco will send it.")
    assert not has_timeframe("It was sent by Marco.")


@pytest.mark.parametrize(
    "sentence",
    [
        # The matter closed for the reader (heldout-v6).
        "Nothing further is required from your end.",
        "There is nothing more to do on your side.",
        "You're all sorted.",
        "Refund sent this afternoon.",
        "We received your transfer for 4411 this morning.",
    ],
)
def test_a_closed_matter_needs_no_next_step(sentence):
    assert follow_up(sentence) == set()


@pytest.mark.parametrize(
    "sentence",
    [
        # Tricky negatives: a payment still to come, or your e-mail arriving, closes nothing.
        "It is due to be paid soon.",
        "Your e-mail was received this morning.",
        "You're all welcome to call us.",
    ],
)
def test_what_only_sounds_closed_still_needs_a_next_step(sentence):
    assert "FollowUp.Missing" in follow_up(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # heldout-v7: a step someone was asked to take, and a change riding on a
        # scheduled payment.
        "I instructed our bank this morning to return the fee by 12 June.",
        "I asked the carrier to collect the pallets on Tuesday.",
        "The EUR 80.00 was added to your next payment on 18 June.",
        "We have deducted it from the upcoming remittance on 30 May.",
    ],
)
def test_someone_asked_to_act_or_a_scheduled_payment_is_a_next_step(sentence):
    assert follow_up(sentence) == set()


def test_what_the_reader_asked_for_is_not_our_next_step():
    # Tricky negative: "you asked us to" reports the customer's request.
    assert follow_up("You asked the team to check the order.") == {"FollowUp.Missing"}


@pytest.mark.parametrize(
    "sentence",
    [
        # General coverage: a plain imperative with a date, a place in a dated run,
        # and a date given on its own line.
        "Send us the corrected invoice by Thursday.",
        "Your invoice is in Friday's payment run.",
        "Payment date: 12 June.",
        "The expected arrival is Monday 8 June.",
    ],
)
def test_imperatives_runs_and_dates_on_their_own_are_next_steps(sentence):
    assert follow_up(sentence) == set()


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        # Tricky negatives: the same forms without a time, or not a step at all.
        ("Send us the corrected invoice when you can.", "FollowUp.Timeframe"),
        ("Sending invoices by post takes longer.", "FollowUp.Missing"),
    ],
)
def test_their_lookalikes_still_need_a_time_or_a_step(sentence, rule):
    assert rule in follow_up(sentence)
