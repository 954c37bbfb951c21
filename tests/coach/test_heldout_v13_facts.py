"""The general rules added for accuracy, follow-up and critical needs after heldout-v13,
each tried on wordings of its own (not the labelled replies'): the due date of the
reader's own bills, amounts left over, written off or charged for named units, invoice
numbers the customer names beside the case's own; steps tied to dated payments or to the
reader's money arriving, dates weighed rather than set, conditions of a few more words,
documents sent "in PDF form", matters closed in few words; and incident answers worded
as a step that stopped short, a figure that changed on the way, fixes in the passive and
changes to a gateway or to a class of requests."""

from functools import partial

import pytest

from tests.coach import helpers

OPEN = {"number": "73310", "amount": "2640.00", "currency": "EUR", "due_date": "2026-07-20",
        "status": "open"}  # fmt: skip


VOICE = {
    "contact": "Mira Holm",
    "greeting": "Hi Mira,",
    "closing": "Thank you for your patience.\n\nBest wishes,\nOskar",
}
findings = partial(helpers.findings, **VOICE)
flags = partial(helpers.flagged, **VOICE)


# ---------------------------------------------------------------- accuracy


def test_a_due_date_of_the_readers_own_bills_is_not_the_invoices():
    own = "With your rent due on 3 July, I have made sure invoice 73310 is paid on Friday 26 June."
    assert not flags(own, "accuracy", invoices=[OPEN])
    ours = "Invoice 73310 is due on 3 July, and we will pay it on Friday 26 June."
    assert flags(ours, "accuracy", invoices=[OPEN])


@pytest.mark.parametrize(
    "body",
    ["Invoice 73310 cannot be paid yet, because the order behind it has EUR 1,950.00 left.",
     "You're right: the EUR 640.00 for those two days should not be on invoice 73310.",
     "I have written off the EUR 26.40 on invoice 73310, so nothing more is owed."],
)  # fmt: skip
def test_amounts_left_over_for_named_units_or_written_off_are_not_the_total(body):
    assert not flags(body, "accuracy", invoices=[OPEN])


def test_the_invoice_total_itself_is_still_checked():
    assert flags("Invoice 73310 for EUR 2,460.00 is approved.", "accuracy", invoices=[OPEN])


def test_an_invoice_number_the_customer_names_beside_the_cases_is_not_a_slip():
    body = "Invoice 73310 is the July one and 73301 was June, so it is no duplicate."
    both = "Invoice 73310 was rejected as a duplicate of 73301. But 73301 was for June!"
    assert not flags(body, "accuracy", invoices=[OPEN], customer_message=both)
    alone = "Your portal rejected our July invoice. Please check."
    assert flags(body, "accuracy", invoices=[OPEN], customer_message=alone)


# ---------------------------------------------------------------- follow-up

LIST = (
    "Both invoices are approved:\n\n- 73310: paid on Tuesday 21 July\n"
    "- 73311: paid on Tuesday 28 July\n\n"
)


def test_a_step_tied_to_each_dated_payment_has_its_date():
    assert not flags(LIST + "A payment advice will be e-mailed after each payment.", "follow_up")
    assert flags(LIST + "A payment advice will be e-mailed to you.", "follow_up")


def test_a_step_set_off_by_the_readers_money_arriving_is_timed():
    body = "Paying on 24 July is fine. I will confirm receipt as soon as we receive the funds."
    assert not flags(body, "follow_up")
    assert flags("Paying later is fine. I will confirm receipt as soon as we can.", "follow_up")


def test_a_date_weighed_is_not_the_date_of_the_step():
    asked = "I'll ask our controller whether 30 July is acceptable and come back to you."
    assert flags(asked, "follow_up")
    assert not flags(asked.replace("come back to you", "reply by Friday"), "follow_up")


def test_a_condition_of_a_few_words_does_not_close_the_matter():
    body = (
        "I'll come back to you once I have an answer, as new orders wait until the "
        "overdue invoice 73310 is cleared."
    )
    assert flags(body, "follow_up", invoices=[OPEN])


def test_a_document_in_pdf_form_is_delivered_not_left_to_fill_in():
    asked = {"customer_message": "Please send us the receipt for invoice 73310."}
    assert not flags("I have attached the receipt in PDF form.", "follow_up", **asked)
    assert flags("I have attached the form for the receipt.", "follow_up", **asked)


def test_a_matter_closed_in_few_words_needs_no_next_step():
    assert not flags("Your transfer arrived yesterday. Invoice 73310 closed, zero balance.",
                     "follow_up")  # fmt: skip
    assert flags("Your transfer arrived yesterday and we are looking at it.", "follow_up")


def test_a_fault_rolled_back_or_a_payment_not_affected_leaves_nothing_to_do():
    assert not flags("The faulty template has been rolled back.", "follow_up")
    assert not flags("The faulty template caused it. Your payment was not affected.", "follow_up")
    assert flags("The faulty template caused it.", "follow_up")


# ---------------------------------------------------------------- critical needs

FIXED = (
    "I have refunded the EUR 26.40 this morning. From now on every change is checked by a "
    "second person."
)


def needs(body):
    return {f.rule for f in findings(body, "critical_needs", incident=True)}


@pytest.mark.parametrize(
    "cause",
    ["Your new address was received but never entered in our records.",
     "Your notice never made it into our billing system.",
     "Your transfer arrived on 3 July but was only matched on 9 July, so a fee was added.",
     "It was up to our desk to log the change, and they didn't.",
     "Our system had no way of knowing about the new rate.",
     "Someone dropped a zero when keying it, so the payment was a tenth of the bill.",
     "EUR 2,640.00 became EUR 264.00 when it was typed in.",
     "A software update mixed up the e-mail addresses of two suppliers.",
     "The payment went to the closed account."],
)  # fmt: skip
def test_what_happened_in_more_wordings(cause):
    assert "CriticalNeeds.WhatHappened" not in needs(cause + " " + FIXED)


def test_an_apology_alone_still_says_nothing_of_what_happened():
    assert "CriticalNeeds.WhatHappened" in needs("I'm sorry for the mix-up. " + FIXED)


CAUSE = "It happened because our system read the date wrongly. "


@pytest.mark.parametrize(
    "fix",
    ["The transfer was reallocated to your account this morning.",
     "I have reallocated the payment and lifted the hold this morning.",
     "A refund of EUR 26.40 for the second charge has been processed today."],
)  # fmt: skip
def test_a_fix_done_in_more_wordings(fix):
    assert "CriticalNeeds.Fix" not in needs(CAUSE + fix + " From now on we check it by hand.")


def test_a_fix_only_promised_without_a_date_still_needs_one():
    promised = "We will refund the fee. Every change is now checked twice."
    assert "CriticalNeeds.Fix" in needs(CAUSE + promised)


@pytest.mark.parametrize(
    "change",
    ["The card gateway has been changed so it looks for an earlier charge first.",
     "The retry logic was updated, so it now checks for an earlier charge.",
     "Address changes now have to be confirmed by phone."],
)  # fmt: skip
def test_prevention_in_more_wordings(change):
    assert "CriticalNeeds.Prevention" not in needs(CAUSE + "I refunded it today. " + change)


def test_no_change_named_still_misses_the_prevention():
    nothing = "I refunded it today. Address changes matter."
    assert "CriticalNeeds.Prevention" in needs(CAUSE + nothing)
