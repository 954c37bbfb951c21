import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone


class AuditQuerySet(models.QuerySet):
    """Refuses bulk edits and deletes: the log only grows."""

    def update(self, **kwargs):
        raise PermissionDenied("The audit log is append-only.")

    def delete(self):
        raise PermissionDenied("The audit log is append-only.")


class AuditEntry(models.Model):
    """Who changed which money-relevant or contact record, when, from what to what.

    Append-only: saving an existing entry or deleting one raises, the admin
    shows it read-only, and no role holds change or delete permission on it.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        IMPORT = "import", "Imported"
        STATUS = "status", "Status changed"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text as well, so the entry still says who it was after the user is gone,
    # and so system actors (an import, the demo loader, a task) are named too.
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=100)  # "parties.party"
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        # Auditors read the history of one record: "everything that happened to party 42".
        indexes = [models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx")]
        default_permissions = ("add", "view")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The audit log is append-only.")

    @property
    def changed_fields(self) -> list[str]:
        keys = set(self.before) | set(self.after)
        return sorted(k for k in keys if self.before.get(k) != self.after.get(k))


class ApiToken(models.Model):
    """A bearer token for integrations. Only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """Create a token and return it with the clear key, shown once."""
        key = "ld_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=cls.hash(key), prefix=key[:8])
        return token, key


class SiteState(models.Model):
    """Facts about this installation, e.g. when the demo data was loaded."""

    key = models.CharField(max_length=50, primary_key=True)
    value = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Permissions that belong to no single model live here.
        permissions = [("use_console", "Can use the agent console")]

    def __str__(self):
        return self.key


class ImportRun(models.Model):
    """One file given to an importer, and what came of it: the processing log of every import."""

    class Outcome(models.TextChoices):
        IMPORTED = "imported", "Imported"
        NOTHING_NEW = "nothing_new", "Nothing new"
        REJECTED = "rejected", "Rejected"

    kind = models.CharField(max_length=20)  # "invoices", "parties"
    source_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    file_format = models.CharField(max_length=8, blank=True)
    at = models.DateTimeField(default=timezone.now)
    actor_label = models.CharField(max_length=150)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.kind} import of {self.source_name} ({self.get_outcome_display()})"


class ReferenceCounter(models.Model):
    """The last number handed out per prefix and year: AP-2026-000123."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="core_reference_unique_year")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"
