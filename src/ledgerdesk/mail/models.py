"""The mail app's own records: what every inbound message became, and what could not be read."""

from django.db import models
from django.utils import timezone

from ledgerdesk.desk.models import Case


class QuarantinedMail(models.Model):
    """A message that could not be read or placed: kept with the reason, never dropped."""

    received_at = models.DateTimeField(default=timezone.now)
    origin = models.CharField(max_length=300)
    reason = models.CharField(max_length=500)
    raw = models.BinaryField()
    raw_sha256 = models.CharField(max_length=64, unique=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "quarantined mail"

    def __str__(self):
        return f"{self.origin}: {self.reason}"


class ProcessedMail(models.Model):
    """Every inbound message seen, once: what it became. The same message ingested twice is
    recognised here (by Message-ID, else by a hash of its bytes) and stored once."""

    class Outcome(models.TextChoices):
        NEW_CASE = "new_case", "Opened a case"
        THREADED = "threaded", "Added to a case"
        IGNORED = "ignored", "Ignored (auto-reply, bounce or loop)"
        QUARANTINED = "quarantined", "Quarantined"

    message_id = models.CharField(max_length=255, unique=True)
    raw_sha256 = models.CharField(max_length=64, db_index=True)
    # What it said (sender, subject, text, attachments), to tell a redelivery from a
    # different message that reuses a Message-ID.
    content_sha256 = models.CharField(max_length=64, blank=True)
    origin = models.CharField(max_length=300)
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.message_id}: {self.get_outcome_display()}"
