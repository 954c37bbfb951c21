"""The general rules added for follow-up and critical needs after heldout-v14, each tried
on wordings of its own (not the labelled replies'): a step put off to "in due course" or
to a normal process behind a fix done only for the future or a check added, a state named
in a condition ("before it is released") not taken for the fix done, a class of cases
held for a manual check as the prevention, an invoice's due date stated after a step of
ours, steps set off by a payment the reply dates, and "once I receive it" after asking a
third party."""

from functools import partial

import pytest

from tests.coach import helpers

OPEN = {"number": "73310", "amount": "2640.00", "currency": "EUR", "due_date": "2026-07-20",
        "status": "open"}  # fmt: skip
OVERDUE = {**OPEN, "status": "overdue", "due_date": "2026-05-04"}

CAUSE = "Your order was billed twice because our import job ran two times on 2 July. "


VOICE = {
    "contact": "Mira Holm",
    "greeting": "Hi Mira,",
    "closing": "Thank you for your patience.\n\nBest wishes,\nOskar",
}
findings = partial(helpers.findings, **VOICE)
flags = partial(helpers.flagged, **VOICE)
rules = partial(helpers.rules_fired, **VOICE)


# ---------------------------------------------------------------- critical needs


def test_a_state_named_in_a_condition_is_not_the_fix_done():
    body = (
        CAUSE + "A refund of EUR 2,640.00 has been raised and will follow our usual process. "
        "Every import now waits for a second person to check it before it is released."
    )
    assert "CriticalNeeds.Fix" in rules(body, incident=True, invoices=[OPEN])
    dated = body.replace("follow our usual process", "reach you by Friday 10 July")
    assert "CriticalNeeds.Fix" not in rules(dated, incident=True, invoices=[OPEN])


def test_a_correction_made_for_future_invoices_is_not_the_fix_of_this_one():
    body = (
        CAUSE + "The job setting has now been corrected, so later imports will run once. "
        "We will credit the second charge in due course."
    )
    found = rules(body, incident=True, invoices=[OPEN])
    assert {"CriticalNeeds.Fix", "FollowUp.Timeframe"} <= found
    dated = body.replace("in due course", "by Monday 13 July")
    found = rules(dated, incident=True, invoices=[OPEN])
    assert not {"CriticalNeeds.Fix", "FollowUp.Timeframe"} & found


@pytest.mark.parametrize(
    "sentence",
    ["Orders that differ from the price list are now held for a manual check before billing.",
     "From today, any change of bank details gets sent to a second approver."],
)  # fmt: skip
def test_a_class_of_cases_held_for_a_manual_check_is_the_prevention(sentence):
    body = CAUSE + "I have refunded the second charge today. " + sentence
    assert "CriticalNeeds.Prevention" not in rules(body, incident=True, invoices=[OPEN])


def test_a_plain_hold_is_not_a_prevention():
    body = CAUSE + "I have refunded the second charge today. Your order is held for delivery."
    assert "CriticalNeeds.Prevention" in rules(body, incident=True, invoices=[OPEN])


# ---------------------------------------------------------------- follow-up


def test_a_check_added_to_our_process_does_not_close_the_readers_matter():
    body = (
        CAUSE + "We have now added a control that compares each import with the last one. "
        "The refund of EUR 2,640.00 will go through our standard refund cycle."
    )
    assert flags(body, "follow_up", incident=True, invoices=[OPEN])
    dated = body.replace("our standard refund cycle", "on Thursday 9 July")
    assert not flags(dated, "follow_up", incident=True, invoices=[OPEN])


def test_a_due_date_stated_after_our_step_does_not_date_it():
    body = (
        "Thanks for sending your new postal address. We will change it on our side. "
        "Invoice 73310 is due on 20 July."
    )
    assert flags(body, "follow_up", invoices=[OPEN])
    dated = body.replace("on our side", "on our side by Friday 3 July")
    assert not flags(dated, "follow_up", invoices=[OPEN])


def test_in_a_debt_chase_the_due_date_is_the_next_step():
    body = "Thank you for replying. Invoice 73310 is due on 20 July, so we'll look out for it."
    assert not flags(body, "follow_up", invoices=[OVERDUE])


@pytest.mark.parametrize(
    "step",
    ["I'll send you a receipt once the money lands.",
     "We will mark the account as clear when your transfer arrives."],
)  # fmt: skip
def test_a_step_set_off_by_a_payment_the_reply_dates_is_timed(step):
    dated = "Paying on Wednesday 15 July is absolutely fine. " + step
    assert not flags(dated, "follow_up", invoices=[OVERDUE])
    undated = "Paying a little later is absolutely fine. " + step
    assert flags(undated, "follow_up", invoices=[OVERDUE])


def test_once_i_receive_it_after_asking_a_third_party_sets_no_time():
    asked = (
        "I have asked our warehouse for the delivery note and will write again once I receive it."
    )
    assert flags(asked, "follow_up", invoices=[OPEN])
    reader = "Please send us the delivery note and I will write again once I receive it."
    assert not flags(reader, "follow_up", invoices=[OPEN])
