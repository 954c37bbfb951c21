"""The general rules added after heldout-v15 for empathy, blame and threat, each tried on
wordings of its own (not the labelled replies'): frustration shown between the lines (a
one-word sarcastic opener, the nth copy, a failure learnt of only now, "how is this
possible", money not received, grudging thanks for paying "at all", the writer's own crew
waiting or pulled off the job), a customer sorry for their own slip, confusion and "PO"
not read as anger, "apology", "I get it" and "does feel excessive" as acknowledgements,
ownership with an aside; blame that sounds reasonable (how things "work on our side", a
matter between others, "better placed than we are", a team that must "do their part",
"no way of knowing", "rather than by our team", the reader's letter sent to an address we
closed, what "someone in your team" should have done, the reader's part that came late, a
change "announced to all suppliers", homework for the reader's team, "had to point out",
"won't go through it again", "flat out", "a person down"); and as threats in a first
reminder: interest that accrues, storage charges that will apply, work put on pause, a
shipment held, support withheld, an account that goes on a block."""

import pytest

from tests.coach.helpers import categories, frustrated

OVERDUE = {"number": "51846", "amount": "4380.00", "currency": "EUR", "due_date": "2026-05-12",
           "status": "overdue"}  # fmt: skip


# ---------------------------------------------------------------- empathy


@pytest.mark.parametrize(
    "message",
    ["Brilliant. A third statement showing the credit we already took.",
     "We posted the claim in March and now we learn it was never logged. Small firm here.",
     "The bank says the money left you on Monday. How can this be possible? We have still "
     "not received anything.",
     "Sixty days on a simple repair job. I guess we should be thankful anyone replied at all.",
     "Invoice 51846 is 50 days past due and my drivers want paying. I'm pulling our trucks "
     "off the contract on Friday."],
)  # fmt: skip
def test_frustration_between_the_lines(message):
    assert frustrated(message)


@pytest.mark.parametrize(
    "message",
    ["Our accounts team sent the transfer twice by mistake. Sorry for the trouble. Can you "
     "send the second payment back?",
     "Morning, I'm slightly confused: the credit note and the statement still show different "
     "totals. Which one should I pay?",
     "Hi, I joined last week and can't work out who signs off our invoices. Do you need a PO "
     "number on each one?",
     "Great. Thanks, we will pay on Friday."],
)  # fmt: skip
def test_own_slips_confusion_and_plain_questions_are_not_frustration(message):
    assert not frustrated(message)


ANGRY = "Nobody has replied for three weeks. This is the fourth e-mail I have sent."


def test_an_apology_in_the_singular_acknowledges():
    body = (
        "Please accept my apology for the silence. I have re-sent the credit note for 51846 "
        "and will call you on Friday 12 June."
    )
    assert "empathy" not in categories(body, customer_message=ANGRY, invoices=[OVERDUE])


def test_granting_the_feeling_and_an_aside_before_the_step():
    body = (
        "I get it, and three weeks does seem far too long. I have, however, chased the "
        "approver today, and 51846 will be paid on Friday 12 June."
    )
    assert "empathy" not in categories(body, customer_message=ANGRY, invoices=[OVERDUE])


def test_facts_alone_still_miss_the_acknowledgement():
    body = "Invoice 51846 will be paid on Friday 12 June."
    assert "empathy" in categories(body, customer_message=ANGRY, invoices=[OVERDUE])


# ---------------------------------------------------------------- blame


@pytest.mark.parametrize(
    "sentence",
    ["I'm afraid that's not quite how refunds work on our side.",
     "Port storage is really a matter between you and the terminal operator.",
     "Your forwarder is far better placed than we are to get the release letter.",
     "Accounts can't pay until the warehouse does its part.",
     "Your notice went to head office, so our team had no way of knowing.",
     "A double debit like this is not something we can spot from our end.",
     "Refunds are approved by the regional finance hub rather than by my team.",
     "The statement had been sent to the old billing mailbox, which we closed in 2024.",
     "Somebody in your purchasing team should have used the new form.",
     "For context, the artwork approval from your side came nine days late.",
     "The new portal was announced to all suppliers in January.",
     "The guide has been on our supplier site since March.",
     "It may be worth your payments team looking into their approval steps.",
     "As we have had to point out several times, the balance is overdue.",
     "The details are in our earlier letters, so we won't go over it all again.",
     "It's been absolutely flat out here this month.",
     "We've been two people down since Easter."],
)  # fmt: skip
def test_blame_that_sounds_reasonable(sentence):
    body = f"{sentence} Invoice 51846 will be paid on Friday 12 June."
    assert "blame" in categories(body, invoices=[OVERDUE])


@pytest.mark.parametrize(
    "sentence",
    ["Our reminder was sent to your old accounts address, so I've attached it here.",
     "No problem. These things happen.",
     "I have updated the address myself, so this won't happen again.",
     "Thank you for letting us know about the new form."],
)  # fmt: skip
def test_our_slip_and_forgiveness_are_not_blame(sentence):
    body = f"{sentence} Invoice 51846 will be paid on Friday 12 June."
    assert "blame" not in categories(body, invoices=[OVERDUE])


# ---------------------------------------------------------------- threat


@pytest.mark.parametrize(
    "sentence",
    ["Under our terms, interest at 6% above base accrues on overdue amounts.",
     "Storage charges of EUR 40 per pallet per day will apply from Monday.",
     "We would hate to put further print runs on pause.",
     "Otherwise we will need to hold the delivery of your autumn order.",
     "Our agreement lets us withhold marketing support from the branch.",
     "If it stays open, the account goes on a B1 block."],
)  # fmt: skip
def test_soft_threats_in_a_first_reminder(sentence):
    body = f"Invoice 51846 is still open. Could you pay it by Friday 12 June? {sentence}"
    assert "threat" in categories(body, reminder_level=0, invoices=[OVERDUE])


@pytest.mark.parametrize(
    "sentence",
    ["Bank charges will apply on your side for foreign transfers.",
     "We have withheld nothing from the refund.",
     "Your next shipment leaves our warehouse on Monday."],
)  # fmt: skip
def test_plain_facts_are_not_threats(sentence):
    body = f"Invoice 51846 is still open. Could you pay it by Friday 12 June? {sentence}"
    assert "threat" not in categories(body, reminder_level=0, invoices=[OVERDUE])
