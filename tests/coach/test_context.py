"""Context validation: unknown keys are fine, wrong types name the key."""

from datetime import date
from decimal import Decimal

import pytest

from ledgerdesk.coach import ContextError, parse_context, review


def test_it_accepts_an_empty_or_missing_context():
    assert parse_context(None).invoices is None
    assert parse_context({}).contact_name is None


def test_it_reads_invoices_with_amounts_in_several_forms():
    ctx = parse_context(
        {
            "invoices": [
                {"number": 4411, "amount": 1520, "currency": "eur", "due_date": "2026-05-03"},
                {"number": "INV-1", "amount": "1.250,00"},
                {"number": "INV-2", "amount": 99.5},
            ]
        }
    )
    first, second, third = ctx.invoices
    assert first.number == "4411" and first.amount == Decimal(1520) and first.currency == "EUR"
    assert first.due_date == date(2026, 5, 3)
    assert second.amount == Decimal("1250.00")
    assert third.amount == Decimal("99.5")


@pytest.mark.parametrize(
    ("context", "names"),
    [
        ({"invoices": "4411"}, "context.invoices"),
        ({"invoices": [{"amount": 5}]}, "context.invoices[0].number"),
        ({"invoices": [{"number": "1", "amount": "abc"}]}, "context.invoices[0].amount"),
        ({"invoices": [{"number": "1", "due_date": "3 May"}]}, "context.invoices[0].due_date"),
        ({"reminder_level": "0"}, "context.reminder_level"),
        ({"reminder_level": -1}, "context.reminder_level"),
        ({"incident": "yes"}, "context.incident"),
        ({"contact_name": 7}, "context.contact_name"),
        ({"team": "../etc"}, "context.team"),
        ({"language": "English!"}, "context.language"),
    ],
)
def test_it_names_the_key_that_has_the_wrong_shape(context, names):
    with pytest.raises(ContextError, match=names.replace("[", r"\[").replace("]", r"\]")):
        parse_context(context)


def test_it_ignores_keys_it_does_not_know():
    assert parse_context({"priority": "high"}).contact_name is None


def test_review_raises_the_same_error():
    with pytest.raises(ContextError):
        review("Hi", {"sla_breached": "no"})


def test_it_rejects_a_language_without_rules():
    from ledgerdesk.coach import RuleError

    with pytest.raises(RuleError, match="no coach rules for language 'xx'"):
        review("Hello there", {"language": "xx"})
