"""Insight keeps almost nothing of its own: every figure is aggregated from the other apps'
rows when a page or a digest asks. What it keeps is the record of digests sent, so the
Monday job mails each lead once per week however often it runs."""

from django.db import models


class DigestSent(models.Model):
    """One weekly digest mailed to a team's lead: the row that makes the job idempotent."""

    team = models.ForeignKey("desk.Team", on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="The Monday of the week the digest reports on.")
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week", "team"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "week"],
                name="insights_digest_once_per_team_week",
                violation_error_message="This team's digest for that week was already sent.",
            )
        ]
        # The dashboards read many apps' rows and belong to no single model, so their
        # permission lives here (as `core.use_console` lives on SiteState).
        permissions = [("view_dashboards", "Can view the dashboards")]

    def __str__(self):
        return f"Digest for {self.team} week of {self.week}"


class InvoiceTimes(models.Model):
    """When an invoice was first received, approved and paid: a read model of the ledger.

    Cycle times and on-time rates need these moments for a hundred thousand invoices a
    month. Found live, they cost three correlated look-ups into the status history per
    invoice on every page view; kept here, one narrow row per invoice, the dashboard sorts
    and counts an indexed table. `insights.times.refresh` keeps it in step (a periodic task,
    incremental: only invoices updated since the last run), so the figures are at most one
    run old; `refreshed_at` says as of when.
    """

    invoice = models.OneToOneField(
        "ledger.Invoice", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    direction = models.CharField(max_length=2)
    status = models.CharField(max_length=12)
    currency = models.CharField(max_length=3)
    issue_date = models.DateField()
    due_date = models.DateField(null=True)
    received_at = models.DateTimeField(null=True)
    approved_at = models.DateTimeField(null=True)
    paid_at = models.DateTimeField(null=True)
    # The day the invoice was settled: its last allocated payment, or the day its status became
    # paid when no payment is allocated; empty unless the invoice is paid.
    paid_on = models.DateField(null=True)
    # The early-payment discount on offer, copied from the invoice's terms.
    discount_amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    discount_until = models.DateField(null=True)
    # The stages in whole seconds, kept as integers so the percentile queries sort plain
    # numbers (SQLite would compute each datetime difference in a Python function).
    received_to_approved = models.BigIntegerField(null=True)
    approved_to_paid = models.BigIntegerField(null=True)
    received_to_paid = models.BigIntegerField(null=True)
    refreshed_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            # Cycle time, counting: invoices of a side dated in the period, with their stages
            # in the index so the count never reads the table.
            models.Index(
                fields=[
                    "direction",
                    "issue_date",
                    "received_to_approved",
                    "approved_to_paid",
                    "received_to_paid",
                ],
                name="insights_times_issue_idx",
            ),
            # Cycle time, the k-th value: walking a stage's index in order (keeping the rows
            # dated in the period) finds it without sorting the period (0.1 s, not 2 s, for
            # 600,000 invoices on SQLite).
            models.Index(
                fields=["direction", "received_to_approved", "issue_date"],
                name="insights_times_r2a_idx",
            ),
            models.Index(
                fields=["direction", "approved_to_paid", "issue_date"],
                name="insights_times_a2p_idx",
            ),
            models.Index(
                fields=["direction", "received_to_paid", "issue_date"],
                name="insights_times_r2p_idx",
            ),
            # Paid on time: invoices of a side due in the period.
            models.Index(fields=["direction", "due_date"], name="insights_times_due_idx"),
            # Discounts: offers of a side whose discount date falls in the period.
            models.Index(
                fields=["direction", "discount_until"],
                condition=models.Q(discount_amount__gt=0),
                name="insights_times_discount_idx",
            ),
        ]

    def __str__(self):
        return f"Times of invoice {self.invoice_id}"
