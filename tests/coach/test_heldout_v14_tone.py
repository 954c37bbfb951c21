"""The general rules added after heldout-v14 for empathy, blame and threat, each tried on
wordings of its own (not the labelled replies'): days past due, different answers, a wait
on hold, "still nothing.", "it matters to us", payment withheld until explained and "last
time I looked" read as frustration; a customer sorry that an invoice slipped through is not
angry; "we have therefore raised" as ownership; the hold-up denied for our side or placed
on someone else's, a department that the matter "sits with", the reader sent back to
someone else, "handled by X, so I can't comment", a system change as the reason nothing
was done, homework set for the reader ("worth giving clause 7 a read", "only actioned if
they reach the right team", "it would help if ... in future", "quoting the reference would
have prevented it"), "not in a position to make exceptions", rules that apply to every
client alike, time off "for a couple of weeks with" a family situation, "as I mentioned on
our call"; and as threats in a first reminder: terms that allow interest, a move to
cash-before-delivery said in the passive, a broadband service to be restricted."""

import pytest

from tests.coach.helpers import frustrated, writer

OVERDUE = {"number": "77310", "amount": "2210.00", "currency": "EUR", "due_date": "2026-05-11",
           "status": "overdue"}  # fmt: skip


categories, _, _ = writer("Marta Kowal", "Hi Marta,", "Kind regards,\nPiet")


# ---------------------------------------------------------------- empathy


@pytest.mark.parametrize(
    "message",
    ["Invoice 77310 is now 60 days past due. Each call I'm given a different story.",
     "I was kept on hold for over an hour yesterday. Still nothing. This money matters to us.",
     "We will not pay this bill until somebody explains it. Last time I looked we had no "
     "contract for that service."],
)  # fmt: skip
def test_waiting_and_withheld_payment_are_frustration(message):
    assert frustrated(message)


@pytest.mark.parametrize(
    "message",
    ["Really sorry, invoice 77310 slipped past us during the audit. It will be paid on Monday.",
     "Could you tell me when invoice 77310 is due? Nothing urgent.",
     "We got a different answer from the bank, could you check the IBAN?"],
)  # fmt: skip
def test_contrite_or_plain_messages_are_not_frustration(message):
    assert not frustrated(message)


def test_therefore_raised_is_ownership():
    body = ("I apologise for the mix-up. We have therefore raised a credit of EUR 400.00 on "
            "invoice 77310 and I will send it by Friday 22 May.")  # fmt: skip
    assert "empathy" not in categories(body, customer_message="This is unacceptable. Fix it.")


# ---------------------------------------------------------------- blame


@pytest.mark.parametrize(
    "body",
    ["The delay isn't at our end: the depot still has to sign the delivery note.",
     "The hold-up has mostly been on the warehouse team's side.",
     "Changing the unit price sits with Purchasing, I'm afraid.",
     "Your best option is to raise it with your account manager.",
     "Call waiting times are run by our contact centre, so we can't comment on them.",
     "We switched to a new ticketing tool in March, which is why your messages were not "
     "answered.",
     "It might be worth asking your office where the signed form went.",
     "It's worth giving clause 7 of the framework a read.",
     "Address changes only get actioned if they reach the right team.",
     "It would help if new contacts were sent to us by letter in future.",
     "Quoting the reference on the transfer would have prevented this.",
     "I'm not in a position to make exceptions on the payment terms.",
     "The reminder fees apply to all clients equally.",
     "I was out for a few weeks with a family situation.",
     "As I mentioned on our call, the credit note covers only one delivery."],
)  # fmt: skip
def test_brush_offs_and_blame(body):
    assert "blame" in categories(body)


@pytest.mark.parametrize(
    "body",
    ["The delay was on our side, and I'm sorry for it.",
     "Your best bet is to call me directly on 020 7946 0000.",
     "It's worth knowing that the credit note will show on your next statement.",
     "If you send the delivery note, I will pay it the same day.",
     "The site was closed for a couple of weeks with roadworks, so goods went to the depot.",
     "As we agreed on the phone, I have sent the credit note today."],
)  # fmt: skip
def test_plain_statements_are_not_blame(body):
    assert "blame" not in categories(body)


# ---------------------------------------------------------------- threat


@pytest.mark.parametrize(
    "body",
    ["Our conditions of sale allow interest of 1% a month on late balances.",
     "Overdue accounts are switched to pro-forma terms for new orders.",
     "Otherwise the broadband service may be restricted until it is paid."],
)  # fmt: skip
def test_first_reminder_threats(body):
    assert "threat" in categories(body, reminder_level=0, invoices=[OVERDUE])


@pytest.mark.parametrize(
    "body",
    ["Could you let me know when we can expect payment for invoice 77310?",
     "Your account stays on its usual 30-day terms."],
)  # fmt: skip
def test_friendly_first_reminders_are_not_threats(body):
    assert "threat" not in categories(body, reminder_level=0, invoices=[OVERDUE])
