"""Money: a Decimal amount with its currency. Never a float.

Amounts are stored as two columns (a DecimalField and a currency code); this
value object is what services and templates work with, so that adding EUR to
NOK is an error instead of a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision, list_currencies

# Columns that hold money: 18 digits with 2 decimals covers a trillion in any
# currency; unit prices keep 4 decimals as e-invoices state them.
MAX_DIGITS = 18
DECIMAL_PLACES = 2
PRICE_DECIMAL_PLACES = 4

_CURRENCIES = frozenset(list_currencies())


def is_currency(code: str) -> bool:
    return code in _CURRENCIES


def to_decimal(value, field: str = "amount") -> Decimal:
    """Parse an amount from text or a number, refusing floats and nonsense."""
    if isinstance(value, float):
        raise TypeError(f"{field}: floats are not accepted for money, use Decimal or text")
    try:
        result = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"{field}: {value!r} is not an amount") from None
    if not result.is_finite():
        raise ValueError(f"{field}: {value!r} is not an amount")
    return result


@dataclass(frozen=True, order=False)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        if isinstance(self.amount, float):
            raise TypeError("Money amounts must be Decimal, not float")
        if not isinstance(self.amount, Decimal):
            object.__setattr__(self, "amount", to_decimal(self.amount))
        if not is_currency(self.currency):
            raise ValueError(f"currency: {self.currency!r} is not an ISO 4217 code")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal("0"), currency)

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount >= other.amount

    def rounded(self) -> Money:
        """Round to the currency's minor unit (2 for EUR, 0 for JPY)."""
        places = Decimal(1).scaleb(-get_currency_precision(self.currency))
        return Money(self.amount.quantize(places, rounding=ROUND_HALF_EVEN), self.currency)

    def format(self, locale: str = "en") -> str:
        return _format(str(self.amount), self.amount, self.currency, locale)

    def __str__(self) -> str:
        return self.format()


@lru_cache(maxsize=4096)
def _format(key: str, amount: Decimal, currency: str, locale: str) -> str:
    """Babel's formatting, remembered by the amount as written: bulk paths (audit entries of
    thousands of payments) format each amount several times, at some 30 µs a time."""
    return format_currency(amount, currency, locale=locale)
