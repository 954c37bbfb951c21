"""The general rules added after heldout-v13 for empathy, blame and threat, each tried on
wordings of its own (not the labelled replies'): harm to the writer's business, a long
relationship put in the balance, a rejected claim, sarcasm, blame asked for, having told a
colleague before and distress at the amount read as frustration; "please don't worry" as
an acknowledgement and "we are also changing" as ownership; a cause placed elsewhere and
denied for us, a task named as another team's job, the duty pinned on the reader after the
fact, a letter sent "to X, not to Y", a guess that it was lost on the reader's side, a new
starter or a missing handover as the excuse, holding off until someone else came through,
a system change that left a mailbox unread, and "not able to make exceptions"; a later
reminder counting itself is no reprimand; a rule that deactivates access once an invoice is
overdue, a delivery block set on the account and an interruption to avoid as threats in a
first reminder."""

import pytest

from tests.coach.helpers import frustrated, writer

OVERDUE = {"number": "61877", "amount": "5120.00", "currency": "EUR", "due_date": "2026-05-18",
           "status": "overdue"}  # fmt: skip


categories, _, _ = writer("Ines Varga", "Hi Ines,")


# ---------------------------------------------------------------- empathy


@pytest.mark.parametrize(
    "message",
    ["This is the third quarter in a row your remittance comes late, and our cash flow is "
     "really hurting.",
     "We reject this deduction, we won't accept this penalty. I am disappointed after ten "
     "years of doing business with you.",
     "Wow. A reminder for an invoice you paid? I guess we should be grateful you noticed it "
     "at all.",
     "Our trucks are idle and two depots are without supplies. Who is responsible for this?",
     "The gas bill is four times our usual amount. I have no idea how we will pay it.",
     "I informed your sales rep of the new address in April. Please fix it."],
)  # fmt: skip
def test_harm_sarcasm_and_distress_are_frustration(message):
    assert frustrated(message)


@pytest.mark.parametrize(
    "message",
    ["Could you tell me who is responsible for approving invoice 61877?",
     "We have been working with you for years; could you send the statement for May?",
     "Wow, thank you for the quick turnaround on the credit note."],
)  # fmt: skip
def test_plain_enquiries_are_not_frustration(message):
    assert not frustrated(message)


SCARED = "I'm behind on the rent and I'm frightened you will cancel my lease. This is awful."


def test_reassuring_the_reader_acknowledges_the_worry():
    body = (
        "Thanks for telling us early. Please don't worry about the lease: I can split "
        "the EUR 5,120.00 into four payments, and I'll send the plan by Friday 12 June."
    )
    assert "empathy" not in categories(body, customer_message=SCARED, invoices=[OVERDUE])
    only_timing = ("I can split the EUR 5,120.00 into four payments. Don't worry if the first "
                   "one is a day late; I'll send the plan by Friday 12 June.")  # fmt: skip
    assert "empathy" in categories(only_timing, customer_message=SCARED, invoices=[OVERDUE])


def test_a_change_we_are_also_making_is_ownership():
    angry = "You charged us a late fee although we paid early. Sort it out."
    body = ("We apologise for the fee. It has been removed, and we are also reviewing how "
            "payments are posted so it does not recur.")  # fmt: skip
    assert "empathy" not in categories(body, customer_message=angry, invoices=[OVERDUE])


# ---------------------------------------------------------------- blame


@pytest.mark.parametrize(
    "body",
    ["The stop on your payment is coming from our procurement desk, not from accounts payable.",
     "The deductions are all coming from them and not from us.",
     "Approving the timesheet is the site manager's job.",
     "It was up to the buying team to confirm the price, and they never did.",
     "To be fair it's a logistics matter rather than a finance one.",
     "Our office is not able to make exceptions for late claims."],
)  # fmt: skip
def test_work_placed_elsewhere_is_a_brush_off(body):
    assert "blame" in categories(body)


@pytest.mark.parametrize(
    "body",
    ["It was up to your team to send the delivery note with the invoice.",
     "Your bank-change form was posted to our sales office, not to the vendor team, so it sat "
     "there.",
     "The statement went out on 2 May, so it might have been deleted or archived on your side.",
     "The payment advice was not forwarded to our cash allocation team, so it stayed "
     "unmatched."],
)  # fmt: skip
def test_the_fault_placed_on_the_reader_is_blame(body):
    assert "blame" in categories(body)


@pytest.mark.parametrize(
    "body",
    ["I only took over the vendor queue this month, so some e-mails slipped.",
     "My predecessor left without any handover, so your message was missed.",
     "I was holding off until purchasing confirmed the quantities, so I could check them "
     "before coming back to you.",
     "We switched to a new ERP in April and the AP inbox was not connected until last week."],
)  # fmt: skip
def test_excuses_in_other_words_are_blame(body):
    assert "blame" in categories(body)


@pytest.mark.parametrize(
    "body",
    ["It is up to you which date suits best; I can take the payment on the 10th or the 20th.",
     "I have taken over your account from Sam and will call you on Friday 12 June.",
     "Your e-mails went to an inbox nobody was reading, which I have fixed today.",
     "I am writing for the second time about invoice 61877, which is now two weeks overdue.",
     "The credit is coming from our side today, not from the bank."],
)  # fmt: skip
def test_choices_handovers_and_a_reminder_counting_itself_are_not_blame(body):
    assert "blame" not in categories(body)


def test_repeating_an_answer_for_the_second_time_is_still_a_reprimand():
    body = "I am writing for the second time: invoice 61877 is not due until June."
    assert "blame" in categories(body)


# ---------------------------------------------------------------- threat

FIRST = {"reminder_level": 0, "invoices": [OVERDUE]}


@pytest.mark.parametrize(
    "body",
    ["Our portal locks user access automatically once an invoice is 30 days overdue.",
     "The booking system suspends new orders for accounts with an overdue balance.",
     "At that stage our credit team usually sets a delivery block.",
     "To avoid any disruption to your subscription, please pay by Friday 12 June."],
)  # fmt: skip
def test_cut_offs_in_a_first_reminder_are_threats(body):
    assert "threat" in categories(body, **FIRST)


@pytest.mark.parametrize(
    "body",
    ["We have removed the delivery block on your account, so orders can ship today.",
     "Nothing will interrupt your access; this is only a friendly reminder."],
)  # fmt: skip
def test_lifted_blocks_and_reassurance_are_not_threats(body):
    assert "threat" not in categories(body, **FIRST)
