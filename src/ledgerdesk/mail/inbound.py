"""Inbound mail: one raw message in, a case opened or continued, or a clear reason why not.

The same path serves the IMAP poller, the SMTP listener and
`ledgerdesk ingest-mail`. Every message seen is recorded once in
`ProcessedMail` (by Message-ID, or by the hash of its bytes when it has
none), so a message delivered twice is stored once; one that cannot be read
goes to `QuarantinedMail` with the reason, never dropped.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from ledgerdesk.core import audit
from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Attachment, Case, CaseEvent, Message, Team
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.mail import outbound
from ledgerdesk.mail.models import ProcessedMail, QuarantinedMail
from ledgerdesk.mail.parsing import (
    Disposition,
    ParsedMessage,
    ParseError,
    classify,
    find_case_reference,
    find_invoice_numbers,
    parse_message,
)
from ledgerdesk.mail.quoting import split_reply
from ledgerdesk.parties.models import Contact, Party

log = logging.getLogger(__name__)

# Addresses at these domains belong to people, not organisations: a sender
# there is matched by the full address only, never by domain.
FREE_MAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "proton.me",
        "protonmail.com",
        "mail.com",
        "yandex.ru",
    ]
)


@dataclass
class IngestResult:
    outcome: str  # a ProcessedMail.Outcome value, or "duplicate"
    case: Case | None = None
    reason: str = ""
    acknowledged: bool = False


def own_addresses() -> set[str]:
    return {email.lower() for email in Team.objects.values_list("email", flat=True)}


def fingerprint(parsed: ParsedMessage) -> str:
    """What the message says, independent of the route it took (Received headers differ)."""
    parts = [parsed.sender_email, parsed.subject, parsed.text]
    parts += [f"{a.filename}:{a.size}" for a in parsed.attachments]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()


def ingest(raw: bytes, origin: str, received_at=None) -> IngestResult:
    """Place one raw message. `received_at` is when it reached us (now, unless replayed)."""
    received_at = received_at or timezone.now()
    sha = hashlib.sha256(raw).hexdigest()
    seen = ProcessedMail.objects.filter(raw_sha256=sha).select_related("case").first()
    if seen:
        return IngestResult("duplicate", seen.case, f"already processed on {seen.at:%Y-%m-%d}")
    try:
        parsed = parse_message(raw)
    except ParseError as exc:
        return _quarantine(raw, sha, origin, exc.reason)
    content = fingerprint(parsed)
    seen = ProcessedMail.objects.filter(message_id=parsed.message_id).select_related("case").first()
    if seen:
        if seen.content_sha256 and seen.content_sha256 != content:
            # Some scanners and broken mailers reuse Message-IDs: a different message
            # under a known id is kept for a person to look at, never taken as a copy.
            return _quarantine(
                raw,
                sha,
                origin,
                f"Message-ID {parsed.message_id[:80]} reused by a different message",
            )
        return IngestResult("duplicate", seen.case, "this Message-ID was already processed")
    disposition = classify(parsed, own_addresses())
    try:
        with audit.acting_as(label=f"mail:{origin[:40]}"), transaction.atomic():
            result = _place(parsed, disposition, sha, content, origin, received_at)
    except IntegrityError as exc:
        seen = ProcessedMail.objects.filter(message_id=parsed.message_id).first()
        if seen is not None:  # a second delivery of the same message raced us
            return IngestResult("duplicate", seen.case, "this message was processed concurrently")
        return _quarantine(raw, sha, origin, f"could not be stored: {exc}")
    except Exception as exc:  # never drop a message: keep it with the reason
        log.exception("could not place message from %s", origin)
        return _quarantine(raw, sha, origin, f"could not be placed on a case: {exc}")
    if result.outcome == ProcessedMail.Outcome.NEW_CASE and disposition.may_auto_reply:
        result.acknowledged = _acknowledge(result.case, received_at)
    return result


def _quarantine(raw: bytes, sha: str, origin: str, reason: str) -> IngestResult:
    QuarantinedMail.objects.get_or_create(
        raw_sha256=sha, defaults={"origin": origin[:300], "reason": reason[:500], "raw": raw}
    )
    ProcessedMail.objects.get_or_create(
        message_id=f"sha256:{sha}",
        defaults={
            "raw_sha256": sha,
            "origin": origin[:300],
            "outcome": ProcessedMail.Outcome.QUARANTINED,
            "note": reason[:300],
        },
    )
    return IngestResult(ProcessedMail.Outcome.QUARANTINED, None, reason)


def _place(
    parsed: ParsedMessage,
    disposition: Disposition,
    sha: str,
    content: str,
    origin: str,
    received_at,
) -> IngestResult:
    case = find_thread(parsed)
    if not disposition.may_open_case:
        if case is not None:
            desk.event(
                case,
                CaseEvent.Kind.SYSTEM,
                f"Ignored an automatic message from {parsed.sender_email}: "
                f"{disposition.reason} ({parsed.subject[:120]})",
            )
        _processed(
            parsed, sha, content, origin, ProcessedMail.Outcome.IGNORED, case, disposition.reason
        )
        return IngestResult(ProcessedMail.Outcome.IGNORED, case, disposition.reason)

    message = _message(parsed, sha, received_at)
    if case is not None:
        desk.record_inbound(case, message)
        _attachments(message, parsed)
        _link_invoices(case, parsed)
        _processed(parsed, sha, content, origin, ProcessedMail.Outcome.THREADED, case)
        return IngestResult(ProcessedMail.Outcome.THREADED, case)

    contact, party = find_sender(parsed.sender_email)
    case = desk.open_case(
        team=choose_team(parsed, party),
        subject=parsed.subject,
        text=message.text,
        party=party,
        contact=contact,
        requester_email=parsed.sender_email if contact is None else "",
        requester_name=parsed.sender_name if contact is None else "",
        invoices=_invoices(parsed, party),
        # The clocks start when the message reached us, not at the sender's Date header.
        opened_at=received_at,
    )
    desk.record_inbound(case, message)
    _attachments(message, parsed)
    _processed(parsed, sha, content, origin, ProcessedMail.Outcome.NEW_CASE, case)
    return IngestResult(ProcessedMail.Outcome.NEW_CASE, case)


def find_thread(parsed: ParsedMessage) -> Case | None:
    """The case this message continues: by the headers first, then by the subject tag."""
    ids = [i for i in [parsed.in_reply_to, *reversed(parsed.references)] if i]
    if ids:
        known = Message.objects.filter(message_id__in=ids).select_related("case").first()
        if known:
            return _follow_merges(known.case)
    reference = find_case_reference(parsed.subject)
    if reference:
        case = Case.objects.filter(reference=reference).first()
        if case:
            return _follow_merges(case)
    return None


def _follow_merges(case: Case) -> Case:
    for _ in range(10):  # merged into a case that was merged in turn
        if case.merged_into_id is None:
            break
        case = case.merged_into
    return case


def find_sender(address: str) -> tuple[Contact | None, Party | None]:
    """The contact who wrote, or at least their organisation by e-mail domain."""
    if not address:
        return None, None
    contact = Contact.objects.select_related("party").filter(email__iexact=address).first()
    if contact:
        return contact, contact.party
    domain = address.rsplit("@", 1)[-1].lower()
    if domain in FREE_MAIL:
        return None, None
    parties = Party.objects.filter(contacts__email__iendswith=f"@{domain}").distinct()[:2]
    if len(parties) == 1:  # a domain shared by two parties names neither
        return None, parties[0]
    return None, None


def choose_team(parsed: ParsedMessage, party: Party | None) -> Team:
    recipients = {a.lower() for a in [*parsed.to, *parsed.cc]}
    teams = list(Team.objects.all())
    for team in teams:
        if team.email.lower() in recipients:
            return team
    wanted = "ar" if party is not None and party.is_customer and not party.is_vendor else "ap"
    for team in teams:
        if team.direction == wanted:
            return team
    if not teams:
        raise desk.DeskError("no team is set up to receive mail")
    return teams[0]


def _invoices(parsed: ParsedMessage, party: Party | None) -> list[Invoice]:
    numbers = find_invoice_numbers(f"{parsed.subject}\n{parsed.text}")[:10]
    if not numbers:
        return []
    invoices = Invoice.objects.filter(number__in=numbers).order_by("id")
    if party is not None:
        invoices = invoices.filter(party=party)
    # Without a known party a number alone could be anyone's invoice.
    return list(invoices[:10]) if party is not None else []


def _link_invoices(case: Case, parsed: ParsedMessage) -> None:
    found = _invoices(parsed, case.party)
    desk.link_invoices(case, found)


def _message(parsed: ParsedMessage, sha: str, received_at) -> Message:
    new_text, quoted, signature = split_reply(parsed.text)
    return Message(
        message_id=parsed.message_id[:255],
        in_reply_to=parsed.in_reply_to[:255],
        references=" ".join(parsed.references),
        sender_name=parsed.sender_name[:200],
        sender_email=parsed.sender_email[:254],
        to=", ".join(parsed.to),
        cc=", ".join(parsed.cc),
        subject=parsed.subject[:300],
        text=new_text,
        quoted_text=quoted,
        signature=signature,
        html=parsed.html,
        # Received time, not the sender's Date header: the timeline and the clocks
        # follow when the desk had the message.
        at=received_at,
        raw_sha256=sha,
    )


def _attachments(message: Message, parsed: ParsedMessage) -> None:
    for index, part in enumerate(parsed.attachments, start=1):
        name = (part.filename or f"attachment-{index}").replace("/", "_")[:200]
        attachment = Attachment(
            message=message, filename=name, content_type=part.content_type[:100], size=part.size
        )
        attachment.file.save(name, ContentFile(part.content), save=True)


def _processed(parsed, sha, content, origin, outcome, case, note=""):
    ProcessedMail.objects.create(
        message_id=parsed.message_id[:255],
        raw_sha256=sha,
        content_sha256=content,
        origin=origin[:300],
        outcome=outcome,
        case=case,
        note=note[:300],
    )


def _acknowledge(case: Case, at) -> bool:
    """Tell the customer at once that we have it; a failed send is noted, not fatal."""
    try:
        outbound.acknowledge(case, at=at)
        return True
    except Exception as exc:
        log.warning("acknowledgement for %s failed: %s", case.reference, exc)
        desk.event(case, CaseEvent.Kind.SYSTEM, f"The acknowledgement could not be sent: {exc}")
        return False


__all__ = ["IngestResult", "find_sender", "find_thread", "ingest"]
