"""The language rules added after the heldout-v16 freeze, each tried on wordings of its own
(not the labelled replies'): an acronym explained in brackets after the noun it qualifies,
companies' legal forms, a signature of name, team and company with no sign-off above it,
sign-offs in more of the readers' languages, partner roles of an order system ("sold-to")
and any two-capital document type as jargon, bank links and accounting items by their short
names, discount terms in shorthand, a country's initials as plain; an account number in
groups counted as one word, a source named before a clause ("Under the agreement,") as a
lead-in; a greeting with the name after a comma or in its vocative, "good day" in more
languages alone on its line; and thanks for the reader's trust joined to a stock line of
thanks."""

from functools import partial

import pytest

from ledgerdesk.coach import review
from ledgerdesk.coach.checks.language import _word_count
from tests.coach import helpers

VOICE = {"contact": "Mira Holm", "greeting": "Hi Mira,", "closing": "Best wishes,\nOskar"}
# Each finding in a category as (rule, the words it covers).
findings = partial(helpers.hits, **VOICE)
rule_hits = partial(helpers.rule_hits, **VOICE)


# ---------------------------------------------------------------- jargon


def test_an_acronym_explained_in_brackets_after_its_noun_is_spelt_out():
    body = (
        "If your team would rather have it as an SDI file (the Italian e-invoice exchange), "
        "I will send one by Friday 3 July."
    )
    assert rule_hits(body, "Jargon.UndefinedAcronym") == []


def test_an_acronym_with_no_explanation_is_still_reported():
    body = "If your team would rather have it as an SDI file, I will send one by Friday 3 July."
    assert rule_hits(body, "Jargon.UndefinedAcronym") == ["SDI"]


@pytest.mark.parametrize(
    "company",
    ["Baltijos Popierius UAB", "Vidzemes Koks SIA", "Tisza Gépek KFT", "Dnipro Steel JSC",
     "Nordhav Shipping ASA"],
)  # fmt: skip
def test_a_companys_legal_form_is_part_of_its_name(company):
    body = f"Your payment to {company} arrived on 2 July, and invoice 73310 is now closed."
    assert rule_hits(body, "Jargon.UndefinedAcronym") == []


def test_other_initials_in_the_body_are_still_reported():
    body = "Invoice 73310 is waiting for a BQT check, which I will chase by Friday 3 July."
    assert rule_hits(body, "Jargon.UndefinedAcronym") == ["BQT"]


def test_a_signature_of_name_team_and_company_is_not_prose():
    body = "Invoice 73310 was paid today, so nothing more is needed from you."
    closing = "Thank you for your patience.\n\nOskar Lind\nAccounts Receivable, KMT Print Oy"
    assert findings(body, "jargon", closing=closing) == []


def test_the_same_initials_in_the_body_are_reported():
    body = "Invoice 73310 is with KMT for approval, and I will chase it by Friday 3 July."
    closing = "Thank you for your patience.\n\nOskar Lind\nAccounts Receivable, Lumo Oy"
    assert rule_hits(body, "Jargon.UndefinedAcronym", closing=closing) == ["KMT"]


@pytest.mark.parametrize(
    "sign_off", ["Pagarbiai,", "Ar cieņu,", "Lugupidamisega,", "Üdvözlettel,", "S poštovanjem,",
                 "Saygılarımla,", "Cu stimă,"],
)  # fmt: skip
def test_sign_offs_in_the_readers_language_end_the_prose(sign_off):
    body = "Invoice 73310 was paid today. Thank you for your patience."
    closing = f"{sign_off}\nOskar Lind\nFinance, VRT Logistika"
    for category in ("jargon", "spelling"):
        assert findings(body, category, closing=closing) == []


@pytest.mark.parametrize(
    ("body", "said"),
    [("I have rebooked invoice 73310 to your Tartu sold-to, new number 73390.", "sold-to"),
     ("The invoice now sits on the new ship-to party, so it will be paid on Friday 3 July.",
      "ship-to party"),
     ("It was reversed with an XB document on 2 July and will be paid on Friday 3 July.",
      "XB document"),
     ("It was reposted as a DR to your Tartu account and will be paid on Friday 3 July.",
      "DR")],
)  # fmt: skip
def test_order_system_roles_and_document_types_are_jargon(body, said):
    assert said in rule_hits(body, "Jargon.Glossary")


@pytest.mark.parametrize(
    "body",
    ["Please confirm the bill-to address for invoice 73310 by Friday 3 July.",
     "Please attach the PO document to the corrected invoice by Friday 3 July.",
     "Our UK documents are signed by the director and will be posted on Friday 3 July.",
     "PLEASE NOTE: WE NEED TO DOCUMENT EVERY CHANGE, so send it by Friday 3 July."],
)  # fmt: skip
def test_addresses_and_plain_initials_before_document_are_not_jargon(body):
    assert rule_hits(body, "Jargon.Glossary") == []


@pytest.mark.parametrize(
    ("body", "said"),
    [("The refund went out via our H2H link this morning and should reach you by Friday.",
      "H2H"),
     ("Your EUR 900.00 cleared part of the OI for 73310; I will send a statement by Friday.",
      "OI"),
     ("That leaves a residual item of EUR 340.00, which I will clear by Friday 3 July.",
      "residual item"),
     ("The SEPA DD file for 73310 was sent twice; the refund will reach you by Friday.",
      "SEPA DD"),
     ("With terms of 2/10 net 30 you may pay EUR 4,116.00 if it reaches us by Friday.",
      "2/10 net 30"),
     ("The refund is booked as an FI reversal and will reach you by Friday 3 July.", "FI")],
)  # fmt: skip
def test_bank_links_accounting_items_and_shorthand_terms_are_jargon(body, said):
    assert said in rule_hits(body, "Jargon.Glossary")


@pytest.mark.parametrize(
    "body",
    ["Our terms are net 30, so invoice 73310 is due on Friday 3 July.",
     "Please send the DD/MM date of the delivery by Friday 3 July.",
     "The residual amount of EUR 340.00 will be paid on Friday 3 July.",
     "The goods were shipped from our UAE warehouse and will arrive by Friday 3 July."],
)  # fmt: skip
def test_plain_terms_and_country_initials_are_not_jargon(body):
    assert findings(body, "jargon") == []


# ---------------------------------------------------------------- clarity

_IBAN_SENTENCE = (
    "Please return the EUR 1,240.00 overpayment to our account LT12 1000 0111 0100 1000 "
    "with the reference 73310 refund by Friday 3 July, or let me know if you would rather we "
    "keep it against your next invoice."
)


def test_an_account_number_in_groups_is_one_word():
    assert _word_count(_IBAN_SENTENCE) == 34
    assert findings(_IBAN_SENTENCE, "clarity") == []


def test_the_same_length_in_words_is_a_long_sentence():
    body = _IBAN_SENTENCE.replace(
        "LT12 1000 0111 0100 1000", "at the bank in the old town of Vilnius"
    )
    assert [rule for rule, _ in findings(body, "clarity")] == ["Clarity.LongSentence"]


@pytest.mark.parametrize(
    "text", ["call me on +420 555 123 456 today", "on 26 and 27 May", "the 3 invoices"]
)
def test_numbers_not_in_groups_count_as_they_are(text):
    expected = {"call me on +420 555 123 456 today": 5}.get(text, len(text.split()))
    assert _word_count(text) == expected


def test_a_source_named_before_a_clause_is_a_lead_in():
    body = (
        "I have to be clear: under our agreement, if the balance is still open and we cannot "
        "agree a plan by Friday 3 July, new orders would move to payment in advance until the "
        "account is up to date."
    )
    assert findings(body, "clarity") == []


def test_without_the_lead_in_the_clause_is_too_long():
    body = (
        "I have to be clear: if the balance is still open and we cannot agree a plan by "
        "Friday 3 July or by the end of the following week at the very latest, new orders "
        "would move to payment in advance until the account is up to date again."
    )
    assert [rule for rule, _ in findings(body, "clarity")] == ["Clarity.LongSentence"]


# ---------------------------------------------------------------- greeting

BODY = "Invoice 73310 was paid today. Thank you for your patience."


@pytest.mark.parametrize(
    ("greeting", "contact"),
    [("Dobrý den, pane Dvořáku,", "Jiří Dvořák"),
     ("Dzień dobry, Panie Piotrze,", "Piotr Nowak"),
     ("Good morning, Mira,", "Mira Holm"),
     ("Hello, Ms Holm!", "Mira Holm")],
)  # fmt: skip
def test_the_name_after_a_comma_or_in_its_vocative_greets(greeting, contact):
    text = f"{greeting}\n\n{BODY}\n\nBest wishes,\nOskar"
    assert "greeting" not in review(text, {"contact_name": contact}).categories


@pytest.mark.parametrize(
    ("greeting", "contact"),
    [("Dobrý den, pane Novotný,", "Jiří Dvořák"),
     ("Good morning, Petra,", "Mira Holm"),
     ("Hello, team,", "Mira Holm")],
)  # fmt: skip
def test_another_name_or_none_still_fires(greeting, contact):
    text = f"{greeting}\n\n{BODY}\n\nBest wishes,\nOskar"
    assert "greeting" in review(text, {"contact_name": contact}).categories


@pytest.mark.parametrize("greeting", ["Dobrý den,", "Labdien!", "Jó napot,", "Merhaba,"])
def test_good_day_in_another_language_alone_is_a_greeting(greeting):
    text = f"{greeting}\n\n{BODY}\n\nBest wishes,\nOskar"
    assert "greeting" not in review(text, {}).categories


def test_good_day_alone_still_lacks_the_known_contacts_name():
    text = f"Dobrý den,\n\n{BODY}\n\nBest wishes,\nOskar"
    assert "greeting" in review(text, {"contact_name": "Jiří Dvořák"}).categories


def test_a_plain_first_line_is_no_greeting():
    text = f"Merhaba kind of thing, invoice 73310 was paid.\n\n{BODY}\n\nBest wishes,\nOskar"
    assert "greeting" in review(text, {}).categories


# ---------------------------------------------------------------- closing


def test_thanks_for_the_readers_trust_joined_to_a_stock_line_is_genuine():
    body = (
        "Invoice 73310 is due on Friday 3 July. Thank you for your cooperation, and for the "
        "confidence you have shown in our workshop this year."
    )
    assert findings(body, "closing") == []


@pytest.mark.parametrize(
    "thanks",
    ["Thank you for your cooperation.",
     "Thank you for your cooperation and for your prompt payment."],
)  # fmt: skip
def test_a_stock_line_alone_or_with_a_payment_still_fires(thanks):
    body = f"Invoice 73310 is due on Friday 3 July. {thanks}"
    assert {rule for rule, _ in findings(body, "closing")} == {
        "Closing.Presumptive",
        "Closing.Thanks",
    }
