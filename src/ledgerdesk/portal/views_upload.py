"""A vendor submits a new invoice: a PDF for the AP team to key in, or an e-invoice (UBL or
CII) that is checked on upload, every problem listed next to the file field, and imported
when nothing blocks it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from ledgerdesk.portal import upload
from ledgerdesk.portal.scoping import party_for, portal_view


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Your invoice",
        help_text="A PDF, or an e-invoice (UBL or CII XML), at most 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.xml,application/pdf,text/xml"}),
    )


def _read(uploaded) -> bytes:
    if uploaded.size is not None and uploaded.size > upload.MAX_BYTES:
        raise upload.UploadError("The file is larger than 10 MB; please send a smaller one.")
    data = uploaded.read(upload.MAX_BYTES + 1)
    upload.sniff(data)  # size and type, by content
    return data


@portal_view(side="vendor")
def submit(request):
    party, reader = party_for(request), request.portal.reader
    form = UploadForm(request.POST or None, request.FILES or None)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            data = _read(uploaded)
            if upload.sniff(data) == upload.PDF:
                case = upload.receive_pdf(data, uploaded.name, request.portal.account)
                messages.success(
                    request,
                    f"Thank you. We have your PDF as case {case.reference}. Our accounts payable "
                    "team will type the invoice in by hand; it then appears under your invoices, "
                    "and we will tell you here if anything is missing.",
                )
                return redirect("portal:case", case.reference)
            doc = upload.parse(data, uploaded.name)
            problems = upload.check(
                doc, party, reader, tax_exclusive=upload.tax_exclusive_total(data)
            )
            blocking = [p.text for p in problems if p.blocking]
            warnings = [p.text for p in problems if not p.blocking]
            if blocking:
                for text in blocking:
                    form.add_error("file", text)
            else:
                received = upload.receive_xml(data, uploaded.name, doc, party)
                if received.outcome.skipped and not received.invoice:
                    raise upload.UploadError(
                        f"We already have this invoice ({doc.number}) from you; there is no "
                        "need to send it again."
                    )
                if received.outcome.rejected or received.invoice is None:
                    reason = received.outcome.error or "it could not be stored"
                    raise upload.UploadError(f"We could not take this invoice: {reason}.")
                invoice = received.invoice
                label = "credit note" if invoice.kind == "credit_note" else "invoice"
                amount = reader.money(invoice.total_amount, invoice.currency)
                messages.success(
                    request,
                    f"Received: {label} {invoice.number} for {amount}. We will let you know "
                    "when it is approved.",
                )
                for text in warnings:
                    messages.warning(request, text)
                return redirect("portal:invoice", invoice.pk)
        except upload.UploadError as exc:
            form.add_error("file", str(exc))
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "portal/upload.html", {"form": form, "warnings": warnings}, status=status
    )
