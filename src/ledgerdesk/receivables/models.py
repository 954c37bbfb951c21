"""Bank statements as imported, and where each credit on them went (cash application).

A statement line is never lost: it is applied to invoices, waiting for an agent ("review"),
held while someone works it (unidentified cash, an overpayment remainder), or ignored with a
reason (money out, our own transfers). `receivables.services` is the only writer.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ledgerdesk.core.money import DECIMAL_PLACES, MAX_DIGITS, Money


def money_field(verbose_name=None, **kwargs):
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs
    )


class BankStatement(models.Model):
    """One statement of one of our bank accounts, as a bank sent it (camt.053, MT940, …)."""

    class Format(models.TextChoices):
        CAMT053 = "camt053", "ISO 20022 camt.053"
        CAMT054 = "camt054", "ISO 20022 camt.054"
        MT940 = "mt940", "SWIFT MT940"
        MT942 = "mt942", "SWIFT MT942"
        BAI2 = "bai2", "BAI2"
        CSV = "csv", "CSV"

    account = models.CharField(max_length=40, help_text="Our IBAN or account number.")
    statement_id = models.CharField(max_length=140)
    format = models.CharField(max_length=8, choices=Format.choices)
    currency = models.CharField(max_length=3)
    opening_balance = money_field("opening balance", null=True, blank=True, default=None)
    opening_date = models.DateField(null=True, blank=True)
    closing_balance = money_field("closing balance", null=True, blank=True, default=None)
    closing_date = models.DateField(null=True, blank=True)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    # The statement's content, independent of the file format it came in: the account, the
    # balances and every entry's fingerprint. The same statement sent again, or sent once as
    # camt.053 and once as MT940, has the same fingerprint and is not posted twice.
    fingerprint = models.CharField(max_length=64)
    file_sha256 = models.CharField(max_length=64, blank=True)
    import_run = models.ForeignKey(
        "core.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField()
    line_count = models.PositiveIntegerField(default=0)
    credit_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "fingerprint"],
                name="receivables_statement_unique_content",
                violation_error_message="This statement has already been imported.",
            )
        ]
        indexes = [
            # The console's statement list: newest first.
            models.Index(fields=["-imported_at"], name="statement_imported_idx"),
            models.Index(fields=["account", "statement_id"], name="statement_account_id_idx"),
        ]

    def __str__(self):
        return f"Statement {self.statement_id} of {self.account}"

    def get_absolute_url(self):
        return reverse("receivables:statement", args=[self.pk])

    @property
    def opening(self) -> Money | None:
        return None if self.opening_balance is None else Money(self.opening_balance, self.currency)

    @property
    def closing(self) -> Money | None:
        return None if self.closing_balance is None else Money(self.closing_balance, self.currency)


class StatementLineQuerySet(models.QuerySet):
    def waiting(self):
        """What the work queue shows: lines an agent has to decide."""
        return self.filter(state__in=StatementLine.WAITING_STATES)


class StatementLine(models.Model):
    class State(models.TextChoices):
        NEW = "new", "New"
        APPLIED = "applied", "Applied"
        REVIEW = "review", "To review"
        HELD = "held", "Held"
        IGNORED = "ignored", "Ignored"

    WAITING_STATES = (State.REVIEW, State.HELD)
    # Colour beside the words (console.css badge tones).
    TONES = {"new": "info", "applied": "good", "review": "warn", "held": "bad", "ignored": "muted"}

    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    # account | booking date | amount | end-to-end id, bank reference or position, plus an
    # occurrence number: stable across formats, so one entry is never posted twice.
    fingerprint = models.CharField(max_length=64)
    account = models.CharField(max_length=40)
    booking_date = models.DateField()
    value_date = models.DateField(null=True, blank=True)
    amount = money_field()  # signed: positive is money in
    currency = models.CharField(max_length=3)
    bank_reference = models.CharField(max_length=140, blank=True)
    end_to_end_id = models.CharField(max_length=140, blank=True)
    creditor_reference = models.CharField(max_length=140, blank=True)
    remittance = models.TextField(blank=True)
    additional_info = models.TextField(blank=True)  # the bank's own text about the entry
    customer_reference = models.CharField(max_length=140, blank=True)
    counterparty_name = models.CharField(max_length=200, blank=True)
    counterparty_account = models.CharField(max_length=40, blank=True)
    transaction_code = models.CharField(max_length=40, blank=True)

    # Cash application.
    state = models.CharField(max_length=8, choices=State.choices, default=State.NEW)
    auto_applied = models.BooleanField(
        default=False, help_text="Applied by the matching engine without a person."
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confidence = models.FloatField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    # The credit still to be placed on invoices: all of it until applied, the remainder of an
    # overpayment while held, nothing once applied, refunded or ignored.
    unapplied_amount = money_field("unapplied")
    refunded_amount = money_field("refunded")
    candidates = models.JSONField(default=list, blank=True)  # AR invoice ids, best first
    # Why each candidate is one ("number in the remittance", "paid from the customer's bank
    # account"), keyed by invoice id as text: shown to the agent beside the invoice.
    candidate_reasons = models.JSONField(default=dict, blank=True)
    payment = models.ForeignKey(
        "ledger.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = StatementLineQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "fingerprint"],
                name="receivables_line_unique_entry",
                violation_error_message="This bank entry has already been imported.",
            )
        ]
        indexes = [
            # The work queue: waiting lines by state, oldest booking first.
            models.Index(fields=["state", "booking_date"], name="line_state_date_idx"),
            # Cash application picks up the new lines of a statement.
            models.Index(fields=["statement", "state"], name="line_statement_state_idx"),
            # Insights: how much was applied automatically, over time.
            models.Index(fields=["state", "auto_applied", "applied_at"], name="line_applied_idx"),
        ]

    def __str__(self):
        return f"Line {self.position} of {self.statement_id}: {self.money}"

    def get_absolute_url(self):
        return reverse("receivables:line", args=[self.pk])

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def tone(self) -> str:
        return self.TONES.get(self.state, "muted")

    @property
    def is_credit(self) -> bool:
        return self.amount > 0


class DeductionCase(models.Model):
    """The one deduction case opened for an invoice a customer paid short.

    Unique per invoice so that re-running cash application, or a second short payment on the
    same invoice, never opens a second case.
    """

    invoice = models.OneToOneField(
        "ledger.Invoice", on_delete=models.CASCADE, related_name="deduction_case"
    )
    case = models.ForeignKey("desk.Case", on_delete=models.CASCADE, related_name="+")
    line = models.ForeignKey(
        StatementLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    short_amount = money_field("short")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(short_amount__gte=0),
                name="receivables_deduction_non_negative",
                violation_error_message="The amount paid short cannot be negative.",
            )
        ]

    def __str__(self):
        return f"Deduction case for {self.invoice_id}"
