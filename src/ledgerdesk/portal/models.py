"""Portal accounts: a contact of a vendor or customer who may sign in, and their sign-in codes.

A portal user is an ordinary Django user with no staff role at all: the console's
`console_view` and the API both require `core.use_console`, which a portal user never holds.
What the user may see is decided by `PortalAccount.party` through `portal.scoping`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ledgerdesk.parties.models import Contact, Party


class PortalAccount(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_account"
    )
    # The party is the contact's party, copied so the scope is one join away; the
    # portal refuses an account whose contact has since moved to another party.
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="portal_accounts")
    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="portal_account")
    is_active = models.BooleanField(default=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The open invitation's one-time part; emptied when the password is set, so a link
    # works once, and replaced by a new invitation, so only the latest link works.
    invitation_nonce = models.CharField(max_length=32, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["party", "contact"]

    def __str__(self):
        return f"Portal access of {self.contact}"


class LoginCode(models.Model):
    """The one-time code e-mailed as the second factor. Only its keyed hash is stored."""

    MAX_ATTEMPTS = 5

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # "How many codes did this account ask for in the last hour?" on every sign-in.
            models.Index(fields=["account", "created_at"], name="portal_code_account_idx"),
        ]

    def __str__(self):
        return f"Sign-in code for {self.account} at {self.created_at:%Y-%m-%d %H:%M}"


class CaseRating(models.Model):
    """How the party rated a case once it was resolved: one rating per case, 1 (poor) to 5."""

    case = models.OneToOneField("desk.Case", on_delete=models.CASCADE, related_name="rating")
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    account = models.ForeignKey(
        PortalAccount, null=True, on_delete=models.SET_NULL, related_name="ratings"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="portal_rating_1_to_5"
            )
        ]

    def __str__(self):
        return f"{self.case} rated {self.rating}/5"
