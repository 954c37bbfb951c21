"""Empathy and ownership when the customer is frustrated or the SLA was breached."""

from ledgerdesk.coach import review

ANGRY = (
    "This is the third time I am asking about invoice 4411. Nobody has answered and we "
    "still have not been paid. This is unacceptable."
)
CALM = "Hello, could you tell me when invoice 4411 will be paid? Thanks, Anna"
FACTS = (
    "Hi Anna,\n\nThank you. Invoice 4411 is approved and will be paid on 7 May.\n\nRegards,\nMarta"
)
KIND = (
    "Hi Anna,\n\nI'm sorry you had to chase us. I have added invoice 4411 to the run on 7 May "
    "myself.\n\nThank you for your patience,\nMarta"
)


def fired(text, context):
    return {f.rule for f in review(text, context).findings if f.category == "empathy"}


def test_it_asks_for_acknowledgement_when_the_customer_is_frustrated():
    result = review(FACTS, {"contact_name": "Anna", "customer_message": ANGRY})
    finding = next(f for f in result.findings if f.rule == "Empathy.Acknowledge")
    assert "frustrated" in finding.message
    assert "sorry" in finding.suggestion.lower()


def test_it_is_quiet_when_the_customer_is_calm():
    assert fired(FACTS, {"contact_name": "Anna", "customer_message": CALM}) == set()


def test_it_is_quiet_when_sentiment_and_sla_are_unknown():
    assert fired(FACTS, {"contact_name": "Anna"}) == set()


def test_a_breached_sla_needs_an_apology_too():
    assert "Empathy.Acknowledge" in fired(FACTS, {"contact_name": "Anna", "sla_breached": True})
    assert fired(FACTS, {"contact_name": "Anna", "sla_breached": False}) == set()


def test_it_accepts_an_apology_with_ownership():
    assert fired(KIND, {"contact_name": "Anna", "customer_message": ANGRY}) == set()


def test_it_asks_for_ownership_when_the_team_is_made_to_act():
    text = (
        "Hi Anna,\n\nI'm sorry about the wait. The team should pay invoice 4411 on 7 May."
        "\n\nThank you,\nMarta"
    )
    assert fired(text, {"contact_name": "Anna", "customer_message": ANGRY}) == {"Empathy.Ownership"}


def test_let_me_know_is_not_ownership():
    text = "Hi Anna,\n\nSorry about that. The invoice is approved. Let me know if you need more."
    assert "Empathy.Ownership" in fired(text, {"customer_message": ANGRY})


def test_polite_but_frustrated_markers_count_without_negative_words():
    chaser = "Second reminder: still no payment for invoice 4411, please advise."
    assert "Empathy.Acknowledge" in fired(FACTS, {"customer_message": chaser})


def test_quoted_history_in_the_customer_message_does_not_count():
    message = "Thanks for sorting it!\n\n> This is unacceptable, third time I ask, nobody answers."
    assert fired(FACTS, {"contact_name": "Anna", "customer_message": message}) == set()
