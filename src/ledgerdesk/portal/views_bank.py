"""Portal page for a vendor's bank details: submit new ones, see where a change stands.

A change never takes effect on submit: it is held until we have called the vendor back on a
number we already had and a second colleague has approved it (`ledgerdesk.parties.bank_changes`).
Rows are read through `portal.scoping`: a change is reached through its pending bank account.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from ledgerdesk.parties import bank_changes
from ledgerdesk.parties.models import BankAccount, BankDetailsChange
from ledgerdesk.portal.scoping import party_for, portal_view, scoped

HELD_NOTICE = (
    "Held until we have called you back on the number we have on file "
    "and a second colleague has approved it."
)


class BankDetailsForm(forms.Form):
    iban = forms.CharField(label="IBAN", max_length=42, help_text="e.g. NL91 ABNA 0417 1643 00")
    bic = forms.CharField(label="BIC (optional)", max_length=14, required=False)
    holder_name = forms.CharField(label="Account holder", max_length=200)


def _in_plain_words(change: BankDetailsChange, reader) -> str:
    State = BankDetailsChange.State
    if change.state == State.HELD:
        return "On hold: we will call you back on the phone number we already have for you."
    if change.state == State.VERIFIED:
        return "We have called you back. A second colleague is now checking the change."
    if change.state == State.APPROVED:
        return f"In use since {reader.date(change.approved_at)}: we now pay into this account."
    return "Not accepted: we keep paying into the account we had. Ask us if this surprises you."


@portal_view(side="vendor")
def bank_details(request):
    party, reader = party_for(request), request.portal.reader
    form = BankDetailsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bank_changes.request_change(
                party,
                iban=form.cleaned_data["iban"],
                bic=form.cleaned_data["bic"],
                holder_name=form.cleaned_data["holder_name"],
                user=request.user,
                contact=request.portal.contact,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, "Thank you. " + HELD_NOTICE)
            return redirect("portal:bank")
    accounts = scoped(BankAccount.objects.all(), party)
    requested = accounts.filter(change_request__isnull=False).select_related("change_request")
    changes = [
        {
            "last4": account.change_request.last4,
            "requested_on": reader.date(account.change_request.requested_at),
            "state": account.change_request.state,
            "words": _in_plain_words(account.change_request, reader),
        }
        for account in requested.order_by("-created_at", "-id")[:20]
    ]
    context = {
        "form": form,
        "current": accounts.filter(status=BankAccount.Status.ACTIVE).first(),
        "changes": changes,
        "held_notice": HELD_NOTICE,
        "open_change": any(c["state"] in ("held", "verified") for c in changes),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "portal/bank.html", context, status=status)
