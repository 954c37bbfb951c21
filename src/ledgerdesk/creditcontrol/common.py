"""Small helpers shared by the credit-control services: who to write to, which team, words."""

from __future__ import annotations

import datetime as dt
import logging
import re
from decimal import Decimal

from babel.numbers import get_currency_precision

from ledgerdesk.core.calendar import BusinessCalendar
from ledgerdesk.core.money import Money, is_currency
from ledgerdesk.desk.models import Team
from ledgerdesk.ledger.models import Direction
from ledgerdesk.parties.models import Contact, Party

log = logging.getLogger(__name__)


class CreditControlError(Exception):
    """A request credit control refuses; the text starts with the field: "amount: ..."."""


_BILLING = re.compile(r"billing|accounts|payable|finance|invoice", re.IGNORECASE)


def billing_contact(party: Party) -> Contact | None:
    """Who receives reminders and statements: a contact whose role says billing or accounts,
    else the primary contact, else the first one with an e-mail address."""
    contacts = list(party.contacts.all())
    for contact in contacts:
        if _BILLING.search(contact.role or ""):
            return contact
    for contact in contacts:
        if contact.is_primary:
            return contact
    return next((c for c in contacts if c.email), contacts[0] if contacts else None)


def receivables_team() -> Team:
    """The team reminders, statements and credits go out from: "ar", else any AR team."""
    found = (
        Team.objects.filter(code="ar").first()
        or Team.objects.filter(direction=Direction.RECEIVABLE).order_by("id").first()
    )
    if found is None:
        raise CreditControlError("team: there is no accounts-receivable team to send from")
    return found


def team_holidays(team: Team | None) -> frozenset[dt.date]:
    """The team's holidays from its business calendar: a "reply by" day, an instalment's
    grace or a refund promise in working days must skip them as the SLA clocks do."""
    if team is None or not team.calendar:
        return frozenset()
    try:
        return BusinessCalendar.from_dict(team.calendar).holidays
    except ValueError:
        # A calendar the admin left broken must not stop reminders or refunds; it is said.
        log.warning("team %s: its business calendar is invalid; no holidays used", team.code)
        return frozenset()


def ar_holidays() -> frozenset[dt.date]:
    """The receivables team's holidays, or none when there is no such team yet."""
    try:
        return team_holidays(receivables_team())
    except CreditControlError:
        return frozenset()


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of the currency: 0.01 for EUR, 1 for JPY, 0.001 for KWD (Babel's
    ISO 4217 data), capped at the two decimals a money column keeps."""
    return Decimal(1).scaleb(-min(get_currency_precision(currency), 2))


def check_amount(amount, currency: str, field: str = "amount") -> None:
    """A positive, finite Decimal in a known currency, with no more decimals than it has:
    "JPY 10.50" is refused rather than rounded, so nobody waives or agrees what they did
    not type."""
    ensure(is_currency(currency), f"currency: {currency!r} is not an ISO 4217 code")
    ensure(
        isinstance(amount, Decimal) and amount.is_finite(),
        f"{field}: give an amount as a decimal number",
    )
    ensure(amount > 0, f"{field}: must be above zero")
    unit = minor_unit(currency)
    ensure(
        amount == amount.quantize(unit),
        f"{field}: {currency} amounts have at most {-unit.as_tuple().exponent} decimals",
    )


def money_words(amount: Decimal, currency: str) -> str:
    """ "EUR 1,210.00", "JPY 12,000": the code rather than a symbol, so "$" is never
    ambiguous, and as many decimals as the currency has."""
    places = min(get_currency_precision(currency), 2)
    return f"{currency} {Money(amount, currency).amount:,.{places}f}"


def day_words(day: dt.date) -> str:
    """ "Friday 27 November 2026": the weekday too, so a reply-by day is unmistakable."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_day_words(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def is_email_channel(contact: Contact | None) -> bool:
    return bool(
        contact
        and contact.email
        and contact.preferred_channel in (Contact.Channel.EMAIL, Contact.Channel.PORTAL)
    )


def ensure(condition: bool, message: str) -> None:
    if not condition:
        raise CreditControlError(message)
