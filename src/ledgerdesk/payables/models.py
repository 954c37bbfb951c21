"""Payables: how a vendor's invoice is checked, who approves it, and what was found on the way."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ledgerdesk.core.money import DECIMAL_PLACES, MAX_DIGITS
from ledgerdesk.ledger.models import Invoice, PurchaseOrder
from ledgerdesk.parties.models import Party


def _amount(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs
    )


class Tolerance(models.Model):
    """How far a bill may stray from its order. The most specific row wins: vendor and
    category, then vendor, then category, then the row with neither (the default)."""

    vendor = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.CASCADE, related_name="match_tolerances"
    )
    category = models.CharField(
        max_length=40, blank=True, help_text="The purchase order's category (goods, services …)."
    )
    price_pct = models.DecimalField(
        "price tolerance (%)", max_digits=6, decimal_places=2, default=Decimal("2")
    )
    quantity_pct = models.DecimalField(
        "quantity tolerance (%)", max_digits=6, decimal_places=2, default=Decimal("0")
    )
    amount = _amount("amount tolerance", default=Decimal("5.00"))
    require_receipt = models.BooleanField(
        "three-way (needs a goods receipt)",
        default=True,
        help_text="Off for services and subscriptions: the bill is checked against the order only.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "category"],
                condition=Q(vendor__isnull=False),
                name="payables_tolerance_one_per_vendor",
            ),
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(vendor__isnull=True),
                name="payables_tolerance_one_per_category",
            ),
        ]

    def __str__(self):
        scope = [str(self.vendor) if self.vendor else "", self.category]
        return "Tolerance for " + (" / ".join(s for s in scope if s) or "everyone")


class InvoiceMatch(models.Model):
    """The last match of an AP invoice against its order and receipts, finding by finding."""

    class Status(models.TextChoices):
        OK = "ok", "Matches"
        WITHIN = "within_tolerance", "Matches within tolerance"
        MISMATCH = "mismatch", "Does not match"

    class Mode(models.TextChoices):
        TWO_WAY = "two_way", "Two-way (order)"
        THREE_WAY = "three_way", "Three-way (order and receipt)"
        NO_ORDER = "no_order", "No order named"

    invoice = models.OneToOneField(Invoice, on_delete=models.CASCADE, related_name="match")
    order = models.ForeignKey(
        PurchaseOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mode = models.CharField(max_length=12, choices=Mode.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    # [{"line": 2, "kind": "price", "message": "...", "within_tolerance": false}, …]
    findings = models.JSONField(default=list)
    kinds = models.CharField(max_length=120, blank=True)  # "price,quantity": for the watch
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "checked_at"], name="payables_match_status_idx")]

    def __str__(self):
        return f"{self.invoice}: {self.get_status_display()}"

    @property
    def messages(self) -> list[str]:
        return [f["message"] for f in self.findings]


class SuspectedDuplicate(models.Model):
    """A pair of bills that may be the same one: held until a person decides."""

    class Decision(models.TextChoices):
        OPEN = "open", "To check"
        DUPLICATE = "duplicate", "Duplicate: not paid twice"
        DIFFERENT = "different", "Different invoices"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="suspicions")
    earlier = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="+")
    reasons = models.CharField(max_length=300)
    score = models.DecimalField(max_digits=3, decimal_places=2)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.OPEN)
    found_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invoice", "earlier"], name="payables_suspicion_once")
        ]
        indexes = [models.Index(fields=["decision", "found_at"], name="payables_suspicion_idx")]

    def __str__(self):
        return f"{self.invoice} may repeat {self.earlier}"


class ApprovalRule(models.Model):
    """Who approves which bills. Every active rule that fits an invoice adds a step at its
    level; the steps run in level order (a department head, then the CFO above a limit)."""

    name = models.CharField(max_length=100)
    level = models.PositiveSmallIntegerField(default=1)
    min_amount = _amount("from amount", default=Decimal("0"))
    max_amount = _amount("up to amount", null=True, blank=True)
    cost_centre = models.CharField(max_length=40, blank=True, help_text="Blank: any.")
    category = models.CharField(max_length=40, blank=True, help_text="Blank: any.")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["level", "min_amount", "id"]

    def __str__(self):
        return self.name

    def fits(self, amount: Decimal, cost_centre: str, category: str) -> bool:
        if not self.active or amount < self.min_amount:
            return False
        if self.max_amount is not None and amount > self.max_amount:
            return False
        if self.cost_centre and self.cost_centre != cost_centre:
            return False
        return not (self.category and self.category != category)


class Delegation(models.Model):
    """While `approver` is away, `delegate` approves in their name."""

    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    starts = models.DateField()
    ends = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gte=models.F("starts")), name="delegation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(approver=models.F("delegate")), name="delegation_not_to_self"
            ),
        ]

    def __str__(self):
        return f"{self.approver} → {self.delegate} ({self.starts} – {self.ends})"


class ApprovalStep(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for an earlier step"
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        CANCELLED = "cancelled", "Cancelled"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="approval_steps")
    level = models.PositiveSmallIntegerField()
    rule = models.ForeignKey(ApprovalRule, null=True, blank=True, on_delete=models.SET_NULL)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set when a delegate stands in: the person the rule named.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    requested_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    escalated = models.BooleanField(default=False)

    class Meta:
        ordering = ["invoice", "level", "id"]
        indexes = [
            models.Index(fields=["state", "requested_at"], name="payables_step_state_idx"),
            models.Index(fields=["approver", "state"], name="payables_step_approver_idx"),
        ]

    def __str__(self):
        return f"{self.invoice}: level {self.level} by {self.approver}"


class PayingAccount(models.Model):
    """One of our own bank accounts that vendor payments leave from."""

    name = models.CharField(max_length=100)
    iban = models.CharField("IBAN", max_length=34)
    bic = models.CharField("BIC", max_length=11, blank=True)
    currency = models.CharField(max_length=3)
    holder_name = models.CharField(max_length=140)

    class Meta:
        ordering = ["currency", "name"]

    def __str__(self):
        return f"{self.name} ({self.currency}, …{self.iban.replace(' ', '')[-4:]})"


class PaymentRun(models.Model):
    """A batch of vendor payments for one day and currency: proposed, approved by a second
    person, exported to the bank, then marked paid (or returned)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        EXPORTED = "exported", "Sent to the bank"
        PAID = "paid", "Paid"
        RETURNED = "returned", "Returned in part"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    LIVE = (Status.PROPOSED, Status.APPROVED, Status.EXPORTED)

    reference = models.CharField(max_length=35, unique=True)
    run_date = models.DateField()
    currency = models.CharField(max_length=3)
    account = models.ForeignKey(PayingAccount, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    cash_available = _amount("cash available", null=True, blank=True)
    total = _amount("total", default=Decimal("0"))
    discounts = _amount("discounts taken", default=Decimal("0"))
    # Invoices that were due but left out, with why: [{"invoice": 12, "number": "…", "why": "…"}]
    left_out = models.JSONField(default=list, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-run_date", "-id"]
        indexes = [models.Index(fields=["status", "-run_date"], name="payables_run_status_idx")]

    def __str__(self):
        return f"Payment run {self.reference}"


class PaymentRunItem(models.Model):
    class Status(models.TextChoices):
        INCLUDED = "included", "In the run"
        PAID = "paid", "Paid"
        RETURNED = "returned", "Returned by the bank"
        REMOVED = "removed", "Taken out"

    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="items")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="run_items")
    amount = _amount("amount")
    discount = _amount("discount taken", default=Decimal("0"))
    vendor_account = models.ForeignKey(
        "parties.BankAccount", on_delete=models.PROTECT, related_name="+"
    )
    end_to_end_id = models.CharField(max_length=35)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INCLUDED)
    return_reason = models.CharField(max_length=300, blank=True)
    payment = models.ForeignKey(
        "ledger.Payment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["run", "invoice__party__name", "invoice__number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "invoice"], name="payables_run_item_once"),
        ]
        indexes = [models.Index(fields=["invoice", "status"], name="payables_item_invoice_idx")]

    def __str__(self):
        return f"{self.invoice} in {self.run}"


class RemittanceAdvice(models.Model):
    """The note that tells a vendor what a payment covers: one per run and vendor."""

    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="advices")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    sent_to = models.CharField(max_length=254, blank=True)
    channel = models.CharField(max_length=20)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "party"], name="payables_advice_once"),
        ]

    def __str__(self):
        return f"Remittance advice for {self.party} in {self.run}"
