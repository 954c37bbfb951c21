"""The case page's forms: they validate, the views call `desk.services` and `mail.outbound`."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from ledgerdesk.core import roles
from ledgerdesk.desk import canned
from ledgerdesk.desk.models import Case


def add_service_error(form: forms.Form, exc: Exception, default_field: str | None = None) -> None:
    """Put a `DeskError` ("field: what is wrong") next to its field, else next to the default
    field, else at the top of the form."""
    text = str(exc)
    field, _, message = text.partition(": ")
    if message and field in form.fields:
        form.add_error(field, message)
    else:
        form.add_error(default_field, text)


class ReplyForm(forms.Form):
    SEND, SEND_AND_RESOLVE, NOTE = "send", "send_resolve", "note"
    text = forms.CharField(
        label="Reply",
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
        error_messages={"required": "Write a reply or a note first."},
    )
    action = forms.ChoiceField(
        choices=[
            (SEND, "Send reply"),
            (SEND_AND_RESOLVE, "Send and resolve"),
            (NOTE, "Add internal note"),
        ],
        error_messages={"required": "Choose Send reply, Send and resolve or Add internal note."},
    )
    # Asked for only when the coach scores the reply below the team's threshold; kept with
    # the sent reply for the team lead.
    override_reason = forms.CharField(
        label="Why send it anyway?",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="The coach scores this reply below your team's bar. Your reason is kept "
        "with the reply for your team lead.",
    )

    @property
    def sends(self) -> bool:
        return self.cleaned_data.get("action") in (self.SEND, self.SEND_AND_RESOLVE)

    def clean_text(self):
        # Browsers post a textarea's lines with CRLF but show (and coach.js reviews) them
        # with LF: one form, so the stored review's spans point into the stored text.
        return self.cleaned_data["text"].replace("\r\n", "\n")

    def clean(self):
        data = super().clean()
        text = data.get("text", "")
        if text and self.sends:
            missing = canned.unfilled(text)
            if missing:
                self.add_error(
                    "text",
                    f"Fill in {', '.join(missing)} before sending: the customer would see it.",
                )
        return data


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=[c for c in Case.State.choices if c[0] != Case.State.MERGED])
    note = forms.CharField(required=False, max_length=300, label="Note (optional)")


def assignable_users():
    """Who may own a case: active people holding the Agent or Lead role."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[roles.AGENT, roles.LEAD])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class AssignForm(forms.Form):
    owner = OwnerChoiceField(queryset=assignable_users(), label="New owner", empty_label=None)
    note = forms.CharField(required=False, max_length=300, label="Why (internal, optional)")

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable_users()
        if case is not None and not self.is_bound:
            self.initial.setdefault("owner", case.owner_id)


class MergeForm(forms.Form):
    target = forms.CharField(
        label="Merge into case", max_length=20, help_text="The reference, e.g. AP-2026-000123"
    )

    def clean_target(self):
        reference = self.cleaned_data["target"].strip().upper()
        target = Case.objects.filter(reference=reference).first()
        if target is None:
            raise forms.ValidationError(f"There is no case {reference}.")
        return target


class SplitForm(forms.Form):
    messages = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the messages to move to a new case."},
    )
    subject = forms.CharField(
        required=False, max_length=300, help_text="Empty: the first moved message's subject."
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["messages"].queryset = case.messages.all()
