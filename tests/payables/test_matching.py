"""Two- and three-way match: each mismatch explained line by line, tolerances respected."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from ledgerdesk.payables.matching import (
    MISMATCH,
    NO_ORDER,
    OK,
    THREE_WAY,
    TWO_WAY,
    WITHIN,
    BilledLine,
    OrderLine,
    Tolerance,
    match,
)

PAPER = OrderLine(1, 1, "Printer paper A4, box of 5 reams", D("10"), D("24.50"), received=D("10"))
TONER = OrderLine(2, 2, "Toner cartridge black HP 59A", D("4"), D("89.00"), received=D("4"))


def billed(key, description, quantity, price, order_line_key=None, net=None):
    quantity, price = D(quantity), D(price)
    net = D(net) if net is not None else (quantity * price).quantize(D("0.01"))
    return BilledLine(key, key, description, quantity, net, price, order_line_key)


def test_a_bill_that_agrees_with_order_and_receipt_matches():
    result = match(
        [billed(1, "Printer paper A4", "10", "24.50"), billed(2, "Toner black 59A", "4", "89.00")],
        [PAPER, TONER],
        currency="EUR",
    )
    assert result.mode == THREE_WAY
    assert result.status == OK and result.ok
    assert [line.order_line_key for line in result.lines] == [1, 2]
    assert result.messages() == []


def test_a_price_above_tolerance_is_a_mismatch_explained_in_plain_words():
    result = match([billed(1, "Printer paper A4", "10", "25.90")], [PAPER], currency="EUR")
    assert result.status == MISMATCH
    (message,) = result.messages()
    assert message == (
        "Line 1 (Printer paper A4): billed at EUR 25.90 each; our order agreed EUR 24.50, "
        "5.7% more (we accept up to 2%)."
    )
    assert result.mismatch_kinds() == ["price"]


def test_a_price_within_tolerance_passes_and_says_so():
    result = match([billed(1, "Printer paper A4", "10", "24.90")], [PAPER], currency="EUR")
    assert result.status == WITHIN and result.ok
    assert "1.6% more (we accept up to 2%)" in result.messages()[0]


def test_a_cheaper_price_is_never_held_against_the_vendor():
    result = match([billed(1, "Printer paper A4", "10", "20.00")], [PAPER], currency="EUR")
    assert result.status == OK


def test_three_way_bills_only_what_was_received():
    half = OrderLine(1, 1, "Office chair ergonomic", D("10"), D("180.00"), received=D("6"))
    result = match([billed(1, "Office chair", "10", "180.00")], [half], currency="EUR")
    assert result.status == MISMATCH
    assert result.messages() == [
        "Line 1 (Office chair): billed 10, we received 6, so 4 more than we can pay for now."
    ]


def test_nothing_received_yet_says_we_pay_once_booked_in():
    pending = OrderLine(1, 1, "Standing desk", D("2"), D("450.00"), received=D("0"))
    result = match([billed(1, "Standing desk", "2", "450.00")], [pending], currency="EUR")
    assert result.mismatch_kinds() == ["not_received"]
    assert "we pay once the goods are booked in" in result.messages()[0]


def test_two_way_compares_with_the_quantity_ordered_and_ignores_receipts():
    service = OrderLine(1, 1, "Consulting days", D("5"), D("900.00"), received=D("0"))
    two_way = Tolerance(require_receipt=False)
    ok = match([billed(1, "Consulting days", "5", "900.00")], [service], currency="EUR",
               tolerance=two_way)  # fmt: skip
    assert ok.mode == TWO_WAY and ok.status == OK
    over = match([billed(1, "Consulting days", "6", "900.00")], [service], currency="EUR",
                 tolerance=two_way)  # fmt: skip
    assert over.messages() == [
        "Line 1 (Consulting days): billed 6, we ordered 5, so 1 more than we can pay for now."
    ]


def test_quantity_billed_before_on_another_invoice_counts():
    partly = OrderLine(1, 1, "Pallets", D("100"), D("12.00"), received=D("100"),
                       invoiced_before=D("60"))  # fmt: skip
    result = match([billed(1, "Pallets", "50", "12.00")], [partly], currency="EUR")
    assert result.status == MISMATCH
    assert "60 were billed before, so 10 more" in result.messages()[0]


def test_quantity_tolerance_lets_a_small_overrun_pass():
    result = match(
        [billed(1, "Printer paper", "10.4", "24.50")],
        [PAPER],
        currency="EUR",
        tolerance=Tolerance(quantity_pct=D("5")),
    )
    assert result.status == WITHIN


def test_a_line_that_is_not_on_the_order():
    result = match(
        [billed(1, "Printer paper A4", "10", "24.50"), billed(2, "Express delivery", "1", "35")],
        [PAPER],
        currency="EUR",
        order_number="4500012345",
    )
    assert result.status == MISMATCH
    assert result.messages() == ["Line 2 (Express delivery) is not on our order 4500012345."]


def test_a_named_order_line_wins_over_the_description():
    result = match([billed(1, "Item", "4", "89.00", order_line_key=2)], [PAPER, TONER],
                   currency="EUR")  # fmt: skip
    assert result.lines[0].order_line_key == 2 and result.status == OK


def test_a_line_whose_arithmetic_is_wrong():
    result = match([billed(1, "Printer paper", "10", "24.50", net="254.00")], [PAPER],
                   currency="EUR")  # fmt: skip
    assert "10 × EUR 24.50 is EUR 245.00, but the line says EUR 254.00." in result.messages()[0]


def test_an_invoice_without_an_order():
    result = match([billed(1, "Something", "1", "10")], None, currency="EUR")
    assert result.mode == NO_ORDER and result.status == MISMATCH
    assert "order number" in result.messages()[0]


def test_lines_within_tolerance_that_add_up_beyond_the_amount_tolerance():
    lines = [
        OrderLine(i, i, f"Part {i}", D("100"), D("10.00"), received=D("100")) for i in range(1, 4)
    ]
    bills = [billed(i, f"Part {i}", "100", "10.15") for i in range(1, 4)]
    result = match(bills, lines, currency="EUR", tolerance=Tolerance(amount=D("20")))
    assert result.mismatch_kinds() == ["total"]
    assert (
        "EUR 45.00 more than the same quantities at the prices we agreed" in result.messages()[-1]
    )


amounts = st.decimals(min_value=D("0.01"), max_value=D("9999"), places=2)
quantities = st.decimals(min_value=D("1"), max_value=D("500"), places=0)


@given(quantity=quantities, price=amounts, received=quantities)
def test_billing_exactly_what_was_ordered_and_received_always_matches(quantity, price, received):
    received = min(received, quantity)
    order = [OrderLine(1, 1, "Widget", quantity, price, received=received)]
    result = match([billed(1, "Widget", str(received), str(price))], order, currency="EUR")
    assert result.status == OK


@given(quantity=quantities, price=amounts, extra=st.integers(min_value=1, max_value=50))
def test_billing_more_than_received_is_never_ok(quantity, price, extra):
    order = [OrderLine(1, 1, "Widget", quantity, price, received=quantity)]
    result = match([billed(1, "Widget", str(quantity + extra), str(price))], order, currency="EUR")
    assert result.status == MISMATCH
    assert result.messages(), "a mismatch always says why"
