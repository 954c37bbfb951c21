"""Cash application end to end on a real database: a camt.053 file in, the ledger updated.

    .venv/bin/python bench/cash_apply_db.py            # 50,000 lines, 1,000,000 open invoices
    .venv/bin/python bench/cash_apply_db.py --quick    # 2,000 lines, 40,000 open invoices

The book and the payments come from the generator of `bench/cash_application.py` (the engine's
own benchmark, same seed): customers with names, IBANs, currencies and payment terms, their
open AR invoices, and bank lines paying them the way customers pay (invoice numbers as typed
and with OCR slips, RF references, several invoices in one payment, discounts, bank fees,
short and over payments, payer's account or name only, unidentifiable cash), each with its
truth.

The customers (with a contact and their bank accounts), the invoices and the AR team are
written with bulk_create into a migrated SQLite database, which is kept under --data-root and
reused by the next run with the same book (a run works on a copy, the cached one stays
pristine); it carries SQLite's table statistics (ANALYZE), as `PRAGMA optimize` keeps them on
a live database. The lines are written as one camt.053 file, one statement per currency
account. Building the million invoices takes about five minutes on a 2-core machine.

Timed: what `ledgerdesk import-statement FILE` does, in its service functions: parse and store
(`import_bytes`), then `apply_cash` on the stored statements. Then each line's payment
allocations are compared with the truth: an automatic application is right when its
allocations (invoice, amount, deduction and its reason) are exactly the truth's; a short payment
is right when what came in is allocated and the rest of the invoice is left open with a
deduction case. Progress goes to stderr; the last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import cash_application as book_recipe  # the engine benchmark's generator (same directory)
from _setup import ROOT, emit

DATA_ROOT = Path(tempfile.gettempdir()) / "ld-bench-cash-apply-db"
# Our own bank accounts, one per currency: a statement per account.
OUR_ACCOUNTS = {
    "EUR": "DE89370400440532013000",
    "USD": "DE62370400440532013001",
    "GBP": "DE35370400440532013002",
    "CHF": "DE08370400440532013003",
}
BATCH = 20_000


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- The book and the statement -----------------------------------------------------------


def make_book(items: int, customers: int, seed: int):
    rng = random.Random(seed)
    people, open_items = book_recipe.make_book(rng, items, customers)
    return rng, people, open_items


def book_digest(people, open_items) -> str:
    """Identifies the generated book: a cached database is reused only for the same one."""
    digest = hashlib.sha256()
    digest.update(f"{len(people)}|{len(open_items)}".encode())
    for item in open_items[:: max(1, len(open_items) // 2000)]:
        digest.update(
            f"{item.key}|{item.number}|{item.party_key}|{item.amount_open}|"
            f"{item.payment_reference}|{item.discount_amount}".encode()
        )
    for person in people[:: max(1, len(people) // 500)]:
        digest.update(f"{person.key}|{person.name}|{','.join(person.accounts)}".encode())
    return digest.hexdigest()[:16]


def camt053(lines) -> tuple[bytes, dict[int, tuple[str, int]]]:
    """One camt.053 document, a statement per currency; where each line went (account, position)."""
    by_currency = defaultdict(list)
    for line in lines:
        by_currency[line.currency].append(line)
    where: dict[int, tuple[str, int]] = {}
    statements = []
    first = min(line.booking_date for line in lines)
    last = max(line.booking_date for line in lines)
    for currency, group in sorted(by_currency.items()):
        account = OUR_ACCOUNTS[currency]
        opening = Decimal("250000.00")
        closing = opening + sum((line.amount for line in group), Decimal("0"))
        entries = []
        for position, line in enumerate(group, 1):
            where[line.key] = (account, position)
            structured = ""
            if line.creditor_reference:
                structured = (
                    "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
                    f"<Ref>{escape(line.creditor_reference)}</Ref></CdtrRefInf></Strd>"
                )
            unstructured = f"<Ustrd>{escape(line.remittance)}</Ustrd>" if line.remittance else ""
            name = f"<Nm>{escape(line.counterparty_name)}</Nm>" if line.counterparty_name else ""
            entries.append(
                f'<Ntry><Amt Ccy="{currency}">{line.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
                f"<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>{line.booking_date}</Dt></BookgDt>"
                f"<ValDt><Dt>{line.booking_date}</Dt></ValDt>"
                f"<AcctSvcrRef>B{line.key:09d}</AcctSvcrRef><NtryDtls><TxDtls>"
                f"<Refs><EndToEndId>E2E-{line.key:09d}</EndToEndId></Refs>"
                f"<RltdPties><Dbtr>{name}</Dbtr><DbtrAcct><Id><IBAN>{line.counterparty_account}"
                f"</IBAN></Id></DbtrAcct></RltdPties>"
                f"<RmtInf>{unstructured}{structured}</RmtInf></TxDtls></NtryDtls></Ntry>\n"
            )
        statements.append(
            f"<Stmt><Id>BENCH-{currency}-{last:%Y%m%d}</Id><CreDtTm>{last}T18:00:00</CreDtTm>"
            f"<FrToDt><FrDtTm>{first}T00:00:00</FrDtTm><ToDtTm>{last}T23:59:59</ToDtTm></FrToDt>"
            f"<Acct><Id><IBAN>{account}</IBAN></Id><Ccy>{currency}</Ccy></Acct>"
            f"<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="{currency}">{opening}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            f"<Dt><Dt>{first}</Dt></Dt></Bal>"
            f"<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="{currency}">{closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            f"<Dt><Dt>{last}</Dt></Dt></Bal>\n{''.join(entries)}</Stmt>\n"
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>BENCH-{last:%Y%m%d}</MsgId><CreDtTm>{last}T18:00:00</CreDtTm></GrpHdr>\n"
        f"{''.join(statements)}</BkToCstmrStmt></Document>\n"
    )
    return xml.encode(), where


# --- The database -------------------------------------------------------------------------


def setup_django(data: Path) -> None:
    os.environ["LEDGERDESK_DATA_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerdesk.settings")
    # Mail the short-payment cases send goes to files in the run's data dir, not to a server.
    os.environ.setdefault(
        "LEDGERDESK_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def build(people, open_items) -> None:
    """Customers, their contacts and bank accounts, their open invoices, the AR team."""
    from django.db import transaction
    from django.utils import timezone

    from ledgerdesk.ledger.models import Direction, Invoice
    from ledgerdesk.parties.models import BankAccount, Contact, Party, normalize_name

    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, len(people), BATCH):
            chunk = people[start : start + BATCH]
            Party.objects.bulk_create(
                Party(
                    pk=p.key,
                    name=p.name,
                    name_key=normalize_name(p.name),
                    is_customer=True,
                    default_currency=p.currency,
                    payment_terms_days=p.terms,
                    external_id=f"C{p.key:06d}",
                )
                for p in chunk
            )
            Contact.objects.bulk_create(
                Contact(
                    party_id=p.key,
                    name="Accounts payable",
                    email=f"ap@customer{p.key}.example",
                    is_primary=True,
                )
                for p in chunk
            )
            BankAccount.objects.bulk_create(
                BankAccount(party_id=p.key, iban=iban, holder_name=p.name[:200])
                for p in chunk
                for iban in p.accounts
            )
    say(f"  {len(people):,} customers in {time.perf_counter() - started:.0f} s")
    for start in range(0, len(open_items), BATCH):
        with transaction.atomic():
            Invoice.objects.bulk_create(
                Invoice(
                    pk=item.key,
                    direction=Direction.RECEIVABLE,
                    party_id=item.party_key,
                    number=item.number,
                    issue_date=item.issue_date,
                    due_date=item.due_date,
                    currency=item.currency,
                    net_amount=item.amount_total,
                    total_amount=item.amount_total,
                    amount_payable=item.amount_total,
                    amount_open=item.amount_open,
                    status=Invoice.Status.ISSUED,
                    status_changed_at=now,
                    discount_amount=item.discount_amount,
                    discount_until=item.discount_until,
                    payment_reference=item.payment_reference,
                    source=Invoice.Source.DEMO,
                )
                for item in open_items[start : start + BATCH]
            )
        done = start + BATCH
        if done % 200_000 == 0 or done >= len(open_items):
            say(
                f"  {min(done, len(open_items)):,} invoices "
                f"in {time.perf_counter() - started:.0f} s"
            )


def ensure_team() -> None:
    """The AR team, with an agent to own the deduction cases short payments open."""
    from django.contrib.auth import get_user_model

    from ledgerdesk.desk.models import Team

    team, _ = Team.objects.get_or_create(
        code="ar",
        defaults={"name": "Accounts Receivable", "direction": "ar", "email": "ar@bench.example"},
    )
    agent, created = get_user_model().objects.get_or_create(
        username="bench-ar-agent", defaults={"first_name": "AR", "last_name": "Agent"}
    )
    if created:
        agent.set_unusable_password()
        agent.save(update_fields=["password"])
    team.members.add(agent)


def analyze() -> None:
    """Table statistics for SQLite's query planner, as `PRAGMA optimize` keeps them on a live
    database. Without them, SQLite answers "which open invoices carry these numbers" by
    walking every AR invoice (the direction index) instead of the number index: seconds per
    query on a million invoices."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            cursor.execute("ANALYZE")


def prepare_database(args, people, open_items) -> Path:
    """A data dir holding a copy of the cached database of this book (built if need be)."""
    digest = book_digest(people, open_items)
    cache = args.data_root / f"book-{len(open_items)}-{len(people)}-{args.seed}-{digest}"
    cached_db = cache / "ledgerdesk.sqlite3"
    run = Path(tempfile.mkdtemp(prefix="run-", dir=args.data_root))
    data = run / "data"
    data.mkdir()
    if cached_db.exists() and (cache / "built.json").exists() and not args.rebuild:
        started = time.perf_counter()
        shutil.copyfile(cached_db, data / "ledgerdesk.sqlite3")
        say(f"copied the cached database {cache} in {time.perf_counter() - started:.0f} s")
        setup_django(data)  # migrations added since the cache was built
        analyze()
        ensure_team()
        return run
    say(f"building the database: {len(people):,} customers, {len(open_items):,} invoices…")
    started = time.perf_counter()
    setup_django(data)
    build(people, open_items)
    analyze()
    seconds = time.perf_counter() - started
    say(f"built in {seconds:.0f} s; caching it in {cache}")
    from django.db import connection

    connection.close()
    cache.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(data / "ledgerdesk.sqlite3")
    target = sqlite3.connect(cache / "ledgerdesk.sqlite3.part")
    with target:
        source.backup(target, pages=16384)
    source.close()
    target.close()
    (cache / "ledgerdesk.sqlite3.part").rename(cached_db)
    (cache / "built.json").write_text(
        json.dumps({"seconds": round(seconds), "invoices": len(open_items), "digest": digest})
    )
    ensure_team()
    return run


def run_queued_tasks() -> int:
    """Run the tasks the import queued (Huey's storage in the run's data dir), as a worker."""
    from huey.contrib.djhuey import HUEY

    count = 0
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)
        count += 1
    return count


# --- Scoring ------------------------------------------------------------------------------


def score(statement_ids, where, lines, truths, mix, open_items_count: int) -> dict:
    from ledgerdesk.ledger.models import Invoice, PaymentAllocation
    from ledgerdesk.receivables.models import DeductionCase, StatementLine

    by_place = {}
    rows = StatementLine.objects.filter(statement_id__in=statement_ids).values_list(
        "pk", "account", "position", "state", "auto_applied", "payment_id", "reason"
    )
    for pk, account, position, state, auto, payment_id, reason in rows:
        by_place[account, position] = (pk, state, auto, payment_id, reason)
    allocations = defaultdict(dict)
    payment_ids = [row[3] for row in by_place.values() if row[3]]
    for start in range(0, len(payment_ids), 500):
        for payment_id, invoice_id, amount, deduction, why in PaymentAllocation.objects.filter(
            payment_id__in=payment_ids[start : start + 500]
        ).values_list("payment_id", "invoice_id", "amount", "deduction_amount", "deduction_reason"):
            allocations[payment_id][invoice_id] = (amount, deduction, why)
    cased = set(DeductionCase.objects.values_list("invoice_id", flat=True))
    states: Counter = Counter()
    auto = right_auto = wrong = with_truth = 0
    wrong_examples = []
    auto_by_kind: dict = defaultdict(lambda: [0, 0])
    short_keys = set()
    for line, (truth, _), (kind, how) in zip(lines, truths, mix, strict=True):
        pk, state, is_auto, payment_id, reason = by_place[where[line.key]]
        states[state] += 1
        if truth:
            with_truth += 1
        auto_by_kind[kind][1] += 1
        if not is_auto:
            continue
        auto += 1
        auto_by_kind[kind][0] += 1
        got = allocations.get(payment_id, {})
        expected = {}
        for invoice_id, (amount, deduction, why) in truth.items():
            if why == "short payment":
                # Cash application applies what came in and asks the customer about the rest.
                expected[invoice_id] = (amount, Decimal("0"), "")
                short_keys.add(invoice_id)
            else:
                expected[invoice_id] = (amount, deduction, why)
        right = got == expected and all(
            invoice_id in cased for invoice_id, (*_, why) in truth.items() if why == "short payment"
        )
        if right:
            right_auto += 1
        else:
            wrong += 1
            if len(wrong_examples) < 10:
                wrong_examples.append(
                    {"kind": kind, "amount": how, "truth": str(truth), "got": str(got),
                     "reason": reason}
                )  # fmt: skip
    for example in wrong_examples:
        say(f"wrong: {example}")
    left_open = sum(
        1
        for amount in Invoice.objects.filter(pk__in=list(short_keys)).values_list(
            "amount_open", flat=True
        )
        if amount > 0
    )
    return {
        "auto_rate": round(auto / len(lines), 4),
        "wrong_auto": wrong,
        "precision": round(right_auto / auto, 5) if auto else 0.0,
        "recall": round(right_auto / with_truth, 4) if with_truth else 0.0,
        "states": dict(sorted(states.items())),
        "auto_rate_by_kind": {k: round(a / n, 3) for k, (a, n) in sorted(auto_by_kind.items())},
        "short_invoices_left_open": left_open,
        "deduction_cases": len(cased),
        "open_items": open_items_count,
    }


# --- Main ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 lines against 40,000 invoices")
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=book_recipe.SEED)
    parser.add_argument("--data-root", type=Path, default=DATA_ROOT, help="cache and runs")
    parser.add_argument("--rebuild", action="store_true", help="do not reuse a cached database")
    parser.add_argument("--keep", action="store_true", help="keep the run's database")
    parser.add_argument("--build-only", action="store_true", help="build and cache the database")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the timed part here")
    args = parser.parse_args()
    if args.quick:
        args.lines, args.items = 2_000, 40_000
    customers = max(10, args.items // 50)
    args.data_root.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    say(f"generating {args.items:,} open invoices of {customers:,} customers…")
    rng, people, open_items = make_book(args.items, customers, args.seed)
    say(f"generating {args.lines:,} bank lines…")
    lines, truths, mix = book_recipe.make_lines(rng, people, args.lines)
    data, where = camt053(lines)
    say(
        f"generated in {time.perf_counter() - started:.0f} s ({len(data) / 1e6:.1f} MB of camt.053)"
    )

    run = prepare_database(args, people, open_items)
    if args.build_only:
        shutil.rmtree(run, ignore_errors=True)
        return
    try:
        from django.db import connection

        from ledgerdesk.core import audit
        from ledgerdesk.receivables import services

        say("importing and applying…")
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        with audit.acting_as(label="bench:cash-apply-db"):
            t0, cpu0 = time.perf_counter(), time.process_time()
            outcome = services.import_bytes(data, "bench-statement.xml")
            if outcome.rejected:
                raise SystemExit(f"the statement was rejected: {outcome.error}")
            t1 = time.perf_counter()
            summary = services.apply_cash(statement_ids=outcome.statement_ids)
            t2, cpu = time.perf_counter(), time.process_time() - cpu0
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile)
        say(f"imported in {t1 - t0:.1f} s, applied in {t2 - t1:.1f} s: {summary.line()}")
        # The deduction cases of short payments are opened by a task after the commit (the
        # worker's job): run what was queued, timed on its own.
        t3, cases_cpu0 = time.perf_counter(), time.process_time()
        tasks_run = run_queued_tasks()
        t4, cases_cpu = time.perf_counter(), time.process_time() - cases_cpu0
        say(f"{tasks_run} queued task(s) run in {t4 - t3:.1f} s")
        figures = score(outcome.statement_ids, where, lines, truths, mix, len(open_items))
        vendor = connection.vendor
    finally:
        if args.keep:
            say(f"kept {run}")
        else:
            shutil.rmtree(run, ignore_errors=True)
    total = t2 - t0
    emit(
        {
            "lines": len(lines),
            **figures,
            "customers": len(people),
            "cases_opened": summary.cases,
            "seconds_import": round(t1 - t0, 2),
            "seconds_apply": round(t2 - t1, 2),
            "seconds_total": round(total, 2),
            "lines_per_second": round(len(lines) / total, 1) if total else 0.0,
            # The machine is shared: CPU time is this run's own work (SQLite runs in-process).
            "cpu_seconds_total": round(cpu, 2),
            # Of cash application, by phase (the rest: reading the lines, ignoring debits).
            "cpu_seconds_by_phase": {k: round(v, 2) for k, v in sorted(summary.cpu.items())},
            # After the import: the queued deduction-case tasks, as the worker runs them.
            "seconds_cases_task": round(t4 - t3, 2),
            "cpu_seconds_cases_task": round(cases_cpu, 2),
            "database": vendor,
            "seed": args.seed,
        }
    )


if __name__ == "__main__":
    main()
