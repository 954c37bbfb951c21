"""The watch: one full pass of every check over the large demo data set, in seconds.

    .venv/bin/python bench/watch.py            # the large demo set (1,000,000 invoices)
    .venv/bin/python bench/watch.py --quick    # the standard demo set, under a minute
    .venv/bin/python bench/watch.py --from-db PATH   # start from a copy of that large demo DB

The full run starts from a copy of the large demo database (as bench/desk.py does: --from-db,
else ld-large/ledgerdesk.sqlite3 in the temporary folder, or $LEDGERDESK_BENCH_LARGE_DB, else it generates one, about 9 minutes). The large
generator writes the payables records (matches, suspicions, approval steps) only for its
newest 5,000 open bills, so this adds them for every open bill, in bulk, from what each bill's
state says (held on a price or quantity mismatch, held as a duplicate, waiting in approval);
and, since the demo makes no payment runs and records no vendor documents, a few payment runs
with returned and failed payments and a set of tax forms and certificates, some expiring.

Then three passes of `watch.services.run`, each check timed:
- a dry run: the checks' queries and the comparison with what is known, nothing written;
- the first pass: every finding is new and opens its proactive case (and e-mails the vendor,
  into memory);
- the second pass: the steady state, hourly from then on: the same findings, no new case.

Prints a table and, last, one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import time
from pathlib import Path

from _setup import emit
from desk import open_database

BATCH = 5000


def _bulk(model, rows: list) -> int:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH])
    return len(rows)


def add_payables(seed: int = 5) -> dict[str, int]:
    """Payables and vendor records for every open bill, from the state the demo left it in."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from ledgerdesk.desk.seed import seed_desk
    from ledgerdesk.ledger.models import Direction, Invoice
    from ledgerdesk.parties.models import BankAccount, Party
    from ledgerdesk.payables.models import (
        ApprovalStep,
        InvoiceMatch,
        PayingAccount,
        PaymentRun,
        PaymentRunItem,
        SuspectedDuplicate,
    )
    from ledgerdesk.watch.models import VendorDocument

    rng = random.Random(seed)
    today = timezone.localdate()
    users = get_user_model().objects
    teams = {team.code: team for team in seed_desk()}
    staff = list(users.filter(groups__name__in=["Agent", "Lead"]).distinct())
    ap = teams["ap"]
    ap.members.add(*staff)
    if ap.lead is None:
        ap.lead = users.filter(groups__name="Lead").first() or staff[0]
        ap.save(update_fields=["lead"])
    approver = ap.lead
    bills = Invoice.objects.filter(direction=Direction.PAYABLE)
    counts = {}
    with transaction.atomic():
        matched = set(InvoiceMatch.objects.values_list("invoice_id", flat=True))
        rows = []
        held = bills.filter(status=Invoice.Status.ON_HOLD, hold_reason__contains="mismatch")
        for pk, po, reason in held.values_list("pk", "purchase_order_id", "hold_reason"):
            if pk in matched:
                continue
            kind = "price" if reason.lower().startswith("price") else "quantity"
            finding = {"line": 1, "kind": kind, "message": reason, "within_tolerance": False}
            rows.append(
                InvoiceMatch(
                    invoice_id=pk,
                    order_id=po,
                    mode=InvoiceMatch.Mode.THREE_WAY,
                    status=InvoiceMatch.Status.MISMATCH,
                    findings=[finding],
                    kinds=kind,
                )  # fmt: skip
            )
        counts["matches"] = _bulk(InvoiceMatch, rows)

        known = set(SuspectedDuplicate.objects.values_list("invoice_id", flat=True))
        doubles = bills.filter(status=Invoice.Status.ON_HOLD, duplicate_of__isnull=False)
        rows = [
            SuspectedDuplicate(
                invoice_id=pk,
                earlier_id=earlier,
                reasons="Same vendor, amount and date",
                score=Decimal("0.90"),
            )  # fmt: skip
            for pk, earlier in doubles.values_list("pk", "duplicate_of_id")
            if pk not in known
        ]
        counts["suspicions"] = _bulk(SuspectedDuplicate, rows)

        stepped = set(ApprovalStep.objects.values_list("invoice_id", flat=True))
        waiting = bills.filter(status=Invoice.Status.IN_APPROVAL)
        rows = [
            ApprovalStep(
                invoice_id=pk,
                level=1,
                approver=approver,
                state=ApprovalStep.State.PENDING,
                requested_at=since,
            )  # fmt: skip
            for pk, since in waiting.values_list("pk", "status_changed_at")
            if pk not in stepped
        ]
        counts["approval_steps"] = _bulk(ApprovalStep, rows)

        # Two payment runs of a few days ago: one came back in part, one failed.
        account, _ = PayingAccount.objects.get_or_create(
            currency="EUR",
            defaults={"name": "Main EUR", "iban": "NL02ABNA0123456789", "holder_name": "Hub"},
        )
        scheduled = list(
            bills.filter(status=Invoice.Status.SCHEDULED, currency="EUR")
            .values_list("pk", "party_id", "amount_payable")
            .order_by("pk")[:600]
        )
        accounts = dict(
            BankAccount.objects.filter(party_id__in={p for _, p, _ in scheduled})
            .order_by("party_id", "-created_at")
            .values_list("party_id", "pk")
        )
        scheduled = [row for row in scheduled if row[1] in accounts]
        counts["run_items"] = 0
        for ref, status, part in (("BENCH-RET", "returned", 0), ("BENCH-FAIL", "failed", 1)):
            run = PaymentRun.objects.create(
                reference=ref, run_date=today - dt.timedelta(days=3), currency="EUR",
                account=account, status=status,
                failure_reason="The bank rejected the file" if status == "failed" else "",
            )  # fmt: skip
            items = []
            for n, (pk, party, amount) in enumerate(scheduled[part::2]):
                returned = status == "returned" and n % 10 == 0
                items.append(
                    PaymentRunItem(
                        run=run,
                        invoice_id=pk,
                        amount=amount,
                        vendor_account_id=accounts[party],
                        end_to_end_id=f"{ref}-{pk}",
                        status="returned"
                        if returned
                        else ("paid" if status != "failed" else "included"),
                        return_reason="Account closed" if returned else "",
                    )  # fmt: skip
                )
            counts["run_items"] += _bulk(PaymentRunItem, items)

        # Tax forms for most US vendors; certificates for a fifth of the vendors, a few
        # expiring within the month.
        vendors = list(Party.objects.filter(is_vendor=True).values_list("pk", "country"))
        docs = []
        for pk, country in vendors:
            if country == "US" and rng.random() < 0.8:
                docs.append(VendorDocument(party_id=pk, kind="tax_form", received_at=today))
            if rng.random() < 0.2:
                until = today + dt.timedelta(days=rng.randint(-30, 365))
                docs.append(
                    VendorDocument(
                        party_id=pk,
                        kind="insurance",
                        reference=f"POL-{pk}",
                        received_at=min(until, today) - dt.timedelta(days=365),
                        valid_until=until,
                    )  # fmt: skip
                )
        counts["vendor_documents"] = _bulk(VendorDocument, docs)
        counts["us_vendors"] = sum(1 for _, c in vendors if c == "US")
    return counts


def watch_pass(label: str, **kwargs) -> dict[str, dict]:
    from django.db import connection

    from ledgerdesk.watch import services

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        outcomes = services.run(**kwargs)
    total = time.perf_counter() - started
    print(f"\n{label}: {total:.1f} s, {queries:,} queries")
    print(f"  {'check':<20} {'found':>7} {'new':>7} {'opened':>7} {'told':>6} {'seconds':>8}")
    for o in outcomes:
        print(
            f"  {o.check:<20} {o.found:>7,} {o.new:>7,} {o.cases_opened:>7,} "
            f"{o.vendors_told:>6,} {o.seconds:>8.2f}"
        )
    return {
        "total": round(total, 2),
        "queries": queries,
        "checks": {o.check: o.as_dict() for o in outcomes},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the standard demo set")
    parser.add_argument("--from-db", type=Path, help="a large demo SQLite database to copy")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    started = time.perf_counter()
    workdir = open_database(args, parser, "watch")
    try:
        from django.db import connection

        from ledgerdesk.desk.models import Case
        from ledgerdesk.ledger.models import Invoice

        added_at = time.perf_counter()
        added = add_payables()
        print(f"added {added} in {time.perf_counter() - added_at:.0f} s")
        setup_seconds = time.perf_counter() - started
        dry = watch_pass("dry run", dry_run=True)
        cases_before = Case.objects.count()
        first = watch_pass("first pass (opens the cases)")
        opened = Case.objects.count() - cases_before
        second = watch_pass("second pass (steady state)")
        invoices = Invoice.objects.count()
        vendor = connection.vendor
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    def seconds(run):
        return {name: round(c["seconds"], 2) for name, c in run["checks"].items()}

    emit(
        {
            "bench": "watch",
            "scale": "standard" if args.quick else "large",
            "database": vendor,
            "invoices": invoices,
            "setup_s": round(setup_seconds, 1),
            "dry_run_total_s": dry["total"],
            "dry_run_s": seconds(dry),
            "first_pass_total_s": first["total"],
            "first_pass_s": seconds(first),
            "second_pass_total_s": second["total"],
            "second_pass_s": seconds(second),
            "findings": {name: c["found"] for name, c in first["checks"].items()},
            "cases_opened": opened,
            "ms_per_case_opened": round(1000 * first["total"] / opened, 2) if opened else None,
        }
    )


if __name__ == "__main__":
    main()
