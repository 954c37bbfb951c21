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


def test_harm_done_and_a_relationship_in_doubt_read_as_frustrated():
    message = (
        "This is the second payment this year that reached us late. Our bank charged us "
        "interest because of you, and we are reviewing whether to keep working with you."
    )
    context = {"contact_name": "Anna", "customer_message": message}
    assert "Empathy.Acknowledge" in fired(FACTS, context)


def test_a_calm_mention_of_a_second_invoice_is_not_frustration():
    # Tricky negative: "second invoice" as a plain fact, nothing else upset.
    message = "Hi, could you also check our second invoice for May? Kind regards, Anna"
    assert fired(FACTS, {"contact_name": "Anna", "customer_message": message}) == set()


def test_a_typo_does_not_hide_an_apology_or_an_action():
    text = (
        "Hi Anna,\n\nI'm terribly sory for the wait. I have re-sent the remittance for invoice "
        "4411 today.\n\nThank you,\nMarta"
    )
    assert fired(text, {"contact_name": "Anna", "sla_breached": True}) == set()


def test_a_typo_that_is_not_an_apology_is_still_not_one():
    # Tricky negative: the corrected text has no apology in it either.
    text = (
        "Hi Anna,\n\nThe invoce is approved. I have re-sent the remittance for invoice 4411 "
        "today.\n\nRegards,\nMarta"
    )
    assert "Empathy.Acknowledge" in fired(text, {"contact_name": "Anna", "sla_breached": True})


def test_polite_anger_in_other_wordings_needs_empathy():
    # heldout-v6: a demand for an immediate fix, harm done, a repeat by the month, a
    # rhetorical "do I really have to", having to chase in spite of what we were given.
    for message in (
        "Our account went overdrawn because you took the payment twice. We want it refunded today.",
        "For the third month in a row the remittance is missing. We had to chase your "
        "bank ourselves.",
        "Why do I have to ask for every single thing twice? I wrote on Monday and again "
        "on Wednesday and I still have not heard back from anyone about this problem.",
        "Even though we told you about the new address, the goods went to the old one, "
        "and now we have to chase the carrier.",
    ):
        assert "Empathy.Acknowledge" in fired(FACTS, {"customer_message": message}), message


def test_a_plain_request_with_a_date_is_not_anger():
    # Tricky negative: "today", "every" and "have to" in a calm message.
    message = (
        "Hello, we have to close our books today. Could you confirm every invoice we paid "
        "this month? Many thanks, Anna"
    )
    assert fired(FACTS, {"customer_message": message}) == set()


def test_patience_running_out_and_broken_promises_need_empathy():
    # heldout-v7: two markers that a sentiment score misses ("losing my patience",
    # "keeps promising", "nothing ever changes", "you people").
    for message in (
        "Third e-mail about this. My patience is wearing thin with you people.",
        "Your colleague keeps promising a date and nothing ever changes. I am running out "
        "of patience.",
    ):
        assert "Empathy.Acknowledge" in fired(FACTS, {"customer_message": message}), message


def test_a_calm_message_with_keep_or_patience_is_not_anger():
    # Tricky negative: "keep" and "patience" in a friendly message.
    message = "Thanks for your patience with our questions. Please keep the reference in mind."
    assert fired(FACTS, {"customer_message": message}) == set()


def test_discontent_weeks_of_waiting_and_silence_need_empathy():
    for message in (
        "It has been nearly three weeks and not a single reply from your side.",
        "We are not happy. This is the last straw for us.",
        "Frankly the communication has been unprofessional and we are embarrassed "
        "in front of our own auditors.",
    ):
        assert "Empathy.Acknowledge" in fired(FACTS, {"customer_message": message}), message


def test_a_calm_note_that_needs_no_reply_is_not_anger():
    # Tricky negative: "no reply needed" and "weeks" in a friendly message.
    message = "Thanks, all received. No reply needed; we pay in two weeks as agreed."
    assert fired(FACTS, {"customer_message": message}) == set()


def test_a_team_with_its_own_threshold_reads_the_same_message_its_own_way(tmp_path):
    # The reading of a message is remembered between reviews (the composer reviews each
    # draft), but per rule settings: a team that counts any negative word as upset gets
    # its own reading of a message the default rules already read as calm.
    from ledgerdesk.coach.ruleset import load_rules

    message = "We received a payment but no remittance advice. Which invoice does it cover?"
    (tmp_path / "Empathy.Acknowledge.yml").write_text(
        "extends: check\ncheck: empathy_acknowledge\ncategory: empathy\n"
        "message: Say sorry first.\nsentiment_threshold: 0.5\nenquiry_threshold: 0.9\n"
    )
    reply = "Hi Anna,\n\nIt covers invoice 4411.\n\nThank you,\nMarta"
    context = {"contact_name": "Anna Kowalska", "customer_message": message}
    for _ in range(2):
        assert not fired(reply, context)
        team = review(reply, context, rules=load_rules("en", overrides=[tmp_path]))
        assert "Empathy.Acknowledge" in {f.rule for f in team.findings}
