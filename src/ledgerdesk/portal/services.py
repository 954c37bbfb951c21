"""What may happen in the portal: invitations, sign-in codes, questions and replies.

Views call these; nothing else writes portal accounts. Cases are opened and answered through
`ledgerdesk.desk.services`, the only way into the desk, so a portal question lands in the
agent's queue exactly like an e-mail does.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Case, CaseEvent, Message, Team
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.mail import outbound
from ledgerdesk.parties.models import Contact
from ledgerdesk.portal import scoping
from ledgerdesk.portal.models import LoginCode, PortalAccount
from ledgerdesk.portal.plainwords import Reader

log = logging.getLogger(__name__)

INVITATION_SALT = "ledgerdesk.portal.invitation"
INVITATION_DAYS = 7
CODE_MINUTES = 10
# Codes one account may ask for in an hour: with five tries each, guessing a six-digit code
# stays hopeless even for someone who knows the password.
CODES_PER_HOUR = 5


class PortalError(Exception):
    """A refusal worth showing: "field: what is wrong"."""

    @property
    def field(self) -> str:
        return str(self).split(":", 1)[0]

    @property
    def message(self) -> str:
        return str(self).split(":", 1)[-1].strip()


# --- Invitations -------------------------------------------------------------------------------


def invitation_token(account: PortalAccount) -> str:
    return signing.TimestampSigner(salt=INVITATION_SALT).sign(
        f"{account.pk}.{account.invitation_nonce}"
    )


def account_for_invitation(token: str) -> PortalAccount | None:
    """The account an invitation link opens: None when tampered, expired, used or replaced."""
    try:
        value = signing.TimestampSigner(salt=INVITATION_SALT).unsign(
            token, max_age=INVITATION_DAYS * 24 * 3600
        )
    except signing.BadSignature:
        return None
    pk, _, nonce = value.partition(".")
    if not pk.isdigit() or not nonce:
        return None
    account = PortalAccount.objects.select_related("user", "contact", "party").filter(pk=pk).first()
    if account is None or not account.is_active or not account.invitation_nonce:
        return None
    if not constant_time_compare(account.invitation_nonce, nonce):
        return None
    return account


@transaction.atomic
def invite(contact: Contact, *, invited_by, base_url: str = "") -> PortalAccount:
    """Give `contact` portal access (or a fresh link) and e-mail them the invitation.

    The user has no usable password until the contact sets one through the link; only the
    latest link works, and only once.
    """
    email = (contact.email or "").strip().lower()
    if not email:
        raise PortalError("email: this contact has no e-mail address; add one first")
    users = get_user_model()
    account = PortalAccount.objects.select_related("user").filter(contact=contact).first()
    taken = users.objects.filter(username__iexact=email)
    if account is None:
        if taken.exists():
            raise PortalError(
                "email: a user with this e-mail address already exists; portal access needs "
                "an address of its own"
            )
        first, _, last = contact.name.strip().partition(" ")
        user = users(username=email, email=email, first_name=first[:150], last_name=last[:150])
        user.set_unusable_password()
        user.save()
        account = PortalAccount(user=user, party=contact.party, contact=contact)
    elif account.user.username != email:
        # The contact's address changed since the last invitation: sign in with the new one.
        if taken.exclude(pk=account.user_id).exists():
            raise PortalError("email: another user already signs in with this e-mail address")
        account.user.username = account.user.email = email
        account.user.save(update_fields=["username", "email"])
    account.party = contact.party
    account.is_active = True
    account.invitation_nonce = secrets.token_hex(16)
    account.invited_at = timezone.now()
    account.invited_by = invited_by
    account.save()
    if not account.user.is_active:
        account.user.is_active = True
        account.user.save(update_fields=["is_active"])
    base = (base_url or settings.SITE_URL).rstrip("/")
    link = base + reverse("portal:welcome", args=[invitation_token(account)])
    inviter = invited_by.get_full_name() if invited_by is not None else ""
    body = render_to_string(
        "portal/email/invitation.txt",
        {"contact": contact, "link": link, "days": INVITATION_DAYS, "inviter": inviter},
    )
    # Sent inside the transaction: if the mail server refuses it, no half-invited account stays.
    send_mail("Your access to our invoice and payment portal", body, None, [email])
    return account


@transaction.atomic
def accept_invitation(account: PortalAccount, password: str) -> PortalAccount:
    """Set the password the contact chose; the invitation link stops working."""
    account.user.set_password(password)
    account.user.save(update_fields=["password"])
    account.invitation_nonce = ""
    account.activated_at = account.activated_at or timezone.now()
    account.save(update_fields=["invitation_nonce", "activated_at"])
    return account


# --- The second factor -------------------------------------------------------------------------


def _code_hash(account_id: int, code: str) -> str:
    return salted_hmac("ledgerdesk.portal.code", f"{account_id}:{code}").hexdigest()


def issue_code(account: PortalAccount) -> LoginCode:
    """A new six-digit code by e-mail; any earlier code stops working."""
    now = timezone.now()
    recent = account.codes.filter(created_at__gte=now - timedelta(hours=1)).count()
    if recent >= CODES_PER_HOUR:
        raise PortalError(
            "code: we have sent you several codes in the last hour; please wait an hour and "
            "try again"
        )
    account.codes.filter(used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    row = LoginCode.objects.create(
        account=account,
        code_hash=_code_hash(account.pk, code),
        created_at=now,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    body = render_to_string(
        "portal/email/code.txt",
        {"contact": account.contact, "code": code, "minutes": CODE_MINUTES},
    )
    send_mail(f"Your sign-in code: {code}", body, None, [account.user.email])
    return row


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    tries_left: int = 0


def check_code(account: PortalAccount, code_id: int, code: str) -> CodeCheck:
    """Is `code` the one we sent? Every try counts, and a code works once.

    The try is counted with a conditional UPDATE before the comparison, so two requests
    racing with guesses cannot both slip under the limit, on SQLite or PostgreSQL.
    """
    now = timezone.now()
    live = LoginCode.objects.filter(
        pk=code_id,
        account=account,
        used_at__isnull=True,
        expires_at__gt=now,
        attempts__lt=LoginCode.MAX_ATTEMPTS,
    )
    if not live.update(attempts=F("attempts") + 1):
        return CodeCheck(ok=False)
    row = LoginCode.objects.get(pk=code_id)
    given = "".join(ch for ch in code if ch.isdigit())
    if constant_time_compare(row.code_hash, _code_hash(account.pk, given)):
        used = LoginCode.objects.filter(pk=code_id, used_at__isnull=True).update(used_at=now)
        return CodeCheck(ok=bool(used))
    return CodeCheck(ok=False, tries_left=max(0, LoginCode.MAX_ATTEMPTS - row.attempts))


# --- Questions, disputes and replies -----------------------------------------------------------


def team_for(invoice: Invoice) -> Team:
    team = Team.objects.filter(direction=invoice.direction).order_by("id").first()
    team = team or Team.objects.order_by("id").first()
    if team is None:
        raise PortalError("message: we cannot take questions here right now; please e-mail us")
    return team


def _message(account: PortalAccount, case: Case, subject: str, text: str) -> Message:
    contact = account.contact
    return Message(
        message_id=f"portal.{secrets.token_hex(10)}@{outbound.desk_domain()}",
        sender_name=contact.name[:200],
        sender_email=contact.email,
        to=case.team.email,
        subject=subject[:300],
        text=text,
        at=timezone.now(),
    )


def dispute_text(text: str, lines, currency: str, reader: Reader) -> str:
    if not lines:
        return text
    listed = "\n".join(
        f"- line {line.position}: {line.description or 'no description'} "
        f"({reader.money(line.net_amount, currency)})"
        for line in lines
    )
    return f"{text}\n\nThe lines in question:\n{listed}"


def raise_question(
    account: PortalAccount, invoice: Invoice, *, text: str, dispute: bool = False, lines=()
) -> Case:
    """Open a case about `invoice` from the portal; the agent sees it in their queue."""
    text = text.strip()
    if not text:
        raise PortalError("message: tell us what your question is")
    if invoice.party_id != account.party_id:  # views pass scoped invoices; this is a backstop
        raise PortalError("invoice: not one of your invoices")
    reader = scoping.reader_for(account.contact)
    body = dispute_text(text, list(lines), invoice.currency, reader) if dispute else text
    label = "credit note" if invoice.kind == Invoice.Kind.CREDIT_NOTE else "invoice"
    kind = "Dispute" if dispute else "Question"
    subject = f"{kind} about {label} {invoice.number}"
    with transaction.atomic():
        case = desk.open_case(
            team=team_for(invoice),
            subject=subject,
            text=body,
            channel=Case.Channel.PORTAL,
            category=Case.Category.DISPUTE if dispute else None,
            party=account.party,
            contact=account.contact,
            requester_email=account.contact.email,
            requester_name=account.contact.name,
            invoices=[invoice],
        )
        desk.record_inbound(case, _message(account, case, subject, body))
    _acknowledge(case)
    return case


def _acknowledge(case: Case) -> None:
    """The e-mail that confirms the case and names its owner; a failed send is noted only."""
    if not case.reply_to_address:
        return
    try:
        outbound.acknowledge(case)
    except Exception as exc:  # the case exists; the page already told them so
        log.warning("acknowledgement for %s failed: %s", case.reference, exc)
        desk.event(case, CaseEvent.Kind.SYSTEM, f"The acknowledgement could not be sent: {exc}")


@transaction.atomic
def reply(account: PortalAccount, case: Case, text: str) -> Message:
    """The contact writes on their case; a resolved case opens again (desk's rule)."""
    text = text.strip()
    if not text:
        raise PortalError("text: write your message first")
    if case.party_id != account.party_id:
        raise PortalError("case: not one of your questions")
    subject = f"Re: {case.subject}"
    return desk.record_inbound(case, _message(account, case, subject, text))


def invoice_link(invoice: Invoice, base_url: str = "") -> str:
    """A link to the invoice's status that works without an account for 30 days (for e-mails)."""
    base = (base_url or settings.SITE_URL).rstrip("/")
    return base + reverse("portal:signed_invoice", args=[scoping.invoice_token(invoice)])
