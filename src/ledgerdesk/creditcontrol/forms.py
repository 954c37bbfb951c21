"""Console forms of credit control: they validate input, the views call the services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from ledgerdesk.creditcontrol.models import FollowUp, StatementSchedule
from ledgerdesk.ledger.models import Invoice


def service_error(form: forms.Form, exc: Exception, default_field: str | None = None) -> None:
    """Put "field: what is wrong" next to its field, else at the top of the form."""
    field, _, message = str(exc).partition(": ")
    if message and field in form.fields:
        form.add_error(field, message)
    else:
        form.add_error(default_field, str(exc))


class DateInput(forms.DateInput):
    input_type = "date"


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[c for c in FollowUp.Kind.choices if c[0] != FollowUp.Kind.MISSED_INSTALMENT]
    )
    due_on = forms.DateField(label="Due on", widget=DateInput)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_due_on(self):
        day = self.cleaned_data["due_on"]
        if day < timezone.localdate():
            raise forms.ValidationError("Choose today or a day after it.")
        return day


class SnoozeForm(forms.Form):
    until = forms.DateField(widget=DateInput)


class WaiverForm(forms.Form):
    amount = forms.DecimalField(min_value=0, max_digits=18, decimal_places=2)
    reason = forms.CharField(max_length=300)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    note = forms.CharField(max_length=300, required=False)


class PeriodForm(forms.Form):
    """The period of a statement sent to the customer now."""

    start = forms.DateField(widget=DateInput)
    end = forms.DateField(widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("start", "The period starts after it ends.")
        return data


class StatementForm(PeriodForm):
    """The period and format of a statement downloaded in the console."""

    format = forms.ChoiceField(choices=[("pdf", "PDF"), ("csv", "CSV")])


class ScheduleForm(forms.Form):
    frequency = forms.ChoiceField(choices=StatementSchedule.Frequency.choices)


class ArrangementForm(forms.Form):
    invoices = forms.ModelMultipleChoiceField(
        queryset=Invoice.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    amount_agreed = forms.DecimalField(min_value=0, max_digits=18, decimal_places=2)
    instalments = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line: the date and the amount, e.g. 2026-12-01 400.00",
    )
    grace_business_days = forms.IntegerField(min_value=0, max_value=30, initial=3)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, party, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoices"].queryset = (
            Invoice.objects.receivable().open().filter(party=party, kind=Invoice.Kind.INVOICE)
        )
        self.fields["invoices"].label_from_instance = lambda inv: (
            f"{inv.number} · due {inv.due_date or '—'} · {inv.amount_open} {inv.currency} open"
        )


def this_month() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today.replace(day=1), today
