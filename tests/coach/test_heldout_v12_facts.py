"""The general rules added for accuracy, follow-up and incident replies after the
heldout-v12 freeze, each tried on wordings of their own (not the labelled replies'):
a "$" read as any dollar, customers' figures written with the currency in words,
totals and balances with their digits swapped, amounts in lakh grouping, courtesies
and "I can confirm that" not taken as steps, matters left "being looked at" without
a date, dates that name a thing rather than a step, statements the customer asked
for, standing schedules as time frames, and more wordings of the three incident
answers."""

from functools import partial

import pytest

from ledgerdesk.coach.extract import find_money, find_money_in_words, has_timeframe
from tests.coach.helpers import RULES_ALONE, rules_fired

VOICE = {"contact": "Mira Holm", "greeting": "Hi Mira,", "closing": "Best wishes,\nOskar"}
# The rules that fire, the rules alone (the learned layer is retrained apart).
rules_found = partial(rules_fired, **VOICE, rules=RULES_ALONE)


def invoice(number, amount, currency="EUR", due="2026-07-20", status="open"):
    return {"number": number, "amount": amount, "currency": currency, "due_date": due,
            "status": status}  # fmt: skip


# ---------------------------------------------------------------- accuracy


def test_a_dollar_sign_is_any_dollar():
    nzd = [invoice("KW-4410", "980.00", "NZD")]
    assert "Accuracy.Amount" not in rules_found(
        "The $25 admin fee on KW-4410 has been removed today.", invoices=nzd
    )
    # An ISO code still pins the currency down.
    assert "Accuracy.Amount" in rules_found("Invoice KW-4410 is for USD 980.00.", invoices=nzd)


def test_figures_the_customer_wrote_in_words_are_not_slips():
    assert [m.amount for m in find_money_in_words("you kept back 410 euros and 12 dollars")] == [
        410,
        12,
    ]
    ledger = [invoice("TR-5120", "4100.00")]
    message = "You paid TR-5120 short by 410 euros. Why?"
    body = "The missing EUR 410.00 will reach your account by Friday 24 July."
    assert "Accuracy.Amount" not in rules_found(body, invoices=ledger, customer_message=message)
    # Without the customer's figure the same sum is still a likely slip of 4,100.00.
    assert "Accuracy.Amount" in rules_found(
        "We will pay EUR 410.00 for TR-5120 on Friday 24 July.", invoices=ledger
    )


@pytest.mark.parametrize(
    "body",
    ["Your open invoices come to EUR 7,350.00 in total.",
     "Total due: EUR 7,350.00.",
     "Both invoices, totalling EUR 7,350.00, are due this month."],
)  # fmt: skip
def test_a_total_with_swapped_digits_is_flagged(body):
    ledger = [invoice("PL-101", "2200.00"), invoice("PL-102", "5330.00")]  # total 7,530.00
    assert "Accuracy.Amount" in rules_found(body, invoices=ledger)


def test_a_right_total_or_one_of_some_invoices_is_not_flagged():
    ledger = [invoice("PL-101", "2200.00"), invoice("PL-102", "5330.00"), invoice("PL-103", "70")]
    assert "Accuracy.Amount" not in rules_found(
        "Your open invoices come to EUR 7,600.00 in total.", invoices=ledger
    )
    assert "Accuracy.Amount" not in rules_found(
        "PL-101 and PL-102 total EUR 7,530.00.", invoices=ledger
    )


def test_a_balance_with_swapped_digits_is_flagged():
    ledger = [invoice("BR-77", "9600.00", status="part_paid")]
    message = "We received EUR 7,200.00 from you. When will the rest follow?"
    wrong = "The balance of EUR 4,200.00 on BR-77 goes out on Friday 24 July."
    right = "The balance of EUR 2,400.00 on BR-77 goes out on Friday 24 July."
    assert "Accuracy.Amount" in rules_found(wrong, invoices=ledger, customer_message=message)
    assert "Accuracy.Amount" not in rules_found(right, invoices=ledger, customer_message=message)


def test_lakh_grouping_is_read_as_money():
    assert [m.amount for m in find_money("INR 12,40,000.00 and INR 3,05,500.00")] == [
        1240000,
        305500,
    ]
    ledger = [invoice("MB-88", "340000.00", "INR")]
    assert "Accuracy.Amount" in rules_found("MB-88 (INR 4,30,000.00) is due soon.", invoices=ledger)


# ---------------------------------------------------------------- follow-up


def test_courtesies_and_confirmations_are_not_steps():
    body = ("Your copy of invoice 5521 is attached. Please give my regards to your finance team, "
            "and please bear in mind our office is closed on Monday.")  # fmt: skip
    assert "FollowUp.Timeframe" not in rules_found(body, customer_message="Can I get a copy?")


def test_i_can_confirm_that_is_a_statement_not_a_step():
    body = ("I can confirm that the pallets came back to us on 3 July. We'll look into "
            "cancelling the charge for them.")  # fmt: skip
    assert "FollowUp.Timeframe" in rules_found(body, customer_message="Did you get the pallets?")


@pytest.mark.parametrize(
    "body",
    ["Invoice 311 will be paid on Friday 24 July. Invoice 312 is under review.",
     "The refund went out today. We're still looking into the missing delivery note."],
)  # fmt: skip
def test_a_matter_left_open_needs_its_own_date(body):
    assert "FollowUp.Timeframe" in rules_found(body)


def test_a_matter_left_open_with_a_date_is_fine():
    body = "Invoice 312 is under review, and I will tell you the outcome by Thursday 23 July."
    assert not {"FollowUp.Timeframe", "FollowUp.Missing"} & rules_found(body)


@pytest.mark.parametrize(
    "body",
    ["We'll check the transfer from 6 July and send you the remittance.",
     "Our billing team will reissue the invoice. The due date stays 30 July.",
     "I'll send the corrected copy (still due 30 July) with a new PO reference."],
)  # fmt: skip
def test_dates_that_name_a_thing_do_not_date_the_step(body):
    assert "FollowUp.Timeframe" in rules_found(body)


def test_a_step_on_the_due_date_is_still_dated():
    assert "FollowUp.Timeframe" not in rules_found("It will be paid on its due date of 30 July.")


def test_a_past_receipt_is_a_fact_not_a_step():
    body = "Yes, we received the invoice on 2 July. It will be paid under our normal terms."
    assert "FollowUp.Timeframe" in rules_found(
        body, customer_message="Did you get our invoice, and when will you pay?"
    )


def test_a_statement_asked_for_and_sent_with_its_figures_closes_the_matter():
    message = "Could you send us a statement, please?"
    body = "Your statement is attached: one open invoice, 4410 for EUR 860.00, due 31 July."
    assert not {"FollowUp.Missing", "FollowUp.Timeframe"} & rules_found(
        body, customer_message=message
    )
    # A form sent for the reader to fill in still leaves a step.
    assert "FollowUp.Missing" in rules_found(
        "The supplier form is attached.", customer_message="Can we be set up as a supplier?"
    )


def test_a_condition_is_not_a_closed_matter():
    body = (
        "I've sent your request to my manager. We may hold new orders until the account is clear."
    )
    assert "FollowUp.Missing" in rules_found(body)


@pytest.mark.parametrize(
    "text",
    ["We run payments on Wednesdays.", "The file goes to the bank each working day.",
     "Money usually lands the next business day.",
     "I'll confirm receipt as soon as your payment reaches us."],
)  # fmt: skip
def test_standing_schedules_and_the_readers_payment_are_time_frames(text):
    assert has_timeframe(text)


def test_a_weekly_schedule_answers_when():
    body = "Our payment file goes to the bank every Wednesday, with all invoices due by then."
    assert not {"FollowUp.Missing", "FollowUp.Timeframe"} & rules_found(
        body, customer_message="When do you pay suppliers?"
    )


@pytest.mark.parametrize(
    "body",
    ["I've changed your contact details and e-mailed the reminder to the new address this "
     "morning, as a separate message.",
     "The amended credit note for EUR 120.00 (issued 3 July) is attached. Nothing else changes."],
)  # fmt: skip
def test_done_today_in_more_words_closes_the_matter(body):
    assert "FollowUp.Missing" not in rules_found(body)


# ---------------------------------------------------------------- critical needs


INCIDENT = {"incident": True, "invoices": [invoice("73310", "2640.00")]}


@pytest.mark.parametrize(
    "body",
    ["Our clerk picked the wrong customer on the order.",
     "We didn't allocate your transfer until 9 July.",
     "Your account still showed the old VAT number."],
)  # fmt: skip
def test_more_wordings_of_what_happened(body):
    assert "CriticalNeeds.WhatHappened" not in rules_found(body, **INCIDENT)


def test_the_fault_named_in_an_apology_is_not_an_explanation():
    body = "I'm sorry for the duplicate payment. The extra EUR 2,640.00 will be back by 24 July."
    assert "CriticalNeeds.WhatHappened" in rules_found(body, **INCIDENT)


@pytest.mark.parametrize(
    "body",
    ["Every other customer account will be checked by Friday 24 July.",
     "The price list is now in the billing system, so new orders will carry the right rate.",
     "Reminders will now only be sent after a colleague has checked for open credits.",
     "We are reviewing the set-up so that no other customers are affected."],
)  # fmt: skip
def test_more_wordings_of_prevention(body):
    assert "CriticalNeeds.Prevention" not in rules_found(body, **INCIDENT)


def test_a_corrected_document_attached_with_its_details_is_the_fix():
    body = "The corrected invoice for EUR 2,640.00 (due 20 July) is attached."
    assert "CriticalNeeds.Fix" not in rules_found(body, **INCIDENT)
    assert "CriticalNeeds.Fix" in rules_found("We are sorry about the invoice.", **INCIDENT)
