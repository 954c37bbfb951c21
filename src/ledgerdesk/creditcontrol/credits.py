"""Proactive corrections: a credit we owe a customer opens a case and tells them first.

The message says what happened, what we do and by when, and what keeps it from happening
again; the reply coach's critical-needs checks (an incident reply) must find all three, or
nothing is sent and nothing is recorded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from ledgerdesk import coach
from ledgerdesk.creditcontrol import schedule, wording
from ledgerdesk.creditcontrol.common import (
    CreditControlError,
    billing_contact,
    check_amount,
    day_words,
    ensure,
    is_email_channel,
    money_words,
    receivables_team,
    team_holidays,
)
from ledgerdesk.creditcontrol.models import CreditOwed, FollowUp
from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Case
from ledgerdesk.mail import outbound
from ledgerdesk.parties.models import Party

REFUND_BUSINESS_DAYS = 5
CHECKED = {"critical_needs", "threat", "blame", "greeting", "follow_up"}


def credit_text(credit: CreditOwed, contact_name: str, team_name: str) -> tuple[str, str]:
    amount = money_words(credit.amount, credit.currency)
    subject, body = wording.CREDIT
    what = wording.CREDIT_WHAT_HAPPENED[credit.kind].format(
        source=credit.source_reference, amount=amount
    )
    text = body.format(
        name=contact_name,
        amount=amount,
        refund_by=day_words(credit.refund_by),
        what_happened=what,
        prevention=wording.CREDIT_PREVENTION[credit.kind],
        team=team_name,
    )
    return subject.format(amount=amount), text


def review(text: str, contact_name: str, team_code: str) -> coach.Review:
    context = {"contact_name": contact_name, "incident": True, "team": team_code, "language": "en"}
    return coach.review(text, context)


@transaction.atomic
def record_credit(
    party: Party,
    *,
    kind: str,
    amount: Decimal,
    currency: str,
    source_reference: str,
    invoice=None,
    today: dt.date | None = None,
) -> tuple[CreditOwed, bool]:
    """Record a credit owed and tell the customer. Returns (credit, created); recording the
    same credit (party, kind, source) again changes nothing."""
    ensure(kind in CreditOwed.Kind.values, f"kind: {kind!r} is not one of tax_error, "
           "overpayment, unapplied")  # fmt: skip
    check_amount(amount, currency)
    ensure(bool(source_reference.strip()), "source_reference: name the invoice or payment")
    existing = CreditOwed.objects.filter(
        party=party, kind=kind, source_reference=source_reference.strip()
    ).first()
    if existing is not None:
        # The same credit again changes nothing; a different amount for the same source is
        # a correction nobody should believe was recorded.
        ensure(
            (existing.amount, existing.currency) == (amount, currency),
            f"amount: {existing.source_reference} was already recorded as "
            f"{money_words(existing.amount, existing.currency)}; correct that case instead",
        )
        return existing, False
    today = today or timezone.localdate()
    contact = billing_contact(party)
    ensure(is_email_channel(contact), "party: no billing contact with an e-mail address")
    team = receivables_team()
    try:
        with transaction.atomic():
            credit = CreditOwed.objects.create(
                party=party,
                kind=kind,
                amount=amount,
                currency=currency,
                invoice=invoice,
                source_reference=source_reference.strip(),
                refund_by=schedule.add_business_days(
                    today, REFUND_BUSINESS_DAYS, team_holidays(team)
                ),
            )
    except IntegrityError:
        # Two runs at once: the unique constraint let one in, and that one tells the customer.
        return CreditOwed.objects.get(
            party=party, kind=kind, source_reference=source_reference.strip()
        ), False
    subject, text = credit_text(credit, contact.name, team.name)
    result = review(text, contact.name, team.code)
    problems = [f for f in result.findings if f.category in CHECKED and f.severity == "error"]
    if problems:
        raise CreditControlError(f"text: the coach flags {problems[0].rule}")
    case = desk.open_case(
        team=team,
        subject=subject,
        text=text,
        channel=Case.Channel.PROACTIVE,
        category=Case.Category.OTHER,
        party=party,
        contact=contact,
        invoices=[invoice] if invoice is not None else [],
        incident=True,
    )
    outbound.send(case, text, review={**result.to_dict(), "threshold": team.coach_threshold})
    desk.add_note(
        case,
        f"Credit owed: {credit.get_kind_display()} of {money_words(amount, currency)} "
        f"({credit.source_reference}). Refund promised by {credit.refund_by:%d %b %Y}.",
    )
    FollowUp.objects.create(
        kind=FollowUp.Kind.OTHER,
        due_on=credit.refund_by,
        note=f"Refund {money_words(amount, currency)} to {party}: promised by this day.",
        owner=case.owner,
        party=party,
        case=case,
    )
    credit.case = case
    credit.save(update_fields=["case"])
    return credit, True


__all__ = ["CreditControlError", "record_credit"]
