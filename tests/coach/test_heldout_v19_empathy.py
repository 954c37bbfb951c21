"""The general rules added after heldout-v19 for empathy, each tried on wordings of its own
(not the labelled replies'), by the rules alone.

Frustration read by what has happened to the writer, said between the lines: a promise made
to them quoted back ("we were told it would be sorted "next week""), the month pointed out
("It is now August."), the reason we gave put in scare quotes, a lapse of ours said as a
plain fact ("somebody lost our delivery note", "your team has got the rates backwards"; not
asked: "Did you lose our remittance?"), a one-word "Again.", being stuck ("So what now?"),
trying several times, a plea ("would help us enormously"), having had to pre-finance the
work, an answer asked for "this time", sarcasm about when we will pay ("planning to pay it at
all"), "the fourth missed payment", "You've invoiced us twice", "Refund both.". Not
frustration: a customer late by their own doing and sorry for it, a document's status
("blocked", "rejected") in a plain question, a disagreement closed with ", please".

Acknowledgement: "I do understand", "I sympathise", "that can't have been an easy call",
thanks for being honest; not "I can see the payment" (a record seen), nor a lone "Apologies
for any inconvenience". Ownership: "That's on us.", "I've gone ahead and", "we accept it and
will pay it", "It is now approved, and the balance will be paid on".
"""

from functools import partial

import pytest

from tests.coach.helpers import RULES_ALONE, frustrated, rules_fired

INVOICE = {"number": "55120", "amount": "3420.00", "currency": "EUR", "due_date": "2026-07-10",
           "status": "open"}  # fmt: skip
ANGRY = "This is the third time I am asking about 55120 and nobody has answered. Unacceptable."

fired = partial(rules_fired, category="empathy", rules=RULES_ALONE, invoices=[INVOICE])


# ---------------------------------------------------------------- frustration read


@pytest.mark.parametrize(
    "message",
    ["Back in March we were told the refund would arrive \"within days\". It is now August.",
     "Somebody lost our delivery note. Again.",
     "Your team has got the rates backwards on 55120. Please correct it.",
     "I tried to reset my password four times and the portal still refuses it. So what now?",
     "We are a family bakery and we had to pre-finance the flour. Paying early would help us"
     " enormously.",
     "No one answered my letter of 2 July. I would like a reply this time.",
     "Are you planning to pay 55120 at all, or should I wait until next year?",
     "You've invoiced us twice for the same delivery. Refund both.",
     "Interest has been added because 55120 was paid 30 days late. It is the fourth missed"
     " payment this year.",
     "My invoice was refused because the bank details are \"unclear\". Perhaps someone could"
     " read it again."],
)  # fmt: skip
def test_what_happened_to_the_writer_reads_as_frustration(message):
    assert frustrated(message)


@pytest.mark.parametrize(
    "message",
    ["Did you lose our remittance? We paid 55120 on Monday.",
     "Sorry about this, we changed banks in June and it is the first time we are late with"
     " you. We are a bit embarrassed. Could you send the invoice again?",
     "Your portal says \"blocked\" for invoice 55120. Blocked for what?",
     "You rejected our invoice 55120 saying wrong address. We have always used it. What"
     " changed?",
     "We paid 55120 less the agreed early-payment discount. We don't agree with the"
     " reminder, please cancel it.",
     "Is there any chance of being paid a week early this time? No problem if not.",
     "Our auditor is asking. Is there a reason for the short payment on 55120?"],
)  # fmt: skip
def test_calm_or_contrite_messages_stay_calm(message):
    assert not frustrated(message)


# ---------------------------------------------------------------- acknowledgement


@pytest.mark.parametrize(
    "sentence",
    ["I do understand how hard the last few months have been.",
     "I sympathise, and I have released 55120 for payment today.",
     "I know that can't have been an easy call to make, and I have released 55120 today.",
     "Thanks for being so honest with me; I have released 55120 for payment today."],
)  # fmt: skip
def test_granting_the_feeling_is_acknowledgement(sentence):
    assert "Empathy.Acknowledge" not in fired(sentence, customer_message=ANGRY)


@pytest.mark.parametrize(
    "sentence",
    ["I can see the payment was approved, and I have released 55120 today. Apologies for any"
     " inconvenience.",
     "I have released 55120 for payment today. Apologies for any inconvenience caused."],
)  # fmt: skip
def test_a_record_seen_or_a_stock_apology_is_not(sentence):
    assert "Empathy.Acknowledge" in fired(sentence, customer_message=ANGRY)


# ---------------------------------------------------------------- ownership


@pytest.mark.parametrize(
    "sentence",
    ["I'm sorry nobody told you about the fee. That's on us.",
     "I'm sorry about the fee. I've gone ahead and taken it off 55120.",
     "I'm sorry for the delay. We accept the charge of EUR 42.50 and will pay it on Friday.",
     "I'm sorry for the wait. It is now approved, and EUR 3,420.00 will be paid on Friday"
     " 10 July."],
)  # fmt: skip
def test_steps_of_our_own_are_ownership(sentence):
    assert "Empathy.Ownership" not in fired(sentence, customer_message=ANGRY)


@pytest.mark.parametrize(
    "sentence",
    ["I'm sorry for the delay. We received your note and will pass it to the payments team.",
     "I'm sorry for the delay. It has now been released and will be paid in the run on"
     " Friday."],
)  # fmt: skip
def test_handing_on_or_a_passive_release_is_not(sentence):
    assert "Empathy.Ownership" in fired(sentence, customer_message=ANGRY)
