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


@pytest.mark.parametrize(
    ("sentence", "term"),
    [
        # heldout-v7: SAP screens beyond the few listed, module documents, pricing
        # conditions, and shorthand for a credit memo.
        ("I reversed it in FB08 this morning.", "FB08"),
        ("The order was changed in VA02.", "VA02"),
        ("The vendor master was updated in XK02.", "XK02"),
        ("The SD document has been cancelled.", "SD"),
        ("The K007 discount was missing.", "K007"),
        ("The pricing condition record was out of date.", "pricing condition record"),
        ("A CM has been raised.", "CM"),
    ],
)
def test_it_flags_more_sap_codes_and_shorthand(sentence, term):
    assert term in jargon(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # A definition after the term (and its acronym) with a colon, a dash or an
        # apposition counts as the explanation.
        "It must pass our two-way match (2WM): a check that invoice and order agree.",
        "The GRN – our record that the goods arrived – is posted.",
        "We are waiting for the SES, a record confirming the work was done.",
        # Currencies, known or written beside an amount, are not acronyms.
        "The refund of KES 12,400.00 has been approved.",
        "We received 3,150.00 QAR and 820,50 XYZ yesterday.",
        # A four-digit number after letters is a document, not a transaction code.
        "Your credit note VF1234 is attached.",
    ],
)
def test_explained_terms_currencies_and_document_numbers_are_not_jargon(sentence):
    assert jargon(sentence) == set()


def test_a_list_after_a_term_is_not_its_explanation():
    # Tricky negatives: ", the invoice that ..." lists documents, and an acronym followed
    # by a bare number is still an acronym.
    assert "GRN" in jargon("We checked the GRN, the invoice that you sent and the order.")
    assert "MRN" in jargon("It is under MRN 55120.")


@pytest.mark.parametrize(
    ("sentence", "term"),
    [
        # General coverage: short codes and internal names a customer would not know.
        ("The GR is still missing.", "GR"),
        ("The PR needs a second approver.", "PR"),
        ("It went to our O2C team.", "O2C"),
        ("It was booked to company code 1000.", "company code 1000"),
        ("It was posted with posting key 31.", "posting key 31"),
        ("Please quote the WBS element.", "WBS element"),
        ("Your terms are stored as ZB30.", "ZB30"),
        ("I checked it with the T-code FBL1N.", "T-code"),
        ("It is held with reason code Q4 until the delivery is booked.", "reason code Q4"),
        ("Which Block Code is set?", "Block Code"),
    ],
)
def test_it_flags_general_internal_codes(sentence, term):
    assert term in jargon(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # Tricky negatives: the same letters in other roles.
        "Our GR/IR clearing account (goods receipt / invoice receipt) is balanced.",
        "Our PR team sent you the press release.",
        "The company registration code is on the invoice.",
        # The code explained on first use.
        "The goods receipt (GR) is still missing.",
    ],
)
def test_general_codes_are_not_flagged_in_other_roles_or_when_explained(sentence):
    assert jargon(sentence) == set()
