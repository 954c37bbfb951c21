"""Credit control: what we tell customers about what they owe, and how we help them pay.

Reminders, statements sent, arrangements, follow-up tasks, fee waivers and credits owed are
all kept as rows, so every periodic job can ask "did I do this already?" and answer from the
database: running a job twice sends nothing twice.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ledgerdesk.core.money import DECIMAL_PLACES, MAX_DIGITS
from ledgerdesk.core.roles import STAFF_ROLES
from ledgerdesk.desk.models import Case, Team
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.parties.models import Party, validate_currency


def money_field(verbose_name=None, **kwargs):
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs
    )


# --- Reminders ---------------------------------------------------------------------------


class ReminderLevel(models.TextChoices):
    BEFORE_DUE = "before_due", "Before due"
    ON_DUE = "on_due", "On the due date"
    AFTER_DUE_1 = "after_due_1", "After due (1st)"
    AFTER_DUE_2 = "after_due_2", "After due (2nd)"
    AFTER_DUE_3 = "after_due_3", "After due (3rd)"


class ReminderPolicy(models.Model):
    """When reminders go out, in days relative to the due date. A lead edits it in the admin.

    A team's policy wins over the global one (no team); without any row the defaults below
    apply.
    """

    team = models.OneToOneField(
        Team,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminder_policy",
        help_text="Empty: the policy of every team without one of its own.",
    )
    days_before_due = models.PositiveSmallIntegerField(default=3)
    send_on_due = models.BooleanField("remind on the due date", default=True)
    days_after_due_1 = models.PositiveSmallIntegerField(default=7)
    days_after_due_2 = models.PositiveSmallIntegerField(default=21)
    days_after_due_3 = models.PositiveSmallIntegerField(default=35)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "reminder policies"
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=Q(team__isnull=True),
                name="creditcontrol_one_global_reminder_policy",
                violation_error_message="There is already a global reminder policy.",
            ),
            models.CheckConstraint(
                condition=Q(days_after_due_1__lt=models.F("days_after_due_2"))
                & Q(days_after_due_2__lt=models.F("days_after_due_3"))
                & Q(days_after_due_1__gt=0),
                name="creditcontrol_reminder_days_increase",
                violation_error_message="After-due days must be above 0 and increase: "
                "1st < 2nd < 3rd.",
            ),
        ]

    def __str__(self):
        return f"Reminder policy of {self.team or 'every team'}"


class Reminder(models.Model):
    """One reminder for one invoice at one level: never two of the same level."""

    class Tone(models.TextChoices):
        FIRST_TIME = "first_time", "Gentle (first-time late payer)"
        REPEAT = "repeat", "Direct (repeat late payer)"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="reminders")
    level = models.CharField(max_length=12, choices=ReminderLevel.choices)
    tone = models.CharField(max_length=12, choices=Tone.choices)
    channel = models.CharField(max_length=10)
    sent_at = models.DateTimeField(default=timezone.now)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    coach_score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "level"],
                name="creditcontrol_one_reminder_per_level",
                violation_error_message="This invoice already had a reminder of this level.",
            )
        ]
        indexes = [models.Index(fields=["-sent_at"], name="reminder_sent_idx")]

    def __str__(self):
        return f"{self.get_level_display()} reminder for {self.invoice}"


# --- Statements of account ---------------------------------------------------------------


class StatementSchedule(models.Model):
    """How often a customer gets a statement without asking; no row means only on request."""

    class Frequency(models.TextChoices):
        NONE = "none", "Only on request"
        MONTHLY = "monthly", "Monthly"

    party = models.OneToOneField(Party, on_delete=models.CASCADE, related_name="statement_schedule")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.NONE)

    def __str__(self):
        return f"{self.party}: {self.get_frequency_display()}"


class StatementSent(models.Model):
    """A statement that went out: scheduled ones once per party and period (the monthly job
    checks this row), on-demand ones whenever an agent sends one."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    scheduled = models.BooleanField(default=True)
    channel = models.CharField(max_length=10)
    sent_to = models.CharField(max_length=254, blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "period_start"],
                condition=Q(scheduled=True),
                name="creditcontrol_one_statement_per_period",
            )
        ]

    def __str__(self):
        return f"Statement {self.period_start:%Y-%m} to {self.party}"


# --- Follow-up tasks ----------------------------------------------------------------------


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=FollowUp.State.OPEN)

    def due(self, day):
        return self.open().filter(due_on__lte=day)


class FollowUp(models.Model):
    """A tickler: something an agent must look at again on a day."""

    class Kind(models.TextChoices):
        PROMISED_PAYMENT = "promised_payment", "Promised payment"
        DOCUMENTS_REQUESTED = "documents_requested", "Documents requested"
        CHARGE_TO_EXPLAIN = "charge_to_explain", "Charge to explain"
        MISSED_INSTALMENT = "missed_instalment", "Missed instalment"
        OTHER = "other", "Other"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    due_on = models.DateField()
    note = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups"
    )
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    arrangement = models.ForeignKey(
        "PaymentArrangement",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    snoozed = models.PositiveSmallIntegerField(default=0, help_text="How often it was put off.")

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # The desk queue's "due today" box and the daily digest: an owner's open, due tasks.
            models.Index(fields=["owner", "state", "due_on"], name="followup_owner_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(party__isnull=False) | Q(case__isnull=False) | Q(invoice__isnull=False),
                name="creditcontrol_followup_has_subject",
                violation_error_message="A follow-up is about a party, a case or an invoice.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.due_on:%Y-%m-%d}: {self.subject_label}"

    @property
    def subject_label(self) -> str:
        if self.invoice_id:
            return str(self.invoice)
        if self.case_id:
            return self.case.reference
        return str(self.party)


class DigestSent(models.Model):
    """The daily follow-up digest that went to one agent on one day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    tasks = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="creditcontrol_one_digest_a_day")
        ]

    def __str__(self):
        return f"Digest to {self.user} on {self.day}"


# --- Payment arrangements -----------------------------------------------------------------


class PaymentArrangement(models.Model):
    """Instalments agreed with a customer for some of their invoices, in their currency.

    While it is on track its invoices get no reminder; the status is brought up to date
    each morning by `arrangements.check`, before the reminder job reads it.
    """

    class Status(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        MISSED = "missed", "Instalment missed"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="arrangements")
    invoices = models.ManyToManyField(Invoice, related_name="arrangements")
    currency = models.CharField(max_length=3, validators=[validate_currency])
    amount_agreed = money_field("amount agreed")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ON_TRACK)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    grace_business_days = models.PositiveSmallIntegerField(default=3)
    agreed_on = models.DateField(default=timezone.localdate)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"], name="arrangement_status_idx")]

    def __str__(self):
        return f"Arrangement {self.pk} with {self.party}"


class Instalment(models.Model):
    """One agreed payment; payments cover instalments in date order (schedule.py)."""

    arrangement = models.ForeignKey(
        PaymentArrangement, on_delete=models.CASCADE, related_name="instalments"
    )
    due_on = models.DateField()
    amount = money_field()

    class Meta:
        ordering = ["arrangement", "due_on", "id"]

    def __str__(self):
        return f"{self.amount} due {self.due_on}"


# --- Fee waivers and authority limits -----------------------------------------------------


class AuthorityLimit(models.Model):
    """Up to how much a role may waive or correct on its own, in one currency.

    A limit applies only to invoices in its own currency. There is no exchange rate in
    LedgerDesk to convert with, and reading "50.00" in any currency would let an agent waive
    50 KWD (about 150 EUR) while 50 JPY is a few cents. A role without a limit in the
    invoice's currency has no authority there: its requests go to the lowest role above it
    that has one, and if no role has one the request is refused, naming the currency, until
    a lead adds a limit for it. The migration seeds limits in the home currency.
    """

    role = models.CharField(max_length=20, choices=[(r, r) for r in STAFF_ROLES])
    currency = models.CharField(max_length=3, validators=[validate_currency])
    amount = money_field()

    class Meta:
        ordering = ["currency", "amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "currency"],
                name="creditcontrol_one_limit_per_role_and_currency",
                violation_error_message="This role already has a limit in this currency.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="creditcontrol_limit_not_negative",
                violation_error_message="A limit is zero or more.",
            ),
        ]

    def __str__(self):
        return f"{self.role}: up to {self.amount} {self.currency}"


class FeeWaiver(models.Model):
    """A fee waived or a small correction, in the invoice's currency. Applied, it is a
    credit note netted against the invoice (waivers.py); pending, it waits for
    `approver_role`."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPLIED = "applied", "Applied"
        REJECTED = "rejected", "Rejected"

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="fee_waivers")
    amount = money_field()
    currency = models.CharField(max_length=3, validators=[validate_currency])
    reason = models.CharField(max_length=300)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    approver_role = models.CharField(
        max_length=20, blank=True, help_text="The role whose approval it waits for."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    credit_note = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["state", "-requested_at"], name="waiver_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="creditcontrol_waiver_positive",
                violation_error_message="A waiver is for an amount above zero.",
            )
        ]

    def __str__(self):
        return f"Waiver of {self.amount} {self.currency} on {self.invoice}"


# --- Proactive corrections ----------------------------------------------------------------


class CreditOwed(models.Model):
    """A credit we owe a customer and told them about before they noticed (credits.py);
    one row per party, kind and source, so telling them twice is impossible."""

    class Kind(models.TextChoices):
        TAX_ERROR = "tax_error", "Tax charged in error"
        OVERPAYMENT = "overpayment", "Overpayment"
        UNAPPLIED = "unapplied", "Unapplied credit"

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="credits_owed")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = money_field()
    currency = models.CharField(max_length=3, validators=[validate_currency])
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_reference = models.CharField(
        max_length=100, help_text="What it comes from: an invoice or payment reference."
    )
    refund_by = models.DateField()
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "credits owed"
        constraints = [
            models.UniqueConstraint(
                fields=["party", "kind", "source_reference"],
                name="creditcontrol_one_credit_per_source",
                violation_error_message="This credit was already recorded.",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="creditcontrol_credit_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.amount} {self.currency} to {self.party}"
