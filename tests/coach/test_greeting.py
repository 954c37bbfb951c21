"""Greeting: the contact's name, no canned openers."""

import pytest

from ledgerdesk.coach import review

BODY = "\n\nThank you. Invoice 4411 will be paid on 7 May.\n\nRegards,\nMarta"


def fired(text, context=None):
    return {f.rule for f in review(text, context or {}).findings if f.category == "greeting"}


NAMED = ["Hi Anna,", "Dear Ms Kowalska,", "Hello Anna Kowalska,", "Good morning Anna,", "Anna,"]


@pytest.mark.parametrize("opening", [*NAMED, "Dear Anna Kowalska"])
def test_it_accepts_a_greeting_by_name(opening):
    assert fired(opening + BODY, {"contact_name": "Anna Kowalska"}) == set()


def test_it_matches_names_without_accents():
    assert fired("Hola Tomas," + BODY, {"contact_name": "Tomás Herrera"}) == set()


@pytest.mark.parametrize(
    "opening",
    ["Dear customer,", "Dear Sir or Madam,", "To whom it may concern,", "Dear valued supplier,",
     "Greetings,", "Dear Sir/Madam,"],
)  # fmt: skip
def test_it_flags_canned_openers(opening):
    assert "Greeting.CannedOpener" in fired(opening + BODY)


def test_it_flags_thank_you_for_contacting_our_company():
    text = "Hi Anna,\n\nThank you for contacting our company about this issue." + BODY
    assert fired(text, {"contact_name": "Anna"}) == {"Greeting.CannedOpener"}


def test_it_flags_a_generic_greeting_when_the_name_is_known():
    result = review("Hello," + BODY, {"contact_name": "Anna Kowalska"})
    finding = next(f for f in result.findings if f.rule == "Greeting.ByName")
    assert finding.suggestion == "Hi Anna,"


def test_it_flags_the_wrong_name():
    result = review("Hi Thomas," + BODY, {"contact_name": "Tomás Herrera"})
    finding = next(f for f in result.findings if f.rule == "Greeting.ByName")
    assert "Thomas" in finding.message and "Tomás Herrera" in finding.message
    assert finding.severity == "warning"


def test_it_skips_the_name_check_when_the_name_is_unknown():
    assert fired("Hello," + BODY) == set()


def test_it_flags_a_reply_with_no_greeting():
    text = "Invoice 4411 will be paid on 7 May. Thank you.\n\nRegards,\nMarta"
    result = review(text, {"contact_name": "Anna Kowalska"})
    missing = next(f for f in result.findings if f.rule == "Greeting.Missing")
    assert missing.suggestion == "Hi Anna,"
    assert text[missing.start : missing.end].startswith("Invoice 4411")


def test_a_canned_phrase_late_in_the_reply_is_not_an_opener():
    text = "Hi Anna,\n\nThanks. It will be paid on 7 May.\n\nRegards,\nMarta\nDear customer service"
    assert fired(text, {"contact_name": "Anna"}) == set()
