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


@pytest.mark.parametrize(
    "sentence",
    ["I'm afraid that isn't something we handle here.",
     "Sorry, this is not a query our team deals with.",
     "Those aren't something we cover in accounts payable, I'm afraid."],
)  # fmt: skip
def test_a_brush_off_with_the_task_as_its_subject(sentence):
    assert "Blame.NotMyJob" in {r for r, _ in blame(sentence)}


@pytest.mark.parametrize(
    "sentence",
    ["That isn't something we see often, so I have asked our bank to check it.",
     "That isn't something we deal with often, but I have looked into it myself.",
     "It is not something we can handle without your signature, so please sign the form."],
)  # fmt: skip
def test_the_same_words_carrying_on_into_help_are_not_a_brush_off(sentence):
    assert blame(sentence) == set()


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        # The task named as the subject, and the customer sent elsewhere.
        ("Currency questions aren't really something we handle in payables.", "Blame.NotMyJob"),
        ("You'd need to raise that with your account manager yourself.", "Blame.NotMyJob"),
        # The customer's fault, in a contraction or as something they "should not" have missed.
        ("It's your responsibility to quote the order number.", "Blame.CustomerFault"),
        ("The new address shouldn't have been overlooked.", "Blame.CustomerFault"),
        # Repeating oneself at the reader.
        ("Just to reiterate, the invoice is approved.", "Blame.PassiveAggressive"),
        ("I am telling you for the second time that it is approved.", "Blame.PassiveAggressive"),
        # Personal circumstances in other wordings.
        ("My daughter was unwell last week, so I fell behind with my inbox.",
         "Blame.PersonalExcuse"),
        ("We have had a rough couple of weeks in the office.", "Blame.PersonalExcuse"),
        # A system named after the trouble.
        ("We have been having problems with our accounting system since Monday.",
         "Blame.SystemExcuse"),
    ],
)  # fmt: skip
def test_it_flags_more_wordings(sentence, rule):
    assert rule in {r for r, _ in blame(sentence)}


@pytest.mark.parametrize(
    "sentence",
    [
        # "for the second time" said of our mistake, not of the agent repeating themselves.
        "I'm sorry this happened to you for the second time this quarter.",
        # A helpful pointer at the invoice, not a reprimand.
        "The new bank details are shown clearly in the attached letter.",
        # The customer's responsibility described as a reassurance.
        "It's not your responsibility to chase us; I'll keep you posted.",
        # A child's illness of the customer's, acknowledged kindly.
        "I hope your son is feeling better.",
        # Owning our slip, and sympathy for the reader's rough time.
        "The due date shouldn't have been missed by our team, and I'm sorry.",
        "It's been a tough few weeks for your business, I know.",
    ],
)
def test_the_new_wordings_leave_look_alikes_alone(sentence):
    assert blame(sentence) == set()


def test_a_system_problem_given_as_the_reason_for_not_checking_is_flagged_in_an_incident():
    incident = {"contact_name": "Anna", "incident": True}
    excuse = "Our bank portal is down, so we couldn't check where the payment went."
    assert {r for r, _ in blame(excuse, incident)} == {"Blame.SystemDelay"}
    # What happened, in an incident reply, is not an excuse: the fault caused the
    # mistake, it is not why we have not looked yet.
    happened = "Our payment system had a fault on 3 May, so the run paid you twice."
    assert blame(happened, incident) == set()


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        # heldout-v6: a named platform given as the reason for a delay, disowning our
        # part, and the customer's side named as at fault.
        ("Our invoicing platform was offline all Monday, so I could not reply.",
         "Blame.SystemExcuse"),
        ("The booking tool has been down since Tuesday.", "Blame.SystemExcuse"),
        ("The bank sent it twice; it was not a mistake on our end.", "Blame.NotMyJob"),
        ("Reading the terms before ordering is ultimately your company's responsibility.",
         "Blame.CustomerFault"),
    ],
)  # fmt: skip
def test_it_flags_new_wordings_of_blame(sentence, rule):
    assert rule in {r for r, _ in blame(sentence)}


@pytest.mark.parametrize(
    "sentence",
    [
        # Tricky negatives: owning the error, and reassuring the customer.
        "I'm sorry, it was a mistake on our end.",
        "This was not an error on your side at all.",
        "Our invoicing platform shows the payment left on 3 May.",
        "Keeping your bank details current is our responsibility.",
    ],
)
def test_owning_or_reassuring_is_not_blame(sentence):
    assert blame(sentence) == set()
