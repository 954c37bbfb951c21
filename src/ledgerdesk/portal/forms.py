"""Portal forms: plain labels, and every error shown next to the field it is about."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone

from ledgerdesk.parties.models import Contact

LANGUAGES = [
    ("en", "English"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("nl", "Nederlands"),
    ("nb", "Norsk"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("fi", "Suomi"),
    ("sv", "Svenska"),
]


class LoginForm(forms.Form):
    # Named "username" because django-axes reads that field to count failed attempts.
    username = forms.CharField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="The 6-digit code from the e-mail",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_code(self):
        digits = "".join(ch for ch in self.cleaned_data["code"] if ch.isdigit())
        if len(digits) != 6:
            raise forms.ValidationError("The code has 6 digits; please type all six.")
        return digits


class QuestionForm(forms.Form):
    KINDS = [
        ("question", "I have a question about this invoice"),
        ("dispute", "I disagree with some lines of this invoice"),
    ]
    kind = forms.ChoiceField(
        label="What is it about?", choices=KINDS, initial="question", widget=forms.RadioSelect
    )
    lines = forms.ModelMultipleChoiceField(
        label="Which lines do you disagree with?",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label="Your message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Tell us what you need or what is wrong; we answer here and by e-mail.",
    )

    def __init__(self, *args, lines, describe, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].queryset = lines
        self.fields["lines"].label_from_instance = describe

    def clean(self):
        data = super().clean()
        disputed = data.get("kind") == "dispute"
        if disputed and not data.get("lines") and self.fields["lines"].queryset.exists():
            self.add_error("lines", "Choose the lines you disagree with.")
        if data.get("kind") != "dispute":
            data["lines"] = []
        return data


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your answer", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class RatingForm(forms.Form):
    RATINGS = [
        ("5", "5 – very good"),
        ("4", "4 – good"),
        ("3", "3 – all right"),
        ("2", "2 – poor"),
        ("1", "1 – very poor"),
    ]
    rating = forms.TypedChoiceField(
        label="How well did we help you?", choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="Anything you want to tell us (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ContactPersonForm(forms.Form):
    contact_person = forms.ModelChoiceField(
        label="Our contact person at your company",
        queryset=None,
        empty_label=None,
        help_text="The person we write to first about invoices and payments.",
    )

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["contact_person"]
        field.queryset = contacts
        field.label_from_instance = lambda c: f"{c.name} ({c.email})" if c.email else c.name
        if not self.is_bound:
            primary = next((c for c in contacts if c.is_primary), None)
            field.initial = primary.pk if primary else None


class PreferencesForm(forms.ModelForm):
    language = forms.ChoiceField(label="Language for dates and amounts", choices=LANGUAGES)
    time_zone = forms.ChoiceField(
        label="Time zone", choices=[(tz, tz) for tz in sorted(zoneinfo.available_timezones())]
    )

    class Meta:
        model = Contact
        fields = ["preferred_channel", "language", "time_zone", "phone"]
        labels = {"preferred_channel": "How we should contact you", "phone": "Phone number"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.language
        if current and current not in dict(LANGUAGES):
            self.fields["language"].choices = [(current, current), *LANGUAGES]


class StatementForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    MAX_DAYS = 3660  # ten years: enough for any audit, small enough to stay quick

    @classmethod
    def default_period(cls) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        return today.replace(month=1, day=1), today

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The end of the period is before its start.")
            elif (end - start).days > self.MAX_DAYS:
                self.add_error("start", "Choose a period of at most ten years.")
        return data
