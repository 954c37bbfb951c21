"""The watch's own records: what a lead set per check, what each check found, and each run.

A check itself is code (`watch.checks`); these rows are its settings and its memory. The
memory is what makes the watch idempotent: one `Finding` per (check, key), so a second run
sees the finding it already opened a case for and opens none.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ledgerdesk.desk.models import Case
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.parties.models import Party


class CheckSetting(models.Model):
    """A lead's choice for one check: on or off, and thresholds other than the defaults.

    No row means "enabled, with the check's defaults". `thresholds` holds only the values
    that differ; every key must be one the check declares (see `Check.thresholds`).
    """

    name = models.CharField("check", max_length=40, unique=True)
    enabled = models.BooleanField(default=True)
    thresholds = models.JSONField(
        default=dict,
        blank=True,
        help_text='Only the values that differ from the defaults, e.g. {"days": 5}.',
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "check setting"

    def __str__(self):
        return f"{self.name} ({'on' if self.enabled else 'off'})"

    def clean(self):
        from ledgerdesk.watch import checks  # the registry imports the models

        try:
            check = checks.get(self.name)
        except KeyError as exc:
            raise ValidationError({"name": str(exc.args[0])}) from exc
        try:
            self.thresholds = check.validate_thresholds(self.thresholds)
        except ValueError as exc:
            raise ValidationError({"thresholds": str(exc)}) from exc


class Finding(models.Model):
    """One thing a check found, e.g. "invoice 4411 still not routed", and the case it opened.

    `key` is stable across runs ("invoice:4411", "vendor:12:price"), so the same problem seen
    again updates `last_seen` instead of opening a second case. When a run no longer sees it,
    `resolved_at` is set and a note goes on the case; if it shows up again it is reopened.
    """

    check_name = models.CharField("check", max_length=40)
    key = models.CharField(max_length=200)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.CASCADE, related_name="watch_findings"
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.CASCADE, related_name="watch_findings"
    )
    # What went wrong ("price", "quantity", "duplicate" …): counted per vendor by the
    # "vendor keeps failing the same check" check.
    kind = models.CharField(max_length=40, blank=True)
    summary = models.CharField(max_length=300)
    facts = models.JSONField(default=dict, blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="watch_findings"
    )
    vendor_told = models.BooleanField(
        default=False, help_text="The message went to the vendor's contact by e-mail."
    )
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["check_name", "key"],
                name="watch_finding_once_per_check",
                violation_error_message="This check already has a finding with this key.",
            )
        ]
        indexes = [
            # The run's "what did we know before?" and the console's open count per check.
            models.Index(fields=["check_name", "resolved_at"], name="watch_finding_open_idx"),
            # repeat_vendor: a vendor's findings of a check since a day, resolved ones too.
            models.Index(fields=["check_name", "first_seen"], name="watch_finding_seen_idx"),
            # The console's recent findings.
            models.Index(fields=["-last_seen", "-id"], name="watch_finding_recent_idx"),
        ]

    def __str__(self):
        return f"{self.check_name}: {self.summary}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class CheckRun(models.Model):
    """One check run once: when, how long, and what came of it (the console's "last run")."""

    check_name = models.CharField("check", max_length=40)
    started_at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(default=0)
    found = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    cases_opened = models.PositiveIntegerField(default=0)
    vendors_told = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["check_name", "-started_at"], name="watch_run_idx")]

    def __str__(self):
        return f"{self.check_name} at {self.started_at:%Y-%m-%d %H:%M}"


class VendorDocument(models.Model):
    """A document we must hold for a vendor: a tax form, an insurance certificate …

    Parties keep no such record, so the watch does: the "missing tax form or expiring
    certificate" check reads it. `valid_until` empty means it does not expire.
    """

    class Kind(models.TextChoices):
        TAX_FORM = "tax_form", "Tax form (e.g. W-9, W-8BEN)"
        INSURANCE = "insurance", "Insurance certificate"
        REGISTRATION = "registration", "Company registration extract"
        OTHER = "other", "Other certificate"

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="vendor_documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=100, blank=True)
    received_at = models.DateField(default=timezone.localdate)
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["party", "kind", "-received_at"]
        indexes = [
            models.Index(fields=["kind", "valid_until"], name="watch_vendordoc_expiry_idx"),
            models.Index(fields=["party", "kind"], name="watch_vendordoc_party_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("received_at")),
                name="watch_vendordoc_valid_after_received",
                violation_error_message="A document is valid until a day after it was received.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.party}"
