"""Console pages for bank detail changes: record the call-back, approve (a second colleague),
reject. The rules live in `ledgerdesk.parties.bank_changes`; these pages only show and ask."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ledgerdesk.core.access import console_view
from ledgerdesk.core.models import AuditEntry
from ledgerdesk.parties import bank_changes
from ledgerdesk.parties.models import BankDetailsChange


class VerificationForm(forms.Form):
    phone_called = forms.ChoiceField(
        label="Number you called",
        widget=forms.RadioSelect,
        help_text="Only the numbers we had on file before the request arrived.",
    )
    note = forms.CharField(
        label="Whom you spoke to and what they confirmed",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )

    def __init__(self, *args, change: BankDetailsChange, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone_called"].choices = [(p, p) for p in change.phones_on_file]


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="Why it is rejected", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


def _change(pk, change_pk) -> BankDetailsChange:
    return get_object_or_404(
        BankDetailsChange.objects.select_related(
            "party", "account", "previous_account", "requested_by_contact"
        ),
        party_id=pk,
        pk=change_pk,
    )


def _page(request, change, verify_form=None, reject_form=None, status=200):
    history = AuditEntry.objects.filter(
        object_type=BankDetailsChange._meta.label_lower, object_id=str(change.pk)
    ).order_by("at", "id")
    context = {
        "party": change.party,
        "change": change,
        "verify_form": verify_form or VerificationForm(change=change),
        "reject_form": reject_form or RejectionForm(),
        "history": history,
        "is_verifier": change.verified_by_id == request.user.pk,
    }
    return render(request, "parties/bank_change.html", context, status=status)


def _apply_errors(form, error: ValidationError) -> None:
    fields = getattr(error, "error_dict", {})
    for field, errors in fields.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)
    if not fields:
        for message in error.messages:
            form.add_error(None, message)


@console_view(perm="parties.view_bankaccount")
def detail(request, pk, change_pk):
    return _page(request, _change(pk, change_pk))


@require_POST
@console_view(perm="parties.change_contact")
def verify(request, pk, change_pk):
    change = _change(pk, change_pk)
    form = VerificationForm(request.POST, change=change)
    if form.is_valid():
        try:
            bank_changes.record_verification(
                change, request.user, form.cleaned_data["phone_called"], form.cleaned_data["note"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Call-back recorded. A second colleague must now approve.")
            return redirect(change)
    return _page(request, change, verify_form=form, status=400)


@require_POST
@console_view(perm="parties.change_bankaccount")
def approve(request, pk, change_pk):
    change = _change(pk, change_pk)
    if not request.user.has_perm("parties.change_bankdetailschange"):
        raise PermissionDenied
    try:
        bank_changes.approve(change, request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(change)
    messages.success(request, f"Approved: payments now go to the account ending {change.last4}.")
    return redirect(change)


@require_POST
@console_view(perm="parties.change_contact")
def reject(request, pk, change_pk):
    change = _change(pk, change_pk)
    form = RejectionForm(request.POST)
    if form.is_valid():
        try:
            bank_changes.reject(change, request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Rejected. The new account will not be used.")
            return redirect(change)
    return _page(request, change, reject_form=form, status=400)
