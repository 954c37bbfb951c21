"""Statements of account on demand (console download) and on a schedule (monthly e-mail).

The statement itself is the portal's (`portal.statement.build`, `portal.pdf.statement_pdf`):
one way of stating what a customer owes. This module picks the period, the reader (the
billing contact's language and time zone), and the channel.

`mail.outbound.send` takes no attachments, so the scheduled statement is sent here with the
same threading helpers and recorded on the case as an outbound message with its attachment.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from email.utils import formataddr

from babel import Locale, UnknownLocaleError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from ledgerdesk.creditcontrol.common import (
    CreditControlError,
    billing_contact,
    is_email_channel,
    receivables_team,
    short_day_words,
)
from ledgerdesk.creditcontrol.models import FollowUp, StatementSchedule, StatementSent
from ledgerdesk.creditcontrol.wording import STATEMENT
from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Attachment, Case, Message
from ledgerdesk.mail import outbound
from ledgerdesk.parties.models import Party
from ledgerdesk.portal import pdf
from ledgerdesk.portal import statement as portal_statement
from ledgerdesk.portal.plainwords import Reader

PDF, CSV = "pdf", "csv"
log = logging.getLogger(__name__)


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def reader_for(party: Party) -> Reader:
    contact = billing_contact(party)
    if contact is None:
        return Reader()
    locale = (contact.language or "en").replace("-", "_")
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        locale = "en"  # a language Babel does not know: dates and amounts in English
    return Reader(locale=locale, time_zone=contact.time_zone)


def render(party: Party, start: dt.date, end: dt.date, fmt: str) -> tuple[str, bytes, str]:
    """(filename, content, content type) of the statement for the period."""
    if fmt not in (PDF, CSV):
        raise CreditControlError(f"format: {fmt!r} is not pdf or csv")
    if start > end:
        raise CreditControlError("start: the period starts after it ends")
    built = portal_statement.build(party, start, end)
    name = f"statement-{party.pk}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"
    if fmt == CSV:
        return name, portal_statement.to_csv(built).encode(), "text/csv"
    return name, pdf.statement_pdf(built, reader_for(party)), "application/pdf"


def set_schedule(party: Party, frequency: str) -> StatementSchedule:
    if frequency not in StatementSchedule.Frequency.values:
        raise CreditControlError(f"frequency: {frequency!r} is not monthly or none")
    row, _ = StatementSchedule.objects.get_or_create(party=party)
    if row.frequency != frequency:
        row.frequency = frequency
        row.save(update_fields=["frequency"])
    return row


def _send_with_attachments(case: Case, text: str, files: list[tuple[str, bytes, str]]):
    """Record the message and its files on the case, then send: the send is the last step,
    so a failure before it rolls everything back and the next run retries, and nothing is
    recorded as sent that did not go."""
    to = case.reply_to_address
    message_id = f"<{case.reference}.{secrets.token_hex(6)}@{outbound.desk_domain()}>"
    headers = {
        "Message-ID": message_id,
        "X-LedgerDesk-Case": case.reference,
        "X-Loop": case.team.email,
        "Auto-Submitted": "auto-generated",
        **outbound.thread_headers(case),
    }
    subject = outbound.tagged_subject(case)
    mail = EmailMessage(
        subject=subject,
        body=text,
        from_email=formataddr((case.team.name, case.team.email)),
        to=[to],
        reply_to=[case.team.email],
        headers=headers,
    )
    message = Message(
        message_id=message_id.strip("<>"),
        sender_name=case.team.name,
        sender_email=case.team.email,
        to=to,
        subject=subject,
        text=text,
        at=timezone.now(),
    )
    desk.record_outbound(case, message, counts_as_response=False)
    for filename, content, mimetype in files:
        mail.attach(filename, content, mimetype)
        attachment = Attachment(
            message=message, filename=filename, content_type=mimetype, size=len(content)
        )
        attachment.file.save(filename, ContentFile(content), save=True)
    mail.send(fail_silently=False)
    return message


def period_words(start: dt.date, end: dt.date) -> str:
    """ "October 2026" for one whole calendar month, else "1 October 2026 to 30 November
    2026" (two whole months are not "October")."""
    whole_month = (
        start.day == 1
        and (start.year, start.month) == (end.year, end.month)
        and (end + dt.timedelta(days=1)).day == 1
    )
    if whole_month:
        return f"{start:%B %Y}"
    return f"{short_day_words(start)} to {short_day_words(end)}"


@transaction.atomic
def send_statement(
    party: Party, start: dt.date, end: dt.date, *, scheduled: bool = True
) -> StatementSent:
    """Send the period's statement by the billing contact's channel. A scheduled one goes
    once per period (the row is written first, so a second worker fails on the unique
    constraint before it sends); one an agent asks for goes whenever asked."""
    if start > end:
        raise CreditControlError("start: the period starts after it ends")
    record = StatementSent.objects.create(
        party=party, period_start=start, period_end=end, channel="", scheduled=scheduled
    )
    contact = billing_contact(party)
    team = receivables_team()
    period = period_words(start, end)
    subject, body = STATEMENT
    case = desk.open_case(
        team=team,
        subject=subject.format(period=period),
        channel=Case.Channel.PROACTIVE,
        category=Case.Category.STATEMENT,
        party=party,
        contact=contact,
    )
    if is_email_channel(contact):
        # PDF to read, CSV for the customer's accounts team to import and reconcile.
        files = [render(party, start, end, PDF), render(party, start, end, CSV)]
        text = body.format(
            name=contact.name, period=period, end=short_day_words(end), team=team.name
        )
        _send_with_attachments(case, text, files)
        desk.resolve(case, "Statement sent.")
        record.channel, record.sent_to = contact.preferred_channel, contact.email
    else:
        channel = contact.preferred_channel if contact else "letter"
        FollowUp.objects.create(
            kind=FollowUp.Kind.OTHER,
            due_on=timezone.localdate(),
            note=f"Post the statement for {period} to {party} (they prefer {channel}); "
            "download it from the party page.",
            owner=case.owner,
            party=party,
            case=case,
        )
        record.channel = channel
    record.case = case
    record.save(update_fields=["channel", "sent_to", "case"])
    return record


def send_scheduled(today: dt.date | None = None) -> int:
    """Last month's statement to every party on a monthly schedule that has not had it."""
    today = today or timezone.localdate()
    start, end = previous_month(today)
    due = (
        StatementSchedule.objects.filter(frequency=StatementSchedule.Frequency.MONTHLY)
        .exclude(
            party__in=StatementSent.objects.filter(period_start=start, scheduled=True).values(
                "party"
            )
        )
        .select_related("party")
    )
    sent = 0
    for row in due:
        try:
            send_statement(row.party, start, end)
        except IntegrityError:
            continue  # sent by another worker meanwhile
        except (CreditControlError, desk.DeskError, OSError):
            # One customer's failure (a mail server hiccup) must not hold back everyone
            # else's statement; nothing was recorded for it, so tomorrow's run retries.
            log.exception("statement for party %s failed", row.party_id)
            continue
        sent += 1
    return sent
