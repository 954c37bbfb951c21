"""Portal pages for customers: balance and open invoices, all invoices, statement of account
(on screen, CSV, PDF), and a PDF copy of any invoice (vendors may download theirs too); and, for
both sides, naming the party's contact person."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ledgerdesk.core.pagination import paginate
from ledgerdesk.ledger.models import Invoice, InvoiceLine
from ledgerdesk.parties.models import Contact, Party
from ledgerdesk.portal import pdf, statement
from ledgerdesk.portal.forms import ContactPersonForm, PreferencesForm, StatementForm
from ledgerdesk.portal.scoping import get_scoped, party_for, portal_view, scoped
from ledgerdesk.portal.views import PAGE_SIZE, invoice_list_page, invoice_story, rows_for


def _download(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "document"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["Cache-Control"] = "private, no-store"
    return response


@portal_view(side="customer")
def account(request):
    party, reader = party_for(request), request.portal.reader
    today = reader.current_day()
    balances = statement.balances_before(party, today + dt.timedelta(days=1))
    open_invoices = scoped(Invoice.objects.receivable(), party).open()
    page = paginate(request, open_invoices.order_by("due_date", "id"), PAGE_SIZE)
    context = {
        "balances": [{"currency": c, "amount": a} for c, a in sorted(balances.items())],
        "page": page,
        "rows": rows_for(page, reader),
    }
    return render(request, "portal/account.html", context)


@portal_view(side="customer")
def customer_invoices(request):
    party = party_for(request)
    return invoice_list_page(
        request,
        scoped(Invoice.objects.receivable(), party),
        title="Our invoices to you",
        intro="Every invoice and credit note we sent you, with where it stands now.",
        side="customer",
    )


@portal_view(side="customer")
def statement_view(request):
    party, reader = party_for(request), request.portal.reader
    start, end = StatementForm.default_period()
    if {"start", "end"} & set(request.GET):
        form = StatementForm(request.GET)
    else:
        form = StatementForm(initial={"start": start, "end": end})
    result = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    if not form.is_bound or form.is_valid():
        result = statement.build(party, start, end)
        name = f"statement-{start.isoformat()}-{end.isoformat()}"
        wanted = request.GET.get("format")
        if wanted == "csv":
            return _download(statement.to_csv(result), "text/csv; charset=utf-8", f"{name}.csv")
        if wanted == "pdf":
            return _download(pdf.statement_pdf(result, reader), "application/pdf", f"{name}.pdf")
    return render(
        request,
        "portal/statement.html",
        {"form": form, "statement": result},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@portal_view
def invoice_copy(request, pk):
    party, reader = party_for(request), request.portal.reader
    invoice = get_scoped(Invoice.objects.select_related("party"), party, pk=pk)
    lines = list(scoped(InvoiceLine.objects.filter(invoice=invoice), party))
    explanation = invoice_story(invoice, party, reader)
    label = "credit-note" if invoice.kind == Invoice.Kind.CREDIT_NOTE else "invoice"
    return _download(
        pdf.invoice_pdf(invoice, lines, explanation, reader),
        "application/pdf",
        f"{label}-{invoice.number}.pdf",
    )


# --- Contact person ----------------------------------------------------------------------------


def contact_person_form(party: Party, data=None) -> ContactPersonForm:
    return ContactPersonForm(data, contacts=scoped(Contact.objects.all(), party))


@transaction.atomic
def make_contact_person(party: Party, chosen: Contact) -> None:
    """`chosen` becomes the party's one primary contact. Each change goes through `save()`, so
    the audit signals record who changed which contact, before and after."""
    for contact in scoped(Contact.objects.select_for_update(), party):
        wanted = contact.pk == chosen.pk
        if contact.is_primary != wanted:
            contact.is_primary = wanted
            contact.save(update_fields=["is_primary", "updated_at"])


@portal_view
@require_POST
def contact_person(request):
    party, contact = party_for(request), request.portal.contact
    form = contact_person_form(party, request.POST)
    if form.is_valid():
        make_contact_person(party, form.cleaned_data["contact_person"])
        messages.success(request, "Saved. We will write to your contact person first.")
        return redirect("portal:profile")
    context = {
        "form": PreferencesForm(instance=contact),
        "person_form": form,
        "contact": contact,
    }
    return render(request, "portal/profile.html", context, status=400)
