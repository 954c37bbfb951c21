"""What the coach may know about the case, checked and turned into typed values.

Every key is optional. A key that is absent (or null) means "unknown", and the
checks that need it are skipped: the coach never guesses a contact's name or an
invoice amount. A key that is present with the wrong type is an error that names
the key, because silently ignoring it would hide a bug in the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .extract import parse_number_text


class ContextError(ValueError):
    """The context dict does not have the documented shape; the message names the key."""


@dataclass(frozen=True)
class Invoice:
    number: str
    amount: Decimal | None = None
    currency: str | None = None
    due_date: date | None = None
    status: str | None = None


@dataclass(frozen=True)
class Context:
    contact_name: str | None = None
    customer_message: str | None = None
    invoices: tuple[Invoice, ...] | None = None
    incident: bool | None = None
    reminder_level: int | None = None
    sla_breached: bool | None = None
    first_time_late: bool | None = None
    team: str | None = None
    language: str = "en"

    def get(self, key: str) -> Any:
        return getattr(self, key, None)


_TEAM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")


def _optional_str(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ContextError(f"context.{key}: expected a string, got {type(value).__name__}")
    return value


def _optional_bool(raw: dict[str, Any], key: str) -> bool | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ContextError(f"context.{key}: expected true or false, got {value!r}")
    return value


def _amount(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ContextError(f"{where}: expected a number or a numeric string, got {value!r}")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        # JSON has no decimal type; str() gives the shortest round-tripping form
        # ("1520.0"), which is what the sender wrote.
        amount = Decimal(str(value))
    elif isinstance(value, str):
        parsed = parse_number_text(value.strip())
        if parsed is None:
            raise ContextError(f"{where}: {value!r} is not an amount")
        amount = parsed
    else:
        raise ContextError(f"{where}: expected a number or a numeric string, got {value!r}")
    if not amount.is_finite():
        raise ContextError(f"{where}: {value!r} is not a finite amount")
    return amount


def _due_date(value: Any, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise ContextError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)") from None
    raise ContextError(f"{where}: expected an ISO date string, got {value!r}")


def _invoice(value: Any, index: int) -> Invoice:
    where = f"context.invoices[{index}]"
    if not isinstance(value, dict):
        raise ContextError(f"{where}: expected an object, got {type(value).__name__}")
    number = value.get("number")
    if isinstance(number, int) and not isinstance(number, bool):
        number = str(number)
    if not isinstance(number, str) or not number.strip():
        raise ContextError(f"{where}.number: expected a non-empty string, got {number!r}")
    currency = value.get("currency")
    if currency is not None and not isinstance(currency, str):
        raise ContextError(f"{where}.currency: expected a currency code, got {currency!r}")
    status = value.get("status")
    if status is not None and not isinstance(status, str):
        raise ContextError(f"{where}.status: expected a string, got {status!r}")
    try:
        amount = _amount(value.get("amount"), f"{where}.amount")
    except InvalidOperation:
        raise ContextError(f"{where}.amount: {value.get('amount')!r} is not an amount") from None
    return Invoice(
        number=number.strip(),
        amount=amount,
        currency=currency.strip().upper() or None if currency else None,
        due_date=_due_date(value.get("due_date"), f"{where}.due_date"),
        status=status.strip().lower() or None if status else None,
    )


def parse_context(raw: dict[str, Any] | Context | None) -> Context:
    """Check `raw` against the documented shape and return a `Context`.

    Unknown keys are ignored so that newer callers can send more than this
    version understands.
    """
    if raw is None:
        return Context()
    if isinstance(raw, Context):
        return raw
    if not isinstance(raw, dict):
        raise ContextError(f"context: expected an object, got {type(raw).__name__}")

    invoices_raw = raw.get("invoices")
    invoices: tuple[Invoice, ...] | None = None
    if invoices_raw is not None:
        if not isinstance(invoices_raw, list | tuple):
            raise ContextError(
                f"context.invoices: expected a list, got {type(invoices_raw).__name__}"
            )
        invoices = tuple(_invoice(item, i) for i, item in enumerate(invoices_raw))

    level = raw.get("reminder_level")
    if level is not None and (isinstance(level, bool) or not isinstance(level, int)):
        raise ContextError(f"context.reminder_level: expected an integer, got {level!r}")
    if level is not None and level < 0:
        raise ContextError(f"context.reminder_level: expected 0 or more, got {level}")

    team = _optional_str(raw, "team")
    if team is not None and not _TEAM_NAME.match(team):
        raise ContextError(f"context.team: {team!r} is not a team name (letters, digits, - _ .)")
    language = _optional_str(raw, "language") or "en"
    if not _LANGUAGE.match(language):
        raise ContextError(f"context.language: {language!r} is not a language code")

    contact = _optional_str(raw, "contact_name")
    return Context(
        contact_name=contact.strip() or None if contact else None,
        customer_message=_optional_str(raw, "customer_message"),
        invoices=invoices,
        incident=_optional_bool(raw, "incident"),
        reminder_level=level,
        sla_breached=_optional_bool(raw, "sla_breached"),
        first_time_late=_optional_bool(raw, "first_time_late"),
        team=team,
        language=language.lower().split("-")[0].split("_")[0],
    )
