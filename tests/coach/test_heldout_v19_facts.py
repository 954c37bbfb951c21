"""The general rules added after heldout-v19 for follow-up and the critical needs of an
incident, each tried on wordings of its own (not the labelled replies'), by the rules alone.

Critical needs. What happened: a document "created ... instead of" the right step; a case
handled by someone or something no longer there ("who had left", "which had been closed").
A repeat ruled out ("so it can never be charged twice") and the fault named in thanks for
telling us ("thank you for letting us know about the double charge") are no cause. The fix:
money offered back another way ("we can either take it back"), asked back with its amount
between ("could you send the extra EUR 420.00 back"), a second step joined to one done ("and
will refund it by ..."), "it's now been paid today", a hold we have set and a letter
withdrawn after it, "I've attached your correct invoice". The prevention: a routine started
over a whole class ("started reviewing every ..."), "so none ... again", our set-up changed
to a purpose ("set the matching module to ..."), a field "made mandatory", a change starting
"from <month> we ...".

Follow-up. Delivered beside another step done ("I've cancelled it and attached a corrected
invoice"), also misspelt "attatched"; the reader's way to act offered ("you can pay it with the
link below ... any time this week"). Open: a step given only a vague time ("in due course")
even when the reply delivers something; a request with no date whose only time is a step of
ours it sets off that only hands the matter on ("Once we have it, it will be released for
payment").
"""

import pytest

from tests.coach.helpers import (
    FIX,
    HAPPENED,
    INCIDENT_INVOICE,
    PREVENTION,
    RULES_ALONE,
    categories,
    incident_rules,
    rule_hits,
)

# ---------------------------------------------------------------- what happened


@pytest.mark.parametrize(
    "sentence",
    ["Our billing tool created a second invoice instead of updating the first one.",
     "The portal raised a fresh order number instead of keeping yours.",
     "The claim was assigned to a buyer who had left the business in April.",
     "Your statement went to a shared inbox which had been closed at the end of March."],
)  # fmt: skip
def test_cause_in_other_words_is_what_happened(sentence):
    assert "CriticalNeeds.WhatHappened" not in incident_rules(sentence, FIX, PREVENTION)


@pytest.mark.parametrize(
    "sentence",
    ["Thank you for letting us know about the double charge.",
     "We have added a check so an invoice can never be charged twice.",
     "The card can't be debited twice from now on."],
)  # fmt: skip
def test_a_repeat_ruled_out_or_the_fault_named_is_no_cause(sentence):
    assert "CriticalNeeds.WhatHappened" in incident_rules(sentence, FIX, PREVENTION)


# ---------------------------------------------------------------- the fix


@pytest.mark.parametrize(
    "sentence",
    ["We can either take it back by direct debit on Monday 15 June or net it off your next order.",
     "Could you send the extra EUR 420.00 back to our account by Friday 12 June?",
     "I've booked a credit for EUR 420.00 and will refund it by Friday 12 June.",
     "It's now been refunded to your card today.",
     "I have put a hold on invoice 118 and withdrawn the reminder.",
     "I've attached your correct invoice for EUR 420.00."],
)  # fmt: skip
def test_fix_in_other_words(sentence):
    assert "CriticalNeeds.Fix" not in incident_rules(HAPPENED, sentence, PREVENTION)


@pytest.mark.parametrize(
    "sentence",
    ["We can talk about it next week.", "I have read your message and forwarded it."],
)  # fmt: skip
def test_no_step_is_no_fix(sentence):
    assert "CriticalNeeds.Fix" in incident_rules(HAPPENED, sentence, PREVENTION)


# ---------------------------------------------------------------- prevention


@pytest.mark.parametrize(
    "sentence",
    ["We have started reviewing every pending address change on Mondays.",
     "The queue is now read twice a day, so nothing sits there unseen again.",
     "We've now set the matching module to ignore spaces in invoice numbers.",
     "We have changed our setup so credit notes are linked to the original invoice.",
     "The bank account field has been made mandatory for every new supplier.",
     "From July we will send you a copy of every credit note the day it is raised."],
)  # fmt: skip
def test_prevention_in_other_words(sentence):
    assert "CriticalNeeds.Prevention" not in incident_rules(HAPPENED, FIX, sentence)


@pytest.mark.parametrize(
    "sentence",
    ["We have updated your address.", "The payment from June was the second one.",
     "We have started the refund."],
)  # fmt: skip
def test_a_step_for_this_case_is_no_prevention(sentence):
    assert "CriticalNeeds.Prevention" in incident_rules(HAPPENED, FIX, sentence)


# ---------------------------------------------------------------- follow-up


def follow_up(body, message=None, **context):
    context = {"invoices": [INCIDENT_INVOICE], **context}
    if message:
        context["customer_message"] = message
    return "follow_up" in categories(body, rules=RULES_ALONE, **context)


COPY = "Hello, could you re-issue invoice 118 to our new address? Thanks."


@pytest.mark.parametrize(
    "body",
    ["I've cancelled 118 (EUR 420.00) with a credit note and attached a corrected invoice.",
     "We have re-issued invoice 118 to the new address and attached it here.",
     "Sure, I've attatched the re-issued invoice 118 for EUR 420.00."],
)  # fmt: skip
def test_delivered_beside_another_step(body):
    assert not follow_up(body, COPY)


def test_the_readers_way_to_act_offered_with_its_time():
    body = "You can pay 118 with the link below. Any time this week is fine."
    assert not follow_up(body, "Hi, did my card payment for 118 fail?")


def test_a_vague_time_needs_a_date_even_beside_a_delivery():
    body = "The copy of 118 is attached. Invoice 119 is approved and will be paid in due course."
    message = "Please send a copy of 118. And when will 119 be paid?"
    assert rule_hits(body, "FollowUp.Timeframe", rules=RULES_ALONE, customer_message=message)


def test_a_dated_step_is_not_vague():
    body = "The copy of 118 is attached. Invoice 119 will be paid shortly, on Friday 12 June."
    message = "Please send a copy of 118. And when will 119 be paid?"
    assert not rule_hits(body, "FollowUp.Timeframe", rules=RULES_ALONE, customer_message=message)


def test_a_request_paced_only_by_itself_has_no_date():
    body = (
        "Could you sign the attached mandate and send it back to me? Once we have it, "
        "invoice 118 will be released for payment."
    )
    assert rule_hits(body, "FollowUp.Timeframe", rules=RULES_ALONE, invoices=[INCIDENT_INVOICE])


def test_a_request_paced_by_a_dated_step_of_ours_is_timed():
    body = (
        "Could you sign the attached mandate and send it back to me? Once we have it, "
        "invoice 118 will be paid within two working days."
    )
    assert not rule_hits(body, "FollowUp.Timeframe", rules=RULES_ALONE, invoices=[INCIDENT_INVOICE])
