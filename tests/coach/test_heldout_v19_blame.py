"""The general rules added after heldout-v19 for blame and threat, each tried on wordings of
its own (not the labelled replies'), by the rules alone.

Blame read by who is the subject of the lapse and whether the reply disowns it. Another team
of ours made the owner or the cause: the decision "entirely a Legal decision", "my hands are
tied", "isn't something we in Credit Control can authorise", "the finance team has no way
to", a task that comes "from X, not from accounts receivable", "on the carrier's end, not
ours", "they're the ones who need to", "best if you ring her", "their sign-off took",
"our warehouse should have", "supposed to ..., but they never", "nobody could have guessed",
"nothing wrong at our end", "we don't regard the delay as our fault". The silence explained
by someone else's step ("which is why I couldn't reply", "hoping to hear from our buyer
before we could"), a backlog or a migration as the reason. The reader's side made the
cause: what "can't reasonably be expected" of us, the form "you returned was unsigned", a
letter sent "instead of to our", a rule the reader was told of ("as set out in our supplier
guide", "the terms you accepted make clear"), "down to the sender to check", "probably the
carrier was at fault", "worth giving your bank a ring", "As we said in our reminders".

Threat in a first reminder: cover and work cut off or made conditional ("entitled to
terminate", "your membership may be suspended", "pause further campaigns", "cannot accept
new orders from accounts with", "need the balance settled before we can", "only renewed
once the invoice is paid", "switched to cash on delivery"), fees to avoid ("to avoid a
handling fee being added"), "overdue invoices are charged", "a lien over the equipment".
"""

from functools import partial

import pytest

from tests.coach.helpers import RULES_ALONE, flagged

OVERDUE = {"number": "55120", "amount": "2340.00", "currency": "EUR", "due_date": "2026-07-14",
           "status": "overdue"}  # fmt: skip


# By the rules alone, about an overdue invoice; threats in a first reminder.
blamed = partial(flagged, category="blame", rules=RULES_ALONE, invoices=[OVERDUE])
threatened = partial(blamed, category="threat", reminder_level=0)


# ---------------------------------------------------------------- blame


@pytest.mark.parametrize(
    "sentence",
    ["Writing off the balance is entirely a Legal decision, and they said no.",
     "I would like to help, but my hands are tied on the discount.",
     "A refund isn't something we in Credit Control can authorise.",
     "The finance team has no way to change the due date itself.",
     "The sign-off comes from the plant manager, not from accounts receivable.",
     "The hold-up is on the carrier's end, not ours.",
     "The depot staff are the ones who need to book it in; they're the ones who have to act.",
     "It's best if you ring her yourself about the missing delivery note.",
     "Their sign-off took three weeks longer than planned.",
     "Our warehouse really should have told you about the shortage.",
     "The buyers are supposed to send you the order number, but they never remember.",
     "Nobody could have guessed that the rate had been agreed by phone.",
     "There is nothing wrong at our end, as far as I can see.",
     "We don't regard the delay as our fault."],
)  # fmt: skip
def test_another_team_of_ours_as_the_owner_or_the_cause(sentence):
    assert blamed(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["The approval came through on Monday, which is why I couldn't reply before then.",
     "We were hoping to hear from our site buyer before we could release it.",
     "There is a backlog of supplier queries at the moment, so 55120 has waited.",
     "The team has not managed to keep up with the mailbox this month.",
     "The invoice was posted during the ERP upgrade, when the bank data was not checked."],
)  # fmt: skip
def test_a_silence_explained_by_someone_elses_step_or_a_backlog(sentence):
    assert blamed(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["Our cashiers can't reasonably be expected to guess which invoice a payment is for.",
     "The mandate form you returned in March was unsigned, so it could not be used.",
     "The credit note was posted to our Leeds branch instead of our central address.",
     "As set out in our supplier guide, every invoice needs a delivery reference.",
     "The terms you accepted last year make it clear that deposits are non-refundable.",
     "With a cheque it's down to the sender to check the account is still open.",
     "The box was intact when it left, so probably the carrier was at fault.",
     "It may be worth giving your bank a ring about the rejected transfer.",
     "As we said in our reminders, the account needs to be brought up to date."],
)  # fmt: skip
def test_the_readers_side_made_the_cause(sentence):
    assert blamed(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["It would help if you could send the signed form by Friday.",
     "We mixed up the two deliveries; that was our slip, and the credit note is attached.",
     "The approval is with me now and I will release the payment on Thursday.",
     "I have asked our depot to confirm the delivery today and I'll update you by Friday.",
     "Your payment arrived this morning and I have matched it to 55120.",
     "Our Treasury team has approved the early payment, which goes out on Monday.",
     "The mandate form you sent is complete, and I have set up the direct debit.",
     "There is no backlog on your account; everything else is paid.",
     "I'm sorry we were slow to reply; that was down to me, and it is sorted now."],
)  # fmt: skip
def test_owning_and_plain_requests_are_not_blame(sentence):
    assert not blamed(sentence)


# ---------------------------------------------------------------- threat


@pytest.mark.parametrize(
    "sentence",
    ["If the fee stays unpaid, the insurer is entitled to terminate the contract.",
     "Unpaid renewals may lead to the insurer cancelling your policy.",
     "Left unpaid, your membership may be suspended at the end of the month.",
     "We would have to pause further campaigns until the balance is cleared.",
     "We cannot accept new orders from accounts with an unpaid balance.",
     "We'll need the balance settled before we can book the next delivery.",
     "The support contract is only renewed once the invoice is paid.",
     "After 45 days, overdue accounts are switched to cash on delivery.",
     "To avoid a handling fee being added, please pay by the end of the week.",
     "Overdue invoices are charged at 1.5% a month.",
     "Unpaid hire charges may be secured by a lien over the equipment."],
)  # fmt: skip
def test_cover_and_work_cut_off_or_fees_threaten(sentence):
    assert threatened(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["Your policy stays in force, and I have attached the renewal schedule.",
     "Your next campaign starts on Monday as planned.",
     "We have waived the handling fee on this reminder.",
     "Could you let me know a payment date for 55120? Happy to help if anything is unclear."],
)  # fmt: skip
def test_reassurance_and_plain_requests_are_not_threats(sentence):
    assert not threatened(sentence, first_time_late=True)
