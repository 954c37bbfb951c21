"""The cash-matching engine, one kind of evidence or tricky case per test (pure: no database)."""

import datetime as dt
from decimal import Decimal

import pytest

from ledgerdesk.receivables.matchcore import text
from ledgerdesk.receivables.matchcore.sums import combinations_summing_to
from ledgerdesk.receivables.matching import BankLine, Config, OpenItem, match

ISSUED = dt.date(2026, 10, 1)
PAID = dt.date(2026, 10, 28)
ACME_IBAN = "DE89370400440532013000"
THRESHOLD = Config().auto_threshold


def item(key, number, amount, party=1, name="Acme Trading GmbH", **fields):
    fields.setdefault("due_date", ISSUED + dt.timedelta(days=30))
    fields.setdefault("party_accounts", (ACME_IBAN,) if party == 1 else ())
    fields.setdefault("currency", "EUR")
    return OpenItem(
        key=key,
        number=number,
        party_key=party,
        party_name=name,
        amount_open=Decimal(amount),
        amount_total=Decimal(amount),
        issue_date=fields.pop("issue_date", ISSUED),
        **fields,
    )


def line(amount, remittance="", key=1, **fields):
    fields.setdefault("currency", "EUR")
    fields.setdefault("booking_date", PAID)
    return BankLine(key=key, amount=Decimal(amount), remittance=remittance, **fields)


def applied(proposal):
    return {a.item_key: (a.amount, a.deduction, a.deduction_reason) for a in proposal.allocations}


def one(lines, items, config=None):
    (proposal,) = match(lines if isinstance(lines, list) else [lines], items, config)
    return proposal


BOOK = [
    item(1, "SI-261001-0042", "1200.00"),
    item(2, "SI-261001-0043", "350.50"),
    item(3, "SI-261002-0007", "89.90"),
    item(4, "SI-261003-0100", "2400.00", party=2, name="Brandt Logistik AG"),
]


def test_it_applies_a_named_invoice_with_the_exact_amount():
    proposal = one(line("1200.00", "Invoice SI-261001-0042"), BOOK)
    assert applied(proposal) == {1: (Decimal("1200.00"), 0, "")}
    assert proposal.confidence >= THRESHOLD
    assert proposal.unapplied == 0
    assert proposal.reason == "Remittance names invoice SI-261001-0042; amount matches exactly"
    assert proposal.party_key == 1


@pytest.mark.parametrize(
    "written",
    ["SI-26lOO1-OO42", "si 261001 0042", "SI2610010042", "SI-261001-42", "S1-261OO1-0O42"],
)
def test_it_reads_a_number_with_ocr_and_typing_slips(written):
    proposal = one(line("1200.00", f"Payment {written} PO 4711"), BOOK)
    assert applied(proposal) == {1: (Decimal("1200.00"), 0, "")}
    assert proposal.confidence >= THRESHOLD
    if text.plain(written) != "SI2610010042":
        assert f"(read from “{written}”)" in proposal.reason


def test_a_number_followed_by_more_text_is_not_read_as_another_number():
    # "SI-261001-0007, SI…" once read as SI-261001-0071 when leading zeros were dropped blindly.
    book = [item(1, "SI-261001-0007", "10.00"), item(2, "SI-261001-0071", "10.00")]
    proposal = one(line("10.00", "SI-261001-0007, SI-261001-9999"), book)
    assert applied(proposal) == {1: (Decimal("10.00"), 0, "")}


def test_it_applies_a_structured_creditor_reference():
    reference = text.rf_with_check("539007547034")
    assert text.rf_is_valid(reference)
    book = [item(1, "SI-261001-0042", "1200.00", payment_reference=reference)]
    proposal = one(line("1200.00", creditor_reference=reference), book)
    assert applied(proposal) == {1: (Decimal("1200.00"), 0, "")}
    assert proposal.confidence >= THRESHOLD
    assert reference in proposal.reason
    spaced = " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))
    assert applied(one(line("1200.00", f"Ref {spaced}"), book)) == applied(proposal)


def test_rf_check_digits_are_validated():
    assert text.rf_is_valid("RF18 5390 0754 7034")
    assert not text.rf_is_valid("RF19 5390 0754 7034")
    assert not text.rf_is_valid("RF18")


def test_an_rf_reference_with_wrong_check_digits_is_not_evidence():
    book = [item(1, "SI-261001-0042", "1200.00", payment_reference="RF18539007547034")]
    proposal = one(line("1200.00", creditor_reference="RF19539007547034"), book)
    assert proposal.confidence < THRESHOLD
    assert "fails its check digits" in proposal.reason


def test_it_applies_one_payment_to_three_named_invoices():
    proposal = one(line("1640.40", "SI-261001-0042 / SI-261001-0043 / SI-261002-0007"), BOOK)
    assert set(applied(proposal)) == {1, 2, 3}
    assert proposal.confidence >= THRESHOLD


def test_it_finds_three_invoices_in_a_payment_run_without_references():
    book = [
        item(k, f"SI-2610{k:02d}-0001", amount, due_date=ISSUED + dt.timedelta(days=k))
        for k, amount in [(1, "100.10"), (2, "220.20"), (3, "330.37"), (4, "440.44"), (5, "51.05")]
    ]
    proposal = one(line("991.01", "Payment run", counterparty_account=ACME_IBAN), book)
    assert set(applied(proposal)) == {2, 3, 4}
    assert proposal.confidence >= THRESHOLD
    assert "add up to the payment" in proposal.reason


def test_two_equal_invoices_of_one_customer_without_reference_go_to_an_agent():
    book = [
        item(1, "SI-261001-0001", "500.00", issue_date=dt.date(2026, 8, 1)),
        item(2, "SI-261001-0002", "500.00"),
    ]
    proposal = one(line("500.00", "Payment", counterparty_account=ACME_IBAN), book)
    assert proposal.confidence < THRESHOLD
    assert proposal.allocations == ()  # not the oldest, not any: an agent chooses
    assert set(proposal.candidates) == {1, 2}
    assert proposal.unapplied == Decimal("500.00")


def test_it_applies_a_unique_amount_from_a_known_account():
    proposal = one(line("350.50", "", counterparty_account="DE89 3704 0044 0532 0130 00"), BOOK)
    assert applied(proposal) == {2: (Decimal("350.50"), 0, "")}
    assert proposal.confidence >= THRESHOLD
    assert "account" in proposal.reason


def test_it_knows_the_payer_by_name_without_the_legal_form():
    book = [
        item(1, "SI-261001-0042", "1200.00", name="Müller Maschinenbau GmbH & Co. KG"),
        item(2, "SI-261003-0100", "99.00", party=2, name="Brandt Logistik AG"),
    ]
    proposal = one(line("1200.00", counterparty_name="MUELLER MASCHINENBAU"), book)
    assert applied(proposal) == {1: (Decimal("1200.00"), 0, "")}
    assert proposal.confidence >= THRESHOLD


def test_a_similar_name_alone_is_not_enough_to_apply():
    book = [item(1, "SI-261001-0042", "1200.00", name="Müller Maschinenbau Nord GmbH")]
    proposal = one(line("1200.00", counterparty_name="Mueller Maschinenbau"), book)
    assert proposal.confidence < THRESHOLD
    assert proposal.allocations == ()  # a guess reserves nothing; it leads the candidates
    assert proposal.candidates[0] == 1


def test_it_takes_an_early_payment_discount_paid_in_time():
    book = [
        item(1, "SI-261001-0042", "1000.00", discount_amount=Decimal("20.00"),
             discount_until=PAID)
    ]  # fmt: skip
    proposal = one(line("980.00", "SI-261001-0042"), book)
    assert applied(proposal) == {1: (Decimal("980.00"), Decimal("20.00"), "early-payment discount")}
    assert proposal.confidence >= THRESHOLD


def test_a_discount_taken_too_late_is_a_short_payment():
    book = [
        item(1, "SI-261001-0042", "1000.00", discount_amount=Decimal("30.00"),
             discount_until=PAID - dt.timedelta(days=20))
    ]  # fmt: skip
    proposal = one(line("970.00", "SI-261001-0042"), book)
    assert applied(proposal) == {1: (Decimal("970.00"), Decimal("30.00"), "short payment")}


def test_it_books_a_bank_fee_within_the_tolerance():
    proposal = one(line("1187.50", "SI-261001-0042"), BOOK)
    assert applied(proposal) == {1: (Decimal("1187.50"), Decimal("12.50"), "bank fee")}
    assert proposal.confidence >= THRESHOLD
    # From a SEPA account the euros arrive in full: the 12.50 is the customer's deduction.
    proposal = one(line("1187.50", "SI-261001-0042", counterparty_account=ACME_IBAN), BOOK)
    assert applied(proposal) == {1: (Decimal("1187.50"), Decimal("12.50"), "short payment")}
    assert "paid 12.50 short: a deduction to clear up" in proposal.reason


def test_a_short_payment_with_a_certain_reference_is_applied_with_the_shortfall():
    proposal = one(line("1000.00", "SI-261001-0042"), BOOK)
    assert applied(proposal) == {1: (Decimal("1000.00"), Decimal("200.00"), "short payment")}
    assert proposal.confidence >= THRESHOLD  # the service opens a deduction case
    assert proposal.unapplied == 0


def test_an_overpayment_pays_the_invoice_and_holds_the_rest():
    proposal = one(line("1250.00", "SI-261001-0042"), BOOK)
    assert applied(proposal) == {1: (Decimal("1200.00"), 0, "")}
    assert proposal.unapplied == Decimal("50.00")
    assert proposal.confidence >= THRESHOLD


def test_an_overpayment_that_other_open_invoices_explain_goes_to_an_agent():
    proposal = one(line("1550.50", "SI-261001-0042"), BOOK)  # also pays SI-261001-0043
    assert proposal.confidence < THRESHOLD
    assert 2 in proposal.candidates


def test_a_payment_far_above_the_named_invoice_goes_to_an_agent():
    # Three times the invoice, and nothing open explains the rest: more likely other invoices
    # whose numbers were mistyped than an overpayment, so a person decides.
    proposal = one(line("3600.00", "SI-261001-0042"), BOOK)
    assert proposal.confidence < THRESHOLD
    assert "it may pay others" in proposal.reason
    # A small overpayment is still applied, the rest held (see above).


def test_an_unknown_payer_is_held_as_unidentified_cash():
    proposal = one(line("777.77", "Thanks", counterparty_name="Somebody Else"), BOOK)
    assert proposal.allocations == ()
    assert proposal.unapplied == Decimal("777.77")
    assert proposal.confidence < THRESHOLD
    assert "unidentified" in proposal.reason


def test_a_payment_in_another_currency_is_not_applied():
    proposal = one(line("1200.00", "SI-261001-0042", currency="USD"), BOOK)
    assert proposal.allocations == ()
    assert proposal.confidence < THRESHOLD
    assert "is in EUR, the payment in USD" in proposal.reason
    assert 1 in proposal.candidates


def test_two_lines_cannot_both_pay_the_same_invoice():
    first, second = match(
        [line("1200.00", "SI-261001-0042", key=1), line("1200.00", "SI-261001-0042", key=2)],
        BOOK,
    )
    assert applied(first) == {1: (Decimal("1200.00"), 0, "")}
    assert second.allocations == () or 1 not in applied(second)
    assert second.confidence < THRESHOLD
    assert "already settled by an earlier line" in second.reason


def test_an_invoice_issued_after_the_payment_is_not_what_it_paid():
    book = [
        item(1, "SI-261001-0001", "500.00"),
        item(2, "SI-261201-0002", "500.00", issue_date=PAID + dt.timedelta(days=3)),
    ]
    proposal = one(line("500.00", counterparty_account=ACME_IBAN), book)
    assert applied(proposal) == {1: (Decimal("500.00"), 0, "")}
    assert proposal.confidence < 0.95  # a date, not a reference, decided it


def test_a_named_invoice_of_another_customer_is_still_applied_when_the_amount_is_exact():
    proposal = one(line("2400.00", "SI-261003-0100", counterparty_account=ACME_IBAN), BOOK)
    assert applied(proposal) == {4: (Decimal("2400.00"), 0, "")}
    assert proposal.confidence >= THRESHOLD


def test_a_short_number_counts_only_with_the_amount_and_the_account():
    book = [item(1, "1042", "250.00"), item(2, "1043", "990.00")]
    assert one(line("990.00", "Invoice 1042"), book).allocations == ()
    guess = one(line("250.00", "Invoice 1042"), book)
    assert applied(guess) == {1: (Decimal("250.00"), 0, "")} and guess.confidence < THRESHOLD
    sure = one(line("250.00", "Invoice 1042", counterparty_account=ACME_IBAN), book)
    assert applied(sure) == {1: (Decimal("250.00"), 0, "")} and sure.confidence >= THRESHOLD


def test_subset_search_reports_ambiguity_and_its_budget():
    assert combinations_summing_to([5, 5, 3], 5, 3).solutions == ((0,), (1,))
    assert combinations_summing_to([1, 2, 3, 4], 6, 2).solutions == ((1, 3),)
    cut = combinations_summing_to(list(range(1, 60)), 10**6, 6, budget=100)
    assert cut.solutions == ()
    assert combinations_summing_to([7, 11, 13], 31, 3).solutions == ((0, 1, 2),)


def test_name_words_drop_legal_forms_and_accents():
    assert text.name_tokens("Müller GmbH & Co. KG") == {"mueller"}
    assert text.name_tokens("ACME Trading Ltd.") == {"acme", "trading"}
    assert text.name_tokens("Société Générale S.A.") == {"societe", "generale"}


def spread_book(due_offset_of_target):
    """Sixty invoices of one customer with amounts near 1,000 and due dates all over the window,
    and the paid one, due `due_offset_of_target` days from the payment."""
    book = [
        item(k, f"SI-2609{k:02d}-0001", f"{950 + k * 1.5:.2f}",
             due_date=PAID + dt.timedelta(days=(k * 37) % 200 - 100))
        for k in range(1, 61)
    ]  # fmt: skip
    target = item(
        99, "SI-261020-0099", "1001.11", due_date=PAID + dt.timedelta(days=due_offset_of_target)
    )
    return [*book, target]


def test_an_exact_amount_due_with_the_payment_is_applied_among_many():
    proposal = one(line("1001.11", counterparty_account=ACME_IBAN), spread_book(2))
    assert applied(proposal) == {99: (Decimal("1001.11"), 0, "")}
    assert proposal.confidence >= THRESHOLD


def test_an_exact_amount_due_long_before_among_many_similar_ones_goes_to_an_agent():
    proposal = one(line("1001.11", counterparty_account=ACME_IBAN), spread_book(-95))
    assert proposal.confidence < THRESHOLD
    assert proposal.candidates[0] == 99


def test_an_exact_amount_falling_due_now_is_weighed_against_what_falls_due_now():
    # 800 invoices of one customer, amounts close together (one per 0.05), due over ten
    # months: among all of them (or the 80 due within two weeks, by the strict limit) a short
    # or part payment would land on one by accident too often; but customers pay what falls
    # due, and only those 80 are weighed, by the limit for invoices falling due now.
    book = [
        item(k, f"SI-2607{k:03d}-01", f"{900 + k * 0.05:.2f}",
             due_date=PAID + dt.timedelta(days=(k * 37) % 300 - 150))
        for k in range(1, 801)
    ]  # fmt: skip
    near = [i for i in book if abs((i.due_date - PAID).days) <= 14]
    far = [i for i in book if abs((i.due_date - PAID).days) > 60]
    assert near and far
    proposal = one(line(str(near[0].amount_open), counterparty_account=ACME_IBAN), book)
    assert applied(proposal) == {near[0].key: (near[0].amount_open, 0, "")}
    assert proposal.confidence >= THRESHOLD
    # The same amount on an invoice due two months away is no longer likely enough.
    proposal = one(line(str(far[0].amount_open), counterparty_account=ACME_IBAN), book)
    assert proposal.confidence < THRESHOLD
    assert proposal.candidates[0] == far[0].key
    # And a lead who wants the old strictness can have it.
    strict = Config(due_now_coincidence_limit=Config().coincidence_limit)
    proposal = one(line(str(near[0].amount_open), counterparty_account=ACME_IBAN), book, strict)
    assert proposal.confidence < THRESHOLD


def test_the_legal_form_tells_two_customers_of_the_same_name_apart():
    book = [
        item(1, "SI-261001-0001", "500.00", party=1, name="Eckdel AG"),
        item(2, "SI-261001-0002", "700.00", party=2, name="Eckdel Limited"),
    ]
    proposal = one(line("700.00", counterparty_name="ECKDEL LIMITED"), book)
    assert applied(proposal) == {2: (Decimal("700.00"), 0, "")}
    assert proposal.party_key == 2


def test_an_exact_amount_that_is_also_another_invoice_less_a_bank_fee_goes_to_an_agent():
    # 191.48 is one invoice exactly, and the other less 20.00, what an intermediary bank takes
    # off a cross-border payment in dollars.
    def book(other):
        return [
            item(1, "SI-261001-0001", "191.48", currency="USD", due_date=PAID - dt.timedelta(9)),
            item(2, "SI-261001-0002", other, currency="USD", due_date=PAID + dt.timedelta(6)),
        ]

    paid = line("191.48", "Payment", currency="USD", counterparty_account=ACME_IBAN)
    proposal = one(paid, book("211.48"))
    assert proposal.confidence < THRESHOLD
    assert "invoice SI-261001-0002 less 20.00, a usual bank fee" in proposal.reason
    assert set(proposal.candidates) == {1, 2}
    # A gap no bank charges (20.37) is no second explanation: the exact match stands.
    proposal = one(paid, book("211.85"))
    assert applied(proposal) == {1: (Decimal("191.48"), 0, "")}
    assert proposal.confidence >= THRESHOLD


def test_a_euro_payment_from_a_sepa_account_is_never_read_as_less_a_bank_fee():
    # SEPA credits the payee the full amount sent: 191.48 in euros from a German account is
    # invoice 1 paid exactly, not invoice 2 less 20.00.
    book = [
        item(1, "SI-261001-0001", "191.48", due_date=PAID - dt.timedelta(days=9)),
        item(2, "SI-261001-0002", "211.48", due_date=PAID + dt.timedelta(days=6)),
    ]
    proposal = one(line("191.48", "Payment", counterparty_account=ACME_IBAN), book)
    assert applied(proposal) == {1: (Decimal("191.48"), 0, "")}
    assert proposal.confidence >= THRESHOLD
    # Nor is an amount just under one invoice offered as a fee: nothing open matches it.
    proposal = one(line("201.48", "Payment", counterparty_account=ACME_IBAN), book)
    assert "bank fee" not in proposal.reason
    assert "nothing open matches 201.48" in proposal.reason
    # From outside SEPA (a US account), a fee may have come off on the way.
    abroad = line(
        "201.48", counterparty_account="US12345678901234", counterparty_name="ACME TRADING GMBH"
    )
    proposal = one(abroad, book)
    assert "invoice SI-261001-0002 less 10.00, perhaps a bank fee" in proposal.reason
    assert text.credited_in_full("EUR", "nl91 abna 0417 1643 00")
    assert not text.credited_in_full("USD", ACME_IBAN)


def test_an_exact_amount_that_a_run_of_other_invoices_also_adds_up_to_goes_to_an_agent():
    # 1,796.94 is invoice 1, and also invoices 2, 3 and 4, due one after the other.
    book = [
        item(1, "SI-261001-0001", "1796.94", due_date=PAID - dt.timedelta(days=20)),
        item(2, "SI-261001-0002", "407.18", due_date=PAID - dt.timedelta(days=2)),
        item(3, "SI-261001-0003", "1134.38", due_date=PAID),
        item(4, "SI-261001-0004", "255.38", due_date=PAID + dt.timedelta(days=1)),
    ]
    proposal = one(line("1796.94", "Payment", counterparty_account=ACME_IBAN), book)
    assert proposal.confidence < THRESHOLD
    assert "it could as well pay invoices SI-261001-0002" in proposal.reason
    assert set(proposal.candidates) == {1, 2, 3, 4}
    # Without that run, the exact amount stands.
    proposal = one(line("1796.94", "Payment", counterparty_account=ACME_IBAN), book[:3])
    assert applied(proposal) == {1: (Decimal("1796.94"), 0, "")}


def test_a_round_payment_that_another_invoice_rounds_up_to_goes_to_an_agent():
    book = [item(1, "SI-261001-0001", "600.00"), item(2, "SI-261001-0002", "556.13")]
    proposal = one(line("600.00", "Zahlung", counterparty_account=ACME_IBAN), book)
    assert proposal.confidence < THRESHOLD
    assert "invoice SI-261001-0002 rounded up" in proposal.reason
    # Not round: 556.13 is no reason to doubt an exact 612.40.
    book[0] = item(1, "SI-261001-0001", "612.40")
    proposal = one(line("612.40", "Zahlung", counterparty_account=ACME_IBAN), book)
    assert proposal.confidence >= THRESHOLD


def test_several_invoices_adding_up_to_a_round_amount_go_to_an_agent():
    # Customers pay 1,700.00 on account far more often than three invoices land on it.
    book = [
        item(1, "SI-261001-0001", "264.75"),
        item(2, "SI-261001-0002", "550.98"),
        item(3, "SI-261001-0003", "884.27"),
        item(4, "SI-261001-0004", "1689.21"),
    ]
    proposal = one(line("1700.00", "Überweisung", counterparty_account=ACME_IBAN), book)
    assert proposal.confidence < THRESHOLD
    assert "1,700.00 is a round amount" in proposal.reason
    assert {1, 2, 3} <= set(proposal.candidates)


def test_an_overpayment_is_checked_against_invoices_due_with_the_named_ones():
    # The text names two invoices of a run of four; two numbers did not survive the typing.
    # Fifty other invoices fall due nearer the payment, but the missing two are due with the
    # named ones, and the excess is exactly theirs.
    run_due = PAID - dt.timedelta(days=60)
    book = [
        item(k, f"SI-260801-{k:04d}", amount, due_date=run_due)
        for k, amount in [(1, "1000.00"), (2, "2000.00"), (3, "411.17"), (4, "523.25")]
    ] + [
        item(10 + k, f"SI-261001-{k:04d}", f"{300 + k * 7.31:.2f}", due_date=PAID)
        for k in range(50)
    ]  # fmt: skip
    proposal = one(line("3934.42", "SI-260801-0001 SI-260801-0002"), book)
    assert proposal.confidence < THRESHOLD
    assert "the excess equals the open amounts of invoices SI-260801-0003" in proposal.reason
    assert {3, 4} <= set(proposal.candidates)


def test_an_exact_amount_among_many_unseen_items_goes_to_an_agent():
    # The database handed over five of the customer's items; it has 5,000 open. Among that
    # many, a short or part payment lands on some invoice's exact amount far too often.
    amounts = ["120.40", "995.40", "1001.11", "2430.00", "56.90"]
    book = [item(k, f"SI-261001-{k:04d}", a) for k, a in enumerate(amounts, start=1)]
    paid = line("1001.11", "Payment", counterparty_account=ACME_IBAN)
    assert one(paid, book).confidence >= THRESHOLD  # what it sees is all there is
    (proposal,) = match([paid], book, party_sizes={1: 5000})
    assert proposal.confidence < THRESHOLD
    assert proposal.candidates[0] == 3
