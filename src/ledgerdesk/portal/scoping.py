"""The one place that decides what a portal user may see: their own party's rows, nothing else.

Every portal view is wrapped in `portal_view`, gets the party with `party_for(request)`, and
reads through `scoped(queryset, party)`; an object named by an id in the address is fetched
with `get_scoped(...)`, which answers 404 for another party's object exactly as for an id that
does not exist, so a guessed id tells nobody whether it is in use. No view filters by party
itself. A model that has no entry in `PARTY_PATHS` cannot be served to the portal at all.

The signed links (an invoice's status without an account) are opened here too, with
`invoice_from_token`, so every road from an address to a row runs through this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.core import signing
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from ledgerdesk.desk.models import Case, Message
from ledgerdesk.ledger.models import (
    Invoice,
    InvoiceLine,
    InvoiceStatusChange,
    Payment,
    PaymentAllocation,
)
from ledgerdesk.parties.models import BankAccount, Contact, Party
from ledgerdesk.payables.models import InvoiceMatch
from ledgerdesk.portal.models import PortalAccount
from ledgerdesk.portal.plainwords import Reader, babel_locale

VERIFIED = "portal.verified"  # session key: the second factor was passed in this session
INVOICE_LINK_SALT = "ledgerdesk.portal.invoice-link"
INVOICE_LINK_DAYS = 30

# How each model reaches its party. An allocation joins a payment to an invoice; both must be
# the party's, so one party's payment can never show another party's invoice.
PARTY_PATHS: dict[type, tuple[str, ...]] = {
    Invoice: ("party",),
    InvoiceLine: ("invoice__party",),
    InvoiceStatusChange: ("invoice__party",),
    Payment: ("party",),
    PaymentAllocation: ("payment__party", "invoice__party"),
    Case: ("party",),
    Message: ("case__party",),
    Contact: ("party",),
    BankAccount: ("party",),
    InvoiceMatch: ("invoice__party",),
}


@dataclass(frozen=True)
class PortalContext:
    account: PortalAccount
    reader: Reader

    @property
    def party(self) -> Party:
        return self.account.party

    @property
    def contact(self) -> Contact:
        return self.account.contact


def reader_for(contact: Contact | None) -> Reader:
    if contact is None:
        return Reader()
    return Reader(locale=babel_locale(contact.language), time_zone=contact.time_zone)


def _login_redirect(request):
    return redirect(f"{reverse('portal:login')}?{urlencode({'next': request.get_full_path()})}")


def portal_view(view=None, *, side: str | None = None):
    """A portal page: a portal user who passed the second factor in this session.

    Signed out (or half signed in): sent to the portal's sign-in. Signed in without a portal
    account (staff): 403. `side="vendor"` or `"customer"` keeps a page to parties that are one:
    404 for the others, as if the page were not there.
    """

    def decorate(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return _login_redirect(request)
            account = (
                PortalAccount.objects.select_related("party", "contact").filter(user=user).first()
            )
            if account is None:
                raise PermissionDenied
            usable = (
                account.is_active
                and user.is_active
                and account.contact.party_id == account.party_id
            )
            if not usable:
                logout(request)
                return _login_redirect(request)
            if request.session.get(VERIFIED) != user.pk:
                return _login_redirect(request)
            if side == "vendor" and not account.party.is_vendor:
                raise Http404
            if side == "customer" and not account.party.is_customer:
                raise Http404
            request.portal = PortalContext(account, reader_for(account.contact))
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def party_for(request) -> Party:
    """The party the signed-in portal user acts for; only inside a `portal_view`."""
    context = getattr(request, "portal", None)
    if context is None:
        raise PermissionDenied
    return context.party


def scoped(queryset: QuerySet, party: Party) -> QuerySet:
    """`queryset` limited to what `party` may see."""
    try:
        paths = PARTY_PATHS[queryset.model]
    except KeyError:
        raise ImproperlyConfigured(
            f"{queryset.model.__name__} has no party path; the portal cannot serve it"
        ) from None
    queryset = queryset.filter(**dict.fromkeys(paths, party))
    if queryset.model is Case:
        # Colleagues' internal cases about the party are not the party's to read, and a
        # merged case lives on in the case it was merged into.
        queryset = queryset.exclude(channel=Case.Channel.INTERNAL).exclude(state=Case.State.MERGED)
    elif queryset.model is Message:
        queryset = queryset.exclude(case__channel=Case.Channel.INTERNAL)
    return queryset


def get_scoped(queryset: QuerySet, party: Party, **lookup):
    """One object of `party`'s by its id (or reference): 404 for anybody else's."""
    return get_object_or_404(scoped(queryset, party), **lookup)


# --- Signed links ------------------------------------------------------------------------------


def invoice_token(invoice: Invoice) -> str:
    return signing.TimestampSigner(salt=INVOICE_LINK_SALT).sign(str(invoice.pk))


def invoice_from_token(token: str) -> Invoice:
    """The invoice a signed link names; 404 when tampered with or expired, never saying which."""
    try:
        value = signing.TimestampSigner(salt=INVOICE_LINK_SALT).unsign(
            token, max_age=INVOICE_LINK_DAYS * 24 * 3600
        )
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        raise Http404 from None
    if not value.isdigit():
        raise Http404
    invoice = Invoice.objects.select_related("party").filter(pk=int(value)).first()
    if invoice is None:
        raise Http404
    return invoice
