"""The general rules added after heldout-v18 for blame and threat, each tried on wordings of
its own (not the labelled replies'), by the rules alone.

Blame read by who is the subject of the lapse and whether the reply disowns it or sets the
reader homework. Another party of ours or a third party: "a fault at their end and not
something we did", a team that "had not completed their checks", a vendor's work that "took
longer than the provider promised", a colleague who "only signed it off on 4 May", nothing
possible "until the depot has done that", the delay made a law ("that is just how our process
works"), a team "waiting on" something, a colleague "on leave ... so nobody could", a new
system that "went live" so we "could not", "two of the billing team off sick", "isn't something
we could have prevented". The reader's side: their part that "only came back from your
buyer", what "should not have come as a surprise to you", "why it wasn't passed on", "worth
asking them why", "worth checking whether your bank", "worth raising that internally", "I'd
suggest your team checks", "you may want to check with your IT team", "something to bear in
mind next time", "up to the supplier to", caught "by your accounts office" or "by a filter at
your end". Policy: "there are no exceptions", "department policy doesn't allow it", "not
something our staff can override".

Threat in a first reminder: anything held back, made conditional or given away until the
debt is paid ("will only be dispatched once", "will require payment in advance", "will have to
pause shipments", "until the invoice is paid", "offered to another tenant", "only confirmed for
members whose accounts are paid", "issued only once the account", "while any fees remain
unpaid", "have their access suspended", "members with unpaid fees cannot register", "the slot
may be reallocated"). A late fee the reply tells the reader to disregard is no threat.
"""

from functools import partial

import pytest

from tests.coach.helpers import RULES_ALONE, flagged

OVERDUE = {"number": "80417", "amount": "1875.00", "currency": "EUR", "due_date": "2026-07-10",
           "status": "overdue"}  # fmt: skip


# By the rules alone, about an overdue invoice; threats in a first reminder.
blamed = partial(flagged, category="blame", rules=RULES_ALONE, invoices=[OVERDUE])
threatened = partial(blamed, category="threat", reminder_level=0)


# ---------------------------------------------------------------- blame


@pytest.mark.parametrize(
    "sentence",
    ["The courier lost the parcel, which was a fault at their end and not something we did.",
     "The run went out while our compliance team had not completed their checks on the account.",
     "The migration took far longer than the hosting provider had promised, so 80417 waited.",
     "The goods were only counted in by the depot on 4 August, so the credit is late.",
     "We cannot pay the invoice until the site office has done that.",
     "Approvals go through three people, and that is just how our process works.",
     "Our purchasing department was waiting on the final quote before raising the order.",
     "The controller was on holiday for two weeks, so nobody could approve the payment.",
     "Our new ERP platform went live in July and the invoices could not be posted for a week.",
     "Three of the billing team were off sick last week, so your query sat in the queue.",
     "The address came from the order form, so it isn't something we could have prevented."],
)  # fmt: skip
def test_another_party_as_the_subject_and_our_part_disowned(sentence):
    assert blamed(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["The approved quote only came back from your purchasing team on 20 July.",
     "The fee is in the contract, so it should not have come as a surprise to you.",
     "We wrote to your office in June, so I can't say why it was not passed on to you.",
     "It might be worth asking them why the note never reached you.",
     "It may be worth checking whether your bank rejected the transfer.",
     "It would be worth raising this internally so the next order goes smoothly.",
     "I'd suggest your accounts team checks the vendor record before the next run.",
     "You might want to check with your IT department about the mail filter.",
     "This is something to bear in mind for future orders.",
     "When the price changes, it's up to the supplier to ask for a new order.",
     "The wrong rate should have been spotted by your accounts office before invoicing.",
     "Our reminder may have been blocked by a mail filter at your end."],
)  # fmt: skip
def test_the_readers_side_as_the_subject_or_given_homework(sentence):
    assert blamed(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["Every change of bank details is confirmed by phone, and there are no exceptions.",
     "Department policy doesn't allow payments before the goods are received.",
     "Changing the payment terms isn't something our finance staff can override."],
)  # fmt: skip
def test_policy_without_exceptions_is_blame(sentence):
    assert blamed(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["The mistake was ours: we keyed the wrong account, and I have paid you again today.",
     "Our policy covers this case, so I have refunded the full amount today.",
     "As you said, the goods arrived on 3 August, and I have paid 80417 this morning.",
     "Our scanning tool misread the amount; I have corrected it and the payment goes out Friday.",
     "I have asked our depot to book the goods in today, and I will send the credit by Friday.",
     "I'm sorry, we were late with this and I have made sure it is paid today.",
     "Please check the attached statement and let me know if anything is missing.",
     "I will call your office on Tuesday to confirm the new bank details with you.",
     "If anything is unclear, it may be worth a quick call; I'm free all afternoon.",
     "We have no exceptions listed on your account, so nothing blocks the payment.",
     "Your payment was allocated to the invoice this morning and the account is clear."],
)  # fmt: skip
def test_owning_and_plain_explanations_are_not_blame(sentence):
    assert not blamed(sentence)


# ---------------------------------------------------------------- threat


@pytest.mark.parametrize(
    "sentence",
    ["New orders will only be dispatched once the balance is paid.",
     "Our credit team would then require payment in advance for further orders.",
     "We may have to pause shipments of the spare parts if this stays open.",
     "Until the invoice is paid, the next licence key cannot be issued.",
     "Unpaid rent may mean the unit is offered to another tenant.",
     "Places at the fair are only confirmed for members whose accounts are paid.",
     "Exam results are released only once the account is settled.",
     "New bookings cannot be taken while any fees remain unpaid.",
     "Accounts overdue by 60 days may have their online access suspended.",
     "Members with unpaid fees cannot register for the autumn league.",
     "If it is still open next month, the slot may be reallocated."],
)  # fmt: skip
def test_held_back_or_given_away_until_paid_threatens(sentence):
    assert threatened(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["Please disregard the late fee line on the reminder: no fee is due.",
     "Your order has been dispatched today and should arrive on Thursday.",
     "The credit note will be issued once our warehouse has counted the returns.",
     "Could you let me know when payment will be made? I'm happy to help if anything is wrong."],
)  # fmt: skip
def test_fees_set_aside_and_plain_updates_are_not_threats(sentence):
    assert not threatened(sentence, first_time_late=True)
