"""The general rules added after heldout-v17 for empathy, each tried on wordings of its own
(not the labelled replies'): frustration shown by what has happened to the writer (their own
people waiting and pressing them, a bill of their own falling due, a promise we did not
keep, having told us months ago, writing again, a wait counted in days, an automatic reply,
going round in circles, a charge that seems steep for a long-standing customer, a refusal to
approve, a sarcastic recap or one-liner, "I expect the same from you", a why-not question,
money deducted without a word) read across the line breaks of a hard-wrapped message; calm
messages not read as frustration: a notice given for our information, a customer ashamed of
their own slip or apologising for their own shortcoming; and the reader's shame eased ("please
don't feel bad") read as acknowledgement."""

import pytest

from tests.coach.helpers import RULES_ALONE, frustrated, rules_fired

# ---------------------------------------------------------------- frustration read


@pytest.mark.parametrize(
    "message",
    ["Our growers are still waiting for the harvest money and they ring me every morning.",
     "I have crews to pay on Thursday. We altered nothing on our side, so who got the money?",
     "Your rep promised he would send the credit note. He did not. Where is our refund?",
     "We told you in March that our address had changed. Why have you not updated it?",
     "Hi, me again about invoice 7730. It's been 52 days and I would appreciate an answer.",
     "Please stop sending me another automated response. I'm done chasing this.",
     "A £40 admin fee seems harsh for a customer of twelve years. Not acceptable.",
     "The scaffolding hasn't even gone up yet. I'm not signing off that stage payment.",
     "Let me get this straight: you lost the invoice, then charged us interest? Brilliant.",
     "Classic. The reminder went to a mailbox we closed two years ago. Great service.",
     "Invoice 7730 is five weeks late. We paid you on time and expect the same from you.",
     "Why was 350 taken off our payment? Nobody warned us.",
     "I know you're busy, but the rent is due Friday and it's just me running the shop."],
)  # fmt: skip
def test_what_has_happened_to_the_writer_reads_as_frustration(message):
    assert frustrated(message)


def test_a_hard_wrapped_message_is_read_as_whole_sentences():
    # Each marker spans a line break: "on hold ... for 40 minutes", "nobody ... replied".
    message = (
        "I was on hold with your helpline\nfor 40 minutes this morning and nobody has\n"
        "replied to my two e-mails either.\n"
    )
    assert frustrated(message)


@pytest.mark.parametrize(
    "message",
    ["Hello, we still keep 5% back on order 88 until the warranty ends, so the last invoice "
     "can't be settled yet. Just so you know.",
     "FYI, our office is closed next week, so the remittance will come the week after.",
     "I'm so embarrassed, we forgot your invoice when our bookkeeper left. Can we pay on the "
     "20th?",
     "Which invoices does the transfer of 3,100 cover? I'm hopeless with statements, sorry.",
     "Thanks for the quick payment, it makes a real difference to a small shop like ours.",
     "We wrote to you in January to thank you for the order, and we look forward to the next.",
     "Hi, me again! Here is the signed form you asked for. Have a good weekend.",
     "Interesting, I did not know you had moved office. I will update our records.",
     "The rent is due on the first, so we will pay the invoice on the 5th as agreed."],
)  # fmt: skip
def test_calm_notices_and_a_customers_own_slip_are_not_frustration(message):
    assert not frustrated(message)


# ---------------------------------------------------------------- acknowledgement

HARDSHIP = (
    "I apologise that invoice 7730 is late. Sales were slow this winter and cash is tight. "
    "We have always paid on time and I feel awful about it. Could we pay in two parts?"
)


@pytest.mark.parametrize(
    "body",
    ["Please don't feel bad about it. I have set up two payments for invoice 7730, on 30 June "
     "and 31 July.",
     "There's nothing to apologise for. I have set up two payments for invoice 7730, on 30 June "
     "and 31 July."],
)  # fmt: skip
def test_easing_the_readers_shame_acknowledges_it(body):
    assert "Empathy.Acknowledge" not in rules_fired(
        body, "empathy", rules=RULES_ALONE, customer_message=HARDSHIP
    )


def test_a_cold_reply_to_hardship_still_lacks_acknowledgement():
    body = "Invoice 7730 may be paid in two parts, on 30 June and 31 July."
    assert "Empathy.Acknowledge" in rules_fired(
        body, "empathy", rules=RULES_ALONE, customer_message=HARDSHIP
    )
