"""The general rules added after the heldout-v15 freeze for accuracy, follow-up and
critical needs, each tried on wordings of its own (not the labelled replies'): a step
now kept to one role or caught by a routine report, a block added to a process, a
return of money set out under a heading, what we have done today set out as a list,
money booked to another party, "will no longer" and "is included in" as facts rather
than steps, a due date in the step's own sentence, a misspelt "immediately", and an
invoice amount with its digits reordered after a role word."""

from functools import partial

import pytest

from tests.coach import helpers

OPEN = {"number": "73310", "amount": "2640.00", "currency": "EUR", "due_date": "2026-07-20",
        "status": "open"}  # fmt: skip
PAID = {**OPEN, "status": "paid"}


VOICE = {"contact": "Mira Holm", "greeting": "Hi Mira,", "closing": "Best wishes,\nOskar"}
rules = partial(helpers.rules_fired, **VOICE)
categories = partial(helpers.categories, **VOICE)


INCIDENT = {"incident": True, "invoices": [PAID]}
HAPPENED = "Our payment run picked up invoice 73310 twice because it was entered under two numbers."
FIXED = "The extra EUR 2,640.00 will be back in your account by Friday 12 June."
PREVENTED = "We have added a duplicate check to every payment run."


# ---------------------------------------------------------------- critical needs


@pytest.mark.parametrize(
    "prevention",
    ["Refunds above EUR 500 can now only be approved by the finance lead.",
     "Our nightly reconciliation report now flags any invoice paid twice.",
     "We've now added a hard block on any invoice number already on file."],
)  # fmt: skip
def test_a_change_kept_to_one_role_or_caught_by_a_routine_is_prevention(prevention):
    assert "CriticalNeeds.Prevention" not in rules(
        f"Sorry about this. {HAPPENED} {FIXED} {prevention}", **INCIDENT
    )


def test_a_report_that_only_describes_is_no_prevention():
    body = f"Sorry about this. {HAPPENED} {FIXED} Our statement shows both payments."
    assert "CriticalNeeds.Prevention" in rules(body, **INCIDENT)


def test_a_heading_on_how_to_return_the_money_is_the_fix():
    body = (
        f"Thank you for offering to return it. {HAPPENED}\n\nHow you can return the money: "
        "please send EUR 2,640.00 to the account on our orders.\n\nI will confirm it has "
        f"arrived within two working days. {PREVENTED}"
    )
    assert "CriticalNeeds.Fix" not in rules(body, **INCIDENT)


def test_a_heading_over_a_list_of_what_was_done_today_is_the_fix():
    body = (
        f"I apologise. {HAPPENED}\n\nWhat I have done today:\n- returned the extra "
        f"payment to you;\n- closed the duplicate entry.\n\n{PREVENTED}"
    )
    assert "CriticalNeeds.Fix" not in rules(body, **INCIDENT)


def test_a_heading_without_the_step_is_still_not_a_fix():
    body = f"I apologise. {HAPPENED} We are sorry for the worry. {PREVENTED}"
    assert "CriticalNeeds.Fix" in rules(body, **INCIDENT)


@pytest.mark.parametrize(
    "happened",
    ["Your transfer was credited to a different customer with a similar name.",
     "The refund was sent to another vendor by our clerk.",
     "The money went to the wrong payee."],
)  # fmt: skip
def test_money_booked_to_another_party_says_what_happened(happened):
    assert "CriticalNeeds.WhatHappened" not in rules(
        f"I'm sorry. {happened} {FIXED} {PREVENTED}", **INCIDENT
    )


def test_money_booked_to_your_own_account_is_not_what_happened():
    body = f"I'm sorry. Your transfer was credited to your account. {FIXED} {PREVENTED}"
    assert "CriticalNeeds.WhatHappened" in rules(body, **INCIDENT)


# ---------------------------------------------------------------- follow-up


def test_will_no_longer_is_a_change_not_a_step_without_a_date():
    body = "Invoice 73310 was corrected this morning. Draft copies will no longer be e-mailed."
    assert "FollowUp.Timeframe" not in rules(body, invoices=[OPEN])


@pytest.mark.parametrize(
    "fact",
    ["VAT at 20% is included in the EUR 2,640.00 on invoice 73310.",
     "Delivery is already included in the quoted price of invoice 73310."],
)  # fmt: skip
def test_what_a_figure_includes_is_no_next_step(fact):
    assert "FollowUp.Missing" in rules(f"Thanks for asking. {fact}", invoices=[OPEN])


def test_a_credit_included_in_the_next_run_is_still_a_step():
    body = "Your credit is included in the next payment run on Friday 12 June."
    assert "follow_up" not in categories(body, invoices=[OPEN])


def test_a_due_date_in_the_steps_own_sentence_dates_it():
    body = (
        "Thank you for offering to pay early. Invoice 73310 is due on 20 July, and any "
        "payment before then is welcome."
    )
    assert "FollowUp.Timeframe" not in rules(body, invoices=[OPEN])


@pytest.mark.parametrize("word", ["imediately", "immediatly", "immediately"])
def test_a_misspelt_immediately_is_a_time_frame(word):
    body = f"The extra charge on invoice 73310 will be refunded {word}."
    assert "FollowUp.Timeframe" not in rules(body, invoices=[OPEN])


def test_soon_is_still_no_time_frame():
    body = "The extra charge on invoice 73310 will be refunded soon."
    assert "FollowUp.Timeframe" in rules(body, invoices=[OPEN])


# ---------------------------------------------------------------- accuracy


def test_reordered_digits_after_a_role_word_are_a_slip():
    body = "The duplicate charge of EUR 2,460.00 was refunded today."
    assert "accuracy" in categories(body, invoices=[PAID])


def test_a_real_fee_after_a_role_word_is_not_a_slip():
    body = "The bank charge of EUR 25.00 on invoice 73310 was refunded today."
    assert "accuracy" not in categories(body, invoices=[PAID])


def test_reordered_digits_the_customer_wrote_are_not_flagged():
    body = "The charge of EUR 2,460.00 you mention was refunded today."
    assert "accuracy" not in categories(
        body, invoices=[PAID], customer_message="We see a charge of EUR 2,460.00."
    )
