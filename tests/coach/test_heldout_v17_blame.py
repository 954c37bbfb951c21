"""The general rules added after heldout-v17 for blame and threat, each tried on wordings of
its own (not the labelled replies'), by the rules alone.

Blame read at clause level: who is the subject of the miss (a team of ours, a colleague, a
third party, the reader) and whether the reply then disowns it for us or tells the reader
what they should do. A task that "belongs to" another team "and not to us", "to be fair to my
team", "so I'm not able to explain it", a cause that "really came from" someone else "rather
than from anything we did", a colleague who "did not apply" something, our side that "has no
view of" it or that "nobody in billing could have spotted", our part made mechanical ("we only
pay what the buyer approves", "we billed the address we were given"), the reader sent to the
other party "directly", the harm shrunk ("affected many customers, not only you"), a third
party late telling us, a system being migrated so that "we could not", waiting on a colleague
"before coming back to you"; the reader's duty ("the account holder's responsibility",
"please make sure ... in future", "worth checking your security", "going forward it would
help if", "has to be raised by the supplier before delivery"); and being sent back to a dated
email, "please be reminded", "as stated in our terms".

Threat in a first reminder: anything held back "until the account is brought up to date",
and a "finance charge"; a fee the reader asks about, or one removed with its amount, is no
threat.
"""

from functools import partial

import pytest

from tests.coach.helpers import RULES_ALONE, flagged

OVERDUE = {"number": "70215", "amount": "2960.00", "currency": "EUR", "due_date": "2026-05-20",
           "status": "overdue"}  # fmt: skip


# By the rules alone, about an overdue invoice; threats in a first reminder.
blamed = partial(flagged, category="blame", rules=RULES_ALONE, invoices=[OVERDUE])
threatened = partial(blamed, category="threat", reminder_level=0)


# ---------------------------------------------------------------- blame


@pytest.mark.parametrize(
    "sentence",
    ["Signing off the delivery note belongs to the depot and not to us, so I have chased them.",
     "To be fair to my colleagues, the approval step sits with the plant manager.",
     "Credit limits are set by our risk team, so I'm not able to explain the figure myself.",
     "The gap really came from the warehouse's stock count rather than from anything we did.",
     "The hours were booked by our planning office, who sadly did not check the timesheet.",
     "Payroll has no view of the overtime, so the invoice went out as booked.",
     "Nobody in billing could have caught it from the order we had.",
     "We only pay what the buyer approves in the system, so the rest is waiting on them.",
     "We billed the address we were given when the account was opened.",
     "I would recommend raising the discount with your sales contact directly.",
     "The outage affected many customers across the region, not just your account.",
     "The courier's delivery report did not reach us until Monday.",
     "Our ERP was being upgraded over the weekend and we could not post any payments.",
     "I wanted to get a firm date from our controller before replying to you.",
     "Updating the contact details is the customer's responsibility under the contract.",
     "Please make sure the reference goes on every transfer in future.",
     "It could be worth reviewing your approval controls on your side.",
     "Next time it would help if the order number was on the delivery note.",
     "Price changes must be agreed by the vendor before any delivery, so this one was blocked.",
     "As we explained in our letter of 4 May, the rebate is paid quarterly.",
     "Kindly be reminded that statements are sent on the first working day.",
     "As stated in our terms, invoices without an order number are returned."],
)  # fmt: skip
def test_blame_by_who_did_it_and_who_owns_it(sentence):
    assert blamed(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["I missed the approval step myself, and I'm sorry; I have approved it today.",
     "Our policy covers this case, so I have refunded you today.",
     "As you said, the delivery note was signed on 3 May, and I have paid the invoice.",
     "The error came from a rule in our billing software; I have corrected it and reissued 70215.",
     "I have asked our warehouse to recount the stock, and I will confirm the figure by Friday.",
     "Our sales team agreed the discount, and I have applied it to 70215 today.",
     "I will contact the buyer directly and come back to you by Thursday.",
     "If you send me the order number, I will process the invoice the same day.",
     "The payment was approved this morning and will reach you on Friday.",
     "We have updated the address on your account so future invoices reach you."],
)  # fmt: skip
def test_owning_and_plain_explanations_are_not_blame(sentence):
    assert not blamed(sentence)


# ---------------------------------------------------------------- threat


@pytest.mark.parametrize(
    "sentence",
    ["If it stays open, the portal may be set to view-only until the account is up to date.",
     "Otherwise training sessions would be paused until the balance is settled.",
     "Under our terms a finance charge of 2% a month applies to late balances."],
)  # fmt: skip
def test_held_back_until_paid_and_finance_charges_threaten(sentence):
    assert threatened(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["I have removed the EUR 40 late fee from your account.",
     "Thank you for your message about the late fee on your last statement; I have taken it off.",
     "Invoice 70215 is on hold until our warehouse confirms the delivery.",
     "Could you let me know when payment will be made? I'm happy to help if anything is wrong."],
)  # fmt: skip
def test_fees_taken_off_and_our_own_holds_are_not_threats(sentence):
    assert not threatened(sentence, first_time_late=True)
