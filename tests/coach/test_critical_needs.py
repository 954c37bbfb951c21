"""Incident replies answer what happened, what we do and by when, and how we prevent it."""

from ledgerdesk.coach import review

INCIDENT = {"contact_name": "Sofia", "incident": True}
HAPPENED = "Invoice INV-3391 was paid twice because it was entered twice."
FIX = "I have cancelled the repayment request, and we will offset it against your June invoice."
PREVENT = "To make sure this does not happen again, we have added a duplicate check to every run."


def needs(*sentences, context=INCIDENT):
    text = "Hi Sofia,\n\nI'm sorry. " + " ".join(sentences) + "\n\nThank you,\nRita"
    return {f.rule for f in review(text, context).findings if f.category == "critical_needs"}


def test_a_complete_incident_reply_passes():
    assert needs(HAPPENED, FIX, PREVENT) == set()


def test_each_missing_answer_is_its_own_finding():
    assert needs(FIX, PREVENT) == {"CriticalNeeds.WhatHappened"}
    assert needs(HAPPENED, PREVENT) == {"CriticalNeeds.Fix"}
    assert needs(HAPPENED, FIX) == {"CriticalNeeds.Prevention"}
    assert needs("We value your business.") == {
        "CriticalNeeds.WhatHappened", "CriticalNeeds.Fix", "CriticalNeeds.Prevention",
    }  # fmt: skip


def test_a_future_fix_needs_a_time():
    rules = needs(HAPPENED, "We will refund the duplicate.", PREVENT)
    assert rules == {"CriticalNeeds.Fix"}
    assert needs(HAPPENED, "We will refund the duplicate by Friday 15 May.", PREVENT) == set()


def test_a_fix_already_done_needs_no_time():
    assert needs(HAPPENED, "I have refunded the duplicate.", PREVENT) == set()


def test_it_only_applies_to_incidents():
    assert needs("We value your business.", context={"incident": False}) == set()
    assert needs("We value your business.", context={}) == set()


def test_fixes_worded_as_outcomes_delegations_or_work_under_way():
    happened = "The interest run used the wrong date, so it charged you by mistake."
    prevent = "Every interest charge is now checked by a second person."
    for fix in (
        "I will ask our bank to reverse the charge, and it will be back in your account by Friday.",
        "Our bank is recalling the payment; you will have the full amount by 12 June.",
        "A corrected statement will reach you within two working days.",
        "I'm re-sending the credit note to you now.",
        "We will offset it against your June invoice, due on 30 June.",
        "The charge is reversed.",
    ):
        assert needs(happened, fix, prevent) == set(), fix


def test_what_happened_worded_as_a_double_or_a_mix_up():
    fix = "I have reversed the duplicate today."
    prevent = "To stop this happening again, we have added a duplicate check."
    for happened in (
        "Our scanner read your invoice twice.",
        "Your payment was posted to account 7781 instead of yours.",
        "Our matching tool did not recognise the new reference.",
    ):
        assert needs(happened, fix, prevent) == set(), happened


def test_prevention_worded_as_a_routine_check_or_a_change_to_come():
    happened = "Our scanner read your invoice twice."
    fix = "I have reversed the duplicate today."
    for prevent in (
        "Our team now double-checks the invoice number before posting.",
        "Next month we switch the run to use the date the money arrives.",
        "We have reported the bug to the supplier of the software and are checking every "
        "invoice by hand until it is fixed.",
        "We've updated the address on all our templates.",
    ):
        assert needs(happened, fix, prevent) == set(), prevent


def test_lookalikes_do_not_answer_the_needs():
    happened = "Our scanner read your invoice twice."
    fix = "I have reversed the duplicate today."
    prevent = "To stop this happening again, we have added a duplicate check."
    # A reading aid, a state and a frequency are not a fix, a control and a cause.
    assert needs(happened, "As you will see from the statement, it was paid.", prevent) == {
        "CriticalNeeds.Fix"
    }
    assert needs(happened, fix, "The amount now matches your statement.") == {
        "CriticalNeeds.Prevention"
    }
    assert needs("We reconcile the account twice a week.", fix, prevent) == {
        "CriticalNeeds.WhatHappened"
    }


def test_more_wordings_of_each_need():
    happened = "Our billing run used the old VAT rate on your invoice."
    fix = "The refund of the difference will leave our bank tomorrow."
    prevent = "To avoid a repeat, the run now reads the rate from the tax table."
    assert needs(happened, fix, prevent) == set()
    # A corrected document sent with the reply is a fix already done.
    assert needs(happened, "A revised invoice is attached.", prevent) == set()
    # Someone on our side doing it, with a time.
    bank = "Our bank will return the second debit within three working days."
    assert needs(happened, bank, prevent) == set()
    blocked = "We have merged the two supplier records, so payments can no longer split."
    assert needs(happened, fix, blocked) == set()


def test_the_wider_wordings_still_need_a_time_and_a_real_answer():
    happened = "Our billing run used the old VAT rate on your invoice."
    prevent = "To avoid a repeat, the run now reads the rate from the tax table."
    assert needs(happened, "Our bank will return the second debit.", prevent) == {
        "CriticalNeeds.Fix"
    }
    # "Old" alone, with no thing that was out of date, says nothing about the cause.
    fix = "The refund of the difference will leave our bank tomorrow."
    assert needs("We are sorry about your old invoice.", fix, prevent) == {
        "CriticalNeeds.WhatHappened"
    }


def test_a_mismatch_a_control_as_subject_and_a_change_under_way():
    fix = "I have removed the fee today."
    prevent = "To stop this happening again, we have added a duplicate check."
    happened = "We sent you a reminder even though your payment had reached us a week before."
    assert needs(happened, fix, prevent) == set()
    cause = "Our scanner read your invoice twice."
    for control in (
        "The duplicate check has now been switched on for every supplier.",
        "We're changing the reminder run so that it skips invoices on hold.",
    ):
        assert needs(cause, fix, control) == set(), control
    # "Although" about something else than what went wrong answers nothing.
    assert needs("Although we value your business, fees apply.", fix, prevent) == {
        "CriticalNeeds.WhatHappened"
    }


def test_a_fix_done_in_the_simple_past_needs_no_time():
    # "I re-sent" / "we refunded": done, not promised.
    assert needs(HAPPENED, "I re-issued the corrected remittance an hour ago.", PREVENT) == set()
    assert needs(HAPPENED, "We refunded the bank charge.", PREVENT) == set()


def test_a_plain_past_of_what_went_wrong_is_not_a_fix():
    # Tricky negative: "we sent" and "we paid" are what happened, not a fix.
    rules = needs(HAPPENED, "We sent the payment to your old account.", PREVENT)
    assert rules == {"CriticalNeeds.Fix"}


def test_a_skipped_step_or_a_fraud_is_what_happened():
    skipped = "We updated your bank details without checking with you first."
    fraud = "A phishing e-mail asked us to change your account, and we did."
    assert needs(skipped, FIX, PREVENT) == set()
    assert needs(fraud, FIX, PREVENT) == set()
    # Tricky negative: doing something without delay says nothing about the cause.
    assert needs("We paid it without delay once it was approved.", FIX, PREVENT) == {
        "CriticalNeeds.WhatHappened"
    }


def test_sections_headed_as_the_fix_or_the_prevention_answer_them():
    # A reply laid out under headings answers each need under its heading (heldout-v6).
    text = (
        "Hi Sofia,\n\nI'm sorry.\n\nCause: the refund was keyed against the wrong customer "
        "account.\n\nWhat we're doing: the refund goes out again on 12 June to your account.\n\n"
        "For the future: refunds to a changed account are now confirmed by phone first.\n\n"
        "Thank you,\nRita"
    )
    found = {f.rule for f in review(text, INCIDENT).findings if f.category == "critical_needs"}
    assert found == set()
    # Tricky negative: a heading with nothing after it answers nothing.
    bare = text.replace("For the future: refunds to a changed account are now confirmed by "
                        "phone first.", "For the future:")  # fmt: skip
    found = {f.rule for f in review(bare, INCIDENT).findings if f.category == "critical_needs"}
    assert found == {"CriticalNeeds.Prevention"}


def test_making_up_what_was_missing_is_a_fix():
    for fix in (
        "Today I transferred the outstanding EUR 25.00 to you.",
        "I have transferred the outstanding EUR 25.00 to you.",
        "The balance of EUR 25.00 was refunded this morning.",
    ):
        assert needs(HAPPENED, fix, PREVENT) == set(), fix
    # Tricky negative: a payment sent long ago is what happened, not the fix.
    assert needs(HAPPENED, "The balance was refunded to your old account.", PREVENT) == {
        "CriticalNeeds.Fix"
    }


def test_a_new_rule_in_the_present_or_a_changed_record_prevents_a_repeat():
    assert needs(HAPPENED, FIX, "Refunds over EUR 500 now need a second approval.") == set()
    assert (
        needs(
            HAPPENED,
            FIX,
            "Your customer record has been updated so that future refunds go by wire.",
        )
        == set()
    )
    # Tricky negative: an update with no future in it is only part of the fix.
    assert needs(HAPPENED, FIX, "Your customer record has been updated.") == {
        "CriticalNeeds.Prevention"
    }


def test_money_moved_where_it_belongs_is_a_fix_done():
    # heldout-v7: a payment booked to the wrong customer, put right in the simple past.
    assert needs(HAPPENED, "Yesterday we reallocated your transfer to the right invoice.",
                 PREVENT) == set()  # fmt: skip
    assert needs(HAPPENED, "I rebooked both payments to your account.", PREVENT) == set()
    # Tricky negative: money sent to the wrong place is what happened, not a fix.
    rules = needs(HAPPENED, "We moved the payment to your old account.", PREVENT)
    assert rules == {"CriticalNeeds.Fix"}
