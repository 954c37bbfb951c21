from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from ledgerdesk.core.access import console_view
from ledgerdesk.core.pagination import paginate
from ledgerdesk.ledger.models import Invoice, Payment
from ledgerdesk.parties.forms import ContactForm
from ledgerdesk.parties.models import Party


@console_view
def party_list(request):
    query = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    parties = Party.objects.search(query)
    if kind == "vendor":
        parties = parties.vendors()
    elif kind == "customer":
        parties = parties.customers()
    elif kind == "strategic":
        parties = parties.filter(criticality=Party.Criticality.STRATEGIC)
    page = paginate(request, parties.order_by("name", "id"))
    return render(request, "parties/party_list.html", {"page": page, "q": query, "kind": kind})


@console_view
def party_detail(request, pk):
    party = get_object_or_404(Party, pk=pk)
    today = timezone.localdate()
    invoices = Invoice.objects.for_party(party)
    open_totals = (
        invoices.open()
        .values("direction", "currency")
        .annotate(
            total=Sum("amount_open"),
            count=Count("id"),
            overdue=Count("id", filter=Q(due_date__lt=today)),
        )
        .order_by("direction", "currency")
    )
    context = {
        "party": party,
        "contacts": party.contacts.all(),
        "bank_accounts": party.bank_accounts.all(),
        "open_totals": open_totals,
        "recent_invoices": invoices.order_by("-issue_date", "-id")[:15],
        "recent_payments": Payment.objects.filter(party=party)
        .select_related("bank_account")
        .order_by("-date", "-id")[:10],
    }
    return render(request, "parties/party_detail.html", context)


@console_view(perm="parties.change_contact")
def contact_edit(request, pk, contact_pk=None):
    party = get_object_or_404(Party, pk=pk)
    contact = get_object_or_404(party.contacts, pk=contact_pk) if contact_pk else None
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.party = party
        saved.save()
        messages.success(request, f"Saved contact {saved.name}.")
        return redirect(party)
    return render(
        request, "parties/contact_form.html", {"party": party, "form": form, "contact": contact}
    )
