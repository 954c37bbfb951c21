"""Blame and brush-off phrases in their many wordings, and what must not be flagged."""

import pytest

from ledgerdesk.coach import review

FRAME = (
    "Hi Anna,\n\nThank you for your e-mail. {} Invoice 4411 will be paid on 7 May."
    "\n\nRegards,\nMarta"
)


def blame(sentence, context=None):
    text = FRAME.format(sentence)
    found = review(text, context or {"contact_name": "Anna"}).findings
    return {(f.rule, text[f.start : f.end]) for f in found if f.category == "blame"}


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("That's not our policy.", "Blame.NotOurPolicy"),
        ("I'm afraid this is against company policy.", "Blame.NotOurPolicy"),
        ("Our policy does not allow early payment.", "Blame.NotOurPolicy"),
        ("Due to company policy, we cannot refund the fee.", "Blame.NotOurPolicy"),
        ("It's just company policy.", "Blame.NotOurPolicy"),
        ("That's not my department.", "Blame.NotMyJob"),
        ("This isn't my job.", "Blame.NotMyJob"),
        ("That is not our responsibility.", "Blame.NotMyJob"),
        ("There is nothing I can do.", "Blame.NotMyJob"),
        ("It is out of my hands.", "Blame.NotMyJob"),
        ("You'll have to contact another team.", "Blame.NotMyJob"),
        ("My computer is down, so I could not reply.", "Blame.SystemExcuse"),
        ("Our system is having issues this week.", "Blame.SystemExcuse"),
        ("Our SAP system was down for two days.", "Blame.SystemExcuse"),
        ("Due to a system outage, the run was late.", "Blame.SystemExcuse"),
        ("Because of technical problems, we paid late.", "Blame.SystemExcuse"),
        ("I was waiting for more information before getting back to you.", "Blame.WaitingForInfo"),
        ("We were waiting on confirmation from the bank, which is why we didn't reply.",
         "Blame.WaitingForInfo"),
        ("I didn't want to reply until I heard from the buyer.", "Blame.WaitingForInfo"),
        ("I have been off sick all week.", "Blame.PersonalExcuse"),
        ("I was on holiday last week.", "Blame.PersonalExcuse"),
        ("We are very short-staffed at the moment.", "Blame.PersonalExcuse"),
        ("I had a family emergency.", "Blame.PersonalExcuse"),
        ("It has been a really busy week.", "Blame.PersonalExcuse"),
        ("As per my last e-mail, it is approved.", "Blame.PassiveAggressive"),
        ("Please be advised that it is approved.", "Blame.PassiveAggressive"),
        ("As previously stated, it is approved.", "Blame.PassiveAggressive"),
        ("As I already explained, it is approved.", "Blame.PassiveAggressive"),
        ("Please refer to my previous e-mail.", "Blame.PassiveAggressive"),
        ("For the third time, it is approved.", "Blame.PassiveAggressive"),
        ("You didn't include the PO number.", "Blame.CustomerFault"),
        ("You should have read the remittance.", "Blame.CustomerFault"),
        ("You failed to send it to the right address.", "Blame.CustomerFault"),
    ],
)  # fmt: skip
def test_it_flags_each_wording(sentence, rule):
    assert rule in {r for r, _ in blame(sentence)}


@pytest.mark.parametrize(
    "sentence",
    [
        "Our policy covers this, so I have refunded you.",
        "It is not our policy to charge interest on a first late payment.",
        "Our travel policy covers taxis, so I approved the claim.",
        "Our system shows the payment left on 3 May.",
        "I checked both invoices in our system.",
        "Our organisation moved to a new finance system last month.",
        "I'll be on leave from 12 May; my colleague Sam will handle it.",
        "As agreed on the phone, the invoice is split in two.",
        "As I mentioned when we spoke, the credit note is ready.",
        "You didn't need to do anything.",
        "That's not the service you should get from us.",
        "I'm sorry that you were told it was not our department.",
    ],
)
def test_it_leaves_helpful_and_factual_wordings_alone(sentence):
    assert blame(sentence) == set()


def test_a_system_fault_explained_in_an_incident_reply_is_not_an_excuse():
    sentence = "Our payment system was down on 3 May, which delayed the run."
    assert blame(sentence)
    assert blame(sentence, {"contact_name": "Anna", "incident": True}) == set()


def test_passive_aggressive_phrases_come_with_a_suggestion():
    text = FRAME.format("As per my last e-mail, it is approved.")
    finding = next(f for f in review(text, {}).findings if f.rule == "Blame.PassiveAggressive")
    assert text[finding.start : finding.end] == "As per my last e-mail"
    assert "recap" in finding.suggestion
