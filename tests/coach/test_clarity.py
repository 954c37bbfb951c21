"""Clarity: readability, long sentences, walls of text, capitals, exclamation marks."""

from ledgerdesk.coach import review
from ledgerdesk.coach.resources import syllables

HEAD = "Hi Anna,\n\nThank you for your e-mail. "
TAIL = "\n\nIt will be paid on 7 May.\n\nRegards,\nMarta"


def clarity(body, context=None):
    text = HEAD + body + TAIL
    result = review(text, context or {"contact_name": "Anna"})
    return {(f.rule, text[f.start : f.end]) for f in result.findings if f.category == "clarity"}


def rules(body, context=None):
    return {rule for rule, _ in clarity(body, context)}


def test_syllables_come_from_pyphen():
    assert syllables("remittance") == 3
    assert syllables("pay") == 1


def test_it_flags_a_sentence_over_the_limit():
    long = "We have checked " + "the invoice and the order and the receipt " * 5 + "today."
    found = clarity(long)
    assert ("Clarity.LongSentence", long) in found


def test_it_flags_a_wall_of_text():
    wall = " ".join(["The invoice is approved and the payment is scheduled."] * 16)
    assert "Clarity.WallOfText" in rules(wall)


def test_short_paragraphs_pass():
    paragraphs = "\n\n".join(["The invoice is approved and the payment is scheduled."] * 16)
    assert rules(paragraphs) == set()


def test_it_flags_hard_to_read_prose_at_the_hardest_sentence():
    hard = (
        "Notwithstanding organisational considerations, supplementary authorisation is "
        "indispensable. Consequently, reimbursement necessitates comprehensive verification "
        "documentation. Administrative representatives will subsequently communicate "
        "determinations regarding remuneration. Additional documentation requirements "
        "potentially necessitate considerable reorganisation. Authorisation materialises "
        "eventually, whereupon reimbursement is processed."
    ) * 2
    found = [(rule, span) for rule, span in clarity(hard) if rule == "Clarity.Readability"]
    assert found and found[0][1] in hard


def test_short_replies_get_no_grade():
    assert "Clarity.Readability" not in rules("Reimbursement necessitates authorisation.")


def test_plain_prose_reads_fine():
    plain = (
        "I checked your invoice today. It is approved. The money leaves our bank on Thursday. "
        "You should see it on Friday. I will send you the remittance when it goes. "
        "If it does not arrive, call me and I will ask the bank to trace it. "
        "Thanks again for your patience with this one."
    )
    assert rules(plain) == set()


def test_it_flags_shouting_but_not_acronyms_or_codes():
    assert ("Clarity.AllCaps", "PLEASE NOTE") in clarity("PLEASE NOTE the new address.")
    assert ("Clarity.AllCaps", "URGENT") in clarity("URGENT: the invoice needs a VAT number.")
    assert rules("Send it by SEPA to the IBAN with the BIC DEUTDEFF and VAT ID.") == set()


def test_capitals_the_customer_used_are_theirs():
    context = {"contact_name": "Anna", "customer_message": "We are TRANSLOGIC AB."}
    assert rules("TRANSLOGIC will be paid.", context) == set()


def test_it_flags_exclamation_runs_and_too_many_exclamations():
    assert ("Clarity.ExclamationRun", "!!") in clarity("Great news!! It is approved.")
    assert ("Clarity.ExclamationRun", "?!") in clarity("Did it arrive?! It is approved.")
    assert "Clarity.ExclamationCount" in rules("Great! Approved! Paid! Done.")
    assert rules("Great news! It is approved.") == set()


def test_plain_words_suggests_the_replacement():
    text = HEAD + "Kindly revert with the form." + TAIL
    finding = next(f for f in review(text, {}).findings if f.rule == "Clarity.PlainWords")
    assert finding.suggestion == "please reply"
    assert "please reply" in finding.message
