"""Mail from the desk to the customer, threaded so it lands in the same conversation.

Every message carries the case tag in the subject (`[AP-2026-000123]`), its
own Message-ID, and In-Reply-To/References pointing at the conversation, so
Outlook, Gmail and Apple Mail thread it, and the customer's answer finds its
way back to the case even when the tag is edited away. Acknowledgements are
marked `Auto-Submitted: auto-replied` (RFC 3834) so well-behaved
auto-responders do not answer them.
"""

from __future__ import annotations

import re
import secrets
import zoneinfo
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from ledgerdesk.desk import services
from ledgerdesk.desk.models import Case, Message

_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|sv|vs|tr|rif|antw)\s*:\s*)+", re.IGNORECASE)
_TAG = re.compile(r"\[[A-Z]{2,4}-\d{4}-\d{6}\]\s*")
MAX_REFERENCES = 20  # long threads: keep the first and the latest ids, as RFC 5322 suggests


def desk_domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL
    return address.rsplit("@", 1)[-1].strip(">") or "ledgerdesk.local"


def tagged_subject(case: Case) -> str:
    bare = _TAG.sub("", _PREFIX.sub("", case.subject)).strip() or "Your inquiry"
    return f"Re: [{case.reference}] {bare}"


def thread_headers(case: Case) -> dict[str, str]:
    ids = list(case.messages.order_by("at", "id").values_list("message_id", flat=True))
    if not ids:
        return {}
    inbound = (
        case.messages.filter(direction=Message.Direction.INBOUND)
        .order_by("-at", "-id")
        .values_list("message_id", flat=True)
        .first()
    )
    if len(ids) > MAX_REFERENCES:
        ids = ids[:1] + ids[-(MAX_REFERENCES - 1) :]
    return {
        "In-Reply-To": f"<{inbound or ids[-1]}>",
        "References": " ".join(f"<{i}>" for i in ids),
    }


def _local(case: Case, moment) -> str:
    zone = zoneinfo.ZoneInfo(case.contact.time_zone if case.contact_id else settings.TIME_ZONE)
    return timezone.localtime(moment, zone).strftime("%A %-d %B, %H:%M")


def acknowledgement_text(case: Case) -> str:
    name = case.reply_to_name or "there"
    due = case.first_response_due or case.resolution_due
    when = f" by {_local(case, due)}" if due else " within one working day"
    owner = case.owner.get_full_name() or case.owner.get_username()
    return (
        f"Dear {name},\n\n"
        f"Thank you for writing to us. Your message is now case {case.reference}, and "
        f"{owner} of our {case.team.name} team is looking after it personally.\n\n"
        f"What happens next: {owner} will review it against our records and reply to you"
        f"{when}. If you write again, simply reply to this e-mail and it will reach "
        f"{owner} directly.\n\n"
        f"Thank you for your patience and for your business.\n\n"
        f"Kind regards,\n{case.team.name}"
    )


def send(
    case: Case,
    text: str,
    *,
    author=None,
    acknowledgement=False,
    review=None,
    override_reason: str = "",
    at=None,
    notice=False,
) -> Message:
    """Send `text` to the case's customer and record it on the timeline.

    `at` is when it was sent: now, except when history is replayed (the demo).
    A `notice` (the case changed hands) is written by a person's action, so it is not
    marked Auto-Submitted, but it answers nothing: no clock stops.
    """
    to = case.reply_to_address
    if not to:
        raise services.DeskError("to: the case has no e-mail address to answer")
    domain = desk_domain()
    # Short enough never to be folded onto a second header line.
    message_id = f"<{case.reference}.{secrets.token_hex(6)}@{domain}>"
    headers = {
        "Message-ID": message_id,
        "X-LedgerDesk-Case": case.reference,
        "X-Loop": case.team.email,
        **thread_headers(case),
    }
    if acknowledgement:
        headers["Auto-Submitted"] = "auto-replied"
    sender = formataddr((case.team.name, case.team.email))
    subject = tagged_subject(case)
    mail = EmailMessage(
        subject=subject,
        body=text,
        from_email=sender,
        to=[to],
        reply_to=[case.team.email],
        headers=headers,
    )
    mail.send(fail_silently=False)
    message = Message(
        message_id=message_id.strip("<>"),
        in_reply_to=headers.get("In-Reply-To", "").strip("<>"),
        references=headers.get("References", ""),
        sender_name=case.team.name,
        sender_email=case.team.email,
        to=to,
        subject=subject,
        text=text,
        at=at or timezone.now(),
        author=author,
        review=review,
        review_override_reason=override_reason[:300],
    )
    return services.record_outbound(
        case, message, acknowledgement=acknowledgement, counts_as_response=not notice
    )


def acknowledge(case: Case, at=None) -> Message:
    return send(case, acknowledgement_text(case), acknowledgement=True, at=at)
