"""The general rules added after heldout-v16 for empathy, blame and threat, each tried on
wordings of its own (not the labelled replies'): frustration shown by what has happened to
the writer (patience claimed, work or supply held back in return, the relationship in
doubt, a tiny firm, "what am I supposed to do", the same failure found again, sarcastic
thanks and praise, a thing read several times over, a check asked for before the next
letter, "I don't appreciate", a charge questioned, a superior pressing or displeased) and
ownership read in a step dated today, an offer of the step, a promise, a fix with its date
or its document; blame put on another team's workload or a colleague's private life, a
system change or a platform, a third party that "did not warn us", a routine of ours, the
reader's staff who "should have", a habit asked of the reader after the fact ("please
always"), the reader's bank that was slow, doubt cast on what the reader sent, a colleague's
or earlier letters' explanation, "nothing further to explain", exceptions refused "for
individuals"; and as threats in a first reminder: goods held, work or care suspended,
access suspended, no new bookings for accounts in arrears, service "only once the account is
up to date", prepayment required, a provisional hold released."""

import pytest

from tests.coach.helpers import categories, frustrated

OVERDUE = {"number": "51846", "amount": "4380.00", "currency": "EUR", "due_date": "2026-05-12",
           "status": "overdue"}  # fmt: skip


# ---------------------------------------------------------------- empathy


@pytest.mark.parametrize(
    "message",
    ["We have been more than patient with you. Pay the two bills or we put the order on hold.",
     "I run a two-person bakery. I need to know if we keep supplying your cafés.",
     "No more pallets will leave our yard. Even after 45 days nothing has come.",
     "Nobody ever sent us the form. What are we supposed to do now?",
     "Your buyers keep coming up with new objections. Which document is it this time?",
     "Thanks for the charming letter, sent the day after we paid. So helpful. Should we expect "
     "a fresh one next week?",
     "Any chance the refund might turn up this year? Still nothing.",
     "I have read your terms four times. Maybe someone could actually look at them before "
     "sending us another bill.",
     "Why is there an admin fee on this statement? I do not appreciate being billed for "
     "paying early.",
     "Sorry to bother you again. Our managing director is asking me where the payment is."],
)  # fmt: skip
def test_what_has_happened_to_the_writer_reads_as_frustration(message):
    assert frustrated(message)


@pytest.mark.parametrize(
    "message",
    ["Hello, could you send us the remittance for invoice 51846? Thanks a lot.",
     "We read the contract and agree with the figures. The transfer goes out this week.",
     "Our director asked me to thank you for the quick refund.",
     "Thanks for the reminder, the transfer is booked for Thursday."],
)  # fmt: skip
def test_plain_and_friendly_messages_are_not_frustration(message):
    assert not frustrated(message)


SARCASTIC = "Thank you for the friendly reminder one day after we paid. Very efficient."


@pytest.mark.parametrize(
    "body",
    ["I'm sorry about the reminder. I matched your transfer to 51846 this morning.",
     "I'm sorry for this. Once I have the signed form, I can release 51846 the same day.",
     "I'm sorry for the mix-up. The credit note for EUR 4,380.00 is attached.",
     "Apologies for that. Your account is completely clear, and you will not receive any "
     "more reminders."],
)  # fmt: skip
def test_owned_steps_and_a_settled_account_satisfy_empathy(body):
    assert "empathy" not in categories(body, customer_message=SARCASTIC, invoices=[OVERDUE])


def test_news_received_today_is_no_step_taken():
    body = "I'm sorry about the reminder. We received your remittance today."
    assert "empathy" in categories(body, customer_message=SARCASTIC, invoices=[OVERDUE])


def test_facts_alone_still_miss_the_acknowledgement():
    body = "Invoice 51846 is paid and closed."
    assert "empathy" in categories(body, customer_message=SARCASTIC, invoices=[OVERDUE])


# ---------------------------------------------------------------- blame


@pytest.mark.parametrize(
    "sentence",
    ["The approval sat with our logistics team, who are badly short-staffed in summer.",
     "Our buyers are busy and do not always get round to invoice queries.",
     "Marek has been coping with a family illness and has not been in the office much.",
     "We switched to a new ERP in April, and for weeks we could not post invoices.",
     "The hold-up was due to issues with our bank's card platform.",
     "Sadly the courier never told us the parcel was stuck.",
     "There is nothing more to explain from our side.",
     "It was delayed by our quarter-end close.",
     "Your site manager should have flagged the extra hours at the time.",
     "Please always put the order number in the payment reference.",
     "The fee applied because your bank's payment was slow to arrive.",
     "The form you say you sent may never have reached us.",
     "As my colleague previously explained, the rate is fixed.",
     "As set out in our two earlier letters, the rate is fixed.",
     "We are unable to make individual exceptions."],
)  # fmt: skip
def test_blame_by_meaning(sentence):
    body = f"{sentence} Invoice 51846 will be paid on Friday 12 June."
    assert "blame" in categories(body, invoices=[OVERDUE])


@pytest.mark.parametrize(
    "sentence",
    ["Our team is busy preparing your refund.",
     "I have been in the office all week and checked it myself.",
     "Please quote the order number in the payment reference.",
     "Your transfer arrived on 10 May, before the due date.",
     "I can explain the figures on a call if that helps."],
)  # fmt: skip
def test_our_own_work_and_plain_requests_are_not_blame(sentence):
    body = f"{sentence} Invoice 51846 will be paid on Friday 12 June."
    assert "blame" not in categories(body, invoices=[OVERDUE])


# ---------------------------------------------------------------- threat


@pytest.mark.parametrize(
    "sentence",
    ["That way we avoid your spring pallets being held at the depot.",
     "Otherwise we may need to suspend the planned maintenance work.",
     "Your login to the ordering portal may then be suspended.",
     "Clients with unpaid balances cannot book new venues.",
     "Our installers can only resume the fit-out once the balance is cleared.",
     "New orders will require full prepayment.",
     "Your reservation for the spring fair may be released."],
)  # fmt: skip
def test_soft_threats_in_a_first_reminder(sentence):
    body = f"Invoice 51846 is still open. Could you pay it by Friday 12 June? {sentence}"
    assert "threat" in categories(body, reminder_level=0, invoices=[OVERDUE])


@pytest.mark.parametrize(
    "sentence",
    ["Your booking for the spring fair is confirmed.",
     "Our engineers will continue the maintenance work as planned.",
     "Your portal login has been reset, as you asked."],
)  # fmt: skip
def test_plain_facts_are_not_threats(sentence):
    body = f"Invoice 51846 is still open. Could you pay it by Friday 12 June? {sentence}"
    assert "threat" not in categories(body, reminder_level=0, invoices=[OVERDUE])
