"""The desk's starting set-up: AP and AR teams, tier rules, SLA policies and canned replies.

Used by the demo loader and useful on a fresh installation (`ledgerdesk demo`
calls it; it is idempotent). A lead adjusts all of it in the admin afterwards.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from ledgerdesk.core.calendar import BusinessCalendar
from ledgerdesk.desk.models import CannedReply, SlaPolicy, Team, TierRule

TEAMS = [
    ("ap", "Accounts Payable", "ap", "ap@ledgerdesk.local"),
    ("ar", "Accounts Receivable", "ar", "ar@ledgerdesk.local"),
]

# Business hours: (acknowledge, first response, resolution) per tier.
POLICIES = {1: (4, 4, 16), 2: (24, 8, 24), 3: (24, 16, 40)}

RULES = [
    ("strategic_party", Decimal("0"), 1),
    ("amount_at_stake", Decimal("50000"), 1),
    ("amount_at_stake", Decimal("10000"), 2),
    ("days_overdue", Decimal("30"), 2),
    ("repeat_contacts", Decimal("2"), 2),
    ("frustration", Decimal("60"), 2),
]

CANNED = [
    (
        "Payment scheduled",
        "payment_status",
        "Dear {contact_name},\n\nThank you for checking with us, and I'm sorry for the wait. "
        "I have looked into invoice {invoice_number} for {amount}: it is approved and "
        "scheduled for payment on {expected_pay_date}. You will see it in your account within "
        "two working days after that date.\n\nI will keep an eye on it and confirm to you on "
        "{expected_pay_date} once the payment has left us.\n\nThank you for your patience and "
        "for your business.\n\nKind regards,\n{agent_name}",
    ),
    (
        "Copy of invoice",
        "missing_invoice",
        "Dear {contact_name},\n\nThank you for your message. I have attached a copy of invoice "
        "{invoice_number} ({amount}) to this e-mail. Its due date is {expected_pay_date}.\n\n"
        "If anything on it does not match your records, reply to this e-mail and I will look "
        "into it the same day.\n\nThank you for your business.\n\nKind regards,\n{agent_name}",
    ),
    (
        "Short payment: looking into it",
        "short_payment",
        "Dear {contact_name},\n\nThank you for letting us know, and I understand how frustrating "
        "a short payment is. I am checking the payment against invoice {invoice_number} "
        "({amount}) with our cash team now, and I will come back to you with what happened and "
        "how we will settle the difference by {expected_pay_date}.\n\nThank you for your "
        "patience.\n\nKind regards,\n{agent_name}",
    ),
]


def seed_desk() -> list[Team]:
    calendar = BusinessCalendar.standard(time_zone=settings.TIME_ZONE).to_dict()
    teams = []
    for code, name, direction, email in TEAMS:
        team, _ = Team.objects.get_or_create(
            code=code,
            defaults={"name": name, "direction": direction, "email": email, "calendar": calendar},
        )
        teams.append(team)
        for tier, (ack, first, resolution) in POLICIES.items():
            SlaPolicy.objects.get_or_create(
                team=team,
                tier=tier,
                defaults={
                    "acknowledge_hours": ack,
                    "first_response_hours": first,
                    "resolution_hours": resolution,
                },
            )
    for criterion, threshold, tier in RULES:
        TierRule.objects.get_or_create(
            team=None, criterion=criterion, threshold=threshold, defaults={"tier": tier}
        )
    for title, category, body in CANNED:
        CannedReply.objects.get_or_create(
            title=title, defaults={"category": category, "body": body}
        )
    return teams
