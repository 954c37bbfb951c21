"""Missing tax forms and expiring certificates of vendors we still pay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q

from ledgerdesk.ledger.models import Direction, Invoice
from ledgerdesk.watch.checks.base import Check, Found, Settings, Threshold
from ledgerdesk.watch.dates import long_date


class VendorDocuments(Check):
    name = "vendor_documents"
    title = "Missing tax form or expiring certificate"
    description = (
        "A vendor with open bills and no valid tax form on file (for the countries set), or "
        "a certificate or form that expires within the set number of days and has no newer "
        "one on file."
    )
    category = "tax_form"
    vendor_facing = True
    thresholds = {
        "expiring_days": Threshold(30, "Days before expiry to ask for a new one.", 0, 365),
        "tax_form_countries": Threshold(
            ["US"], "Countries whose vendors must have a tax form on file.", codes=True
        ),
    }
    subject_template = "{document_title} for {vendor}"
    what_happened = "What happened: {situation}"
    what_we_do = (
        "What we are doing: your invoices are not held for this. Please send us {request} "
        "by reply to this e-mail; we will update our records and confirm by {reply_by} that "
        "it is on file."
    )
    prevention = (
        "To make sure this does not happen again, we now remind you {expiring_days} days "
        "before a form or certificate on file expires."
    )

    def find(self, settings: Settings) -> Iterator[Found]:
        from ledgerdesk.parties.models import Party
        from ledgerdesk.watch.models import VendorDocument

        today = settings.today
        Kind = VendorDocument.Kind

        def open_bills(party_ref: str):
            return Invoice.objects.filter(
                party=OuterRef(party_ref), direction=Direction.PAYABLE
            ).exclude(status__in=Invoice.CLOSED_STATUSES)

        valid_form = VendorDocument.objects.filter(party=OuterRef("pk"), kind=Kind.TAX_FORM).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
        # A handful of countries, then one EXISTS each on invoice_party_date_idx and
        # watch_vendordoc_party_idx.
        missing = (
            Party.objects.filter(is_vendor=True, country__in=settings["tax_form_countries"])
            .filter(Exists(open_bills("pk")))
            .exclude(Exists(valid_form))
            .order_by("pk")
        )
        for party in missing.iterator(chunk_size=2000):
            yield Found(
                key=f"vendor:{party.pk}:tax_form",
                summary=f"{party}: no valid tax form on file",
                party=party,
                subject=party,
                kind="tax_form",
                facts={
                    "document_title": "Tax form needed",
                    "situation": f"our records for {party} hold no valid tax form, and we "
                    "need one on file to keep paying your invoices on time.",
                    "request": "a signed tax form (for example a W-9)",
                },
            )

        horizon = today + dt.timedelta(days=settings["expiring_days"])
        newer = VendorDocument.objects.filter(
            party=OuterRef("party"), kind=OuterRef("kind"), received_at__gt=OuterRef("received_at")
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=OuterRef("valid_until")))
        # watch_vendordoc_expiry_idx: valid_until within the horizon (or past).
        expiring = (
            VendorDocument.objects.filter(valid_until__lte=horizon)
            .filter(Exists(open_bills("party")))
            .exclude(Exists(newer))
            .select_related("party")
            .order_by("pk")
        )
        for doc in expiring.iterator(chunk_size=2000):
            label = doc.get_kind_display().split(" (")[0].lower()
            named = f"{label} {doc.reference}".strip()
            verb = "expired on" if doc.valid_until < today else "expires on"
            yield Found(
                key=f"document:{doc.pk}",
                summary=f"{doc.party}: {named} {verb} {doc.valid_until:%d %b %Y}",
                party=doc.party,
                subject=doc,
                kind=f"{doc.kind}_expiring",
                facts={
                    "document_title": f"Your {label} on file {verb} {long_date(doc.valid_until)}",
                    "situation": f"the {named} we hold for {doc.party} {verb} "
                    f"{long_date(doc.valid_until)}.",
                    "request": f"the renewed {label}",
                },
            )
