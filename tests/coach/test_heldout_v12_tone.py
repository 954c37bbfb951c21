"""The general rules added after heldout-v12 for empathy, blame and threat, each tried on
wordings of its own (not the labelled replies'): sarcasm, disbelief, hardship and a
contested charge read as frustration, while a bare "Why?" and a customer apologising for
paying late are not; no step to own once nothing is left to do, and handing the matter on
in the future is no ownership; brush-offs, faults pinned on the reader or a colleague,
home life and system trouble as excuses; interest an overdue balance "attracts", services
the reader will no longer get, a consequence after "if ... not received" with no comma,
utilities cut off and debtor registers as threats in a first reminder."""

import pytest

from tests.coach.helpers import frustrated, writer

OVERDUE = {"number": "55120", "amount": "3900.00", "currency": "EUR", "due_date": "2026-05-12",
           "status": "overdue"}  # fmt: skip


categories, _, _ = writer("Tove Lind", "Hi Tove,", "Kind regards,\nMalik")


# ---------------------------------------------------------------- empathy


@pytest.mark.parametrize(
    "message",
    ["Lovely to get a payment reminder for something we settled on Monday. Perhaps sort out "
     "your own ledger first?",
     "Brilliant to see our query is top of your list. It is 45 days overdue now. Is anyone "
     "ever going to answer?",
     "Interesting statement. Half of these invoices were credited in March, which you forgot "
     "to mention.",
     "Apologies for the late reply. This is the second time your remittance is wrong and I "
     "am fed up.",
     "Your crew left the kitchen unfinished. And now we get another reminder? Incredible.",
     "Our contract says net 30. We have waited long enough and this is not acceptable."],
)  # fmt: skip
def test_sarcasm_and_disbelief_are_frustration(message):
    assert frustrated(message)


@pytest.mark.parametrize(
    "message",
    ["Could you confirm invoice 55120 goes out on Friday? It's a hard month and I have to pay "
     "my suppliers by the 20th.",
     "We're only a small bakery and this payment is really important to us. Please help.",
     "You've charged our card twice for the same order. That left us short for rent.",
     "You deducted 400 euro again from our payment. We never agreed to any discount."],
)  # fmt: skip
def test_hardship_and_a_contested_charge_are_frustration(message):
    assert frustrated(message)


@pytest.mark.parametrize(
    "message",
    ["Our credit note for 55120 was refused by your system. Why?",
     "Our payment of invoice 55120 was made short by EUR 90. Was that a bank fee?",
     "I'm really sorry our payment is late. Our biggest customer paid us two months late and "
     "money is tight, so could we split it in two?"],
)  # fmt: skip
def test_plain_questions_and_a_late_payers_apology_are_not_frustration(message):
    assert not frustrated(message)


ANGRY = "Third reminder this month for an invoice we paid. This is not acceptable."


def test_no_step_to_own_when_nothing_is_left_to_do():
    body = ("I'm sorry about the reminder. Your payment reached us on 14 May, so your account "
            "is fully paid and no further action is needed on your side.")  # fmt: skip
    assert "empathy" not in categories(body, customer_message=ANGRY, invoices=[OVERDUE])
    no_apology = "Your payment reached us on 14 May, and no further action is needed."
    assert "empathy" in categories(no_apology, customer_message=ANGRY, invoices=[OVERDUE])


def test_handing_the_matter_on_is_not_ownership():
    body = "I'm sorry for the trouble. I'll forward your note to the sales director."
    assert "empathy" in categories(body, customer_message=ANGRY, invoices=[OVERDUE])
    owned = "I'm sorry for the trouble. I'll correct the statement myself by Friday 12 June."
    assert "empathy" not in categories(owned, customer_message=ANGRY, invoices=[OVERDUE])


# ---------------------------------------------------------------- blame


@pytest.mark.parametrize(
    "body",
    ["The reminder wording comes from head office and isn't our doing.",
     "The wrong discount was keyed in by the pricing desk, not by us in receivables.",
     "I'm afraid it's the logistics team's decision, not ours.",
     "That's not actually something AP can approve; it's up to whoever signed the order.",
     "The sales team really should have told you about the price change in April."],
)  # fmt: skip
def test_work_disowned_in_other_words_is_a_brush_off(body):
    assert "blame" in categories(body)


@pytest.mark.parametrize(
    "body",
    ["Your accountant should have noticed the duplicate before paying it.",
     "Your bank also carries some of the responsibility for the delay.",
     "You quoted an outdated bank account on the remittance, so it bounced.",
     "You may have misread the due date on the statement.",
     "This could easily have been avoided if your buyer had quoted the contract number."],
)  # fmt: skip
def test_the_reader_named_as_the_one_who_failed_is_blame(body):
    assert "blame" in categories(body)


@pytest.mark.parametrize(
    "body",
    ["If you quoted the wrong reference, just send me the right one and I'll match it today.",
     "Your bank should have received the transfer by Thursday 11 June.",
     "Your bank could have deducted a small fee on the way, which would explain the gap.",
     "I keyed the wrong discount myself, and I've corrected it today."],
)  # fmt: skip
def test_conditions_arrivals_and_our_own_slips_are_not_blame(body):
    assert "blame" not in categories(body)


@pytest.mark.parametrize(
    "body",
    ["I've been renovating the flat for a month and my e-mails have piled up, hence the delay.",
     "We've had serious problems with the new billing platform, so your refund slipped."],
)  # fmt: skip
def test_home_life_and_system_trouble_as_excuses(body):
    assert "blame" in categories(body)


def test_system_trouble_given_for_unread_messages_in_an_incident():
    body = ("Our ticketing server was being upgraded in May, and messages sent to support were "
            "not being read at all. The refund of EUR 3,900.00 goes out today.")  # fmt: skip
    assert "blame" in categories(body, incident=True, invoices=[OVERDUE])
    late = "My laptop was dead for three days so I couldn't get to your message. I'm sorry."
    assert "blame" in categories(late, incident=True, invoices=[OVERDUE])


# ---------------------------------------------------------------- threat

FIRST = {"reminder_level": 0, "invoices": [OVERDUE]}


@pytest.mark.parametrize(
    "body",
    ["Please note that unpaid invoices attract interest at 2% a month under our terms.",
     "Amounts over 14 days late are charged interest at the statutory rate.",
     "Penalties (1% per week) will be added after Friday 12 June.",
     "We will be obliged to charge contractual interest from next week.",
     "If payment is not received by Friday 12 June your account will be put on hold.",
     "If we don't hear from you, we will unfortunately be unable to ship your spring order.",
     "Otherwise we won't be able to continue servicing your machines.",
     "We will have to stop all seed deliveries to your farm.",
     "Your broadband connection may then be disconnected.",
     "The account may be flagged for service suspension next month.",
     "The balance could then be listed with a debtor register.",
     "Please pay to avoid a referral to a debt collecter."],
)  # fmt: skip
def test_consequences_in_a_first_reminder_are_threats(body):
    assert "threat" in categories(body, **FIRST)


@pytest.mark.parametrize(
    "body",
    ["I'm sorry the reminder mentioned debt collection; that will not happen.",
     "We will be able to deliver your spring order as soon as it is confirmed.",
     "Your invoice will not attract any interest, and there is no rush.",
     "If payment is not received by Friday, I'll give you a quick call to check all is well.",
     "I won't be able to attend the supplier day on Monday, so Sara will bring the statement."],
)  # fmt: skip
def test_reassurance_and_friendly_consequences_are_not_threats(body):
    assert "threat" not in categories(body, **FIRST)
