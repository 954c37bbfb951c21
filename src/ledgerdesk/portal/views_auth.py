"""Getting in: the agent's invitation, setting a password, password + e-mailed code, signing out.

Sign-in has two steps. The password step only remembers, in the session, which account
is half signed in and which code was sent; the user is signed in (`login()`) after the code,
so a session that never passed the second factor is not signed in at all. django-axes
counts failed passwords here as on the console's sign-in (the form field is `username`).
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ledgerdesk.core.access import console_view
from ledgerdesk.parties.models import Contact
from ledgerdesk.portal import services
from ledgerdesk.portal.forms import CodeForm, LoginForm
from ledgerdesk.portal.models import PortalAccount
from ledgerdesk.portal.scoping import VERIFIED
from ledgerdesk.portal.services import CODE_MINUTES, PortalError

PENDING = "portal.pending"  # session key: {"account", "code", "at", "next"} between the steps
BACKEND = "django.contrib.auth.backends.ModelBackend"
WRONG = "That e-mail address and password do not match. Please try again."


def _safe_next(request, value: str) -> str:
    allowed = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if value and allowed and value.startswith(reverse("portal:home")):
        return value
    return reverse("portal:home")


def login_view(request):
    if request.user.is_authenticated and request.session.get(VERIFIED) == request.user.pk:
        return redirect("portal:home")
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip().lower()
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        account = (
            PortalAccount.objects.select_related("contact", "user").filter(user=user).first()
            if user is not None
            else None
        )
        if account is None or not account.is_active:
            # Staff users and unknown users get the same words as a wrong password.
            form.add_error("password", WRONG)
        else:
            try:
                code = services.issue_code(account)
            except PortalError as exc:
                form.add_error("password", exc.message)
            else:
                request.session.pop(VERIFIED, None)
                request.session[PENDING] = {
                    "account": account.pk,
                    "code": code.pk,
                    "at": int(time.time()),
                    "next": _safe_next(request, next_url),
                }
                return redirect("portal:code")
    return render(request, "portal/login.html", {"form": form, "next": next_url})


def _pending(request) -> tuple[PortalAccount | None, dict]:
    pending = request.session.get(PENDING) or {}
    if not pending or time.time() - pending.get("at", 0) > CODE_MINUTES * 60:
        return None, {}
    account = (
        PortalAccount.objects.select_related("user", "contact", "party")
        .filter(pk=pending.get("account"), is_active=True)
        .first()
    )
    return account, pending


def code_view(request):
    account, pending = _pending(request)
    if account is None:
        request.session.pop(PENDING, None)
        messages.info(request, "Please sign in again; your code is no longer valid.")
        return redirect("portal:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.check_code(account, pending["code"], form.cleaned_data["code"])
        if result.ok:
            request.session.pop(PENDING, None)
            login(request, account.user, backend=BACKEND)
            request.session[VERIFIED] = account.user.pk
            return redirect(pending.get("next") or "portal:home")
        if result.tries_left:
            left = "1 more try" if result.tries_left == 1 else f"{result.tries_left} more tries"
            form.add_error("code", f"That code is not right. You have {left}.")
        else:
            request.session.pop(PENDING, None)
            messages.warning(
                request, "That code can no longer be used. Please sign in again for a new one."
            )
            return redirect("portal:login")
    return render(request, "portal/code.html", {"form": form, "email": account.user.email})


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "You are signed out. Thank you for visiting.")
    return redirect("portal:login")


def welcome(request, token):
    """The invitation link: choose a password. Used, replaced or old links answer 404."""
    account = services.account_for_invitation(token)
    if account is None:
        return render(request, "portal/link_gone.html", status=404)
    form = SetPasswordForm(account.user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["autocomplete"] = "new-password"
    if request.method == "POST" and form.is_valid():
        services.accept_invitation(account, form.cleaned_data["new_password1"])
        messages.success(request, "Your password is set. Sign in with it now.")
        return redirect("portal:login")
    return render(request, "portal/welcome.html", {"form": form, "account": account})


@console_view(perm="parties.change_contact")
def invite(request, contact_id):
    """From the console: give a contact portal access and e-mail them the invitation."""
    contact = get_object_or_404(Contact.objects.select_related("party"), pk=contact_id)
    account = PortalAccount.objects.filter(contact=contact).first()
    error = ""
    if request.method == "POST":
        try:
            # The link points at LEDGERDESK_SITE_URL, the portal's public address, which
            # need not be the address the agent reached the console by.
            services.invite(contact, invited_by=request.user)
        except PortalError as exc:
            error = exc.message
        else:
            messages.success(request, f"Invitation sent to {contact.name} at {contact.email}.")
            return redirect("parties:detail", contact.party_id)
    return render(
        request,
        "portal/invite.html",
        {"contact": contact, "account": account, "error": error},
        status=400 if error else 200,
    )
