"""Demo inquiries: vendors and customers writing in about their real demo invoices.

Each inquiry goes through the same path as real mail (`mail.inbound.ingest`),
so the demo queue shows what production would: tiers with reasons, SLA clocks
in every state, acknowledgements, replies, waiting and resolved cases.
Outgoing mail goes to the configured backend (the file outbox by default).
"""

from __future__ import annotations

import random
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.contrib.auth import get_user_model
from django.utils import timezone

from ledgerdesk.core import audit
from ledgerdesk.desk import coaching, services
from ledgerdesk.desk.models import Case
from ledgerdesk.desk.seed import seed_desk
from ledgerdesk.ledger.models import Direction, Invoice
from ledgerdesk.mail import outbound
from ledgerdesk.mail.inbound import ingest

AP_QUESTIONS = [
    (
        "Where is my payment? Invoice {number}",
        "Hello,\n\nOur invoice {number} for {amount} {currency} was due on {due}. We have not "
        "received the payment yet. Could you tell me when it will be paid?\n\nThanks,\n{name}",
    ),
    (
        "Short payment on invoice {number}",
        "Hi,\n\nYou paid invoice {number} but the amount we received is lower than the "
        "{amount} {currency} we billed. Can you explain the deduction?\n\nRegards,\n{name}",
    ),
    (
        "URGENT: invoice {number} still not paid",
        "This is the THIRD time I am asking about invoice {number} ({amount} {currency}). It is "
        "overdue since {due} and nobody answers. Still waiting. This is unacceptable!!\n\n{name}",
    ),
    (
        "Our bank details changed",
        "Dear AP team,\n\nPlease note our bank account has changed. The new IBAN is in the "
        "attached letter. Please use it for invoice {number} and later payments.\n\n{name}",
    ),
    (
        "Status of invoice {number}",
        "Good morning,\n\ncould you confirm that invoice {number} was received and approved? "
        "We want to plan our cash for next month.\n\nKind regards,\n{name}",
    ),
]
AR_QUESTIONS = [
    (
        "Copy of invoice {number}",
        "Hello,\n\nCould you send me a copy of invoice {number}? We cannot find it in our "
        "system.\n\nThank you,\n{name}",
    ),
    (
        "Invoice {number} is wrong",
        "Hi,\n\nWe dispute the price on invoice {number}: we agreed a lower rate than the one "
        "billed ({amount} {currency}).\n\nBest,\n{name}",
    ),
    (
        "Reminder for invoice {number} - we already paid",
        "Hello,\n\nwe received a reminder for invoice {number}, but we paid it last week. Please "
        "check your records and stop the reminders.\n\n{name}",
    ),
    (
        "Statement of account",
        "Hi, please send our statement of account including invoice {number}. Thanks, {name}",
    ),
]
REPLY = (
    "Dear {name},\n\nThank you for your message. I have checked invoice {number}: it is "
    "approved and scheduled for payment on {date}. I will confirm to you once it has left "
    "us.\n\nThank you for your business.\n\nKind regards,\n{agent}"
)


def _inquiry(rng, invoice: Invoice, contact, hub_address: str, when) -> bytes:
    questions = AP_QUESTIONS if invoice.direction == Direction.PAYABLE else AR_QUESTIONS
    subject, body = rng.choice(questions)
    values = {
        "number": invoice.number,
        "amount": f"{invoice.amount_payable:,.2f}",
        "currency": invoice.currency,
        "due": invoice.due_date.strftime("%d %B") if invoice.due_date else "last month",
        "name": contact.name,
    }
    message = EmailMessage()
    message["From"] = f"{contact.name} <{contact.email}>"
    message["To"] = hub_address
    message["Subject"] = subject.format(**values)
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(domain=contact.email.rsplit("@", 1)[-1])
    message.set_content(body.format(**values))
    return message.as_bytes()


def generate_cases(count: int = 120, seed: int = 7) -> int:
    """Open `count` demo cases over the last ten working days; returns how many were made."""
    rng = random.Random(seed)
    teams = {team.direction: team for team in seed_desk()}
    users = get_user_model().objects.filter(groups__name__in=["Agent", "Lead"]).distinct()
    for team in teams.values():
        team.members.add(*users)
        if team.lead is None:
            team.lead = users.filter(groups__name="Lead").first()
            team.save(update_fields=["lead"])
    invoices = list(
        Invoice.objects.filter(party__contacts__email__contains="@", amount_open__gt=0)
        .select_related("party")
        .distinct()
        .order_by("id")[:2000]
    )
    if not invoices:
        return 0
    now = timezone.now()
    made = 0
    with audit.acting_as(label="demo"):
        for _ in range(count):
            invoice = rng.choice(invoices)
            contact = invoice.party.contacts.exclude(email="").first()
            team = teams["ap" if invoice.direction == Direction.PAYABLE else "ar"]
            when = now - timedelta(hours=rng.uniform(0.5, 24 * 12))
            raw = _inquiry(rng, invoice, contact, team.email, when)
            case = ingest(raw, "demo", received_at=when).case
            if case is None:
                continue
            made += 1
            _progress(rng, case, contact, invoice, when, now)
    return made


def _progress(rng, case: Case, contact, invoice: Invoice, opened, now) -> None:
    """Move some cases along so the queue shows every state."""
    roll = rng.random()
    if roll < 0.35 or now - opened < timedelta(hours=2):
        return  # untouched: new cases waiting for a first answer
    agent = case.owner
    pay_date = invoice.scheduled_payment_date or (now + timedelta(days=7)).date()
    text = REPLY.format(
        name=contact.name,
        number=invoice.number,
        date=pay_date.strftime("%d %B"),
        agent=agent.get_full_name() or agent.get_username(),
    )
    answered = opened + timedelta(hours=rng.uniform(0.3, 6))
    review = coaching.stored_review(coaching.review_for_case(case, text, answered), case)
    outbound.send(case, text, author=agent, at=answered, review=review)
    if roll < 0.55:
        services.change_state(
            case, Case.State.WAITING_CUSTOMER, "Asked for the remittance.", at=answered
        )
    elif roll < 0.85:
        services.change_state(
            case, Case.State.RESOLVED, "Answered with the payment date.", at=answered
        )
