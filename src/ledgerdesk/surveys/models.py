"""Surveys sent to vendors' and customers' contacts, and the rules a lead sets for them.

A case survey follows a resolved case; a relationship survey goes to each active party's
primary contact once a round (a calendar quarter). Case ratings themselves are kept where the
portal keeps them (`portal.CaseRating`, one per case); the `Survey` row records that a survey
went out, by which channel, and copies the answer so the console and the insights read one
table.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SurveySettings(models.Model):
    """The one row of survey rules, edited by a lead in the admin."""

    quiet_days = models.PositiveSmallIntegerField(
        "days between surveys to one contact",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text="No contact gets a second survey of any kind within this many days.",
    )
    low_rating = models.PositiveSmallIntegerField(
        "low rating at or below",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="A rating at or below this opens a follow-up case for the team lead.",
    )
    link_days = models.PositiveSmallIntegerField(
        "links work for (days)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="How long the rating links in a survey e-mail keep working.",
    )
    case_surveys = models.BooleanField(
        "send case surveys", default=True, help_text="A survey follows each resolved case."
    )
    relationship_surveys = models.BooleanField(
        "send relationship surveys",
        default=True,
        help_text="Once a quarter, each active vendor and customer is asked how we are doing.",
    )
    active_within_days = models.PositiveSmallIntegerField(
        "a party is active when it had a case or invoice within (days)",
        default=365,
        validators=[MinValueValidator(1)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "survey settings"
        verbose_name_plural = "survey settings"

    def __str__(self):
        return "Survey settings"

    def save(self, *args, **kwargs):
        self.pk = 1  # one row: the admin edits it, services read it with `current()`
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "SurveySettings":
        found = cls.objects.filter(pk=1).first()
        return found if found is not None else cls(pk=1)


class Survey(models.Model):
    class Kind(models.TextChoices):
        CASE = "case", "After a case"
        RELATIONSHIP = "relationship", "Relationship"

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail with rating links"
        PORTAL = "portal", "Portal"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    case = models.ForeignKey(
        "desk.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys"
    )
    party = models.ForeignKey("parties.Party", on_delete=models.CASCADE, related_name="surveys")
    contact = models.ForeignKey(
        "parties.Contact", null=True, on_delete=models.SET_NULL, related_name="surveys"
    )
    # The team the answer is for: the case's team, or for a relationship survey the AP or
    # AR team by the party's side. The console filters by it; a low rating goes to its lead.
    team = models.ForeignKey(
        "desk.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # Where the survey went, lower-cased, as it was then; the quiet period counts per address.
    email = models.EmailField()
    # The random part the signed links carry: a link must name this survey *and* this token,
    # so an administrator can void the links of one survey by changing it.
    token = models.CharField(max_length=32)
    # Relationship surveys: the round ("2026-Q4") they belong to, one per party and round,
    # so the periodic task and the command can run twice without surveying anyone twice.
    round = models.CharField(max_length=7, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    follow_up = models.ForeignKey(
        "desk.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            # The console's list, newest first, with or without a kind/team filter.
            models.Index(fields=["-sent_at", "-id"], name="survey_sent_idx"),
            models.Index(fields=["kind", "-sent_at"], name="survey_kind_idx"),
            models.Index(fields=["team", "-sent_at"], name="survey_team_idx"),
            # The throttle: "did this address get a survey in the last N days?"
            models.Index(fields=["email", "-sent_at"], name="survey_email_idx"),
            # The insights: a party's answered relationship surveys.
            models.Index(fields=["kind", "party", "answered_at"], name="survey_answers_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(kind="case"),
                name="surveys_one_case_survey_per_case",
                violation_error_message="This case has had its survey.",
            ),
            models.UniqueConstraint(
                fields=["party", "round"],
                condition=Q(kind="relationship"),
                name="surveys_one_relationship_survey_per_round",
                violation_error_message="This party has had this round's survey.",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="surveys_rating_1_to_5",
                violation_error_message="A rating is from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, rating__isnull=True)
                | Q(answered_at__isnull=False, rating__isnull=False),
                name="surveys_answer_has_rating",
                violation_error_message="An answered survey has a rating.",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.CASE and self.case_id:
            return f"Survey on {self.case.reference}"
        return f"{self.get_kind_display()} survey of {self.party} {self.round}".strip()

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
