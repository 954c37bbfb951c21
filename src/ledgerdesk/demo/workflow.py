"""The payables workflow behind the demo's documents: the approvers as people who can be
e-mailed, the rules that route to them, the account payments leave from, and — for the
invoices still open — the match results, suspected duplicates and pending approval steps the
documents' histories tell of. The histories stay as generated; this only adds the rows the
payables app and the watch read.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from ledgerdesk.ledger.models import Direction, Invoice
from ledgerdesk.payables import services
from ledgerdesk.payables.models import (
    ApprovalRule,
    ApprovalStep,
    PayingAccount,
    Tolerance,
)
from ledgerdesk.portal.explain import approver_of

OPEN = (Invoice.Status.RECEIVED, Invoice.Status.IN_APPROVAL, Invoice.Status.ON_HOLD)
# Above this, the manager approves too (a second level).
SECOND_LEVEL = Decimal("10000")
# Our own accounts, one per currency the vendors bill in.
ACCOUNTS = {
    "EUR": ("Main EUR", "NL02ABNA0123456789", "ABNANL2A"),
    "USD": ("US dollar", "NL59ABNA0417164300", "ABNANL2A"),
    "GBP": ("Sterling", "GB29NWBK60161331926819", "NWBKGB2L"),
    "CHF": ("Swiss franc", "CH9300762011623852957", "UBSWCHZH80A"),
    "PLN": ("Zloty", "PL61109010140000071219812874", "WBKPPLPP"),
    "SEK": ("Krona", "SE4550000000058398257466", "ESSESESS"),
}
HOLDER = "LedgerDesk Shared Services BV"


def set_up(ctx, *, limit: int | None = None) -> dict[str, int]:
    """Approvers, rules, tolerances and paying accounts; then the open invoices' rows."""
    tally = {}
    with transaction.atomic():
        people = _approvers(ctx.approvers)
        manager = get_user_model().objects.filter(username="manager").first()
        # Bulk writes: the demo's single audit entry covers them (rules and tolerances are
        # audited field by field when a lead changes them later).
        if not ApprovalRule.objects.exists():
            rules = [
                ApprovalRule(
                    name=cost_centre, level=1, cost_centre=cost_centre, approver=people[name]
                )  # fmt: skip
                for name, cost_centre in dict(ctx.approvers).items()
            ]
            if manager is not None:
                rules.append(
                    ApprovalRule(
                        name="Large bills", level=2, min_amount=SECOND_LEVEL, approver=manager
                    )  # fmt: skip
                )
            ApprovalRule.objects.bulk_create(rules)
        if not Tolerance.objects.exists():
            Tolerance.objects.bulk_create([Tolerance()])
        currencies = set(
            Invoice.objects.filter(direction=Direction.PAYABLE)
            .values_list("currency", flat=True)
            .distinct()
        )
        for currency in sorted(currencies & set(ACCOUNTS)):
            name, iban, bic = ACCOUNTS[currency]
            PayingAccount.objects.get_or_create(
                currency=currency,
                defaults={"name": name, "iban": iban, "bic": bic, "holder_name": HOLDER},
            )
        tally["approvers"] = len(people)
        tally.update(_open_invoices(people, limit))
    return tally


def _approvers(approvers: list[tuple[str, str]]) -> dict[str, object]:
    """One user per approver name: no password (they decide from the e-mailed link)."""
    user_model = get_user_model()
    people = {}
    for name, _ in approvers:
        first, _, last = name.partition(" ")
        username = slugify(name).replace("-", ".")[:150]
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@hub.example"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        people[name] = user
    return people


_ROUTED = re.compile(r"^Routed to (?P<name>[^(]+?) \(")


def _open_invoices(people: dict, limit: int | None) -> dict[str, int]:
    invoices = (
        Invoice.objects.filter(direction=Direction.PAYABLE, status__in=OPEN)
        .select_related("party", "purchase_order")
        .prefetch_related("history")
        .order_by("-issue_date", "-id")
    )
    if limit:
        invoices = invoices[:limit]
    matched = suspected = steps = 0
    for invoice in invoices:
        # The held and the newly received: those whose match result someone will look at.
        duplicate = invoice.duplicate_of_id or "duplicate" in invoice.hold_reason.lower()
        checked = invoice.status != Invoice.Status.IN_APPROVAL and not duplicate
        if checked and (invoice.purchase_order_id or invoice.po_reference):
            services.check_match(invoice)
            matched += 1
        if duplicate:
            suspected += len(services.check_duplicates(invoice))
        if invoice.status == Invoice.Status.IN_APPROVAL:
            history = list(invoice.history.all())
            name = approver_of(history)
            approver = people.get(name)
            if approver is not None:
                asked = [h for h in history if h.status == Invoice.Status.IN_APPROVAL][-1]
                ApprovalStep.objects.create(
                    invoice=invoice,
                    level=1,
                    approver=approver,
                    state=ApprovalStep.State.PENDING,
                    requested_at=asked.at,
                )
                steps += 1
    return {"invoices_matched": matched, "suspected_duplicates": suspected, "approval_steps": steps}


# Fee-waiver authority per role in every currency the demo bills in, near the EUR figures the
# credit-control migration seeds (Agent 50, Lead 500, Manager and Admin 5,000).
LIMITS = {
    "EUR": ("50", "500", "5000"),  # as the migration seeds them, should they be missing
    "GBP": ("40", "400", "4000"),
    "USD": ("50", "550", "5500"),
    "CHF": ("50", "500", "5000"),
    "SEK": ("550", "5500", "55000"),
    "NOK": ("550", "5500", "55000"),
    "DKK": ("350", "3500", "35000"),
    "PLN": ("200", "2000", "20000"),
}


def authority_limits() -> int:
    """Limits for every currency the customers are billed in that has none yet."""
    from ledgerdesk.creditcontrol.models import AuthorityLimit

    currencies = set(
        Invoice.objects.filter(direction=Direction.RECEIVABLE)
        .values_list("currency", flat=True)
        .distinct()
    )
    have = set(AuthorityLimit.objects.values_list("currency", flat=True))
    rows = [
        AuthorityLimit(role=role, currency=currency, amount=Decimal(amount))
        for currency in sorted((currencies - have) & set(LIMITS))
        for role, amount in zip(
            ("Agent", "Lead", "Manager", "Admin"),
            (*LIMITS[currency], LIMITS[currency][2]),
            strict=True,
        )
    ]
    AuthorityLimit.objects.bulk_create(rows)
    return len(rows)


def payment_run(today, rng) -> dict[str, int]:
    """This week's EUR payment run (what falls due in the next three weeks): proposed,
    approved by the lead, sent to the bank, one payment returned (a closed account), the rest
    paid and advised."""
    from ledgerdesk.payables import payruns

    account = PayingAccount.objects.filter(currency="EUR").first()
    lead = get_user_model().objects.filter(username="lead").first()
    if account is None or lead is None:
        return {}
    run = payruns.propose(today, "EUR", account, horizon_days=21)
    items = list(run.items.select_related("invoice"))
    if not items:
        run.delete()
        return {}
    payruns.approve(run, lead)
    payruns.export(run)
    payruns.mark_returned(rng.choice(items), "account closed (AC04)")
    payruns.mark_paid(run)
    return {"payment_run_items": len(items)}
