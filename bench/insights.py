"""Dashboard render time: the service-desk, agents and finance pages on the large demo data set.

    .venv/bin/python bench/insights.py            # large demo set + 20,000 cases over a year
    .venv/bin/python bench/insights.py --quick    # standard demo set + 1,000 cases, under a minute
    .venv/bin/python bench/insights.py --from-db PATH   # start from a copy of that large demo DB

The data is built as `bench/desk.py` builds it (and with its code): a copy of the large demo
database (`ledgerdesk demo --scale large`: 20,000 parties, 1,000,000 invoices with their
status history and payments) when there is one, else generated; on top a year of desk work
with bulk_create. This bench adds what the dashboards read that the desk bench does not
write: the reply coach's score on every sent reply and a satisfaction rating on a fifth
of the resolved cases.

Then, in-process with Django's test Client, signed in as the demo lead: after a warm-up it
renders each dashboard page several times, for the default period (four weeks) and for a
whole year, for all teams and for the AP team, and one CSV download. Prints a table (with
each page's query count and slowest query) and, last, one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import emit, summary  # noqa: E402
from desk import add_cases, open_database, profile, timed_get  # noqa: E402


def add_insight_data(seed: int = 3) -> dict[str, int]:
    """Coach scores on sent replies and ratings on some resolved cases, in bulk."""
    from django.db import transaction
    from django.db.models import F

    from ledgerdesk.desk.models import Case, Message
    from ledgerdesk.portal.models import CaseRating

    rng = random.Random(seed)
    replies = Message.objects.filter(
        direction=Message.Direction.OUTBOUND, is_acknowledgement=False, author__isnull=False
    )
    reviewed = 0
    with transaction.atomic():
        # Five score bands by message id: a spread of scores without a row-by-row update.
        for band, score in enumerate((58, 71, 80, 88, 95)):
            reviewed += (
                replies.annotate(band=F("id") % 5)
                .filter(band=band)
                .update(review={"score": score, "findings": [], "threshold": 60})
            )
        resolved = list(
            Case.objects.filter(resolved_at__isnull=False, rating__isnull=True).values_list(
                "id", "resolved_at"
            )
        )
        picked = rng.sample(resolved, len(resolved) // 5)
        comments = ["", "", "Quick and clear, thank you.", "Took a while.", "Very helpful."]
        CaseRating.objects.bulk_create(
            [
                CaseRating(
                    case_id=case_id,
                    rating=rng.choices([1, 2, 3, 4, 5], [1, 1, 2, 5, 6])[0],
                    comment=rng.choice(comments),
                    at=resolved_at + dt.timedelta(days=1),
                )
                for case_id, resolved_at in picked
            ],
            batch_size=2000,
        )
    return {"reviewed_replies": reviewed, "ratings": len(picked)}


def measure(repeat: int) -> tuple[dict, dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    lead = get_user_model().objects.get(username="lead")
    client = Client()
    client.force_login(lead)
    year = f"from={(timezone.localdate() - dt.timedelta(days=364)).isoformat()}"
    pages = {
        "desk": "/insights/",
        "desk_ap": "/insights/?team=ap",
        "desk_year": f"/insights/?{year}",
        "agents": "/insights/agents/",
        "agents_year": f"/insights/agents/?{year}",
        "finance": "/insights/finance/",
        "finance_year": f"/insights/finance/?{year}",
        "csv_times_year": f"/insights/csv/times/?{year}",
    }
    for url in pages.values():
        client.get(url)  # warm-up: templates, the database's pages
    samples: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(repeat):
        for name, url in pages.items():
            timed_get(client, url, samples[name])
    profiles = {name: profile(client, url) for name, url in pages.items()}
    print()
    print(
        f"{'page':<18}{'n':>4}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}{'slowest':>9}"
    )
    stats = {}
    for name, values in samples.items():
        s = stats[name] = summary(values)
        queries, slowest, _ = profiles[name]
        print(
            f"{name:<18}{len(values):>4}{s['p50']:>9.1f}{s['p95']:>9.1f}{s['max']:>9.1f}"
            f"{queries:>9}{slowest:>9.1f}"
        )
    print("slowest query per page:")
    for name, (_, slowest, sql) in profiles.items():
        print(f"  {name}: {slowest:.1f} ms: {sql[:240]}")
    return stats, {name: p[0] for name, p in profiles.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="standard demo set, 1,000 cases")
    parser.add_argument("--from-db", type=Path, help="a large demo SQLite database to copy")
    parser.add_argument("--cases", type=int, help="cases to add (default 20,000; quick 1,000)")
    parser.add_argument("--repeat", type=int, help="renders per page (default 10; quick 3)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    total = args.cases or (1_000 if args.quick else 20_000)
    repeat = args.repeat or (3 if args.quick else 10)
    started = time.perf_counter()
    workdir = open_database(args, parser, "insights")
    try:
        from django.db import connection

        from ledgerdesk.desk.models import Case, Message
        from ledgerdesk.ledger.models import Invoice, InvoiceStatusChange, Payment
        from ledgerdesk.portal.models import CaseRating

        print(f"adding {total:,} cases over a year…")
        add_cases(total, max(1, total // 13))
        extra = add_insight_data()
        from ledgerdesk.insights import times

        began = time.perf_counter()
        extra["invoice_times_rows"] = times.refresh()
        extra["invoice_times_backfill_seconds"] = round(time.perf_counter() - began, 1)
        began = time.perf_counter()
        times.refresh()
        extra["invoice_times_refresh_seconds"] = round(time.perf_counter() - began, 2)
        setup_seconds = time.perf_counter() - started
        print(f"set-up took {setup_seconds:.0f} s ({extra})")
        stats, queries = measure(repeat)
        sizes = {
            "cases": Case.objects.count(),
            "messages": Message.objects.count(),
            "ratings": CaseRating.objects.count(),
            "invoices": Invoice.objects.count(),
            "status_changes": InvoiceStatusChange.objects.count(),
            "payments": Payment.objects.count(),
        }
        print(", ".join(f"{k} {v:,}" for k, v in sizes.items()))
        vendor = connection.vendor
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    result = {f"{name}_p50_ms": s["p50"] for name, s in stats.items()}
    result |= {f"{name}_p95_ms": s["p95"] for name, s in stats.items()}
    result |= {f"{name}_queries": n for name, n in queries.items()}
    result |= {
        "setup_seconds": round(setup_seconds, 1),
        **{k: v for k, v in extra.items() if k.startswith("invoice_times")},
        "repeat": repeat,
        "quick": args.quick,
        "db": vendor,
        **sizes,
    }
    emit(result)


if __name__ == "__main__":
    main()
