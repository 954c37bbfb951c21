"""The general rules added after the heldout-v13 freeze for jargon, clarity, spelling and
closing, each tried on wordings of its own (not the labelled replies'): stock thanks for
cooperation beside genuine thanks, cooperation on a shared piece of work, thanks joined to
"for choosing us"; acronyms in the signature block; a term the customer quoted to ask what
it means; Nordic "attested" invoices, service requests, one-letter codes with "flag", hotel
ledger terms; local payment and tax initials and trade words; asides between dashes, a new
subject with a modal after a bare "and", and a long subject after ", and any"."""

from functools import partial

import pytest

from tests.coach import helpers

# Rules alone (the learned layer is retrained separately).
rules_fired = partial(
    helpers.rules_fired,
    contact="Tomasz Lewicki",
    greeting="Dear Tomasz,",
    closing="Kind regards,\nIlse Brandt",
    rules=helpers.RULES_ALONE,
)


# ---------------------------------------------------------------- closing


def test_stock_cooperation_line_beside_genuine_thanks_is_not_presumptive():
    body = (
        "Thanks for flagging the missing credit note so quickly. I have raised it today and "
        "it will reach you by Friday 12 June.\n\nThank you for your cooperation."
    )
    assert rules_fired(body, "closing") == set()


def test_stock_cooperation_line_as_the_only_thanks_is_still_presumptive():
    # Tricky negative: with nothing else to thank them for, the stock line stays a fault.
    body = "Please send the signed form by Friday 12 June.\n\nThank you for your cooperation."
    assert rules_fired(body, "closing") == {"Closing.Presumptive", "Closing.Thanks"}
    body = "Please send the signed form by Friday 12 June.\n\nThanks in advance."
    assert "Closing.Presumptive" in rules_fired(body, "closing")


@pytest.mark.parametrize(
    "line",
    ["Thank you for your cooperation during the warehouse migration.",
     "Thank you for your good cooperation on our spring tender.",
     "Thank you for your cooperation over the last year."],
)  # fmt: skip
def test_cooperation_on_a_shared_piece_of_work_is_genuine_thanks(line):
    body = f"Invoice 5518 will be paid on Tuesday 9 June.\n\n{line}"
    assert rules_fired(body, "closing") == set()


def test_cooperation_in_this_matter_is_still_stock():
    # Tricky negative: "in this matter" is the form letter's phrase, not a shared project.
    body = (
        "Invoice 5518 will be paid on Tuesday 9 June.\n\n"
        "Thank you for your cooperation in this matter."
    )
    assert "Closing.Thanks" in rules_fired(body, "closing")


def test_thanks_for_choosing_us_joined_to_the_stock_line_counts():
    body = (
        "Invoice 5518 will be paid on Tuesday 9 June.\n\n"
        "Thank you for your cooperation and for using our booking service."
    )
    assert rules_fired(body, "closing") == set()


# ---------------------------------------------------------------- jargon


def test_acronyms_in_the_signature_block_are_not_jargon():
    body = "Thanks for your patience. Invoice 5518 will be paid on Tuesday 9 June."
    assert (
        rules_fired(body, "jargon", closing="Kind regards,\nIlse Brandt\nFinance, Gdansk GBS")
        == set()
    )
    # Tricky negative: the same acronym in the agent's prose still needs spelling out.
    body = "Thanks for your patience. Our GBS will pay invoice 5518 on Tuesday 9 June."
    assert "Jargon.UndefinedAcronym" in rules_fired(body, "jargon")


def test_a_term_the_customer_quoted_to_ask_its_meaning_still_needs_explaining():
    body = "Thanks for asking. The EUR 120.00 is WHT, paid to the tax office for you on 2 June."
    asked = 'Your remittance mentions "WHT" - what does WHT stand for? We only got part of it.'
    assert "Jargon.Glossary" in rules_fired(body, "jargon", customer_message=asked)
    # Tricky negative: a customer who uses the term plainly knows it.
    knows = "Please send us the WHT certificate for the deduction on invoice 5518."
    assert rules_fired(body, "jargon", customer_message=knows) == set()


@pytest.mark.parametrize(
    "sentence",
    ["Thanks for your patience. The invoice can't be attested until the buyer signs it.",
     "Thanks for your patience. I have opened an SR for the meter check today.",
     "Thanks for your patience. Your account has a K4 flag until the review ends.",
     "Thanks for your patience. The charges sit on our city ledger until checkout.",
     "Thanks for your patience. The MICE package is invoiced separately."],
)  # fmt: skip
def test_approval_steps_tickets_codes_and_hotel_terms_are_jargon(sentence):
    assert "Jargon.Glossary" in rules_fired(sentence, "jargon")


def test_attest_in_its_plain_sense_is_not_jargon():
    # Tricky negative: "attest" as "confirm" is plain English; "Sr." is no ticket.
    body = "Thanks for your patience. I can attest that the goods arrived, as our Sr. Buyer saw."
    assert rules_fired(body, "jargon") == set()


@pytest.mark.parametrize(
    "sentence",
    ["Thanks for your patience. The UTR of the transfer is on the remittance.",
     "Thanks for your patience. You can pay by BPAY with the reference on the invoice.",
     "Thanks for your patience. Please add your GST number to the next invoice."],
)  # fmt: skip
def test_local_payment_and_tax_initials_are_plain(sentence):
    assert rules_fired(sentence, "jargon") == set()


def test_trade_words_are_not_typos():
    body = "Thanks for your patience. The delivery challan and the cuppers' notes are attached."
    assert rules_fired(body, "spelling") == set()


# ---------------------------------------------------------------- clarity


def test_an_aside_between_dashes_splits_a_long_sentence():
    sentence = (
        "To keep your deliveries running smoothly – our warehouse stops all outgoing orders "
        "once an account is 30 days overdue – please arrange the transfer this week, or tell "
        "me by Friday 12 June when you expect to pay."
    )
    assert 35 < len(sentence.split()) <= 45
    assert rules_fired(sentence, "clarity") == set()


def test_and_with_a_new_subject_and_a_modal_splits_without_a_comma():
    sentence = (
        "The VAT of EUR 1,900.00 has been held back in our tax clearing account for now and the "
        "remaining balance will be released as soon as the tax office confirms the refund to us "
        "in writing."
    )
    assert 35 < len(sentence.split()) <= 45
    assert rules_fired(sentence, "clarity") == set()


def test_and_any_with_a_long_subject_and_a_passive_verb_starts_a_clause():
    sentence = (
        "From next month, refunds that come with a case number are matched on your account "
        "code instead of the name, and every refund request from a customer who wrote in "
        "the last week is checked by a person."
    )
    assert 35 < len(sentence.split()) <= 45
    assert rules_fired(sentence, "clarity") == set()


def test_a_long_clause_between_dashes_is_still_long():
    # Tricky negative: splitting at the dashes does not help when one part is too long.
    sentence = (
        "We checked it – the credit note that our billing colleagues in the Lisbon office "
        "raised last month for the damaged pallets which arrived with the second delivery "
        "from your warehouse has been approved by the controller."
    )
    assert "Clarity.LongSentence" in rules_fired(sentence, "clarity")


def test_hyphenated_words_and_ranges_are_not_dashes():
    # Tricky negative: "late-payment" and "1-2" are not asides.
    sentence = (
        "The late-payment interest on the invoice that our billing colleagues in the Lisbon "
        "office raised last month for the damaged pallets from the second delivery is charged "
        "in 1-2 weeks by our own finance department in Porto."
    )
    assert len(sentence.split()) > 35
    assert "Clarity.LongSentence" in rules_fired(sentence, "clarity")
