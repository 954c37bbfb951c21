"""`generate()`: a believable finance hub of demo data, the same for the same seed.

Parties come first (vendors, customers, some both, with contacts and bank
accounts), then each party's six months of documents, written in batches with
`bulk_create`. Nothing is held beyond one batch, so the large scale (a million
invoices) runs in constant memory. Bulk writes send no signals, so the audit
log gets one entry for the whole run rather than one per generated row.
"""

from __future__ import annotations

import contextlib
import functools
import random
import time
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from ledgerdesk.core import audit, roles
from ledgerdesk.core.models import AuditEntry, SiteState
from ledgerdesk.demo import demo_logins, payables, receivables, workflow
from ledgerdesk.demo.parties import Names, PartyMaker, allocate, party_kinds
from ledgerdesk.demo.story import SCALES, Clock, Context, Deck, Scale
from ledgerdesk.parties.models import BankAccount, Contact, Party

DEFAULT_SEED = 2026
STATE_KEY = "demo"
PARTY_CHUNK = 2000
ProgressCallback = Callable[[int, int], None]

# First and last names of the demo logins, so screens show people, not user names.
STAFF_NAMES = {
    "agent": ("Sanne", "de Vries"),
    "lead": ("Tomasz", "Nowak"),
    "manager": ("Ingrid", "Bakker"),
    "admin": ("Pieter", "Smit"),
}
COST_CENTRES = (
    "4100 Facilities",
    "4200 IT",
    "4300 Logistics",
    "4400 Production",
    "4500 Marketing",
    "4600 People",
    "4700 Finance",
    "4800 Maintenance",
)


def generate(
    scale: str = "standard", seed: int = DEFAULT_SEED, progress: ProgressCallback | None = None
) -> dict[str, int]:
    """Generate demo data at `scale` (tiny, standard or large) and return what was made.

    Tiny and standard run in one transaction. Large commits each batch, so that a
    million invoices do not sit in one transaction; the marker that says demo data
    is loaded (SiteState "demo") is written last, so an interrupted run is visible
    as parties without the marker.
    """
    if scale not in SCALES:
        raise ValueError(f"scale: {scale!r} is not one of {', '.join(SCALES)}")
    size = SCALES[scale]
    started = time.monotonic()
    whole = transaction.atomic() if scale != "large" else contextlib.nullcontext()
    with whole:
        roles.sync_roles()
        rng = random.Random(seed)
        names = Names(seed)
        ctx = _context(rng, names, size)
        ctx.tally["users_created"] = _users()
        profiles = _parties(ctx, names, size)
        _documents(ctx, profiles, size, progress)
        # The payables rows behind the open vendor invoices; at large scale the newest only.
        ctx.tally.update(workflow.set_up(ctx, limit=5000 if scale == "large" else None))
        counts = _counts(ctx)
        _record(scale, seed, counts, time.monotonic() - started)
    return counts


def _context(rng: random.Random, names: Names, size: Scale) -> Context:
    staff = names("nl_NL")
    people = [f"{staff.first_name()} {staff.last_name()}" for _ in range(18)]
    approvers = [(people[i], COST_CENTRES[i % len(COST_CENTRES)]) for i in range(8)]
    agent = " ".join(STAFF_NAMES["agent"])
    return Context(
        rng=rng,
        clock=Clock(rng),
        scale=size,
        approvers=approvers,
        ap_clerks=[agent, *people[8:11]],
        ar_clerks=people[11:14],
        buyers=people[14:18],
        ap_deck=Deck(rng, payables.WEIGHTS, payables.SHOWCASE),
        ar_deck=Deck(rng, receivables.WEIGHTS, receivables.SHOWCASE),
    )


def _hashed(password: str) -> str:
    # Argon2 is slow on purpose; hashing each demo password once per process (and
    # hasher) keeps repeated loads, as in the test suite, quick.
    return _hash_with(password, settings.PASSWORD_HASHERS[0])


@functools.cache
def _hash_with(password: str, hasher: str) -> str:
    return make_password(password)


def _users() -> int:
    """The demo logins, one per role. An existing user of that name is left as it is."""
    user_model = get_user_model()
    created = 0
    for username, password, role in demo_logins():
        if user_model.objects.filter(username=username).exists():
            continue
        first, last = STAFF_NAMES[username]
        user = user_model.objects.create(
            username=username,
            password=_hashed(password),
            first_name=first,
            last_name=last,
            email=f"{username}@ledgerdesk.local",
            # Leads and managers tune tier rules, SLA policies and canned replies in the
            # admin, which Django opens only to staff; agents work in the console alone.
            is_staff=role in (roles.LEAD, roles.MANAGER, roles.ADMIN),
        )
        user.groups.add(Group.objects.get(name=role))
        created += 1
    return created


def _parties(ctx: Context, names: Names, size: Scale) -> list:
    maker = PartyMaker(ctx.rng, names, ctx.approvers)
    kinds = party_kinds(ctx.rng, size.vendors, size.customers, size.both)
    profiles = []
    for start in range(0, len(kinds), PARTY_CHUNK):
        chunk, contacts, accounts = [], [], []
        for index in range(start, min(start + PARTY_CHUNK, len(kinds))):
            profile, party_contacts, party_accounts = maker.make(kinds[index], index)
            chunk.append(profile)
            contacts.extend(party_contacts)
            accounts.extend(party_accounts)
        with transaction.atomic():
            Party.objects.bulk_create([p.party for p in chunk], batch_size=1000)
            Contact.objects.bulk_create(contacts, batch_size=1000)
            BankAccount.objects.bulk_create(accounts, batch_size=1000)
        profiles.extend(chunk)
        ctx.tally["contacts"] += len(contacts)
        ctx.tally["bank_accounts"] += len(accounts)
        ctx.tally["bank_accounts_pending"] += sum(
            a.status == BankAccount.Status.PENDING for a in accounts
        )
    ctx.tally["parties"] = len(profiles)
    ctx.tally["vendors"] = sum(p.party.is_vendor for p in profiles)
    ctx.tally["customers"] = sum(p.party.is_customer for p in profiles)
    ctx.tally["vendors_and_customers"] = sum(
        p.party.is_vendor and p.party.is_customer for p in profiles
    )
    ctx.tally["strategic"] = sum(p.party.is_strategic for p in profiles)
    return profiles


def _documents(ctx: Context, profiles: list, size: Scale, progress) -> None:
    vendors = [p for p in profiles if p.party.is_vendor]
    customers = [p for p in profiles if p.party.is_customer]
    payable = allocate(size.payable_documents, [p.weight for p in vendors])
    receivable = allocate(size.receivable_documents, [p.weight for p in customers])
    counts = {id(p): n for p, n in zip(vendors, payable, strict=True)}
    counts.update({-id(p): n for p, n in zip(customers, receivable, strict=True)})
    total = size.payable_documents + size.receivable_documents
    done = 0
    if progress:
        progress(0, total)
    for profile in profiles:
        if profile.party.is_vendor:
            payables.write_vendor(ctx, profile, counts[id(profile)])
        if profile.party.is_customer:
            receivables.write_customer(ctx, profile, counts[-id(profile)])
        if ctx.batch.document_count >= size.batch_documents:
            done += _flush(ctx)
            if progress:
                progress(done, total)
    done += _flush(ctx)
    if progress:
        progress(done, total)


def _flush(ctx: Context) -> int:
    documents = ctx.batch.document_count
    for invoice in ctx.batch.invoices + ctx.batch.dependent_invoices:
        ctx.tally[f"status_{invoice.status}"] += 1
    with transaction.atomic():
        ctx.batch.flush(ctx.tally)
    return documents


def _counts(ctx: Context) -> dict[str, int]:
    tally: Counter = ctx.tally
    rename = {
        "orders": "purchase_orders",
        "order_lines": "purchase_order_lines",
        "receipts": "goods_receipts",
        "receipt_lines": "goods_receipt_lines",
        "status_history": "invoice_status_changes",
        "allocations": "payment_allocations",
        "ap_invoice": "ap_invoices",
        "ap_credit_note": "ap_credit_notes",
        "ar_invoice": "ar_invoices",
        "ar_credit_note": "ar_credit_notes",
    }
    counts = {rename.get(key, key): value for key, value in tally.items()}
    counts["invoices"] = tally["invoices"] + tally["dependent_invoices"]
    counts.pop("dependent_invoices", None)
    return dict(sorted(counts.items()))


def _record(scale: str, seed: int, counts: dict[str, int], seconds: float) -> None:
    """The marker that demo data is here, and one audit entry for the whole run."""
    value = {
        "scale": scale,
        "seed": seed,
        "loaded_at": timezone.now().isoformat(),
        "seconds": round(seconds, 1),
        "counts": counts,
    }
    with transaction.atomic():
        state, _ = SiteState.objects.update_or_create(key=STATE_KEY, defaults={"value": value})
        with audit.acting_as(label="demo"):
            entry = audit.entry(
                AuditEntry.Action.IMPORT,
                state,
                after={"scale": scale, "seed": seed, **counts},
                note=(
                    f"Demo data generated ({scale} scale, seed {seed}): {counts['parties']} "
                    f"parties, {counts['invoices']} invoices, {counts['payments']} payments"
                ),
            )
            entry.save()
