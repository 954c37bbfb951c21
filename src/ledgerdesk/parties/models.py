"""Vendors and customers ("parties"), their contacts and bank accounts.

One organisation can be both a vendor and a customer: it is one Party with
both flags set, so the desk sees the whole relationship on one screen.
"""

import re
import unicodedata
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ledgerdesk.core.money import is_currency

_LEGAL_SUFFIXES = re.compile(
    r"\b(ltd|limited|inc|incorporated|llc|gmbh|ag|bv|b\.v|nv|sa|sas|sarl|srl|spa|plc|ab|as|oy|"
    r"co|corp|corporation|company|kg|gmbh\s*&\s*co)\b\.?",
    re.IGNORECASE,
)


def normalize_name(name: str) -> str:
    """A matching key for organisation names: case, accents, punctuation and
    legal suffixes do not make two organisations different."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = _LEGAL_SUFFIXES.sub(" ", text.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def normalize_tax_id(tax_id: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", tax_id.upper())


def validate_currency(value: str) -> None:
    if not is_currency(value):
        raise ValidationError(f"{value!r} is not an ISO 4217 currency code", code="currency")


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone", code="time_zone")


class PartyQuerySet(models.QuerySet):
    def vendors(self):
        return self.filter(is_vendor=True)

    def customers(self):
        return self.filter(is_customer=True)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(tax_id__iexact=text)
            | Q(external_id__iexact=text)
            | Q(contacts__email__iexact=text)
        ).distinct()


class Party(models.Model):
    class Criticality(models.TextChoices):
        STRATEGIC = "strategic", "Strategic"
        NORMAL = "normal", "Normal"

    name = models.CharField(max_length=200)
    # Matching key used by imports so one organisation is never entered twice.
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    tax_id = models.CharField("tax id", max_length=40, blank=True)
    tax_id_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    external_id = models.CharField(
        "ERP id", max_length=40, blank=True, help_text="The party's number in the ERP."
    )
    is_vendor = models.BooleanField("vendor", default=False)
    is_customer = models.BooleanField("customer", default=False)
    default_currency = models.CharField(max_length=3, default="EUR", validators=[validate_currency])
    payment_terms_days = models.PositiveSmallIntegerField("payment terms (days)", default=30)
    criticality = models.CharField(
        max_length=10, choices=Criticality.choices, default=Criticality.NORMAL
    )
    country = models.CharField(max_length=2, blank=True)
    city = models.CharField(max_length=100, blank=True)
    address = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(
                condition=Q(is_vendor=True) | Q(is_customer=True),
                name="parties_party_vendor_or_customer",
                violation_error_message="A party is a vendor, a customer, or both.",
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="parties_party_unique_external_id",
                violation_error_message="Another party already has this ERP id.",
            ),
        ]
        indexes = [models.Index(fields=["name"], name="party_name_idx")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = normalize_name(self.name)
        self.tax_id_key = normalize_tax_id(self.tax_id)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("parties:detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        if self.is_vendor and self.is_customer:
            return "Vendor and customer"
        return "Vendor" if self.is_vendor else "Customer"

    @property
    def is_strategic(self) -> bool:
        return self.criticality == self.Criticality.STRATEGIC


class Contact(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        PHONE = "phone", "Phone"
        PORTAL = "portal", "Portal"
        LETTER = "letter", "Letter"

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=100, blank=True, help_text="e.g. Accounts receivable")
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=40, blank=True)
    preferred_channel = models.CharField(
        max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    language = models.CharField(max_length=10, default="en", help_text="e.g. en, de, fr-CA")
    time_zone = models.CharField(
        max_length=50, default="Europe/Amsterdam", validators=[validate_time_zone]
    )
    personal_notes = models.TextField(
        blank=True, help_text='Things worth remembering, e.g. "back from vacation on the 12th".'
    )
    is_primary = models.BooleanField("primary contact", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_primary", "name"]

    def __str__(self):
        return f"{self.name} ({self.party})" if self.party_id else self.name


class BankAccount(models.Model):
    """Where we pay a vendor. A new account only becomes active after verification."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PENDING = "pending", "Held until verified"
        RETIRED = "retired", "No longer used"

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="bank_accounts")
    iban = models.CharField("IBAN or account number", max_length=34)
    bic = models.CharField("BIC", max_length=11, blank=True)
    holder_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["party", "-created_at"]

    def __str__(self):
        return f"account ending {self.last4}"

    @property
    def last4(self) -> str:
        return self.iban.replace(" ", "")[-4:]


class BankDetailsChange(models.Model):
    """A request to pay a party into a new account: held until a call-back and a second approval.

    The new account is created as a pending `BankAccount` on submit and only becomes active on
    approval (see `ledgerdesk.parties.bank_changes`). The phone numbers and e-mail addresses on
    file when the request arrived are kept, so a contact detail changed afterwards (perhaps by
    the same fraudster) can neither be used for the call-back nor silence the warning e-mails.
    """

    class State(models.TextChoices):
        HELD = "held", "Held: waiting for the call-back"
        VERIFIED = "verified", "Called back: waiting for a second approval"
        APPROVED = "approved", "Approved: the new account is in use"
        REJECTED = "rejected", "Rejected"

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="bank_changes")
    account = models.OneToOneField(
        BankAccount, on_delete=models.CASCADE, related_name="change_request"
    )
    previous_account = models.ForeignKey(
        BankAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    iban = models.CharField("new IBAN", max_length=34)
    bic = models.CharField("new BIC", max_length=11, blank=True)
    holder_name = models.CharField("new account holder", max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.HELD)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    phones_on_file = models.JSONField(default=list, blank=True)
    notify_emails = models.JSONField(default=list, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_phone = models.CharField("number called back", max_length=40, blank=True)
    verification_note = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | (Q(verified_by__isnull=False) & ~Q(approved_by=models.F("verified_by"))),
                name="parties_bankchange_four_eyes",
                violation_error_message=(
                    "A bank detail change is approved only after a call-back, "
                    "by someone other than who made the call-back."
                ),
            ),
        ]

    def __str__(self):
        return f"bank detail change for {self.party} to the account ending {self.last4}"

    def get_absolute_url(self):
        return reverse("parties:bank_change", args=[self.party_id, self.pk])

    @property
    def last4(self) -> str:
        return self.iban.replace(" ", "")[-4:]

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.HELD, self.State.VERIFIED)
