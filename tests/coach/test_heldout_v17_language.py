"""The general rules added after heldout-v17 for greeting, spelling and jargon, each tried
on wordings of its own (not the labelled replies'): thanks for contacting us that names the
topic is no canned opener; only "-gement" keeps a British "e", so "payement" is a slip; a
compound of two words is a slip only when it keeps the first letter of the word it misses;
the line closing the letter above the signed name is a sign-off in whatever language, a slip
only when the line corrected is a sign-off we know; an acronym whose words were written out
earlier in small letters is spelt out; a billing document and a rate named by its type
letter are internal jargon."""

import pytest

from tests.coach.helpers import RULES_ALONE, categories, rule_hits

# ---------------------------------------------------------------- greeting


@pytest.mark.parametrize(
    "opener",
    ["Thank you for contacting us about the refund for your March order.",
     "Thanks for reaching out to our billing team regarding invoice 7731.",
     "Thank you for contacting us about the two direct debits taken on 4 May."],
)  # fmt: skip
def test_thanks_for_contacting_us_about_a_named_topic_is_no_canned_opener(opener):
    body = f"{opener} The second debit was returned to your account today."
    assert not rule_hits(body, "Greeting.CannedOpener", rules=RULES_ALONE)


@pytest.mark.parametrize(
    "opener",
    ["Thank you for contacting us.",
     "Thank you for contacting us about this issue.",
     "Thanks for reaching out to the accounts team regarding your query.",
     "Thank you for contacting our company regarding your payment question."],
)  # fmt: skip
def test_thanks_for_contacting_us_alone_or_about_a_stock_topic_is_canned(opener):
    body = f"{opener} The second debit was returned to your account today."
    assert rule_hits(body, "Greeting.CannedOpener", rules=RULES_ALONE)


# ---------------------------------------------------------------- spelling


@pytest.mark.parametrize(
    ("body", "slip"),
    [("The payement left our bank this morning.", "payement"),
     ("I take your arguement about the delivery date.", "arguement"),
     # A compound slip that keeps the first letter is still reported.
     ("The goods are in our wherehouse in Leeds.", "wherehouse")],
)  # fmt: skip
def test_slips_that_look_like_british_forms_or_compounds_are_reported(body, slip):
    assert slip in rule_hits(body, "Spelling.Dictionary", rules=RULES_ALONE)


@pytest.mark.parametrize(
    "body",
    ["Our acknowledgement of the order went out today, with the judgement of the panel.",
     "The cashroom posted your refund today. Cashroom staff now check each card retry.",
     "Our stockroom counted the pallets again this morning."],
)  # fmt: skip
def test_british_gement_forms_and_compounds_changing_the_first_letter_are_no_slips(body):
    assert not rule_hits(body, "Spelling.Dictionary", rules=RULES_ALONE)


@pytest.mark.parametrize(
    "closing",
    ["Le gach dea-ghuí,\nSiobhán Nic Aodha\nRevenue Office",
     "Is mise le meas,\nPádraig Ó Sé\nRates Section\nGalway County Council",
     "Mise le meas,\nNiamh Walsh"],
)  # fmt: skip
def test_a_sign_off_in_another_language_above_the_name_is_no_slip(closing):
    body = "Thank you for your payment; invoice 5521 is now settled."
    assert not rule_hits(body, "Spelling.Dictionary", closing=closing, rules=RULES_ALONE)


@pytest.mark.parametrize(
    ("closing", "slip"),
    [("Kind reagrds,\nNiamh Walsh", "reagrds"),
     ("Warm regrds,\nNiamh Walsh\nRates Section", "regrds")],
)  # fmt: skip
def test_a_slip_in_a_known_sign_off_is_still_reported(closing, slip):
    body = "Thank you for your payment; invoice 5521 is now settled."
    assert slip in rule_hits(body, "Spelling.Dictionary", closing=closing, rules=RULES_ALONE)


# ---------------------------------------------------------------- jargon


@pytest.mark.parametrize(
    "body",
    ["The visit is covered by the annual maintenance contract you signed in March, so the "
     "AMC renewal is the only charge this year.",
     "Your delivery was held in the quality assurance hold report for a day. The QAHR now "
     "shows it released.",
     "We keep back a withholding tax on the royalty for the revenue office. The full "
     "amount withheld is on our quarterly revenue withholding statement, and the figure "
     "shows as RWS on page two.",
     "This was kept back as tax deducted at source at the statutory rate. You will find "
     "it in the certificate for our quarterly TDS filing, which we send by 15 August."],
)  # fmt: skip
def test_an_acronym_written_out_earlier_in_small_letters_is_spelt_out(body):
    assert not rule_hits(body, "Jargon.UndefinedAcronym", rules=RULES_ALONE)


@pytest.mark.parametrize(
    "body",
    ["The amount is on our quarterly TDS filing, which we send by 15 August.",
     # The words come after the acronym, not before it.
     "Our quarterly TDS filing covers it; that is tax deducted at source.",
     # ... or in another paragraph.
     "This was kept back as tax deducted at source.\n\nOur quarterly TDS filing covers it."],
)  # fmt: skip
def test_an_acronym_not_written_out_before_it_is_still_reported(body):
    assert rule_hits(body, "Jargon.UndefinedAcronym", rules=RULES_ALONE) == ["TDS"]


@pytest.mark.parametrize(
    ("body", "term"),
    [("The invoice was converted with the B-rate of the posting date.", "B-rate"),
     ("We used exchange rate type EURX for the conversion.", "exchange rate type EURX"),
     ("The discount was not copied to the billing document.", "billing document"),
     ("Your order number was missing from the billing docs for May.", "billing docs")],
)  # fmt: skip
def test_a_billing_document_and_a_rate_named_by_its_type_are_jargon(body, term):
    assert rule_hits(body, "Jargon.Glossary", rules=RULES_ALONE) == [term]


@pytest.mark.parametrize(
    "body",
    ["A rate of 2% applies to late payments from 1 July.",
     "The VAT rate on the service is 20%, as before.",
     "Our billing team has sent the corrected invoice today."],
)  # fmt: skip
def test_plain_rates_and_teams_are_no_jargon(body):
    assert "jargon" not in categories(body, rules=RULES_ALONE)
