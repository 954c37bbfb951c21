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
