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
     "That isn't something we deal with often, but I have looked into it myself."],
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


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        # heldout-v7: helplessness in the past, an adverb inside "not my area", the
        # customer's side told it should have caught the error, "clearly set out".
        ("Statements go out automatically, so there was nothing we could have done.",
         "Blame.NotMyJob"),
        ("Credit limits aren't really our area, I'm afraid.", "Blame.NotMyJob"),
        ("Disputes are not strictly my department, so Tom will answer you.", "Blame.NotMyJob"),
        ("Early payment requests fall outside my remit.", "Blame.NotMyJob"),
        ("Sorry for the wait, I've been off with the flu since Monday.",
         "Blame.PersonalExcuse"),
        ("I'm slowly working through a backlog after my leave.", "Blame.PersonalExcuse"),
        ("The price was on the order you approved, so it ought to have been spotted at your end.",
         "Blame.CustomerFault"),
        ("A duplicate like this should have been noticed by your AP team.",
         "Blame.CustomerFault"),
        ("Our payment terms are explicitly laid out in the contract you signed.",
         "Blame.CustomerFault"),
        ("You really should have checked the quantity on delivery.", "Blame.CustomerFault"),
    ],
)  # fmt: skip
def test_it_flags_heldout_v7_wordings_of_blame(sentence, rule):
    assert rule in {r for r, _ in blame(sentence)}


@pytest.mark.parametrize(
    "sentence",
    [
        # Tricky negatives for the heldout-v7 wordings: an offer of help, owning the
        # slip, naming where the terms are without a reprimand, a handover to a
        # colleague, and catching up on the case itself.
        "If there is anything I can do to help, just tell me.",
        "Is there anything we could have done better? I'd like to know.",
        "Our payment terms are set out in section 4 of the contract.",
        "Payment plans are agreed by our credit manager, Mr Weber, who will reply by Friday.",
        "I'm catching up with the warehouse today to confirm the count.",
    ],
)
def test_heldout_v7_wordings_leave_these_alone(sentence):
    assert blame(sentence) == set()


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        # General coverage beyond the labelled set: sending the reader elsewhere
        # themselves, disowning the decision, telling them it was answered before,
        # a lecture about next time, and the volume of work or the team's absences.
        ("You'll need to speak to our credit department about that.", "Blame.NotMyJob"),
        ("You should contact the logistics team directly.", "Blame.NotMyJob"),
        ("Whether we waive the fee isn't up to me.", "Blame.NotMyJob"),
        ("Honestly, I just work here.", "Blame.NotMyJob"),
        ("Refunds sit with treasury, so you'd need to ring them directly.", "Blame.NotMyJob"),
        ("It's been a hectic couple of months for us, hence the wait.", "Blame.PersonalExcuse"),
        ("We don't make the rules on discounts.", "Blame.NotMyJob"),
        ("I've already explained this twice.", "Blame.PassiveAggressive"),
        ("Going forward, please make sure the PO number is on the invoice.",
         "Blame.PassiveAggressive"),
        ("Owing to an unusually high volume of enquiries, replies are slower.",
         "Blame.PersonalExcuse"),
        ("Half of our team has been off sick this month.", "Blame.PersonalExcuse"),
        ("We were right in the middle of quarter-end.", "Blame.PersonalExcuse"),
        ("We've had ongoing IT problems since the upgrade.", "Blame.SystemExcuse"),
        ("Network issues have badly delayed our replies.", "Blame.SystemExcuse"),
        ("I held off replying until the buyer had answered.", "Blame.WaitingForInfo"),
        ("Our internal procedures don't permit a second refund.", "Blame.NotOurPolicy"),
    ],
)  # fmt: skip
def test_it_flags_general_brush_offs_and_excuses(sentence, rule):
    assert rule in {r for r, _ in blame(sentence)}


@pytest.mark.parametrize(
    "sentence",
    [
        # Tricky negatives: a handover with ownership, advice about the reader's own
        # bank, what is up to the reader, what we explained to someone else, a
        # forward-looking promise of ours, and a volume that is not an excuse.
        "I've asked our credit department about that and will reply by Friday.",
        "You may want to contact your bank about the fee they charged.",
        "The choice of date is up to you.",
        "I have already sent the remittance.",
        "Going forward, we will send the statement on the first of each month.",
        "We received a high volume of invoices from you in May, all now paid.",
        "Our procedures allow a refund within five days, so I have sent it.",
        "We've had a look at the invoice and it is approved.",
    ],
)
def test_general_brush_off_wordings_leave_these_alone(sentence):
    assert blame(sentence) == set()


def test_already_covered_as_paid_is_not_a_reprimand():
    # Tricky negative: "covered" as paid for, not as said before.
    assert blame("We've already covered the freight, so there is nothing to add.") == set()
