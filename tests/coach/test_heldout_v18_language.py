"""The general rules added after heldout-v18 for greeting, spelling, jargon and clarity, each
tried on wordings of its own (not the labelled replies'): "Greetings from ..." under a greeting
by name is a warm line, not a canned opener; "actioned" is office English; an acronym before a
hyphenated word ("XYZ-level") is still an acronym, and one in quotes with its meaning in
brackets is spelt out; goods receipts, a hold "with code ...", a national e-invoice exchange
and a hospital's system by their initials are internal jargon; capitals inside a reference
code are no shouting; a long sentence is read clause by clause across a number with a comma
and a point, an aside after ", or,", a clause opening ", and as ...", a bare noun and its verb
", and payroll sends ..." and a comment ", which really should ..."."""

import pytest

from tests.coach.helpers import RULES_ALONE, rule_hits

# ---------------------------------------------------------------- greeting


def test_greetings_from_the_sender_under_a_greeting_by_name_is_no_canned_opener():
    body = "Greetings from all of us at the Lakeside Institute. Your receipt is attached."
    assert not rule_hits(body, "Greeting.CannedOpener", rules=RULES_ALONE)


@pytest.mark.parametrize(
    "greeting", ["Greetings,", "Greetings of the day,"]
)  # fmt: skip
def test_greetings_in_place_of_a_name_is_still_canned(greeting):
    body = "Your receipt is attached and the balance is now zero."
    assert rule_hits(body, "Greeting.CannedOpener", greeting=greeting, rules=RULES_ALONE)


# ---------------------------------------------------------------- spelling


def test_actioned_is_office_english_not_a_slip():
    body = "Our team actioned your address change on Monday and is actioning the refund now."
    assert not rule_hits(body, "Spelling.Dictionary", rules=RULES_ALONE)


# ---------------------------------------------------------------- jargon


@pytest.mark.parametrize(
    ("body", "term"),
    [("The batch was rejected at the QMX-stage check, so it went back to the queue.", "QMX"),
     ("We ran a KLT-level review of the account yesterday.", "KLT")],
)  # fmt: skip
def test_an_acronym_before_a_hyphenated_word_is_still_an_acronym(body, term):
    assert term in rule_hits(body, "Jargon.UndefinedAcronym", rules=RULES_ALONE)


def test_an_acronym_in_quotes_with_its_meaning_in_brackets_is_spelt_out():
    body = 'Your transfer was sent with "BEN" (the payee pays all fees), which cost you USD 20.00.'
    assert "BEN" not in rule_hits(body, "Jargon.UndefinedAcronym", rules=RULES_ALONE)


@pytest.mark.parametrize(
    ("body", "term"),
    [("The order has three GRs posted against it, so only part was paid.", "GRs"),
     ("The claim sits on hold with code QX-12 until the form arrives.", "hold with code"),
     ("It went through the SdI on Tuesday without an error.", "SdI"),
     ("The statement was printed from our HIS this morning.", "HIS")],
)  # fmt: skip
def test_goods_receipts_hold_codes_exchanges_and_hospital_systems_are_jargon(body, term):
    assert any(term in hit for hit in rule_hits(body, "Jargon.Glossary", rules=RULES_ALONE))


def test_his_as_a_word_in_capitals_without_a_determiner_is_no_glossary_term():
    body = "Mr Okafor confirmed HIS payment went out on Monday."
    assert not rule_hits(body, "Jargon.Glossary", rules=RULES_ALONE)


# ---------------------------------------------------------------- clarity


@pytest.mark.parametrize(
    "body",
    ["Please quote reference FIN/OPS/2026/0311 when you pay.",
     "The refund is booked as ACC-REFUND-2026-07 in our records."],
)  # fmt: skip
def test_capitals_inside_a_reference_code_are_no_shouting(body):
    assert not rule_hits(body, "Clarity.AllCaps", rules=RULES_ALONE)


def test_shouting_beside_a_code_is_still_shouting():
    body = "Reference FIN/OPS/2026/0311 is OVERDUE and PAYMENT is REQUIRED today."
    assert rule_hits(body, "Clarity.AllCaps", rules=RULES_ALONE)


@pytest.mark.parametrize(
    "body",
    # An opening clause with an amount in it: "GBP 12,480.50" ends no clause.
    ["Still, if neither the balance of GBP 12,480.50 nor a signed payment plan has reached us by "
     "Thursday 5 March, we will need to pause new orders for your Leeds depot until it is paid.",
     # ", or," sets off a new alternative with its own opening clause.
     "You can settle it in one of two ways: pay the remaining balance by bank transfer this "
     "month, or, if the figures do not match your records, ask your finance lead to send "
     "the statement to our controller.",
     # ", and as ..." opens a clause of its own.
     "The refund is waiting in the approval queue because the signed return form has not been "
     "scanned in yet, and as it is over the limit it also needs a second approver this week.",
     # ", and payroll sends ...": a bare noun as subject, its verb and object.
     "Refunds are approved automatically once a return has been scanned at the depot, and "
     "payroll sends the money to whatever account the branch has on file, so it usually "
     "arrives within the week.",
     # ", which really should ..." is a comment of its own.
     "The carrier's claims office decides on every damaged pallet over the agreed value, and "
     "they only asked us on 3 May for the photographs, which really should have been "
     "requested at the time of delivery."],
)  # fmt: skip
def test_long_sentences_that_read_clause_by_clause_pass(body):
    assert not rule_hits(body, "Clarity.LongSentence", rules=RULES_ALONE)


def test_a_long_sentence_with_one_long_clause_is_still_reported():
    body = (
        "However the balance of GBP 12,480.50 that was due on the last day of February for the "
        "deliveries made to your Leeds depot in the first two weeks of the month has still not "
        "reached our account at the bank this week."
    )
    assert rule_hits(body, "Clarity.LongSentence", rules=RULES_ALONE)


def test_a_list_ending_in_and_is_no_new_clause():
    body = (
        "Attached are the invoice, the signed delivery note, the packing list for the second "
        "shipment, the certificate of origin, and bank statements for the three months from "
        "January to March that your auditors asked for last week."
    )
    assert rule_hits(body, "Clarity.LongSentence", rules=RULES_ALONE)
