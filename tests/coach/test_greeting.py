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


@pytest.mark.parametrize(
    "opening", ["Hello Lena Vogt GmbH,", "Dear Nordwind Logistics Ltd,", "Hi Vogt & Partner AG,"]
)
def test_a_greeting_to_the_company_is_not_a_greeting_by_name(opening):
    result = review(opening + BODY, {"contact_name": "Lena Vogt"})
    finding = next(f for f in result.findings if f.rule == "Greeting.ByName")
    assert "company" in finding.message and finding.suggestion == "Hi Lena,"


@pytest.mark.parametrize(
    ("opening", "contact"),
    [("Hello Nordwind Ltd,", "Nordwind Ltd"), ("Hi Agnes,", "Agnes Abbott"),
     ("Dear Sam Inchbald,", "Sam Inchbald")],
)  # fmt: skip
def test_a_company_contact_or_a_name_that_looks_like_a_legal_form_passes(opening, contact):
    assert fired(opening + BODY, {"contact_name": contact}) == set()


def test_it_flags_thanks_for_reaching_out_to_a_named_department():
    # The team or department may be named in any words ("our Credit Control team").
    text = (
        "Hi Anna,\n\nThank you for reaching out to our Credit Control team regarding your "
        "enquiry. Invoice 4411 will be paid on 7 May.\n\nRegards,\nMarta"
    )
    assert fired(text, {"contact_name": "Anna Kowalska"}) == {"Greeting.CannedOpener"}


def test_reaching_out_to_a_department_for_the_customer_is_not_an_opener():
    # A tricky negative: the agent contacted another team on the customer's behalf.
    text = (
        "Hi Anna,\n\nI reached out to our logistics department this morning. Invoice 4411 "
        "will be paid on 7 May.\n\nRegards,\nMarta"
    )
    assert fired(text, {"contact_name": "Anna Kowalska"}) == set()


@pytest.mark.parametrize("opening", ["Anna – ", "Anna - ", "Anna: "])
def test_the_contacts_name_set_off_at_the_start_greets(opening):
    # "Anna – 4411 paid today": a terse reply that still names the reader (heldout-v6).
    text = opening + "invoice 4411 will be paid on 7 May. Thanks, Marta"
    assert fired(text, {"contact_name": "Anna Kowalska"}) == set()


def test_another_word_set_off_at_the_start_is_not_a_greeting():
    # Tricky negative: "Update –" names nobody.
    text = "Update – invoice 4411 will be paid on 7 May. Thanks, Marta"
    assert fired(text, {"contact_name": "Anna Kowalska"}) == {"Greeting.Missing"}
