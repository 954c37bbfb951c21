"""The general rules added after the heldout-v9 freeze, each tried on wordings of its own
(not the labelled replies'): brush-offs built from a subject and a disowning phrase,
contrite customers, money that has not come, softer threats, deliveries a customer asked
for, greetings and thanks in the reader's language, signature blocks and brand names."""

import pytest

from tests.coach.helpers import writer

OPEN = {"number": "61200", "amount": "480.00", "currency": "EUR", "due_date": "2026-07-10",
        "status": "open"}  # fmt: skip
OVERDUE = {**OPEN, "status": "overdue"}


categories, _, _ = writer("Rosa Lind", "Hi Rosa,", "Thanks for your help,\nIvo")


# ---------------------------------------------------------------- blame


@pytest.mark.parametrize(
    "body",
    ["That's not a finance question; ask your account manager. I'll copy him in by Monday.",
     "That isn't really a payables matter. I'll pass it on by Friday 3 July.",
     "The error was introduced by our night-shift billing team. A credit note follows by 3 July.",
     "The hold-up lies with the goods-in team. I'll chase them and reply by 3 July.",
     "Mistakes happen. The credit note will reach you by 3 July.",
     "Discounts aren't simply our policy. I'll confirm the price by 3 July.",
     "It wasn't matched as you didn't use the reference. I'll allocate it by 3 July.",
     "Your order form was e-mailed to our sales inbox instead of purchasing. I'll log it today.",
     "Delays are mostly caused by customers quoting the wrong account. Yours is paid on 3 July.",
     "We were holding off answering until the bank replied. It is paid on 3 July."],
)  # fmt: skip
def test_brush_offs_in_new_wordings(body):
    assert "blame" in categories(body)


@pytest.mark.parametrize(
    "body",
    ["The error was ours, and I'm sorry. A credit note follows by 3 July.",
     "It happens that the 3 July run is our next one, so you'll be paid then.",
     "Our policy covers refunds, so I have refunded you today."],
)  # fmt: skip
def test_owning_or_explaining_is_not_a_brush_off(body):
    assert "blame" not in categories(body)


# ---------------------------------------------------------------- empathy


def test_a_contrite_or_unsure_customer_is_not_frustrated():
    body = "I've attached the invoice again, and payment by 3 July works for us."
    for message in ("Hello, so sorry we missed the due date. Times have been hard here.",
                    "Hi, I'm not sure the PDF came through. Could you resend it?"):  # fmt: skip
        assert "empathy" not in categories(body, customer_message=message)


def test_money_that_never_came_is_frustration():
    message = "We have received nothing for 61200. Where is the payment? I have rent to pay."
    assert "empathy" in categories("It will be paid on 3 July.", customer_message=message)


def test_sorry_you_feel_that_way_is_no_apology():
    message = "This is unacceptable. Still no reply, and the second reminder already."
    body = "I'm sorry if you feel that way. I'll release it on 3 July."
    assert "empathy" in categories(body, customer_message=message)


def test_becoming_the_single_contact_is_ownership():
    body = "I'm sorry for the runaround. Going forward, it will be me. It is paid by 3 July."
    assert "empathy" not in categories(body, sla_breached=True)


# ---------------------------------------------------------------- threat


@pytest.mark.parametrize(
    "body",
    ["Late balances can lower your credit limit. Please pay by 3 July.",
     "We may pause upcoming deliveries until this is paid. Please pay by 3 July.",
     "Items past 45 days trigger a credit block. Please pay by 3 July.",
     "Your account has now been placed on hold. Please pay by 3 July.",
     "Otherwise we will switch your account to cash in advance. Please pay by 3 July.",
     "Unpaid balances are reported to credit reference agencies. Please pay by 3 July."],
)  # fmt: skip
def test_softer_threats_in_a_first_reminder(body):
    assert "threat" in categories(body, invoices=[OVERDUE], reminder_level=0)


# ---------------------------------------------------------------- follow-up


@pytest.mark.parametrize(
    "body",
    ["Here's the signed copy you wanted.",
     "Copy of the delivery note attached, as at 30 June.",
     "The delivery note has been re-sent to you."],
)  # fmt: skip
def test_a_document_the_customer_asked_for_closes_the_matter(body):
    message = "Could you send us a copy of our statement and the delivery note, please?"
    assert "follow_up" not in categories(body, invoices=[OVERDUE], customer_message=message)


def test_a_reminder_still_needs_a_next_step_beside_the_copy():
    message = "Could you send a copy of 61200?"
    body = "Here's the copy you wanted."
    context = {"invoices": [OVERDUE], "customer_message": message, "reminder_level": 1}
    assert "follow_up" in categories(body, **context)


@pytest.mark.parametrize(
    "body",
    ["Refund of EUR 480.00 to follow by 3 July.",
     "Fix: a replacement invoice, in your inbox by Friday 3 July.",
     "61200 is closed as settled.",
     "It was refunded by same-day transfer this morning."],
)  # fmt: skip
def test_verbless_steps_and_finished_work(body):
    assert "follow_up" not in categories(body, invoices=[OPEN])


# ---------------------------------------------------------------- greeting, closing, spelling


def test_greetings_and_thanks_in_the_readers_language():
    body = "61200 is paid; the remittance is attached."
    found = categories(body, greeting="Buenas tardes Rosa,", closing="Grazie mille,\nIvo")
    assert not found & {"greeting", "closing", "spelling"}
    assert "closing" not in categories(body, closing="Cheers,\nIvo")


def test_a_signature_with_a_title_and_brand_names_are_not_typos():
    body = "I'm sorry. The refund went out via eTransfer today, and it is settled."
    closing = "With warm apologies.\n\nSolveig Haugland\nCredit Control Lead"
    assert "spelling" not in categories(body, closing=closing)
    assert "spelling" not in categories("Interest is 8% per annum, and 61200 is paid today.")
