"""The language rules added after the heldout-v15 freeze, each tried on wordings of its own
(not the labelled replies'): a bank's or group's initials in its name, a country's own
payment system or e-invoice format, an approval step given by its code, more SAP document
types, a comment clause with a subject of its own as a clause break, and thanks for the
reader's attention as genuine thanks."""

from functools import partial

import pytest

from tests.coach import helpers

VOICE = {"contact": "Mira Holm", "greeting": "Hi Mira,", "closing": "Best wishes,\nOskar"}
# Each finding in a category as (rule, the words it covers).
findings = partial(helpers.hits, **VOICE)
rule_hits = partial(helpers.rule_hits, **VOICE)


# ---------------------------------------------------------------- jargon


@pytest.mark.parametrize(
    "body",
    ["Please send the refund to our account at BPCE Bank, Lyon branch, by Friday 3 July.",
     "The payment came from HSBC Holdings on our behalf and will show as such."],
)  # fmt: skip
def test_initials_in_the_name_of_a_bank_or_group_are_a_name(body):
    assert rule_hits(body, "Jargon.UndefinedAcronym") == []


def test_initials_alone_are_still_spelt_out():
    body = "Your invoice is waiting for a BPCE sign-off, which I will chase by Friday 3 July."
    assert rule_hits(body, "Jargon.UndefinedAcronym") == ["BPCE"]


@pytest.mark.parametrize(
    "body",
    ["We paid invoice 73310 by FPS this morning, so it should be with you today.",
     "If you can receive EHF invoices, I will send the next one that way."],
)  # fmt: skip
def test_a_countrys_own_payment_system_or_invoice_format_is_plain(body):
    assert rule_hits(body, "Jargon.UndefinedAcronym") == []


@pytest.mark.parametrize(
    ("body", "said"),
    [("Invoice 73310 is stuck in WF3 until the budget owner signs it, by Friday 3 July.",
      "WF3"),
     ("It is at approval step AP1 now and will be paid on Friday 3 July.",
      "AP1"),
     ("Payment went out on 2 July under KA doc 5100023344.", "KA doc")],
)  # fmt: skip
def test_internal_step_codes_and_document_types_are_jargon(body, said):
    assert said in rule_hits(body, "Jargon.Glossary")


@pytest.mark.parametrize(
    "body",
    ["Invoice 73310 is waiting in the queue for approval and will be paid on Friday 3 July.",
     "The invoice is in FY26 budget and will be paid on Friday 3 July.",
     "Please keep the ID document for your records."],
)  # fmt: skip
def test_plain_steps_and_years_are_not_jargon(body):
    assert rule_hits(body, "Jargon.Glossary") == []


# ---------------------------------------------------------------- clarity


def test_a_comment_clause_with_its_own_subject_breaks_a_chain():
    body = (
        "About invoice 73310: the extra charge covers the second site visit and the new "
        "cabling in the east wing of the warehouse in June, which your facilities manager "
        "booked by phone on 9 June (note attached)."
    )
    assert findings(body, "clarity") == []


def test_one_long_clause_is_still_too_long():
    body = (
        "About invoice 73310: the extra charge covers the second site visit and the new "
        "cabling in the east wing of the warehouse in June that your facilities manager "
        "booked by phone on 9 June after the first visit showed damage to the old lines."
    )
    assert [rule for rule, _ in findings(body, "clarity")] == ["Clarity.LongSentence"]


# ---------------------------------------------------------------- closing


def test_thanks_for_the_readers_attention_counts():
    body = "Invoice 73310 is now 30 days overdue. Please pay it by Friday 3 July."
    closing = "Thank you for your prompt attention to this matter.\n\nOskar"
    assert findings(body, "closing", closing=closing) == []


def test_thanks_for_cooperation_alone_is_still_not_genuine():
    body = "Invoice 73310 is now 30 days overdue. Please pay it by Friday 3 July."
    closing = "Thank you for your cooperation.\n\nOskar"
    assert "Closing.Thanks" in [rule for rule, _ in findings(body, "closing", closing=closing)]
