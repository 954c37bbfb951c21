"""The general rules added after heldout-v18 for empathy, each tried on wordings of its own
(not the labelled replies'): frustration read from what the writer says has happened to
them, told as a story rather than said outright: our own words quoted back at us, a wait
spent on a quoted excuse, the date pointed out, the same failure again, a promised call that
never came, money that has not come in, a bill paid out of their own pocket, a worry of
paying twice, a failure learnt of only today from a colleague of ours, a why-so question, a
long relationship weighed against a reminder, an ultimatum, a demand for their money back or
for payment this week, a writer on their own or sorry to have to write again, a bare "Still
nothing."; calm messages that share the words are not frustration (a document or a status
quoted, a worry that only asks, "what happened" asked plainly); and easing the worry or the
bother itself ("you're not a nuisance at all", "please be reassured", "I know waiting is
hard") read as acknowledgement."""

import pytest

from tests.coach.helpers import RULES_ALONE, frustrated, rules_fired

# ---------------------------------------------------------------- frustration read


@pytest.mark.parametrize(
    "message",
    ['Our order 5512 was due last week. Your sales rep told us it was "as good as paid". '
     "Nothing arrived.",
     'Third month of "pending sign-off" for invoice 3390. Please advise.',
     "Invoice 2204 was due on the 3rd. It's now the 21st. We have staff to pay on Monday.",
     "Short again, I see. Same story as the spring invoices, and nobody explained it.",
     "I rang on Tuesday and was told someone would ring me back. No one did. I would like "
     "my money back.",
     "I had to cover the hauliers out of my own pocket, and nothing is in our account yet.",
     "We paid to the account on your letter. Now your bank says it was closed. I am afraid we "
     "will have to pay twice.",
     "We sent the signed form a month ago. Why is this so slow? Now your team says it is lost.",
     "Bit much to get a final notice after twenty years of trading with you.",
     "We have been supplying you for nine years. I want it paid this week or we are stopping "
     "the account.",
     "I'm a sole trader and I'm sorry to email again about invoice 41. It was due on the 1st.",
     "Refund for the cancelled booking? Returned the keys 3 March. Still nothing.",
     "The card was charged twice on Friday. I would like my money back. It's happened again."],
)  # fmt: skip
def test_what_has_happened_to_the_writer_reads_as_frustration(message):
    assert frustrated(message)


@pytest.mark.parametrize(
    "message",
    ['Your remittance says "RET". We are not sure what that stands for. Please clarify.',
     'Our portal shows invoice 880 as "parked". Is there anything you need from us?',
     "I'm a bit worried: did the remittance go to the right company? It had our IBAN on it.",
     "The payment came in at half the invoice amount. Could you check what happened?",
     "Hello, I'm on my own for the first time this year and would like to set up direct debit.",
     "After ten years of trading with you we are retiring. Thank you for everything.",
     "Invoice 64 was due on the 3rd and our payment run is today, the 5th. It will arrive "
     "tomorrow."],
)  # fmt: skip
def test_calm_messages_that_share_the_words_are_not_frustration(message):
    assert not frustrated(message)


# ---------------------------------------------------------------- acknowledgement

WORRIED = (
    "Sorry to be a bother, I'm on my own and not sure I sent the right form. Invoice 12 was "
    "due on the 2nd. I am worried I will have to send it all again."
)


@pytest.mark.parametrize(
    "body",
    ["You're not a bother at all. The form is fine and I will pay invoice 12 on Friday 5 June.",
     "Please be reassured, the form is fine. I will pay invoice 12 on Friday 5 June.",
     "I know waiting is hard on your own. The form is fine and I will pay invoice 12 on Friday "
     "5 June."],
)  # fmt: skip
def test_easing_the_worry_itself_is_acknowledgement(body):
    assert frustrated(WORRIED)
    fired = rules_fired(body, "empathy", rules=RULES_ALONE, customer_message=WORRIED)
    assert "Empathy.Acknowledge" not in fired


def test_the_facts_alone_are_no_acknowledgement():
    assert "Empathy.Acknowledge" in rules_fired(
        "The form is fine and I will pay invoice 12 on Friday 5 June.",
        "empathy",
        rules=RULES_ALONE,
        customer_message=WORRIED,
    )
