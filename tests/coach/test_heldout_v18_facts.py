"""The general rules added after heldout-v18 for follow-up and the critical needs of an
incident, each tried on wordings of its own (not the labelled replies'), by the rules alone.

Critical needs. What happened, in more words: a bank or system that bounced or returned a
payment, said actively or "returned to us by"; two things that "did not match" or a
"mismatch"; a step that "had not yet been entered", "was never linked", "never got through
to"; a tool that "kept charging" or "only released" part; money sent to a "previous bank
account". Reassurance ("you will not have to pay twice") and the old account we are closing
are no cause. The fix: money asked back in other words ("we would like you to return",
"if you can send it back by"), "Attached is credit note". The prevention: a routine said of
a whole class ("Bank detail changes are now entered within two days"), "we now apply ...
to all", a system that "now cancels ... automatically whenever", "so this should not
repeat"; the status of this case's items ("The invoices are now paid") is none.

Follow-up. Closed: "nothing's outstanding", "nothing else is outstanding", "nothing more to
do"; a yes/no question answered "no," or "is correct as it stands". Open: "released for
payment", "I'd like to check with ... before confirming", a step dated only by the invoice's
due date set after its amount ("for EUR 420.00, due 30 June"). A step whose subject is "no
..." ("no corrected invoice will follow") promises nothing; "remains due on" dates the next
payment as "is due on" does.
"""

import pytest

from tests.coach.helpers import (
    FIX,
    HAPPENED,
    INCIDENT_INVOICE,
    PREVENTION,
    RULES_ALONE,
    categories,
    incident_rules,
)

# ---------------------------------------------------------------- what happened


@pytest.mark.parametrize(
    "sentence",
    ["The receiving bank in Lyon bounced it back to us on 4 May.",
     "The transfer was returned to us by the intermediary bank on 3 May.",
     "The account holder name on our file did not match the one your bank holds.",
     "There was a name mismatch between our record and your bank's.",
     "Your new address had been received but had not yet been entered in our ledger.",
     "The credit was never linked to the order, so the portal kept charging the full rate.",
     "The order was split in two, so the system only released half of the amount.",
     "The change was agreed with your buyer but never got through to invoicing.",
     "The payment went to your previous bank account."],
)  # fmt: skip
def test_cause_in_other_words_is_what_happened(sentence):
    assert "CriticalNeeds.WhatHappened" not in incident_rules(sentence, FIX, PREVENTION)


@pytest.mark.parametrize(
    "sentence",
    ["Please don't worry, you will not have to pay twice.",
     "We are closing the old account this month as well.",
     "I'm sorry about this and thank you for telling us."],
)  # fmt: skip
def test_reassurance_is_not_what_happened(sentence):
    assert "CriticalNeeds.WhatHappened" in incident_rules(sentence, FIX, PREVENTION)


# ---------------------------------------------------------------- the fix


@pytest.mark.parametrize(
    "sentence",
    ["We would like you to return the duplicate EUR 420.00 to our account by Friday 12 June.",
     "If you can send it back by Friday 12 June, I'll confirm receipt the same day.",
     "Attached is credit note CN-4410 for EUR 420.00."],
)  # fmt: skip
def test_fix_in_other_words(sentence):
    assert "CriticalNeeds.Fix" not in incident_rules(HAPPENED, sentence, PREVENTION)


def test_a_question_for_details_is_no_fix():
    sentence = "Could you send us your bank details?"
    assert "CriticalNeeds.Fix" in incident_rules(HAPPENED, sentence, PREVENTION)


# ---------------------------------------------------------------- prevention


@pytest.mark.parametrize(
    "sentence",
    ["Bank detail changes are now entered within two working days of receipt.",
     "Supplier names are now copied straight from the bank letter.",
     "We now apply new prices to all delivery addresses on the day they are signed.",
     "Our billing system now cancels the original automatically whenever an invoice is reissued.",
     "We have corrected the name on file, so this should not repeat."],
)  # fmt: skip
def test_prevention_in_other_words(sentence):
    assert "CriticalNeeds.Prevention" not in incident_rules(HAPPENED, FIX, sentence)


@pytest.mark.parametrize(
    "sentence",
    ["The invoices are now paid.", "Both invoices are now cancelled.",
     "Thank you for your patience."],
)  # fmt: skip
def test_status_of_this_case_is_no_prevention(sentence):
    assert "CriticalNeeds.Prevention" in incident_rules(HAPPENED, FIX, sentence)


# ---------------------------------------------------------------- follow-up


def follow_up(body, message=None):
    context = {"invoices": [INCIDENT_INVOICE]}
    if message:
        context["customer_message"] = message
    return "follow_up" in categories(body, rules=RULES_ALONE, **context)


@pytest.mark.parametrize(
    "body",
    ["Both invoices are paid in full and nothing's outstanding.",
     "Both invoices are paid and nothing else is outstanding on your account.",
     "Your payment matched both invoices, with nothing more to do."],
)  # fmt: skip
def test_matter_closed(body):
    assert not follow_up(body)


QUESTION = "Hello, is invoice 118 correct without VAT, or do we need a new one?"


@pytest.mark.parametrize(
    "body",
    ["Good question, and no, you won't need a new one. The reverse charge applies.",
     "Invoice 118 is correct as it stands, because the reverse charge applies.",
     "Yes, the amount is right; no corrected invoice will follow.",
     "The invoice stands as issued. EUR 420.00 remains due on 30 June 2026."],
)  # fmt: skip
def test_question_answered(body):
    assert not follow_up(body, QUESTION)


@pytest.mark.parametrize(
    "body",
    ["Invoice 118 has now been released for payment.",
     "I think it is right, but I'd like to check with our auditor before confirming.",
     "A credit note will be issued and set against invoice 118 for EUR 420.00, due 30 June 2026."],
)  # fmt: skip
def test_step_left_open(body):
    assert follow_up(body)


def test_step_with_its_own_date_beside_the_due_date():
    body = (
        "A credit note will be issued by 12 June against invoice 118 for EUR 420.00, "
        "due 30 June 2026."
    )
    assert not follow_up(body)


def test_no_later_than_is_not_a_negated_step():
    assert not follow_up("No later than Friday 12 June, we will send the credit note.")
