"""Cases: every inquiry from a vendor, customer or colleague, tracked from first word to end."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ledgerdesk.ledger.models import Direction, Invoice
from ledgerdesk.parties.models import Contact, Party


class Team(models.Model):
    """An AP or AR team: its own mailbox, business calendar, lead and SLA policies."""

    code = models.SlugField(max_length=20, unique=True)  # "ap", "ar"
    name = models.CharField(max_length=100)
    direction = models.CharField(max_length=2, choices=Direction.choices)
    email = models.EmailField(help_text="The team's desk address, e.g. ap@hub.example")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="desk_teams", blank=True
    )
    # A core.calendar.BusinessCalendar as a dict: time zone, working hours, holidays.
    calendar = models.JSONField(default=dict, blank=True)
    coach_threshold = models.PositiveSmallIntegerField(
        default=60, help_text="Replies scoring below this ask the agent for a reason."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SlaPolicy(models.Model):
    """How fast a team answers a case of a tier, in business hours of the team's calendar."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="sla_policies")
    tier = models.PositiveSmallIntegerField(choices=[(1, "Tier 1"), (2, "Tier 2"), (3, "Tier 3")])
    acknowledge_hours = models.PositiveIntegerField(default=24)
    first_response_hours = models.PositiveIntegerField(default=24)
    resolution_hours = models.PositiveIntegerField(default=40)
    at_risk_percent = models.PositiveSmallIntegerField(default=75)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "tier"], name="desk_sla_one_policy_per_tier")
        ]
        ordering = ["team", "tier"]
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"

    def __str__(self):
        return f"{self.team} tier {self.tier}"


class TierRule(models.Model):
    """A criticality rule a lead edits without code: a match makes the case at least `tier`."""

    class Criterion(models.TextChoices):
        AMOUNT_AT_STAKE = "amount_at_stake", "Amount at stake is at least"
        STRATEGIC_PARTY = "strategic_party", "The party is strategic"
        DAYS_OVERDUE = "days_overdue", "An invoice is overdue by at least (days)"
        REPEAT_CONTACTS = "repeat_contacts", "Contacts on the same matter in 30 days, at least"
        FRUSTRATION = "frustration", "Frustration in the message is at least (0-100)"

    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tier_rules",
        help_text="Empty: applies to every team.",
    )
    criterion = models.CharField(max_length=20, choices=Criterion.choices)
    threshold = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    tier = models.PositiveSmallIntegerField(choices=[(1, "Tier 1"), (2, "Tier 2")])
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["tier", "criterion"]

    def __str__(self):
        return f"{self.get_criterion_display()} {self.threshold} → tier {self.tier}"


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=Case.OPEN_STATES)

    def for_party(self, party):
        return self.filter(party=party)


class Case(models.Model):
    class State(models.TextChoices):
        NEW = "new", "New"
        OPEN = "open", "Open"
        WAITING_CUSTOMER = "waiting_customer", "Waiting on customer"
        WAITING_THIRD_PARTY = "waiting_third_party", "Waiting on third party"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"
        MERGED = "merged", "Merged"

    class Category(models.TextChoices):
        PAYMENT_STATUS = "payment_status", "Payment status"
        MISSING_INVOICE = "missing_invoice", "Missing invoice"
        SHORT_PAYMENT = "short_payment", "Short or wrong payment"
        DISPUTE = "dispute", "Dispute"
        BANK_DETAILS = "bank_details", "Bank details change"
        TAX_FORM = "tax_form", "Tax form"
        STATEMENT = "statement", "Statement request"
        DUPLICATE_PAYMENT = "duplicate_payment", "Duplicate payment"
        OTHER = "other", "Other"

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        PORTAL = "portal", "Portal"
        PHONE = "phone", "Phone"
        WEB_FORM = "web_form", "Web form"
        INTERNAL = "internal", "Internal"
        PROACTIVE = "proactive", "Proactive"

    OPEN_STATES = (State.NEW, State.OPEN, State.WAITING_CUSTOMER, State.WAITING_THIRD_PARTY)
    PAUSED_STATES = (State.WAITING_CUSTOMER,)

    reference = models.CharField(max_length=20, unique=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    subject = models.CharField(max_length=300)
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    # When nobody of a known party wrote: the address and name to answer.
    requester_email = models.EmailField(blank=True)
    requester_name = models.CharField(max_length=150, blank=True)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW)
    tier = models.PositiveSmallIntegerField(default=3)
    tier_reason = models.CharField(max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="owned_cases"
    )
    invoices = models.ManyToManyField(Invoice, blank=True, related_name="cases")
    incident = models.BooleanField(
        default=False,
        help_text="A mistake of ours: the reply must say what happened and why "
        "it will not happen again.",
    )
    frustration = models.PositiveSmallIntegerField(default=0, help_text="0 calm … 100 furious")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_cases"
    )
    split_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="split_cases"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The SLA clocks (desk.sla.SlaClock as dicts), and their due times copied
    # into columns so the queue can sort by risk with an index.
    sla_clocks = models.JSONField(default=dict, blank=True)
    first_response_due = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    # The earliest deadline of a running clock; empty while paused or when all are met.
    next_due = models.DateTimeField(null=True, blank=True)
    # The last escalation sent to the lead, "clock:state" (e.g. "resolution:at_risk"),
    # so the periodic sweep tells the lead once per clock and state, not every run.
    sla_escalation = models.CharField(max_length=40, blank=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["next_due", "id"]
        indexes = [
            # The queues: open cases of a team or an owner, nearest deadline first.
            models.Index(fields=["team", "state", "next_due"], name="case_team_queue_idx"),
            models.Index(fields=["owner", "state", "next_due"], name="case_owner_queue_idx"),
            models.Index(fields=["party", "-opened_at"], name="case_party_idx"),
            # Search results and exports list newest first.
            models.Index(fields=["-opened_at", "-id"], name="case_opened_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(tier__gte=1) & Q(tier__lte=3),
                name="desk_case_tier_1_to_3",
                violation_error_message="A case's tier is 1, 2 or 3.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self):
        return reverse("desk:case", args=[self.reference])

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def reply_to_address(self) -> str:
        if self.contact_id and self.contact.email:
            return self.contact.email
        return self.requester_email

    @property
    def reply_to_name(self) -> str:
        if self.contact_id:
            return self.contact.name
        return self.requester_name


class Message(models.Model):
    """An e-mail (or portal message) in or out of a case."""

    class Direction(models.TextChoices):
        INBOUND = "in", "From the customer"
        OUTBOUND = "out", "From us"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    message_id = models.CharField(max_length=255, unique=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)
    sender_name = models.CharField(max_length=200, blank=True)
    sender_email = models.EmailField(blank=True)
    to = models.TextField(blank=True)
    cc = models.TextField(blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    quoted_text = models.TextField(blank=True)
    signature = models.TextField(blank=True)
    html = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_acknowledgement = models.BooleanField(default=False)
    # The reply coach's review of an outgoing reply, kept for coaching trends.
    review = models.JSONField(null=True, blank=True)
    review_override_reason = models.CharField(max_length=300, blank=True)
    raw_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["case", "at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="message_case_idx")]

    def __str__(self):
        return f"{self.get_direction_display()}: {self.subject}"


def attachment_path(instance, filename):
    return f"attachments/{instance.message.case.reference}/{instance.message_id}/{filename}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to=attachment_path, max_length=400)

    def __str__(self):
        return self.filename


class CaseEvent(models.Model):
    """The timeline: notes, state changes, assignments and system events beside the messages."""

    class Kind(models.TextChoices):
        NOTE = "note", "Internal note"
        STATE = "state", "State changed"
        ASSIGNED = "assigned", "Owner changed"
        TIER = "tier", "Tier set"
        SLA = "sla", "SLA"
        SYSTEM = "system", "System"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["case", "at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="event_case_idx")]

    def __str__(self):
        return f"{self.case.reference}: {self.get_kind_display()}"


class CannedReply(models.Model):
    """A reply template with placeholders: {contact_name}, {invoice_number}, {amount},
    {expected_pay_date}, {case_reference}, {agent_name}."""

    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="canned_replies"
    )
    title = models.CharField(max_length=100)
    category = models.CharField(max_length=20, choices=Case.Category.choices, blank=True)
    body = models.TextField()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "canned replies"

    def __str__(self):
        return self.title
