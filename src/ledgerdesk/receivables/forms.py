"""Forms of the cash-application console: statement upload and an agent's decision on a line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django import forms

from ledgerdesk.receivables.formats import detect
from ledgerdesk.receivables.services import Placement
from ledgerdesk.receivables.statement import StatementError

MAX_UPLOAD_MB = 20
# What banks name their files: camt XML, MT940/MT942 (.sta, .940, .txt), BAI2, CSV. Files
# without an extension are allowed too (many banks' download names have none).
UPLOAD_SUFFIXES = {"", ".xml", ".053", ".054", ".camt", ".sta", ".940", ".942", ".mt940"}
UPLOAD_SUFFIXES |= {".txt", ".bai", ".bai2", ".csv"}


class UploadForm(forms.Form):
    file = forms.FileField(label="Bank statement file")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(
                f"{upload.name}: {suffix} is not a bank statement file; send camt.053/054 "
                "(.xml), MT940 (.sta, .940, .txt), BAI2 (.bai2) or CSV (.csv)."
            )
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"{upload.name} is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_UPLOAD_MB} MB. Import larger files with `ledgerdesk import-statement`."
            )
        if upload.size == 0:
            raise forms.ValidationError(f"{upload.name} is empty.")
        # The name is only a hint: the first bytes must look like a statement format we read.
        head = upload.read(8192)
        upload.seek(0)
        try:
            detect(head, upload.name)
        except StatementError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


class ConfirmForm(forms.Form):
    """One amount (and optional deduction) per invoice shown beside the line."""

    deduction_reason = forms.CharField(
        max_length=200,
        required=False,
        help_text='Why a deduction settles part of an invoice, e.g. "early-payment discount".',
    )
    open_case = forms.BooleanField(
        required=False,
        initial=True,
        label="Paid short: open a deduction case asking the customer why",
    )

    def __init__(self, *args, line, invoices, prefill=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.invoices = list(invoices)
        prefill = prefill or {}
        for invoice in self.invoices:
            self.fields[f"amount_{invoice.pk}"] = forms.DecimalField(
                label=f"Amount for {invoice.number}",
                required=False,
                min_value=Decimal("0"),
                max_digits=18,
                decimal_places=2,
                initial=prefill.get(invoice.pk, Decimal("0")),
                widget=forms.NumberInput(attrs={"aria-label": f"Amount for {invoice.number}"}),
            )
            self.fields[f"deduction_{invoice.pk}"] = forms.DecimalField(
                label=f"Deduction on {invoice.number}",
                required=False,
                min_value=Decimal("0"),
                max_digits=18,
                decimal_places=2,
                initial=Decimal("0"),
                widget=forms.NumberInput(attrs={"aria-label": f"Deduction on {invoice.number}"}),
            )

    def rows(self):
        """(invoice, amount field, deduction field) for the template, side by side."""
        return [
            (invoice, self[f"amount_{invoice.pk}"], self[f"deduction_{invoice.pk}"])
            for invoice in self.invoices
        ]

    def clean(self):
        cleaned = super().clean()
        total = Decimal("0")
        chosen = 0
        for invoice in self.invoices:
            amount = cleaned.get(f"amount_{invoice.pk}") or Decimal("0")
            deduction = cleaned.get(f"deduction_{invoice.pk}") or Decimal("0")
            if amount + deduction > invoice.amount_open:
                self.add_error(
                    f"amount_{invoice.pk}",
                    f"Invoice {invoice.number} has only {invoice.amount_open} "
                    f"{invoice.currency} open.",
                )
            if deduction and not cleaned.get("deduction_reason", "").strip():
                self.add_error("deduction_reason", "Say why the amount was deducted.")
            if amount or deduction:
                chosen += 1
            total += amount
        if not chosen:
            raise forms.ValidationError("Enter an amount for at least one invoice.")
        if total > self.line.unapplied_amount:
            raise forms.ValidationError(
                f"The amounts add up to {total} {self.line.currency}, more than the "
                f"{self.line.unapplied_amount} {self.line.currency} to place."
            )
        parties = {
            invoice.party_id
            for invoice in self.invoices
            if cleaned.get(f"amount_{invoice.pk}") or cleaned.get(f"deduction_{invoice.pk}")
        }
        if len(parties) > 1:
            raise forms.ValidationError("Choose invoices of one customer for one payment.")
        return cleaned

    def placements(self) -> list[Placement]:
        reason = self.cleaned_data.get("deduction_reason", "").strip()
        short = self.cleaned_data.get("open_case", False)
        result = []
        for invoice in self.invoices:
            amount = self.cleaned_data.get(f"amount_{invoice.pk}") or Decimal("0")
            deduction = self.cleaned_data.get(f"deduction_{invoice.pk}") or Decimal("0")
            if amount or deduction:
                result.append(
                    Placement(
                        invoice=invoice,
                        amount=amount,
                        deduction=deduction,
                        deduction_reason=reason if deduction else "",
                        short=short,
                    )
                )
        return result


class DecisionForm(forms.Form):
    """Hold the cash while it is worked, refund it, or set the line aside: always with why."""

    ACTIONS = [
        ("hold", "Hold while it is worked"),
        ("refund", "Refund to the payer"),
        ("ignore", "Not a customer payment: ignore"),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    note = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
