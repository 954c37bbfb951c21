"""Threats: none in a first reminder or to a customer who is late for the first time."""

import pytest

from ledgerdesk.coach import review

FRAME = (
    "Hi Priya,\n\nThank you for your business. Invoice AR-10233 was due on 15 April. {}\n\n"
    "Could you let me know by Friday when we can expect payment?\n\nRegards,\nSam"
)
FIRST = {"contact_name": "Priya", "reminder_level": 0}


def threats(sentence, context=FIRST):
    text = FRAME.format(sentence)
    return {f.rule for f in review(text, context).findings if f.category == "threat"}


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [("Otherwise the account will be passed to our collections team.", "Threat.Collections"),
     ("We may refer it to a debt collection agency.", "Threat.Collections"),
     ("We will take legal action.", "Threat.LegalAction"),
     ("Our solicitors are copied.", "Threat.LegalAction"),
     ("This is a final notice.", "Threat.LegalAction"),
     ("Your account will be suspended.", "Threat.AccountSuspension"),
     ("We will put your account on hold.", "Threat.AccountSuspension"),
     ("We will stop all deliveries.", "Threat.AccountSuspension"),
     ("Late payment interest will be charged.", "Threat.Penalties"),
     ("It may affect your credit rating.", "Threat.Penalties")],
)  # fmt: skip
def test_it_flags_threats_in_a_first_reminder(sentence, rule):
    assert threats(sentence) == {rule}


def test_a_first_time_late_customer_is_protected_at_any_level():
    context = {"reminder_level": 3, "first_time_late": True}
    assert threats("We will take legal action.", context) == {"Threat.LegalAction"}


def test_later_reminders_may_name_the_consequences():
    assert threats("We will take legal action.", {"reminder_level": 2}) == set()


def test_it_skips_when_the_reminder_level_is_unknown():
    assert threats("We will take legal action.", {}) == set()


@pytest.mark.parametrize(
    "sentence",
    ["There are no late fees, and nothing will be passed to collections.",
     "We will not take legal action over a first delay.",
     "Your account is in good standing."],
)  # fmt: skip
def test_reassurance_is_not_a_threat(sentence):
    assert threats(sentence) == set()


def test_a_negation_in_another_clause_does_not_cancel_a_threat():
    sentence = (
        "If we do not hear from you by Friday, we will have no choice but to take legal action."
    )
    assert threats(sentence) == {"Threat.LegalAction"}


def test_threats_quoted_from_the_customer_do_not_count():
    text = FRAME.format("") + "\n> We will take legal action and go to court.\n"
    assert "threat" not in review(text, FIRST).categories


@pytest.mark.parametrize(
    "sentence",
    ["Please pay soon to avoid your customer account being frozen.",
     "Settle it this week, or risk your credit line getting withdrawn."],
)  # fmt: skip
def test_it_flags_a_suspension_worded_as_something_to_avoid(sentence):
    assert threats(sentence) == {"Threat.AccountSuspension"}


def test_a_reassurance_that_nothing_is_suspended_is_not_a_threat():
    # Tricky negative: the account is explicitly not being suspended.
    assert threats("There is no question of your account being suspended.") == set()
    # An apology for a block that happened is not a threat of one.
    assert threats("I'm sorry about your account being blocked by mistake last week.") == set()


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        # heldout-v6: holds and a court by other wordings.
        ("Otherwise your account will go on credit hold.", "Threat.AccountSuspension"),
        ("Any pending orders would then be paused.", "Threat.AccountSuspension"),
        ("New orders can only be shipped once the balance is paid.", "Threat.AccountSuspension"),
        ("After that we will turn to the district court.", "Threat.LegalAction"),
        ("We would then request a court order.", "Threat.LegalAction"),
    ],
)  # fmt: skip
def test_it_flags_holds_and_courts_in_other_wordings(sentence, rule):
    assert rule in threats(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # Tricky negatives: reassurance and ordinary logistics.
        "Your orders will not be paused, and your account stays open.",
        "Your next delivery will be shipped on Monday as planned.",
    ],
)
def test_reassurance_and_logistics_are_not_threats(sentence):
    assert threats(sentence) == set()


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        # heldout-v7: a penalty in the passive or as what the reader incurs, and an
        # escalation heading in a first reminder.
        ("A late fee of EUR 40.00 may then be added to the account.", "Threat.Penalties"),
        ("Interest of 1% per month will be applied from 20 June.", "Threat.Penalties"),
        ("Overdue balances will incur daily interest.", "Threat.Penalties"),
        ("Please treat this as our last warning.", "Threat.LegalAction"),
        ("FINAL REMINDER: the balance is still open.", "Threat.LegalAction"),
    ],
)
def test_it_flags_penalties_and_escalation_in_other_wordings(sentence, rule):
    assert rule in threats(sentence)


def test_penalty_wordings_are_fine_when_negated_or_later():
    # Tricky negatives: reassurance in a first reminder, and a later reminder.
    assert threats("No interest will be charged on this invoice.") == set()
    assert threats("Interest of 1% per month will be applied.", {"reminder_level": 2}) == set()


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        # General coverage: steps held over the reader, credit control, interest that
        # accrues, statutory compensation, credit cut, deliveries withheld.
        ("Otherwise we will have no choice but to act.", "Threat.LegalAction"),
        ("We may need to take further action.", "Threat.LegalAction"),
        ("We reserve the right to charge for the reminder.", "Threat.LegalAction"),
        ("The balance may be referred to credit control.", "Threat.Collections"),
        ("Interest accrues from the due date.", "Threat.Penalties"),
        ("Under the Late Payment of Commercial Debts Act we may claim more.", "Threat.Penalties"),
        ("Your credit limit may be reduced.", "Threat.AccountSuspension"),
        ("We might withhold further deliveries.", "Threat.AccountSuspension"),
    ],
)
def test_it_flags_general_threat_wordings(sentence, rule):
    assert rule in threats(sentence)


def test_general_threat_wordings_are_fine_when_negated_or_later():
    # Tricky negatives: a reassurance, and the same words in a third reminder.
    assert threats("We will not take further action over a first delay.") == set()
    assert threats("We may need to take further action.", {"reminder_level": 3}) == set()


def test_plain_statements_with_the_same_words_are_not_threats():
    # Tricky negatives for the general wordings.
    assert threats("There is no option in the portal to change the address.") == set()
    assert threats("I'll take the necessary steps to correct the invoice.") == set()
