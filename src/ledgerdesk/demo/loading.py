"""Loading demo data once, and only into a database without parties.

The rules, shared by `ledgerdesk demo` and `ledgerdesk run`:

- demo data already loaded (SiteState "demo"): nothing to do;
- no demo data and no parties: load;
- parties present but no demo marker: refuse. That is real (or imported) data,
  and demo vendors must never mix with it;
- `--force` with the marker present: load again only if there are no parties
  any more (for instance after someone emptied the tables); otherwise refuse.
  It never deletes anything.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from ledgerdesk.core.models import SiteState
from ledgerdesk.demo import bank, demo_logins, feedback, workflow
from ledgerdesk.demo.generator import DEFAULT_SEED, STATE_KEY, ProgressCallback, generate
from ledgerdesk.parties.models import Party

# What `ledgerdesk run` loads on a first start.
STARTUP_SCALE = "standard"


class DemoRefused(Exception):
    pass


def demo_state() -> dict | None:
    state = SiteState.objects.filter(key=STATE_KEY).first()
    return state.value if state is not None else None


def describe(state: dict) -> str:
    counts = state.get("counts", {})
    try:
        when = dt.datetime.fromisoformat(state["loaded_at"]).strftime("%d %b %Y %H:%M UTC")
    except (KeyError, ValueError):
        when = "an unknown date"
    return (
        f"Demo data already loaded on {when} ({state.get('scale', '?')} scale, seed "
        f"{state.get('seed', '?')}: {counts.get('parties', 0):,} parties, "
        f"{counts.get('invoices', 0):,} invoices); nothing to do."
    )


def check_can_load(force: bool = False) -> None:
    """Raise DemoRefused, with the reason, when demo data must not be loaded now."""
    state = demo_state()
    parties = Party.objects.count()
    if state is not None and not force:
        raise DemoRefused(describe(state))
    if parties and state is not None:
        raise DemoRefused(
            f"Demo data was loaded before and the database holds {parties:,} parties; "
            "--force only reloads demo data into a database without parties. "
            "Use a fresh data directory (LEDGERDESK_DATA_DIR) for a new demo set."
        )
    if parties:
        raise DemoRefused(
            f"The database already holds {parties:,} parties that are not demo data; "
            "demo data is only loaded into a database without parties, so it never "
            "mixes with real vendors and customers."
        )


def load(
    scale: str = "standard",
    seed: int = DEFAULT_SEED,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> dict[str, int]:
    if scale == "large":
        # Committed batch by batch (see generate); the check cannot share its transaction.
        check_can_load(force)
        return generate(scale, seed, progress)
    # Checked inside the transaction that loads, so two starts at once cannot both load.
    with transaction.atomic():
        check_can_load(force)
        counts = generate(scale, seed, progress)
        counts["cases"] = _cases(scale, seed)
        # Yesterday's bank statement, imported and applied through the real path once the
        # teams exist (a short payment opens a case on the AR team).
        counts.update(bank.load_statement(random.Random(seed), timezone.localdate()))
        counts["authority_limits"] = workflow.authority_limits()
        counts.update(workflow.payment_run(timezone.localdate(), random.Random(seed)))
        counts.update(feedback.seed(seed))
        return counts


# Inquiries opened through the real mail path, so the desk's queue has a story too.
CASES_PER_SCALE = {"tiny": 8, "standard": 120}


def _cases(scale: str, seed: int) -> int:
    from ledgerdesk.desk.demo import generate_cases

    return generate_cases(CASES_PER_SCALE.get(scale, 0), seed) if scale in CASES_PER_SCALE else 0


def load_once(stdout: TextIO) -> bool:
    state = demo_state()
    if state is not None:
        stdout.write(describe(state) + "\n")
        return False
    try:
        counts = load(STARTUP_SCALE)
    except DemoRefused as refusal:
        stdout.write(f"{refusal}\n")
        return False
    write_summary(stdout, counts)
    return True


SUMMARY = (
    ("Parties", ("parties", "vendors", "customers", "vendors_and_customers", "strategic")),
    ("Contacts and bank", ("contacts", "bank_accounts", "bank_accounts_pending")),
    (
        "Purchasing",
        ("purchase_orders", "purchase_order_lines", "goods_receipts", "goods_receipts_partial"),
    ),
    (
        "Invoices",
        ("invoices", "ap_invoices", "ap_credit_notes", "ar_invoices", "ar_credit_notes"),
    ),
    ("Detail", ("invoice_lines", "invoice_status_changes", "payments", "payment_allocations")),
    ("Help desk", ("cases",)),
    (
        "AP mess",
        (
            "ap_late_approvals",
            "ap_price_mismatches",
            "ap_quantity_mismatches",
            "ap_near_duplicates",
            "ap_exact_duplicates",
            "ap_paid_twice",
        ),
    ),
    (
        "AR mess",
        ("ar_short_payments", "ar_overpayments", "ar_unapplied_payments"),
    ),
    (
        "Payables",
        (
            "approvers",
            "invoices_matched",
            "suspected_duplicates",
            "approval_steps",
            "payment_run_items",
        ),
    ),
    (
        "Bank statement",
        (
            "bank_statement_lines",
            "cash_applied_automatically",
            "cash_to_review",
            "cash_held",
            "deduction_cases",
        ),
    ),
    ("Surveys", ("surveys_sent", "surveys_answered")),
)


def write_summary(stdout: TextIO, counts: dict[str, int]) -> None:
    stdout.write("Demo data loaded:\n")
    for title, keys in SUMMARY:
        parts = [f"{key.replace('_', ' ')} {counts.get(key, 0):,}" for key in keys]
        stdout.write(f"  {title + ':':<19}{', '.join(parts)}\n")
    statuses = sorted((k[7:], v) for k, v in counts.items() if k.startswith("status_"))
    stdout.write(f"  {'By status:':<19}{', '.join(f'{k} {v:,}' for k, v in statuses)}\n")


def write_logins(stdout: TextIO) -> None:
    stdout.write("Demo logins (user / password, role):\n")
    for username, password, role in demo_logins():
        stdout.write(f"  {username:<8} / {password:<18} {role}\n")
