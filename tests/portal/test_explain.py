"""`portal.explain`: every status in plain words, with no internal codes or jargon.

The function is pure, so these tests pass plain objects, no database.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace as NS

import pytest

from ledgerdesk.portal.explain import explain, explain_case, short_status, status_label
from ledgerdesk.portal.plainwords import Reader, babel_locale, plain_reason, scrub

READER = Reader(locale="en_GB", time_zone="Europe/Amsterdam", today=dt.date(2026, 11, 20))
UTC = dt.UTC
# Words a vendor or customer must never see: status codes, our abbreviations.
JARGON = re.compile(
    r"\b(AP|AR|PO|GRN|3WM|ERP|in_approval|on_hold|issued|credit_note|vendor master|"
    r"three-way match|cost cent(er|re))\b|_",
    re.IGNORECASE,
)


def invoice(status, direction="ap", **kw):
    values = {
        "number": "4411",
        "kind": "invoice",
        "direction": direction,
        "status": status,
        "issue_date": dt.date(2026, 10, 1),
        "due_date": dt.date(2026, 11, 30),
        "currency": "EUR",
        "amount_payable": Decimal("1520.00"),
        "amount_open": Decimal("1520.00"),
        "hold_reason": "",
        "scheduled_payment_date": None,
        "payment_reference": "",
        "status_changed_at": dt.datetime(2026, 11, 3, 9, tzinfo=UTC),
    }
    values.update(kw)
    return NS(**values)


def row(status, day, by="", note=""):
    return NS(status=status, at=dt.datetime(2026, *day, 9, 30, tzinfo=UTC), by_label=by, note=note)


def paid(amount, day, reference="PAY-20931", deduction="0", reason="", account=None):
    payment = NS(
        date=dt.date(2026, *day), reference=reference, method="bank_transfer", bank_account=account
    )
    return NS(
        payment=payment,
        amount=Decimal(amount),
        deduction_amount=Decimal(deduction),
        deduction_reason=reason,
    )


RECEIVED = row("received", (10, 2), "Peppol network")
ROUTED = row("in_approval", (10, 3), "Approval workflow", "Routed to Maria Jansen (CC-4100)")
APPROVED = row("approved", (11, 3), "Maria Jansen")


def words(explanation) -> str:
    return " ".join(s for s in explanation.sentences if s)


def assert_plain(explanation):
    text = " ".join([words(explanation), explanation.label, *(s.text for s in explanation.story)])
    assert not JARGON.search(text), text


def test_received():
    result = explain(invoice("received"), [RECEIVED], reader=READER)
    assert result.headline == "We received your invoice on 2 October 2026."
    assert "nothing you need to do" in result.next_step
    assert not result.action_needed
    assert_plain(result)


def test_waiting_for_approval_names_the_approver_from_the_routing_note():
    result = explain(invoice("in_approval"), [RECEIVED, ROUTED], reader=READER)
    assert result.headline == (
        "It has been waiting for approval by Maria Jansen since 3 October 2026."
    )
    assert [s.text for s in result.story] == ["Received", "Sent for approval to Maria Jansen"]
    assert_plain(result)


def test_waiting_for_approval_names_a_person_who_wrote_the_row_themselves():
    history = [RECEIVED, row("in_approval", (10, 5), "Piet de Boer")]
    result = explain(invoice("in_approval"), history, reader=READER)
    assert "waiting for approval by Piet de Boer since 5 October 2026" in result.headline


def test_waiting_for_approval_past_the_due_date_says_sorry():
    late = invoice("in_approval", due_date=dt.date(2026, 11, 1))
    result = explain(late, [RECEIVED, ROUTED], reader=READER)
    assert "Its due date, 1 November 2026, has passed" in words(result)


def test_approved():
    result = explain(invoice("approved"), [RECEIVED, ROUTED, APPROVED], reader=READER)
    assert result.headline == "It was approved on 3 November 2026."
    assert "in time for its due date, 30 November 2026" in result.next_step
    assert_plain(result)


def test_scheduled_names_the_day_and_the_account():
    scheduled = invoice("scheduled", scheduled_payment_date=dt.date(2026, 11, 15))
    history = [RECEIVED, ROUTED, APPROVED, row("scheduled", (11, 4), "Payment proposal")]
    result = explain(scheduled, history, bank_last4="0231", reader=READER)
    assert result.headline == (
        "Approved on 3 November 2026, and scheduled for payment on 15 November 2026 "
        "by bank transfer to the account ending 0231."
    )
    assert result.label == "Payment scheduled"
    assert_plain(result)


def test_scheduled_without_a_known_account():
    scheduled = invoice("scheduled", scheduled_payment_date=dt.date(2026, 11, 15))
    result = explain(scheduled, [], reader=READER)
    assert result.headline == (
        "It is scheduled for payment on 15 November 2026 by bank transfer to the bank "
        "account we have for you."
    )


def test_paid_names_the_day_and_the_payment_reference():
    account = NS(last4="0231")
    result = explain(
        invoice("paid", amount_open=Decimal("0")),
        [RECEIVED, APPROVED, row("paid", (11, 14), "Bank statement")],
        [paid("1520.00", (11, 14), account=account)],
        reader=READER,
    )
    assert result.headline == "Paid on 14 November 2026 with payment reference PAY-20931."
    assert result.details == ["We paid €1,520.00 by bank transfer to the account ending 0231."]
    assert_plain(result)


def test_paid_with_a_deduction_says_why():
    result = explain(
        invoice("paid", amount_open=Decimal("0")),
        [],
        [paid("1500.00", (11, 14), deduction="20.00", reason="freight charge disputed")],
        reader=READER,
    )
    assert "€20.00 was deducted: freight charge disputed." in result.details


def test_paid_in_two_payments_lists_both():
    result = explain(
        invoice("paid", amount_open=Decimal("0")),
        [],
        [paid("1000.00", (11, 1), "PAY-1"), paid("520.00", (11, 14), "PAY-2")],
        reader=READER,
    )
    assert result.headline == "Paid in full by 14 November 2026."
    assert result.details == [
        "€1,000.00 was paid on 1 November 2026 with payment reference PAY-1.",
        "€520.00 was paid on 14 November 2026 with payment reference PAY-2.",
    ]


HOLDS = [
    (
        "PO number missing on the invoice",
        "the invoice does not show our purchase order number",
        "Send us a corrected invoice that shows our purchase order number",
    ),
    (
        "Bank details on the invoice differ from the vendor master; verifying with the vendor",
        "the bank details on the invoice are not the ones we have for you",
        "We will call you on the phone number we have on file",
    ),
    (
        "Vendor's VAT id missing on the invoice",
        "the invoice does not show your VAT number",
        "shows your VAT number",
    ),
    (
        "Awaiting goods receipt from the warehouse",
        "waiting for our warehouse to confirm that the delivery arrived",
        "delivery note",
    ),
    (
        "Invoice addressed to the wrong legal entity",
        "addressed to a different company of our group",
        "a new invoice addressed to the company named on the order",
    ),
    (
        "Quantity mismatch on line 1: billed 12.0000, received 8.0000 (PO 4500012345)",
        "line 1 charges for 12, but so far we have received 8",
        "credit note for the difference",
    ),
    (
        "Price mismatch on line 2: invoiced 115.00 EUR, PO 4500012345 says 100.00",
        "the price on line 2 (€115.00) is not the price on our order (€100.00)",
        "credit note for the difference",
    ),
    (
        "Suspected duplicate of invoice 4411 received 02 Oct 2026: same vendor and number",
        "a second copy of invoice 4411",
        "we pay the invoice once",
    ),
    (
        "GRN pending, 3WM failed against PO 45001",
        "delivery confirmation pending, the check against order and delivery failed against "
        "purchase order 45001",
        "contact you if we need anything",
    ),
]


@pytest.mark.parametrize(("note", "why", "what"), HOLDS)
def test_on_hold_says_why_and_what_to_do(note, why, what):
    held = invoice("on_hold", hold_reason=note)
    result = explain(
        held, [RECEIVED, row("on_hold", (10, 4), "Three-way match", note)], reader=READER
    )
    assert result.headline.startswith("It is on hold since 4 October 2026: ")
    assert why in result.headline
    assert what in result.next_step
    # The vendor is asked to act only when the fix is theirs (a corrected invoice, a credit
    # note); when we are the ones checking, the page says so and asks nothing of them.
    ours = ("We will call", "There is nothing", "We are sorting")
    assert result.action_needed == (not result.next_step.startswith(ours))
    assert result.label == "On hold"
    assert_plain(result)


REJECTIONS = [
    ("Not ordered by us", "we have no order of ours for it", "order number"),
    ("Services not rendered", "no record that the service was delivered", "who received it"),
    ("Already invoiced under an earlier number", "already invoiced", "we pay the earlier invoice"),
    ("Duplicate of AP doc", "duplicate of our payables team doc", "If you think this is a mistake"),
]


@pytest.mark.parametrize(("note", "why", "what"), REJECTIONS)
def test_rejected_says_why_and_what_to_do(note, why, what):
    result = explain(
        invoice("rejected"), [row("rejected", (10, 9), "Maria Jansen", note)], reader=READER
    )
    assert result.headline.startswith("We could not accept it on 9 October 2026: ")
    assert why in result.headline and what in result.next_step
    assert result.label == "Not accepted"
    assert_plain(result)


def test_disputed_by_us_says_why_and_how_to_settle():
    note = "Goods damaged on arrival; photos sent to the vendor"
    result = explain(invoice("disputed"), [row("disputed", (10, 9), "Clerk", note)], reader=READER)
    assert result.headline == (
        "We have questioned this invoice since 9 October 2026: the goods arrived damaged; "
        "we sent you photos."
    )
    assert "credit note" in result.next_step and result.action_needed
    assert [s.text for s in result.story] == ["Questioned by us"]
    assert_plain(result)


def test_cancelled():
    note = "Issued to the wrong legal entity; vendor will re-issue"
    result = explain(
        invoice("cancelled"), [row("cancelled", (10, 9), "Clerk", note)], reader=READER
    )
    assert result.headline.startswith("It was cancelled on 9 October 2026: ")
    assert "addressed to a different company of our group" in result.headline
    assert result.next_step == (
        "There is nothing to pay on it. Please send us a new invoice to replace it."
    )
    assert_plain(result)


def test_a_credit_note_is_called_one():
    result = explain(invoice("received", kind="credit_note"), [RECEIVED], reader=READER)
    assert result.headline == "We received your credit note on 2 October 2026."


# --- Customers -----------------------------------------------------------------------------------


def test_customer_invoice_not_yet_due_says_how_much_by_when_with_which_reference():
    sent = invoice("issued", "ar", due_date=dt.date(2026, 12, 1), payment_reference="RF18 5390")
    result = explain(sent, [row("issued", (10, 1), "Billing")], reader=READER)
    assert (
        result.headline
        == "We sent you this invoice on 1 October 2026; it is due on 1 December 2026."
    )
    assert (
        result.next_step
        == "Please pay €1,520.00 by 1 December 2026 with payment reference RF18 5390."
    )
    assert result.label == "Waiting for your payment"
    assert_plain(result)


def test_customer_invoice_overdue_counts_the_days():
    late = invoice("issued", "ar", due_date=dt.date(2026, 11, 10), amount_open=Decimal("710.00"))
    result = explain(late, [], [paid("810.00", (11, 2), "TRF 881")], reader=READER)
    assert result.headline == "This invoice was due on 10 November 2026 and is 10 days overdue."
    assert "€810.00 was paid on 2 November 2026 with payment reference TRF 881." in result.details
    assert "Please pay €710.00" in result.next_step
    assert result.label == "Overdue" and result.action_needed
    assert short_status(late, READER) == "Overdue since 10 Nov 2026"


def test_customer_invoice_paid():
    done = invoice("paid", "ar", amount_open=Decimal("0"))
    result = explain(done, [], [paid("1520.00", (11, 12), "TRF 9")], reader=READER)
    assert (
        result.headline == "Paid in full; your payment reached us on 12 November 2026. Thank you."
    )
    assert_plain(result)


def test_customer_dispute_is_their_word_not_ours():
    note = "Customer disputes the freight charge"
    result = explain(
        invoice("disputed", "ar"), [row("disputed", (10, 20), "Clerk", note)], reader=READER
    )
    assert (
        result.headline
        == "You questioned this invoice on 20 October 2026: you questioned the freight charge."
    )
    assert "need not pay the amount in question" in result.next_step
    assert [s.text for s in result.story] == ["Questioned by you"]
    assert_plain(result)


def test_customer_cancelled_and_credit_note():
    cancelled = explain(
        invoice("cancelled", "ar"),
        [row("cancelled", (10, 3), "", "Order cancelled before delivery")],
        reader=READER,
    )
    assert (
        cancelled.headline
        == "We cancelled this invoice on 3 October 2026: order cancelled before delivery."
    )
    credit = explain(
        invoice("issued", "ar", kind="credit_note", amount_open=Decimal("100")), [], reader=READER
    )
    assert "in your favour; €100.00 of it is still to be used" in credit.headline
    assert_plain(credit)


# --- Language, time zone, the pieces -------------------------------------------------------------


def test_dates_and_amounts_follow_the_readers_language_and_time_zone():
    german = Reader(
        locale=babel_locale("de"), time_zone="Europe/Berlin", today=dt.date(2026, 11, 20)
    )
    late_evening = row("received", (10, 2), "Portal")
    late_evening.at = dt.datetime(2026, 10, 2, 23, 30, tzinfo=UTC)  # 3 October in Berlin
    result = explain(invoice("received"), [late_evening], reader=german)
    assert result.headline == "We received your invoice on 3. Oktober 2026."
    assert german.money(Decimal("1520"), "EUR") == "1.520,00\xa0€"
    assert babel_locale("fr-CA") == "fr_CA" and babel_locale("xx-nonsense") == "en"


def test_every_status_has_plain_words():
    statuses = ["received", "in_approval", "approved", "scheduled", "paid", "disputed",
                "on_hold", "rejected", "cancelled", "issued"]  # fmt: skip
    for status in statuses:
        for direction in ("ap", "ar"):
            result = explain(invoice(status, direction), [], reader=READER)
            assert result.headline and result.label, (status, direction)
            assert_plain(result)
            assert not JARGON.search(short_status(invoice(status, direction), READER))
            assert not JARGON.search(status_label(invoice(status, direction), READER))


def test_scrub_and_unknown_reasons():
    assert scrub("Waiting for GRN from AP; PO 4500 closed.") == (
        "waiting for delivery confirmation from our payables team; purchase order 4500 closed"
    )
    assert plain_reason("", "on_hold", "ap", READER) == ("", "")


def test_case_states_in_plain_words():
    due = dt.datetime(2026, 11, 21, 16, tzinfo=UTC)
    new = explain_case("new", "Anna", due, READER)
    assert (new.label, new.next_step) == (
        "Received",
        "Anna has your message and will answer you by 21 November 2026.",
    )
    waiting = explain_case("waiting_customer", "Anna", None, READER)
    assert waiting.label == "Waiting for your answer" and "Please answer below" in waiting.next_step
    assert explain_case("resolved", "", None, READER).owner == "Our team"
    for state in ("open", "waiting_third_party", "closed"):
        assert not JARGON.search(explain_case(state, "Anna", due, READER).next_step)
