"""Agent console latency: queue pages, case pages and search, on the large demo data set.

    .venv/bin/python bench/desk.py            # large demo set + 20,000 cases (1,500 open)
    .venv/bin/python bench/desk.py --quick    # standard demo set + 3,000 cases, under a minute
    .venv/bin/python bench/desk.py --from-db PATH   # start from a copy of that large demo DB

The full run starts from a copy of an existing large demo database (`ledgerdesk demo --scale
large`: 20,000 parties, 1,000,000 invoices) when there is one (--from-db, else
ld-large/ledgerdesk.sqlite3 in the temporary folder, or $LEDGERDESK_BENCH_LARGE_DB), copied with SQLite's backup API so the original is only
read; otherwise it generates one (about 9 minutes). On top it puts a year of desk work with
bulk_create: cases on real invoices of real parties, about three messages each (the inquiry,
the acknowledgement, answers and follow-ups), their timeline events and SLA clocks computed by
`desk.clocks`, the open ones spread over the AP and AR team members. Message rows go in through
the normal INSERT, so the search index triggers run as in production.

Then, in-process with Django's test Client, signed in as the demo agent (a member of both
teams): after a warm-up, it times my queue page 1, the AP team queue page 1 and its last page,
50 different case pages, and the search page for a common word, a rare word, a reference
number and two words. Prints a table (with each page's query count and slowest query) and,
last, one JSON line.

DATABASE_URL, if set, selects the database (it must hold no parties); the default is a
throw-away SQLite database in a temporary folder, removed at the end unless --keep.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from _setup import ROOT, emit, summary

# The large demo set, built once with `ledgerdesk demo --scale large` in this data dir and copied
# by every bench that runs at full size (set LEDGERDESK_BENCH_LARGE_DB to use another file).
LARGE_DB = Path(
    os.environ.get(
        "LEDGERDESK_BENCH_LARGE_DB",
        Path(tempfile.gettempdir()) / "ld-large" / "ledgerdesk.sqlite3",
    )
)
RARE_WORD = "Zollabfertigung"
COMMON_WORD = "invoice"
AGENTS_PER_TEAM = 8  # the demo agent and seven colleagues
BATCH = 2000


def setup_django(workdir: Path, source: Path | None) -> None:
    """Point Django at a database in `workdir` (a copy of `source`, if given) and migrate."""
    data = workdir / "data"
    data.mkdir(parents=True, exist_ok=True)
    if source is not None and not os.environ.get("DATABASE_URL"):
        started = time.perf_counter()
        reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        writer = sqlite3.connect(data / "ledgerdesk.sqlite3")
        with writer:
            reader.backup(writer, pages=16384)
        reader.close()
        writer.close()
        print(f"copied {source} in {time.perf_counter() - started:.0f} s")
    os.environ["LEDGERDESK_DATA_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerdesk.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test Client's host, and a mail outbox in memory
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.1f} s")


def open_database(args, parser: argparse.ArgumentParser, name: str) -> Path:
    """A temporary folder with Django set up on its database: with --quick a fresh standard demo
    set, else a copy of the large one (--from-db, or LARGE_DB when it exists). The caller
    removes the folder (unless --keep)."""
    source = None
    if not args.quick:
        source = args.from_db or (LARGE_DB if LARGE_DB.exists() else None)
        if source is not None and not source.exists():
            parser.error(f"--from-db: {source} does not exist")
    workdir = Path(tempfile.mkdtemp(prefix=f"ledgerdesk-bench-{name}-"))
    setup_django(workdir, source)
    load_demo("standard" if args.quick else "large")
    return workdir


def load_demo(scale: str) -> None:
    from ledgerdesk.demo import loading
    from ledgerdesk.parties.models import Party

    if Party.objects.exists():
        return  # the copied large demo set
    started = time.perf_counter()
    print(f"loading the {scale} demo set (the large one takes about 9 minutes)…")
    loading.load(scale)
    print(f"demo set loaded in {time.perf_counter() - started:.0f} s")


# ---------------------------------------------------------------------------------------------
# A year of desk work, bulk-created.


def _agents():
    """The demo agent and lead in both teams, with colleagues: (teams by direction, agents)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from ledgerdesk.core import roles
    from ledgerdesk.desk.seed import seed_desk

    user_model = get_user_model()
    group = Group.objects.get(name=roles.AGENT)
    demo_agent = user_model.objects.get(username="agent")
    lead = user_model.objects.filter(username="lead").first()
    teams = {team.direction: team for team in seed_desk()}
    members = {}
    for direction, team in teams.items():
        colleagues = []
        for n in range(1, AGENTS_PER_TEAM):
            user, created = user_model.objects.get_or_create(
                username=f"{direction}-agent-{n}",
                defaults={"first_name": f"{direction.upper()} agent", "last_name": str(n)},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.add(group)
            colleagues.append(user)
        team.members.add(demo_agent, *colleagues)
        if lead is not None and team.lead_id is None:
            team.lead = lead
            team.save(update_fields=["lead"])
        members[direction] = [demo_agent, *colleagues]
    return teams, members, demo_agent


def _invoices(rng: random.Random, count: int) -> list[dict]:
    """`count` random invoices of parties that have a contact with an e-mail address."""
    from ledgerdesk.ledger.models import Invoice
    from ledgerdesk.parties.models import Contact

    contacts = {}
    for row in Contact.objects.exclude(email="").values("id", "party_id", "name", "email"):
        contacts.setdefault(row["party_id"], row)
    bounds = Invoice.objects.order_by("id").values_list("id", flat=True)
    low, high = bounds.first(), bounds.last()
    ids = rng.sample(range(low, high + 1), min(high - low + 1, 3 * count))
    fields = ("id", "party_id", "direction", "number", "amount_open", "currency", "due_date")
    picked: list[dict] = []
    for start in range(0, len(ids), 5000):
        for row in Invoice.objects.filter(id__in=ids[start : start + 5000]).values(*fields):
            if row["party_id"] in contacts and row["direction"] in ("ap", "ar"):
                row["contact"] = contacts[row["party_id"]]
                picked.append(row)
    if not picked:
        raise SystemExit("no invoices of parties with an e-mail contact: load a demo set first")
    rng.shuffle(picked)
    # A small data set has fewer invoices than cases: some invoices get asked about twice.
    return (picked * (count // len(picked) + 1))[:count]


def _references(openings: list[tuple[str, object]]) -> list[str]:
    """References for cases opened (prefix, at), after those already handed out."""
    from ledgerdesk.core.models import ReferenceCounter

    last = {(c.prefix, c.year): c.last for c in ReferenceCounter.objects.all()}
    references = []
    for prefix, at in openings:
        key = (prefix, at.year)
        last[key] = last.get(key, 0) + 1
        references.append(f"{prefix}-{at.year}-{last[key]:06d}")
    for (prefix, year), number in last.items():
        ReferenceCounter.objects.update_or_create(
            prefix=prefix, year=year, defaults={"last": number}
        )
    return references


ACK = (
    "Thank you for your message. We have opened case {reference} for it and will answer "
    "within our service times. Please keep the reference in the subject when you write again."
)
FOLLOW_UPS = [
    "Any news on this? Our finance team asks about invoice {number} every day.",
    "Thank you. One more question: the remittance advice does not list invoice {number}.",
    "Could you also send the credit note for invoice {number}? Our auditors need it.",
]
RARE_TEXT = "Please note the payment must also cover the {rare} charges on invoice {number}."


def add_cases(total: int, open_count: int, seed: int = 11) -> dict[str, int]:
    """`total` cases over the last year, the `open_count` newest of them still open."""
    from django.db import transaction
    from django.utils import timezone

    from ledgerdesk.desk import clocks
    from ledgerdesk.desk.categorize import guess_category
    from ledgerdesk.desk.demo import AP_QUESTIONS, AR_QUESTIONS, REPLY
    from ledgerdesk.desk.models import Case, CaseEvent, Message

    rng = random.Random(seed)
    teams, members, _ = _agents()
    invoices = _invoices(rng, total)
    now = timezone.now()
    # The newest `open_count` cases are open (opened in the last three weeks); the rest were
    # opened over the year before and are resolved or closed.
    ages = sorted(
        [timedelta(hours=rng.uniform(0.2, 24 * 21)) for _ in range(open_count)]
        + [timedelta(days=rng.uniform(21, 365)) for _ in range(total - open_count)]
    )
    openings = [
        ("AP" if inv["direction"] == "ap" else "AR", now - age)
        for inv, age in zip(invoices, reversed(ages), strict=True)
    ]
    references = _references(openings)
    rare = set(rng.sample(range(total), min(12, total)))  # a dozen cases name the rare word
    turn = defaultdict(int)
    counts = defaultdict(int)
    for start in range(0, total, BATCH):
        cases, threads = [], []
        for i in range(start, min(start + BATCH, total)):
            inv, (_, opened) = invoices[i], openings[i]
            team = teams[inv["direction"]]
            contact = inv["contact"]
            is_open = i >= total - open_count
            questions = AP_QUESTIONS if inv["direction"] == "ap" else AR_QUESTIONS
            subject, body = rng.choice(questions)
            values = {
                "number": inv["number"],
                "amount": f"{inv['amount_open']:,.2f}",
                "currency": inv["currency"],
                "due": inv["due_date"].strftime("%d %B") if inv["due_date"] else "last month",
                "name": contact["name"],
            }
            subject, body = subject.format(**values), body.format(**values)
            if is_open:
                owner = members[inv["direction"]][turn[inv["direction"]] % AGENTS_PER_TEAM]
                turn[inv["direction"]] += 1
                state = rng.choices(
                    ["new", "open", "waiting_customer", "waiting_third_party"], [3, 4, 2, 1]
                )[0]
            else:
                owner = rng.choice(members[inv["direction"]])
                state = rng.choices(["resolved", "closed"], [1, 4])[0]
            tier = rng.choices([1, 2, 3], [1, 3, 6])[0]
            case = Case(
                reference=references[i],
                team=team,
                subject=subject,
                party_id=inv["party_id"],
                contact_id=contact["id"],
                category=guess_category(subject, body),
                state=state,
                tier=tier,
                tier_reason="Tier 3: no rule applies." if tier == 3 else f"Tier {tier}: bench.",
                owner=owner,
                opened_at=opened,
                last_message_at=opened,
            )
            clocks.start(case, opened)
            thread = [("in", opened, subject, body, False)]
            ack_at = opened + timedelta(minutes=1)
            thread.append(("out", ack_at, f"[{case.reference}] {subject}", ACK, True))
            case.acknowledged_at = ack_at
            clocks.stop(case, "acknowledge", ack_at)
            timeline = [
                (CaseEvent.Kind.SYSTEM, opened, "Case opened (E-mail)."),
                (CaseEvent.Kind.TIER, opened, case.tier_reason),
                (CaseEvent.Kind.ASSIGNED, opened, f"Owner: {owner.get_full_name()}."),
            ]
            answered = opened + timedelta(hours=rng.uniform(0.3, 30))
            if answered >= now:
                case.state = state = "new"  # not answered yet
            if state != "new":
                reply = REPLY.format(
                    name=contact["name"],
                    number=inv["number"],
                    date=(answered + timedelta(days=7)).strftime("%d %B"),
                    agent=owner.get_full_name(),
                )
                thread.append(("out", answered, f"Re: [{case.reference}] {subject}", reply, False))
                case.first_response_at = answered
                clocks.stop(case, "first_response", answered)
                if (state == "open" and rng.random() < 0.5) or (not is_open and rng.random() < 0.3):
                    at = min(now, answered + timedelta(hours=rng.uniform(0.5, 20)))
                    text = rng.choice(FOLLOW_UPS).format(number=inv["number"])
                    thread.append(("in", at, f"Re: [{case.reference}] {subject}", text, False))
                if state == "waiting_customer":
                    clocks.pause(case, answered)
                    timeline.append((CaseEvent.Kind.STATE, answered, "Open → Waiting on customer."))
                if not is_open:
                    done = max(m[1] for m in thread) + timedelta(hours=rng.uniform(0.1, 8))
                    case.resolved_at = done
                    clocks.stop(case, "resolution", done)
                    timeline.append((CaseEvent.Kind.STATE, done, "Open → Resolved."))
                    if state == "closed":
                        case.closed_at = done + timedelta(days=3)
                        timeline.append(
                            (CaseEvent.Kind.STATE, case.closed_at, "Resolved → Closed.")
                        )
            if i in rare:
                text = RARE_TEXT.format(number=inv["number"], rare=RARE_WORD)
                at = min(now, max(m[1] for m in thread) + timedelta(minutes=30))
                thread.append(("in", at, f"Re: [{case.reference}] {subject}", text, False))
            case.last_message_at = max(m[1] for m in thread)
            cases.append(case)
            threads.append((inv["id"], contact, owner, thread, timeline))
        with transaction.atomic():
            Case.objects.bulk_create(cases)
            messages, events, links = [], [], []
            for case, (invoice_id, contact, owner, thread, case_events) in zip(
                cases, threads, strict=True
            ):
                links.append(Case.invoices.through(case_id=case.pk, invoice_id=invoice_id))
                for k, (direction, at, subject, text, ack) in enumerate(thread):
                    inbound = direction == "in"
                    messages.append(
                        Message(
                            case=case,
                            direction=direction,
                            message_id=f"<{case.reference}.{k}@bench.example>",
                            sender_name=contact["name"] if inbound else owner.get_full_name(),
                            sender_email=contact["email"] if inbound else case.team.email,
                            to=case.team.email if inbound else contact["email"],
                            subject=subject,
                            text=text,
                            at=at,
                            author=None if inbound or ack else owner,
                            is_acknowledgement=ack,
                        )
                    )
                events += [
                    CaseEvent(case=case, kind=kind, at=at, text=text, actor_label="bench")
                    for kind, at, text in case_events
                ]
            Case.invoices.through.objects.bulk_create(links)
            Message.objects.bulk_create(messages, batch_size=500)
            CaseEvent.objects.bulk_create(events, batch_size=1000)
        counts["cases"] += len(cases)
        counts["messages"] += len(messages)
        counts["events"] += len(events)
        print(f"  {counts['cases']:,} cases, {counts['messages']:,} messages", end="\r")
    print()
    return dict(counts)


# ---------------------------------------------------------------------------------------------
# Measuring.


def timed_get(client, url: str, samples: list[float]) -> None:
    started = time.perf_counter()
    response = client.get(url)
    samples.append((time.perf_counter() - started) * 1000)
    assert response.status_code == 200, f"{url}: {response.status_code}"


def profile(client, url: str) -> tuple[int, float, str]:
    """Query count, slowest query (ms) and its SQL for one request of `url`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]))
    return len(ctx.captured_queries), float(slowest["time"]) * 1000, slowest["sql"]


def measure(repeat: int) -> tuple[dict, list[tuple[str, str]]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from ledgerdesk.core.pagination import PAGE_SIZE
    from ledgerdesk.desk.models import Case, Team
    from ledgerdesk.desk.search import search_cases

    agent = get_user_model().objects.get(username="agent")
    client = Client()
    client.force_login(agent)
    ap = Team.objects.get(code="ap")
    team_open = Case.objects.open().filter(team=ap).count()
    last_page = max(1, -(-team_open // PAGE_SIZE))
    rng = random.Random(5)
    open_refs = list(Case.objects.open().values_list("reference", flat=True))
    closed_refs = list(
        Case.objects.exclude(state__in=Case.OPEN_STATES).values_list("reference", flat=True)
    )
    case_refs = rng.sample(open_refs, min(35, len(open_refs)))
    case_refs += rng.sample(closed_refs, min(50 - len(case_refs), len(closed_refs)))
    some_reference = rng.choice(open_refs)
    pages = {
        "queue": "/desk/",
        "team_queue": "/desk/team/ap/",
        "team_queue_deep": f"/desk/team/ap/?page={last_page}",
        "search_common": f"/desk/search/?q={COMMON_WORD}",
        "search_rare": f"/desk/search/?q={RARE_WORD.lower()}",
        "search_reference": f"/desk/search/?q={some_reference[-6:]}",
        "search_two_words": "/desk/search/?q=short+payment",
    }
    for url in [*pages.values(), *(f"/desk/cases/{r}/" for r in case_refs[:5])]:
        for _ in range(3):
            client.get(url)  # warm-up: templates, caches, the database's pages
    samples: dict[str, list[float]] = {name: [] for name in pages}
    samples["case"] = []
    samples["search_ranked_adapter"] = []
    for _ in range(repeat):
        for name, url in pages.items():
            timed_get(client, url, samples[name])
    for _ in range(2):
        for reference in case_refs:
            timed_get(client, f"/desk/cases/{reference}/", samples["case"])
    for _ in range(repeat):
        started = time.perf_counter()
        found = search_cases(Case.objects.all(), COMMON_WORD, ranked=True)
        found.count()
        list(found.select_related("team", "party", "owner")[:PAGE_SIZE])
        samples["search_ranked_adapter"].append((time.perf_counter() - started) * 1000)
    profiles = {name: profile(client, url) for name, url in pages.items()}
    profiles["case"] = profile(client, f"/desk/cases/{case_refs[0]}/")
    print()
    print(
        f"{'page':<24}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}{'slowest':>9}"
    )
    stats = {}
    for name, values in samples.items():
        s = stats[name] = summary(values)
        queries, slowest, _ = profiles.get(name, (0, 0.0, ""))
        print(
            f"{name:<24}{len(values):>5}{s['p50']:>9.1f}{s['p95']:>9.1f}{s['max']:>9.1f}"
            f"{queries or '':>9}{f'{slowest:.1f}' if queries else '':>9}"
        )
    print(f"\nteam queue: {team_open:,} open AP cases, deep page = page {last_page}")
    slow = [(name, f"{p[1]:.1f} ms: {p[2][:300]}") for name, p in profiles.items()]
    print("slowest query per page:")
    for name, text in slow:
        print(f"  {name}: {text}")
    return stats, slow


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="standard demo set, 3,000 cases")
    parser.add_argument("--from-db", type=Path, help="a large demo SQLite database to copy")
    parser.add_argument("--cases", type=int, help="cases to add (default 20,000; quick 3,000)")
    parser.add_argument("--open", type=int, help="of them open (default 1,500; quick 300)")
    parser.add_argument("--repeat", type=int, help="requests per page (default 30; quick 10)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    total = args.cases or (3_000 if args.quick else 20_000)
    open_count = min(total, args.open or (300 if args.quick else 1_500))
    repeat = args.repeat or (10 if args.quick else 30)
    started = time.perf_counter()
    workdir = open_database(args, parser, "desk")
    try:
        from django.db import connection

        from ledgerdesk.desk.models import Case, Message
        from ledgerdesk.ledger.models import Invoice
        from ledgerdesk.parties.models import Party

        print(f"adding {total:,} cases ({open_count:,} open)…")
        added_at = time.perf_counter()
        add_cases(total, open_count)
        add_seconds = time.perf_counter() - added_at
        setup_seconds = time.perf_counter() - started
        print(f"added in {add_seconds:.0f} s; set-up took {setup_seconds:.0f} s")
        stats, _ = measure(repeat)
        sizes = {
            "cases": Case.objects.count(),
            "open_cases": Case.objects.open().count(),
            "messages": Message.objects.count(),
            "invoices": Invoice.objects.count(),
            "parties": Party.objects.count(),
        }
        print(", ".join(f"{k} {v:,}" for k, v in sizes.items()))
        vendor = connection.vendor
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    search = [
        v for k, v in stats.items() if k.startswith("search_") and k != "search_ranked_adapter"
    ]
    result = {
        "queue_p50_ms": stats["queue"]["p50"],
        "queue_p95_ms": stats["queue"]["p95"],
        "queue_max_ms": stats["queue"]["max"],
        "team_queue_p50_ms": stats["team_queue"]["p50"],
        "team_queue_p95_ms": stats["team_queue"]["p95"],
        "team_queue_deep_p95_ms": stats["team_queue_deep"]["p95"],
        "case_p50_ms": stats["case"]["p50"],
        "case_p95_ms": stats["case"]["p95"],
        "case_max_ms": stats["case"]["max"],
        "search_p50_ms": max(s["p50"] for s in search),
        "search_p95_ms": max(s["p95"] for s in search),
        "search_common_p95_ms": stats["search_common"]["p95"],
        "search_rare_p95_ms": stats["search_rare"]["p95"],
        "search_ranked_adapter_p95_ms": stats["search_ranked_adapter"]["p95"],
        "setup_seconds": round(setup_seconds, 1),
        "quick": args.quick,
        "db": vendor,
        **sizes,
    }
    emit(result)


if __name__ == "__main__":
    main()
