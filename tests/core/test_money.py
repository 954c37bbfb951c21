from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgerdesk.core.money import Money, to_decimal


def test_it_adds_same_currency():
    assert Money(Decimal("10.10"), "EUR") + Money(Decimal("0.20"), "EUR") == Money(
        Decimal("10.30"), "EUR"
    )


def test_it_refuses_to_mix_currencies():
    with pytest.raises(ValueError, match="EUR with NOK"):
        Money(Decimal("1"), "EUR") + Money(Decimal("1"), "NOK")


def test_it_refuses_floats():
    with pytest.raises(TypeError):
        Money(1.1, "EUR")
    with pytest.raises(TypeError):
        to_decimal(0.1)


def test_it_refuses_unknown_currency():
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(Decimal("1"), "EURO")


def test_it_rounds_to_the_currency_minor_unit():
    assert Money(Decimal("10.005"), "EUR").rounded().amount == Decimal("10.00")
    assert Money(Decimal("87859.4"), "JPY").rounded().amount == Decimal("87859")


def test_it_formats_with_babel():
    assert Money(Decimal("1520"), "EUR").format("en") == "€1,520.00"
    assert Money(Decimal("1520"), "EUR").format("de_DE") == "1.520,00\xa0€"


def test_to_decimal_names_the_field():
    with pytest.raises(ValueError, match="net_amount: 'abc' is not an amount"):
        to_decimal("abc", "net_amount")
    with pytest.raises(ValueError, match="not an amount"):
        to_decimal("NaN")


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
)
def test_addition_is_exact(a, b):
    assert (Money(a, "EUR") + Money(b, "EUR") - Money(b, "EUR")).amount == a
