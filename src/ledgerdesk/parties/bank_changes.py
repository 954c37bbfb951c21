"""Bank detail changes: the classic fraud path, so a change never takes effect on submit.

1. `request_change`: the new account is stored as *pending* (never active) with a held request;
   the phone numbers and e-mail addresses on file at that moment are kept on the request.
2. `record_verification`: an agent called the party back on one of those numbers.
3. `approve`: a second colleague (not the one who called back) approves; only now does the new
   account become active and the previous one retired.
   `reject` ends a request at any open step; the pending account is retired unused.

Every step writes an audit entry and e-mails the contact addresses that were on file before the
request, showing no more of the new account than its last four characters. Payments must pick
the account with `payable_account`, which only ever answers an active account.
"""

from __future__ import annotations

import contextlib
import re

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from ledgerdesk.core import audit
from ledgerdesk.core.models import AuditEntry
from ledgerdesk.parties.models import BankAccount, BankDetailsChange, Contact, Party

State = BankDetailsChange.State
_BIC = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")


def payable_account(party: Party) -> BankAccount | None:
    """The one account payments to `party` may go to: the active one, never a pending one."""
    return _active().filter(party=party).first()


def payable_accounts(party_ids) -> dict[int, BankAccount]:
    """`payable_account` for many parties in one query: party id -> account (if it has one)."""
    accounts: dict[int, BankAccount] = {}
    for account in _active().filter(party_id__in=list(party_ids)):
        accounts.setdefault(account.party_id, account)
    return accounts


def _active():
    return BankAccount.objects.filter(status=BankAccount.Status.ACTIVE).order_by(
        "-created_at", "-id"
    )


def normalize_phone(number: str) -> str:
    digits = re.sub(r"\D", "", number or "")
    return ("+" + digits) if (number or "").strip().startswith("+") else digits


def phones_on_file(party: Party) -> list[str]:
    """The party's contacts' phone numbers as stored now, primary contacts first, no repeats."""
    numbers: list[str] = []
    seen: set[str] = set()
    for phone in party.contacts.order_by("-is_primary", "name", "id").values_list(
        "phone", flat=True
    ):
        key = normalize_phone(phone)
        if key and key not in seen:
            seen.add(key)
            numbers.append(phone.strip())
    return numbers


def _old_addresses(party: Party) -> list[str]:
    contacts = party.contacts.exclude(email="")
    primary = list(contacts.filter(is_primary=True).values_list("email", flat=True))
    emails = primary or list(contacts.values_list("email", flat=True))
    return sorted({e.strip().lower() for e in emails if e.strip()})


def _clean_iban(value: str) -> str:
    try:
        return stdnum_iban.validate(value or "")
    except StdnumError:
        raise ValidationError(
            {"iban": "This is not a valid IBAN: check the country code, length and digits."},
            code="iban",
        ) from None


def _clean_bic(value: str) -> str:
    bic = re.sub(r"\s", "", value or "").upper()
    if bic and not _BIC.match(bic):
        raise ValidationError(
            {"bic": "A BIC has 8 or 11 letters and digits, e.g. ABNANL2A."}, code="bic"
        )
    return bic


def _notify(change: BankDetailsChange, subject: str, what: str) -> None:
    if not change.notify_emails:
        return
    body = (
        f"Hello,\n\n{what}\n\n"
        f"Company: {change.party.name}\n"
        f"New account: ending {change.last4}\n\n"
        "We never pay into a new account before we have called you back on the phone number "
        "we already had for you and a second colleague has approved the change.\n"
        "If you did not ask for this change, reply to this e-mail or call us at once.\n"
    )
    send_mail(subject, body, None, change.notify_emails)


def _record(change: BankDetailsChange, before: dict, note: str) -> None:
    after = {"state": change.state}
    audit.record(AuditEntry.Action.STATUS, change, before, after, note)


def _lock(change: BankDetailsChange) -> BankDetailsChange:
    return BankDetailsChange.objects.select_for_update().select_related("party").get(pk=change.pk)


@transaction.atomic
def request_change(
    party: Party,
    *,
    iban: str,
    bic: str = "",
    holder_name: str = "",
    user=None,
    contact: Contact | None = None,
) -> BankDetailsChange:
    """Hold a request to pay `party` into a new account; nothing changes for payments yet."""
    if contact is not None and contact.party_id != party.pk:
        raise ValidationError({"contact": "This contact belongs to another party."})
    clean_iban = _clean_iban(iban)
    clean_bic = _clean_bic(bic)
    Party.objects.select_for_update().filter(pk=party.pk).first()  # one request at a time
    if BankDetailsChange.objects.filter(
        party=party, state__in=[State.HELD, State.VERIFIED]
    ).exists():
        raise ValidationError(
            {"iban": "A change of bank details is already waiting to be checked for this party."}
        )
    holder = (holder_name or "").strip()[:200]
    with audit.acting_as(user) if user is not None else contextlib.nullcontext():
        account = BankAccount.objects.create(
            party=party,
            iban=clean_iban,
            bic=clean_bic,
            holder_name=holder,
            status=BankAccount.Status.PENDING,
        )
        change = BankDetailsChange.objects.create(
            party=party,
            account=account,
            previous_account=payable_account(party),
            iban=clean_iban,
            bic=clean_bic,
            holder_name=holder,
            state=State.HELD,
            requested_by=user,
            requested_by_contact=contact,
            phones_on_file=phones_on_file(party),
            notify_emails=_old_addresses(party),
        )
        who = contact.name if contact is not None else (user.get_username() if user else "system")
        _record(change, {}, f"requested by {who}; held until called back and approved")
    _notify(
        change,
        "A change of bank details was requested",
        "We received a request to pay you into a different bank account from now on. "
        "It is on hold: nothing changes until we have checked it.",
    )
    return change


@transaction.atomic
def record_verification(change: BankDetailsChange, agent, phone_called: str, note: str = ""):
    """`agent` called the party back on `phone_called`, a number on file before the request."""
    change = _lock(change)
    if change.state != State.HELD:
        raise ValidationError(
            {"state": f"Only a held request can be verified; this one is {change.state}."}
        )
    wanted = normalize_phone(phone_called)
    on_file = {normalize_phone(p) for p in change.phones_on_file}
    if not wanted or wanted not in on_file:
        raise ValidationError(
            {
                "phone_called": "Call back only on a number we had on file before the request: "
                + (", ".join(change.phones_on_file) or "there is none, so reject the request")
                + "."
            }
        )
    if change.requested_by_id is not None and change.requested_by_id == agent.pk:
        raise ValidationError(
            {"verified_by": "The person who entered the change cannot also verify it."}
        )
    if not (note or "").strip():
        raise ValidationError({"note": "Say whom you spoke to and what they confirmed."})
    before = {"state": change.state}
    change.state = State.VERIFIED
    change.verified_by = agent
    change.verified_at = timezone.now()
    change.verified_phone = phone_called.strip()
    change.verification_note = note.strip()
    with audit.acting_as(agent):
        change.save()
        _record(change, before, f"called back on {change.verified_phone}: {note.strip()}"[:300])
    _notify(
        change,
        "We called you back about your bank details",
        f"We called you on {change.verified_phone} to confirm the change of bank details. "
        "A second colleague still has to approve it before we use the new account.",
    )
    return change


@transaction.atomic
def approve(change: BankDetailsChange, agent):
    """A second colleague approves: the new account becomes the active one, the old one retires."""
    change = _lock(change)
    if change.state != State.VERIFIED:
        raise ValidationError(
            {"state": "Only a request that was verified by a call-back can be approved."}
        )
    if agent.pk == change.verified_by_id:
        raise ValidationError(
            {"approved_by": "A second colleague must approve: you recorded the call-back."}
        )
    if change.requested_by_id is not None and agent.pk == change.requested_by_id:
        raise ValidationError(
            {"approved_by": "The person who entered the change cannot also approve it."}
        )
    before = {"state": change.state}
    now = timezone.now()
    with audit.acting_as(agent):
        for old in BankAccount.objects.filter(
            party_id=change.party_id, status=BankAccount.Status.ACTIVE
        ).exclude(pk=change.account_id):
            old.status = BankAccount.Status.RETIRED
            old.save()
        account = change.account
        account.status = BankAccount.Status.ACTIVE
        account.save()
        change.state = State.APPROVED
        change.approved_by = agent
        change.approved_at = now
        change.save()
        _record(change, before, f"approved; payments now go to the account ending {change.last4}")
    _notify(
        change,
        "Your new bank details are now in use",
        "The change of bank details was checked and approved. "
        "From now on we pay into the new account.",
    )
    return change


@transaction.atomic
def reject(change: BankDetailsChange, agent, reason: str):
    """End an open request; the pending account is retired without ever being used."""
    change = _lock(change)
    if not change.is_open:
        raise ValidationError({"state": f"This request is already {change.state}."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the change is rejected."})
    before = {"state": change.state}
    with audit.acting_as(agent):
        account = change.account
        account.status = BankAccount.Status.RETIRED
        account.save()
        change.state = State.REJECTED
        change.rejected_by = agent
        change.rejected_at = timezone.now()
        change.rejection_reason = reason.strip()
        change.save()
        _record(change, before, f"rejected: {reason.strip()}"[:300])
    _notify(
        change,
        "A change of bank details was not accepted",
        "We did not accept the request to change your bank details. "
        "We keep paying into the account we had.",
    )
    return change
