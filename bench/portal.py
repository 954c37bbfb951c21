"""Portal latency: a vendor's invoice list, invoice pages and payments, on the large demo set.

    .venv/bin/python bench/portal.py            # copy of the large demo set (1,000,000 invoices)
    .venv/bin/python bench/portal.py --quick    # standard demo set, under a minute
    .venv/bin/python bench/portal.py --from-db PATH   # start from a copy of that large demo DB

The full run starts from a copy of an existing large demo database (--from-db, else
ld-large/ledgerdesk.sqlite3 in the temporary folder, or $LEDGERDESK_BENCH_LARGE_DB), copied with SQLite's backup API so the original is only
read, and migrated; without one it generates the large set (about 9 minutes). It gives the
vendor with the most invoices to us a portal account, signs it in with Django's test Client
(force_login plus the session's "second factor passed" mark that `portal_view` checks), and,
after a warm-up, times the invoice list's first and last page, 50 different invoice pages and
the payments page. Prints a table (with each page's query count and slowest query) and, last,
one JSON line.
"""

from __future__ import annotations

import argparse
import random
import shutil
import time
from pathlib import Path

from _setup import emit, summary
from desk import open_database, profile, timed_get

INVOICE_PAGES = 50


def portal_client():
    """A test Client signed in to the portal for the vendor with the most invoices to us."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from ledgerdesk.ledger.models import Invoice
    from ledgerdesk.parties.models import Contact, Party
    from ledgerdesk.portal.models import PortalAccount
    from ledgerdesk.portal.scoping import VERIFIED

    top = (
        Invoice.objects.payable()
        .values("party_id")
        .annotate(n=Count("id"))
        .order_by("-n", "party_id")
        .first()
    )
    if top is None:
        raise SystemExit("no invoices to us: load a demo set first")
    party = Party.objects.get(pk=top["party_id"])
    if not party.is_vendor:
        Party.objects.filter(pk=party.pk).update(is_vendor=True)
        party.refresh_from_db()
    contact = Contact.objects.filter(party=party).order_by("-is_primary", "id").first()
    if contact is None:
        contact = Contact.objects.create(
            party=party, name="Bench Contact", email="bench-portal@vendor.example"
        )
    username = f"bench-portal-{party.pk}@vendor.example"
    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"email": username}
    )
    PortalAccount.objects.update_or_create(
        user=user,
        defaults={"party": party, "contact": contact, "activated_at": timezone.now()},
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[VERIFIED] = user.pk
    session.save()
    return client, party, top["n"]


def measure(repeat: int) -> tuple[dict, dict]:
    from ledgerdesk.ledger.models import Invoice
    from ledgerdesk.portal.views import PAGE_SIZE

    client, party, count = portal_client()
    last_page = max(1, -(-count // PAGE_SIZE))
    ids = list(Invoice.objects.payable().filter(party=party).values_list("id", flat=True))
    invoice_ids = random.Random(7).sample(ids, min(INVOICE_PAGES, len(ids)))
    pages = {
        "invoice_list": "/portal/invoices/",
        "invoice_list_deep": f"/portal/invoices/?page={last_page}",
        "payments": "/portal/payments/",
    }
    for url in [*pages.values(), *(f"/portal/invoices/{pk}/" for pk in invoice_ids[:5])]:
        for _ in range(3):
            client.get(url)  # warm-up: templates, caches, the database's pages
    samples: dict[str, list[float]] = {name: [] for name in pages}
    samples["invoice"] = []
    for _ in range(repeat):
        for name, url in pages.items():
            timed_get(client, url, samples[name])
    for _ in range(2):
        for pk in invoice_ids:
            timed_get(client, f"/portal/invoices/{pk}/", samples["invoice"])
    profiles = {name: profile(client, url) for name, url in pages.items()}
    profiles["invoice"] = profile(client, f"/portal/invoices/{invoice_ids[0]}/")
    print()
    print(
        f"{'page':<24}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}{'slowest':>9}"
    )
    stats = {}
    for name, values in samples.items():
        s = stats[name] = summary(values)
        queries, slowest, _ = profiles[name]
        print(
            f"{name:<24}{len(values):>5}{s['p50']:>9.1f}{s['p95']:>9.1f}{s['max']:>9.1f}"
            f"{queries:>9}{slowest:>9.1f}"
        )
    print(f"\nvendor {party.name} (id {party.pk}): {count:,} invoices, deep page = {last_page}")
    print("slowest query per page:")
    for name, (_, slowest, sql) in profiles.items():
        print(f"  {name}: {slowest:.1f} ms: {sql[:300]}")
    return stats, {"party_invoices": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="standard demo set")
    parser.add_argument("--from-db", type=Path, help="a large demo SQLite database to copy")
    parser.add_argument("--repeat", type=int, help="requests per list page (default 30; quick 10)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    repeat = args.repeat or (10 if args.quick else 30)
    started = time.perf_counter()
    workdir = open_database(args, parser, "portal")
    try:
        from django.db import connection

        from ledgerdesk.ledger.models import Invoice

        setup_seconds = time.perf_counter() - started
        print(f"set-up took {setup_seconds:.0f} s")
        stats, facts = measure(repeat)
        invoices = Invoice.objects.count()
        vendor = connection.vendor
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    lists = (stats["invoice_list"], stats["invoice_list_deep"])
    emit(
        {
            "invoice_list_p50_ms": max(s["p50"] for s in lists),
            "invoice_list_p95_ms": max(s["p95"] for s in lists),
            "invoice_list_first_p95_ms": stats["invoice_list"]["p95"],
            "invoice_list_deep_p95_ms": stats["invoice_list_deep"]["p95"],
            "invoice_page_p50_ms": stats["invoice"]["p50"],
            "invoice_page_p95_ms": stats["invoice"]["p95"],
            "payments_p95_ms": stats["payments"]["p95"],
            "invoices": invoices,
            "party_invoices": facts["party_invoices"],
            "db": vendor,
            "quick": args.quick,
            "setup_seconds": round(setup_seconds, 1),
        }
    )


if __name__ == "__main__":
    main()
