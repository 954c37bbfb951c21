"""The general rules added after heldout-v19 for jargon, clarity, spelling and closing, each
tried on wordings of its own (not the labelled replies'), by the rules alone.

Jargon: a hold or block named by a code rather than by what it waits for ("on a QA hold",
"a 1042 hold"), a code set on an account as a mark ("flagged RK3"), the bank's message types
("MT 202") and charge codes ("with SHA charges", "as BEN instead of OUR"), a tax notice by its
form letter ("a B-notice"). A team signed alone at the end, with no sign-off above it, is the
signature, not prose. Canada's sales taxes (QST, HST, PST) are as plain as GST.

Clarity: a short aside in brackets ("(12 days at 8% a year)") is read past when a sentence's
length is judged.

Spelling: a pronoun or a modal with a clipped verb ("that'd", "there'll", "could've"), a
clinic's clipped words ("ortho") and a title line under the signed name, in two languages
("Comptes fournisseurs / Accounts Payable"), are no typos.

Closing: the stock cooperation line with a word of praise ("We appreciate your prompt
cooperation.") is no genuine thanks.
"""

from functools import partial

import pytest

from tests.coach.helpers import RULES_ALONE, categories, rule_hits, rules_fired

OPEN = {"number": "QX-3310", "amount": "2480.00", "currency": "CAD", "due_date": "2026-08-14",
        "status": "open"}  # fmt: skip

seen = partial(categories, rules=RULES_ALONE, invoices=[OPEN])


def jargon(body, **kwargs):
    return "jargon" in seen(body, **kwargs)


# ---------------------------------------------------------------- jargon


@pytest.mark.parametrize(
    "sentence",
    ["The second delivery of QX-3310 is on a QA hold until our lab signs it off.",
     "QX-3310 is sitting on a 1042 hold until the treaty form reaches us.",
     "The pallets are on an RTV hold in the warehouse.",
     "The customer account has been flagged RK3 in our risk review.",
     "Your account is marked as DL2 in the collections system.",
     "Please ask your bank for the MT 202 so we can trace the funds.",
     "The transfer should be sent with SHA charges so nothing is deducted on our side.",
     "Your bank sent it as BEN instead of OUR, so a fee was taken.",
     "If the records still disagree, the tax office may issue a B-notice."],
)  # fmt: skip
def test_codes_and_bank_shorthand_are_jargon(sentence):
    assert jargon(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["QX-3310 is on hold until the order arrives, and I will release it on Friday 7 August.",
     "The account was flagged for review, and I have cleared it today.",
     "I flagged your question as urgent with our buyer this morning.",
     "Please send us the SWIFT confirmation (MT103) from your bank once the transfer leaves.",
     "Your 2026 block booking for the conference rooms is confirmed.",
     "Invoice MT-4410 was paid on Monday.",
     "We charge GST and HST on the fee, and PST does not apply in your province.",
     "I have attached the remittance, so the account is clear."],
)  # fmt: skip
def test_plain_holds_explained_codes_and_known_taxes_are_not_jargon(sentence):
    assert not jargon(sentence)


def test_a_team_signed_alone_at_the_end_is_the_signature_not_jargon():
    body = "The new bank details are confirmed, and QX-3310 will be paid to them on 14 August."
    closing = "Thank you for sending the letter.\n\nSupplier Master Data Team"
    assert not jargon(body, closing=closing)
    # ... but the same words in the prose are jargon.
    assert jargon("Your supplier master data now shows the new account.", closing=closing)


# ---------------------------------------------------------------- clarity


LONG_WITH_ASIDE = (
    "We will pay the late-payment interest of CAD 61.20 (12 days at 8% a year) together with "
    "the fixed recovery charge, CAD 101.20 in all, on Friday 14 August, and send you the "
    "workings the same day."
)
LONG_WITHOUT_ASIDE = (
    "We will pay the late-payment interest of CAD 61.20 for twelve days at eight per cent a "
    "year together with the fixed recovery charge, which comes to CAD 101.20 in all, on Friday "
    "14 August and send the workings then."
)
LONG_ASIDE = (
    "We will pay the interest of CAD 61.20 (worked out on twelve days at the statutory rate "
    "that applies to business debts this half-year) together with the recovery charge on "
    "Friday 14 August and send you the workings."
)


def test_a_short_aside_in_brackets_does_not_make_a_sentence_long():
    assert "clarity" not in seen(LONG_WITH_ASIDE)


@pytest.mark.parametrize("sentence", [LONG_WITHOUT_ASIDE, LONG_ASIDE])
def test_long_sentences_without_or_with_a_long_aside_are_still_long(sentence):
    assert "Clarity.LongSentence" in rules_fired(sentence, rules=RULES_ALONE, invoices=[OPEN])


# ---------------------------------------------------------------- spelling


@pytest.mark.parametrize(
    "sentence",
    ["If you can settle it by Friday 14 August, that'd help us a lot.",
     "There'll be a receipt in your inbox once it lands.",
     "You could've sent it to either address; both reach me.",
     "Your plan's ortho benefit covers the first visit."],
)  # fmt: skip
def test_clipped_verbs_and_trade_words_are_not_typos(sentence):
    assert "spelling" not in seen(sentence)


def test_a_typo_beside_a_clipped_verb_is_still_found():
    assert rule_hits(
        "That'd be great, and I have recieved the form.", "Spelling.Dictionary",
        rules=RULES_ALONE, invoices=[OPEN],
    ) == ["recieved"]  # fmt: skip


def test_a_title_line_in_two_languages_under_the_name_is_no_typo():
    body = "QX-3310 is paid in full, and the receipt is attached."
    closing = "Merci et bonne journée,\nMarie-Ève Gagnon\nComptes fournisseurs / Accounts Payable"
    assert "spelling" not in seen(body, closing=closing)
    # A slip in the prose above it is still reported.
    assert "spelling" in seen("QX-3310 is paid in full; the reciept is attached.", closing=closing)


# ---------------------------------------------------------------- closing


@pytest.mark.parametrize(
    "line",
    ["We appreciate your prompt cooperation.",
     "Thank you for your kind cooperation.",
     "Your swift cooperation is appreciated."],
)  # fmt: skip
def test_the_stock_cooperation_line_with_praise_is_no_genuine_thanks(line):
    body = "QX-3310 for CAD 2,480.00 falls due on 14 August; please pay it by then."
    assert "closing" in seen(body, closing=f"{line}\n\nTomas")


def test_the_stock_line_beside_real_thanks_is_a_courtesy():
    body = (
        "Thank you for sending the signed order so quickly. QX-3310 for CAD 2,480.00 falls "
        "due on 14 August; please pay it by then."
    )
    assert "closing" not in seen(body, closing="We appreciate your prompt cooperation.\n\nTomas")
