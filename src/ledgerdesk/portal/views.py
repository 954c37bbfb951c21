"""Portal pages for reading: home, a vendor's invoices, an invoice's story, payments, and the
signed status link that needs no account.

Every read goes through `scoping.scoped` / `scoping.get_scoped` with the party from
`party_for(request)`; no view here filters by party itself. An invoice page costs the same
few queries for any invoice (see `invoice_story`).
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ledgerdesk.core.pagination import paginate
from ledgerdesk.desk.models import Case
from ledgerdesk.ledger.models import (
    Invoice,
    InvoiceLine,
    InvoiceStatusChange,
    Payment,
    PaymentAllocation,
)
from ledgerdesk.parties.models import BankAccount, Contact
from ledgerdesk.payables.models import InvoiceMatch
from ledgerdesk.portal import explain, statement
from ledgerdesk.portal.forms import QuestionForm
from ledgerdesk.portal.plainwords import Reader, plain_deduction
from ledgerdesk.portal.scoping import (
    get_scoped,
    invoice_from_token,
    party_for,
    portal_view,
    reader_for,
    scoped,
)

PAGE_SIZE = 25


def bank_last4(party) -> str:
    """The last four characters of the account we pay the party into now."""
    iban = (
        scoped(BankAccount.objects.filter(status=BankAccount.Status.ACTIVE), party)
        .order_by("-created_at", "-id")
        .values_list("iban", flat=True)
        .first()
    )
    return iban.replace(" ", "")[-4:] if iban else ""


def invoice_story(invoice: Invoice, party, reader: Reader) -> explain.Explanation:
    """The invoice explained: its history, its allocations, and (only when it is scheduled)
    the account the money goes to. Two or three queries."""
    history = list(scoped(InvoiceStatusChange.objects.filter(invoice=invoice), party))
    allocations = list(
        scoped(PaymentAllocation.objects.filter(invoice=invoice), party).select_related(
            "payment__bank_account"
        )
    )
    last4 = ""
    if invoice.status == Invoice.Status.SCHEDULED and invoice.direction == "ap":
        last4 = bank_last4(party)
    return explain.explain(invoice, history, allocations, bank_last4=last4, reader=reader)


def rows_for(invoices, reader: Reader) -> list[dict]:
    return [
        {
            "invoice": invoice,
            "status": explain.short_status(invoice, reader),
            "tone": explain.tone_of(invoice, reader),
            "overdue": explain.status_label(invoice, reader) == "Overdue",
        }
        for invoice in invoices
    ]


def invoice_list_page(request, invoices, *, title: str, intro: str, side: str):
    """A paginated list of the party's invoices, newest first, with a number search."""
    reader = request.portal.reader
    query = request.GET.get("q", "").strip()[:64]
    show = request.GET.get("show", "")
    if query:
        invoices = invoices.filter(number__icontains=query)
    if show == "open":
        invoices = invoices.open()
    page = paginate(request, invoices.order_by("-issue_date", "-id"), PAGE_SIZE)
    context = {
        "title": title,
        "intro": intro,
        "side": side,
        "page": page,
        "rows": rows_for(page, reader),
        "q": query,
        "show": show,
    }
    return render(request, "portal/invoice_list.html", context)


@portal_view
def home(request):
    party, reader = party_for(request), request.portal.reader
    context = {"party": party}
    if party.is_vendor:
        payable = scoped(Invoice.objects.payable(), party)
        attention = payable.filter(
            status__in=[Invoice.Status.ON_HOLD, Invoice.Status.DISPUTED]
        ).order_by("-status_changed_at")[:5]
        upcoming = payable.filter(status=Invoice.Status.SCHEDULED).order_by(
            "scheduled_payment_date", "id"
        )[:5]
        context["attention"] = rows_for(attention, reader)
        context["upcoming"] = rows_for(upcoming, reader)
    if party.is_customer:
        today = reader.current_day()
        balances = statement.balances_before(party, today + dt.timedelta(days=1))
        context["balances"] = [
            {"currency": c, "amount": a} for c, a in sorted(balances.items()) if a
        ]
        overdue = scoped(Invoice.objects.receivable(), party).open()
        context["overdue_count"] = overdue.filter(
            status=Invoice.Status.ISSUED, due_date__lt=today
        ).count()
    cases = scoped(Case.objects.open().select_related("owner"), party).order_by("-opened_at")[:5]
    context["cases"] = cases
    return render(request, "portal/home.html", context)


@portal_view(side="vendor")
def invoice_list(request):
    party = party_for(request)
    return invoice_list_page(
        request,
        scoped(Invoice.objects.payable(), party),
        title="Your invoices to us",
        intro="Every invoice and credit note you sent us, with where it stands now.",
        side="vendor",
    )


@portal_view
def invoice_detail(request, pk):
    party, reader = party_for(request), request.portal.reader
    invoice = get_scoped(Invoice.objects.all(), party, pk=pk)
    lines = list(scoped(InvoiceLine.objects.filter(invoice=invoice), party))
    cases = list(
        scoped(Case.objects.filter(invoices=invoice), party)
        .select_related("owner")
        .order_by("-opened_at")[:10]
    )
    # What the check against our order found, line by line, while it holds the invoice.
    checks = []
    if invoice.status == Invoice.Status.ON_HOLD:
        match = scoped(InvoiceMatch.objects.filter(invoice=invoice), party).first()
        if match is not None and match.status == InvoiceMatch.Status.MISMATCH:
            checks = [f["message"] for f in match.findings if not f["within_tolerance"]]
    context = {
        "invoice": invoice,
        "explanation": invoice_story(invoice, party, reader),
        "lines": lines,
        "cases": cases,
        "checks": checks,
        "kinds": QuestionForm.KINDS,
    }
    return render(request, "portal/invoice_detail.html", context)


@portal_view
def payment_list(request):
    party, reader = party_for(request), request.portal.reader
    payments = scoped(Payment.objects.select_related("bank_account"), party)
    page = paginate(request, payments.order_by("-date", "-id"), PAGE_SIZE)
    rows = [
        {
            "payment": p,
            "words": "We paid you" if p.direction == "ap" else "You paid us",
            "when": reader.date(p.date, "medium"),
        }
        for p in page
    ]
    return render(request, "portal/payment_list.html", {"page": page, "rows": rows})


@portal_view
def payment_detail(request, pk):
    party = party_for(request)
    payment = get_scoped(Payment.objects.select_related("bank_account"), party, pk=pk)
    allocations = list(
        scoped(PaymentAllocation.objects.filter(payment=payment), party)
        .select_related("invoice")
        .order_by("invoice__issue_date", "invoice__number")
    )
    applied = sum((a.amount for a in allocations), start=payment.amount * 0)
    deducted = sum((a.deduction_amount for a in allocations), start=payment.amount * 0)
    rows = [
        {
            "allocation": a,
            "reason": plain_deduction(a.deduction_reason) if a.deduction_amount else "",
        }
        for a in allocations
    ]
    context = {
        "payment": payment,
        "rows": rows,
        "applied": applied,
        "deducted": deducted,
        "unapplied": payment.amount - applied,
    }
    return render(request, "portal/payment_detail.html", context)


@never_cache
def signed_invoice(request, token):
    """One invoice's status from a link in an e-mail: no account, no other data."""
    try:
        invoice = invoice_from_token(token)
    except Http404:
        return render(request, "portal/link_gone.html", status=404)
    party = invoice.party
    contact = scoped(Contact.objects.all(), party).order_by("-is_primary", "id").first()
    reader = reader_for(contact)
    context = {
        "invoice": invoice,
        "explanation": invoice_story(invoice, party, reader).elsewhere(
            "after signing in, or by answering our e-mail"
        ),
        "reader": reader,
    }
    response = render(request, "portal/signed_invoice.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
