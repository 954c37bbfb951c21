"""The general rules added after the heldout-v12 freeze for the wording categories
(jargon, clarity, spelling, greeting, closing), each tried on wordings of its own (not
the labelled replies'): SAP table names, block codes in brackets and "30+ bucket" as
jargon, codes in brackets not taken as an explanation, a definition a few words after
the term, acronyms named in full elsewhere or inside a payment reference, local payment
systems; clause chains with a lead-in, an opening clause after a colon or with commas
inside, ", and I've", ", and before", ", and <Name> <verb>"; typos in a shouted line or
with a letter moved two places, clipped words, foreign bank details and department
lines; "Thanks <name>," as a greeting; thanks for the business joined to a stock line."""

from functools import partial

import pytest

from tests.coach import helpers

VOICE = {"contact": "Mira Holm", "greeting": "Hi Mira,", "closing": "Best wishes,\nOskar"}
findings = partial(helpers.findings, **VOICE)
flagged = partial(helpers.flagged, **VOICE)


# ---------------------------------------------------------------- jargon


@pytest.mark.parametrize(
    "body",
    ["I have corrected the bank key in your KNBK entry and will confirm on Monday 6 July.",
     "Invoice 5120 carries a quantity block (Q) until the delivery is counted.",
     "Your account now shows a dunning stop (status 3) until Friday 10 July.",
     "Your balance has moved into the 60+ bucket, so please pay by Friday 10 July.",
     "The account carries a DB4 flag, so please pay by Friday 10 July.",
     "Your supplier master (KRED/LIFN) will be updated by Friday 10 July."],
)  # fmt: skip
def test_tables_block_codes_and_buckets_are_jargon(body):
    assert flagged(body, "jargon")


@pytest.mark.parametrize(
    "body",
    ["We do a two-way match for each invoice, meaning we compare it with the order. "
     "It passed, and payment goes out on Friday 10 July.",
     "Under the rules of the Kenya Revenue Authority we withheld 5%, which we paid to the "
     "KRA on 1 July. I will send the certificate by Friday 10 July.",
     "Please return the second payment with reference AB-7734 RFD by Friday 10 July.",
     "Please send us the UTR (your bank's payment reference) by Friday 10 July.",
     "The invoice KEN/26/0042 is paid; the transfer went by NEFT and arrives on Friday 10 July.",
     "Our CNPJ and our IFSC are on the attached letter; I will call on Friday 10 July."],
)  # fmt: skip
def test_terms_explained_or_plain_to_the_reader_are_not_jargon(body):
    assert not flagged(body, "jargon")


# ---------------------------------------------------------------- clarity


@pytest.mark.parametrize(
    "body",
    # A lead-in, then an opening clause and a main clause of their own.
    ["Please note that if the balance has not reached us by Friday 10 July, we will have to "
     "stop the next delivery and all open orders for your three sites will wait until the "
     "account is back in order.",
     # A colon, then an opening clause with a comma of its own.
     "I want to be straight with you: if the payment, or a call to agree a plan, has not "
     "reached us by Friday 10 July, your account will be paused and new orders will wait "
     "until it is clear.",
     # ", and I've" with a contraction.
     "I have stopped the reminders on invoice 5120 so nothing more reaches your inbox, and "
     "I've asked the site team to book the engineer for a visit so the last part of the job "
     "can be finished next week.",
     # ", and before ..." and ", and <Name> <verb>".
     "From today every change of bank details is logged on the day it comes in and confirmed "
     "to the supplier in writing, and before each run a colleague checks that none is still "
     "open.",
     "My suggestion is simple: we pay the agreed EUR 2,000.00 in the run on Thursday 9 July, "
     "and Mr Olsen calls you on Monday 13 July to go through the remaining hours with you."],
)  # fmt: skip
def test_chains_of_short_clauses_read_as_short_sentences(body):
    assert not flagged(body, "clarity")


def test_one_long_clause_is_still_a_long_sentence():
    body = (
        "Please note that the invoice that was sent to our old office address in March was "
        "scanned by the team there and then forwarded to the central accounts payable mailbox "
        "where it stayed unread for several weeks because the mailbox had no owner at the time."
    )
    assert flagged(body, "clarity")


# ---------------------------------------------------------------- spelling


@pytest.mark.parametrize(
    "body",
    ["PLEASE NOTE THAT THE PAYMENT WILL BE SENT AFTER THE INSPECTION IS COMPLEET.",
     "Sorry for the delay, and I apologise for any inconvienence this has caused.",
     "I have checked the statment and everything is in order."],
)  # fmt: skip
def test_typos_in_capitals_or_with_a_letter_moved_are_found(body):
    assert flagged(body, "spelling")


@pytest.mark.parametrize(
    "body",
    ["PLEASE NOTE THAT THE ACME PAYMENT IS SENT.",
     "The card auth failed once, and the tax cert is attached.",
     "Our bank: Banco Popular, conta corrente 11223-4, and the transfer is due on 10 July."],
)  # fmt: skip
def test_acronyms_clipped_words_and_foreign_bank_details_are_not_typos(body):
    assert not flagged(body, "spelling")


def test_a_department_line_in_another_language_is_not_a_typo():
    closing = "Thank you for your patience.\n\nMarta Lopes\nContas a Receber"
    assert not flagged("Invoice 5120 is paid.", "spelling", closing=closing)


# ---------------------------------------------------------------- greeting


def test_thanks_to_the_name_first_is_a_greeting():
    assert not flagged("Noted, and thank you for letting me know.", "greeting",
                       greeting="Thanks Mira, that's all sorted.")  # fmt: skip


def test_thanks_without_the_name_is_no_greeting():
    assert flagged("Noted, and thank you for letting me know.", "greeting",
                   greeting="Thanks, that's all sorted.")  # fmt: skip


# ---------------------------------------------------------------- closing


@pytest.mark.parametrize(
    "closing",
    ["Thank you for your cooperation and your loyal business.\n\nOskar",
     "Thanks in advance for checking this, and for your business.\n\nOskar"],
)  # fmt: skip
def test_stock_thanks_joined_to_thanks_for_the_business_is_genuine(closing):
    assert not flagged("Please pay invoice 5120 by Friday 10 July.", "closing", closing=closing)


@pytest.mark.parametrize(
    "closing",
    ["Many thanks for your cooperation.\n\nOskar",
     "Thanks in advance for checking this.\n\nOskar"],
)  # fmt: skip
def test_stock_thanks_alone_is_still_reported(closing):
    assert flagged("Please pay invoice 5120 by Friday 10 July.", "closing", closing=closing)
