import pytest

from ledgerdesk.desk.categorize import guess_category


@pytest.mark.parametrize(
    ("subject", "text", "category"),
    [
        ("Where is my payment?", "Invoice 4411 was due last week.", "payment_status"),
        ("Invoice 4411", "You short-paid invoice 4411 by 120 EUR.", "short_payment"),
        ("Bank details", "Our bank account has changed, new IBAN below.", "bank_details"),
        ("Copy please", "Could you send me a copy of invoice 88?", "missing_invoice"),
        ("Statement", "Please send our statement of account for Q3.", "statement"),
        ("W-9", "Attached is our W-9 form.", "tax_form"),
        ("Paid twice", "It looks like you paid invoice 12 twice.", "duplicate_payment"),
        ("Wrong price", "We dispute the price on invoice 77.", "dispute"),
        ("Hello", "Just saying thank you for the lunch.", "other"),
    ],
)
def test_it_guesses_the_category(subject, text, category):
    assert guess_category(subject, text) == category
