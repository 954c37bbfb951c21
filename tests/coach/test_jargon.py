"""Jargon: glossary terms explained on first use, or flagged with their meaning."""

import pytest

from ledgerdesk.coach import review

FRAME = "Hi Anna,\n\nThank you. {} It will be paid on 7 May.\n\nRegards,\nMarta"


def jargon(sentence, context=None):
    text = FRAME.format(sentence)
    result = review(text, context or {"contact_name": "Anna"})
    return {text[f.start : f.end] for f in result.findings if f.category == "jargon"}


@pytest.mark.parametrize(
    ("sentence", "term"),
    [
        ("The GRN is missing.", "GRN"),
        ("It failed the 3WM.", "3WM"),
        ("It failed the three-way match.", "three-way match"),
        ("It is on PO hold.", "PO hold"),
        ("I passed it to AP.", "AP"),
        ("Our DPO target is 45 days.", "DPO"),
        ("Please add the GL code.", "GL code"),
        ("It was posted in MIRO.", "MIRO"),
        ("The SES is not approved.", "SES"),
        ("It is in status BLKD.", "status BLKD"),
        ("It is parked.", "parked"),
        ("It is a KR document in our ERP.", "KR document"),
    ],
)
def test_it_flags_unexplained_terms(sentence, term):
    assert term in jargon(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The goods receipt note (GRN) is missing. The GRN is posted today.",
        "The GRN (goods receipt note) is missing.",
        "The GRN, which is our record that goods arrived, is missing.",
        "Our accounts payable (AP) team has it.",
        "It failed the 3WM (three-way match: our check that invoice and order agree).",
        "Write to ap@example.com about AP-2026-000123.",
    ],
)
def test_it_accepts_terms_explained_on_first_use(sentence):
    assert jargon(sentence) == set()


def test_a_term_the_customer_used_first_is_theirs():
    context = {"contact_name": "Anna", "customer_message": "Has the GRN been posted?"}
    assert jargon("The GRN is posted.", context) == set()


def test_the_finding_suggests_the_explanation():
    text = FRAME.format("The GRN is missing.")
    finding = next(f for f in review(text, {}).findings if f.rule == "Jargon.Glossary")
    assert finding.suggestion.startswith("goods receipt note")
    assert finding.suggestion.endswith("(GRN)")


def test_only_the_first_use_is_flagged():
    text = FRAME.format("The GRN is missing. Once the GRN is in, and the GRN matches, we pay.")
    findings = [f for f in review(text, {}).findings if f.rule == "Jargon.Glossary"]
    assert len(findings) == 1


def test_an_unknown_acronym_must_be_spelled_out():
    assert "PRQ" in jargon("The PRQ is pending.")
    assert jargon("The purchase requisition (PRQ) is pending.") == set()


def test_capitalised_words_and_known_acronyms_are_not_acronyms():
    assert jargon("Send the PDF to your bank with the IBAN.") == set()


@pytest.mark.parametrize(
    ("sentence", "term"),
    [
        # An SAP tool whose name is also an English word ("vim").
        ("It is waiting for approval in VIM.", "VIM"),
        ("I have raised a CN for the damaged pallet.", "CN"),
        ("Your account shows on our aged debtors report.", "aged debtors report"),
        ("It sits in the 31-60 days bucket.", "31-60 days bucket"),
        # A letter-and-digit code for a kind of booking.
        ("We posted a Z4 block on the payment.", "Z4 block"),
    ],
)
def test_it_flags_more_finance_terms(sentence, term):
    assert term in jargon(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # Tricky negatives: a credit note number, a quarter, a plain bucket, an old debt.
        "Credit note CN-2291 is attached.",
        "The Q2 statement is attached.",
        "The rain filled a bucket in the warehouse.",
        "The debt from last year was settled in full.",
    ],
)
def test_the_new_terms_leave_look_alikes_alone(sentence):
    assert jargon(sentence) == set()


@pytest.mark.parametrize(
    ("sentence", "term"),
    [
        # heldout-v6: purchasing shorthand and SAP codes.
        ("Our P2P workflow stopped it.", "P2P"),
        ("The UoM on the invoice is boxes.", "UoM"),
        ("I posted a KG memo for it.", "KG memo"),
        ("It was cleared with F-32.", "F-32"),
        ("You can see it in FBL1N.", "FBL1N"),
    ],
)
def test_it_flags_purchasing_shorthand_and_sap_codes(sentence, term):
    assert term in jargon(sentence)


def test_codes_that_only_look_like_sap_are_left_alone():
    # Tricky negatives: an invoice number, a form name and the explained unit.
    assert jargon("Invoice F-3290 is approved.") == set()
    assert jargon("The unit of measure (UoM) on the invoice is boxes.") == set()
