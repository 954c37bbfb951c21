"""The ledger LedgerDesk explains: invoices both ways, purchase orders, receipts, payments.

The ERP stays the book of record; these rows are what it exported, plus the
history LedgerDesk needs to answer "where is my money?".
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ledgerdesk.core.money import DECIMAL_PLACES, MAX_DIGITS, PRICE_DECIMAL_PLACES, Money
from ledgerdesk.parties.models import BankAccount, Party, validate_currency


def money_field(verbose_name=None, **kwargs):
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs
    )


def currency_field():
    return models.CharField(max_length=3, validators=[validate_currency])


class Direction(models.TextChoices):
    PAYABLE = "ap", "Payable (from a vendor)"
    RECEIVABLE = "ar", "Receivable (to a customer)"


class InvoiceQuerySet(models.QuerySet):
    def payable(self):
        return self.filter(direction=Direction.PAYABLE)

    def receivable(self):
        return self.filter(direction=Direction.RECEIVABLE)

    def open(self):
        return self.exclude(status__in=Invoice.CLOSED_STATUSES).exclude(amount_open=0)

    def for_party(self, party):
        return self.filter(party=party)


# A payment reference as a payer may write it: upper case, without spaces ("rf18 5390 …").
# Literal SQL (no parameters), so that a query with it can use the index on it.
PAYMENT_REFERENCE_KEY = models.Func(
    models.F("payment_reference"),
    template="UPPER(REPLACE(%(expressions)s, ' ', ''))",
    output_field=models.CharField(),
)

# An invoice number as the cash-application engine reads one in a remittance: separators
# dropped, letters that OCR and typists confuse with digits read as those digits.
NUMBER_KEY = models.Func(
    models.F("number"),
    template=(
        "REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE("
        "REPLACE(REPLACE(UPPER(%(expressions)s), '-', ''), '.', ''), ' ', ''), '/', ''), "
        "'_', ''), 'O', '0'), 'I', '1'), 'L', '1'), 'S', '5'), 'B', '8'), 'Z', '2'), 'G', '6')"
    ),
    output_field=models.CharField(),
)


class Invoice(models.Model):
    class Kind(models.TextChoices):
        INVOICE = "invoice", "Invoice"
        CREDIT_NOTE = "credit_note", "Credit note"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        IN_APPROVAL = "in_approval", "In approval"
        APPROVED = "approved", "Approved"
        SCHEDULED = "scheduled", "Scheduled for payment"
        PAID = "paid", "Paid"
        DISPUTED = "disputed", "Disputed"
        ON_HOLD = "on_hold", "On hold"
        REJECTED = "rejected", "Rejected"
        CANCELLED = "cancelled", "Cancelled"
        ISSUED = "issued", "Issued"  # AR: sent to the customer, awaiting payment

    class Source(models.TextChoices):
        CSV = "csv", "ERP export (CSV)"
        UBL = "ubl", "E-invoice (UBL)"
        CII = "cii", "E-invoice (CII)"
        DEMO = "demo", "Demo data"
        MANUAL = "manual", "Entered by hand"

    CLOSED_STATUSES = (Status.PAID, Status.CANCELLED, Status.REJECTED)

    direction = models.CharField(max_length=2, choices=Direction.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(max_length=64)
    issue_date = models.DateField()
    due_date = models.DateField(null=True, blank=True)
    currency = currency_field()
    net_amount = money_field("net")
    tax_amount = money_field("tax")
    total_amount = money_field("total")
    prepaid_amount = money_field("prepaid")
    amount_payable = money_field("amount payable")
    # What is still owed. Kept on the row (not summed from allocations on every
    # read) because the queue, the portal and aging all filter and sort on it
    # over a million invoices; ledger.services is the only writer.
    amount_open = money_field("amount open")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    hold_reason = models.CharField(max_length=300, blank=True)
    scheduled_payment_date = models.DateField(null=True, blank=True)
    # An early-payment discount on offer ("2 % if paid within 10 days"): the amount that may be
    # kept off when paid by `discount_until`. Zero when the terms offer none.
    discount_amount = money_field("early-payment discount")
    discount_until = models.DateField("discount until", null=True, blank=True)
    purchase_order = models.ForeignKey(
        "PurchaseOrder", null=True, blank=True, on_delete=models.SET_NULL, related_name="invoices"
    )
    po_reference = models.CharField("PO reference", max_length=64, blank=True)
    buyer_reference = models.CharField(max_length=64, blank=True)
    payment_reference = models.CharField(max_length=140, blank=True)
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credit_notes",
        help_text="For a credit note: the invoice it corrects.",
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suspected_duplicates",
        help_text="Set when an import held this document as a suspected duplicate.",
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    source_name = models.CharField(max_length=255, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issue_date", "-id"]
        constraints = [
            # One live invoice per party, direction, kind and number; a suspected
            # duplicate (duplicate_of set) is held beside it for review.
            models.UniqueConstraint(
                fields=["party", "direction", "kind", "number"],
                condition=Q(duplicate_of__isnull=True),
                name="ledger_invoice_unique_number_per_party",
                violation_error_message="This party already has a document with this number.",
            ),
        ]
        indexes = [
            # The console's invoice list: newest first, filtered by direction and status.
            models.Index(
                fields=["direction", "status", "-issue_date"], name="invoice_dir_status_idx"
            ),
            # Aging and "what is due": open invoices by due date.
            models.Index(fields=["status", "due_date"], name="invoice_status_due_idx"),
            # A party's statement and the portal's list.
            models.Index(fields=["party", "-issue_date"], name="invoice_party_date_idx"),
            models.Index(fields=["number"], name="invoice_number_idx"),
            # Cash application: which open invoices carry the payment reference a payer gave.
            models.Index(PAYMENT_REFERENCE_KEY, name="invoice_payment_ref_key_idx"),
            models.Index(NUMBER_KEY, name="invoice_number_key_idx"),
        ]

    def __str__(self):
        label = "Credit note" if self.kind == self.Kind.CREDIT_NOTE else "Invoice"
        return f"{label} {self.number}"

    def get_absolute_url(self):
        return reverse("ledger:invoice", args=[self.pk])

    def money(self, field: str) -> Money:
        return Money(getattr(self, field), self.currency)

    @property
    def total(self) -> Money:
        return self.money("total_amount")

    @property
    def payable(self) -> Money:
        return self.money("amount_payable")

    @property
    def open_amount(self) -> Money:
        return self.money("amount_open")

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_date is not None
            and self.due_date < timezone.localdate()
            and self.amount_open > 0
            and self.status not in self.CLOSED_STATUSES
        )


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    line_id = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=500, blank=True)
    quantity = models.DecimalField(max_digits=18, decimal_places=4, default=Decimal("1"))
    unit_code = models.CharField(max_length=10, blank=True)
    unit_price = models.DecimalField(
        max_digits=MAX_DIGITS, decimal_places=PRICE_DECIMAL_PLACES, null=True, blank=True
    )
    net_amount = money_field("net")
    tax_rate = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    po_line = models.ForeignKey(
        "PurchaseOrderLine", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["invoice", "position"]

    def __str__(self):
        return f"{self.invoice} line {self.line_id or self.position}"


class InvoiceStatusChange(models.Model):
    """The invoice's story: every status it went through, when, and why."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=12, choices=Invoice.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_label = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["invoice", "at", "id"]
        indexes = [models.Index(fields=["invoice", "at"], name="invoice_history_idx")]

    def __str__(self):
        return f"{self.invoice}: {self.get_status_display()} at {self.at:%Y-%m-%d}"


class PurchaseOrder(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PARTLY_RECEIVED = "partly_received", "Partly received"
        RECEIVED = "received", "Received"
        CLOSED = "closed", "Closed"

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="purchase_orders")
    number = models.CharField(max_length=64, unique=True)
    order_date = models.DateField()
    currency = currency_field()
    total_amount = money_field("total")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    requester = models.CharField(max_length=150, blank=True)
    cost_centre = models.CharField(max_length=40, blank=True)
    # What is bought (goods, services, capex …): tolerances and approval rules may depend on it.
    category = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-order_date", "-id"]
        indexes = [models.Index(fields=["party", "-order_date"], name="po_party_date_idx")]

    def __str__(self):
        return f"PO {self.number}"


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    description = models.CharField(max_length=500)
    quantity = models.DecimalField(max_digits=18, decimal_places=4)
    unit_price = models.DecimalField(max_digits=MAX_DIGITS, decimal_places=PRICE_DECIMAL_PLACES)

    class Meta:
        ordering = ["order", "position"]

    def __str__(self):
        return f"{self.order} line {self.position}"

    @property
    def net_amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


class GoodsReceipt(models.Model):
    """Proof that what was ordered arrived: the third leg of a three-way match."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="receipts")
    number = models.CharField(max_length=64, unique=True)
    received_on = models.DateField()
    received_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return f"Receipt {self.number}"


class GoodsReceiptLine(models.Model):
    receipt = models.ForeignKey(GoodsReceipt, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.CASCADE, related_name="receipt_lines"
    )
    quantity = models.DecimalField(max_digits=18, decimal_places=4)

    def __str__(self):
        return f"{self.receipt}: {self.quantity} of {self.order_line}"


class Payment(models.Model):
    """Money that moved: to a vendor (outgoing) or from a customer (incoming)."""

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        DIRECT_DEBIT = "direct_debit", "Direct debit"
        CARD = "card", "Card"
        CHEQUE = "cheque", "Cheque"

    direction = models.CharField(max_length=2, choices=Direction.choices)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="payments")
    date = models.DateField()
    amount = money_field()
    currency = currency_field()
    method = models.CharField(max_length=16, choices=Method.choices, default=Method.BANK_TRANSFER)
    reference = models.CharField(max_length=140, blank=True)
    bank_account = models.ForeignKey(
        BankAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["party", "-date"], name="payment_party_date_idx")]

    def __str__(self):
        return f"Payment {self.reference or self.pk} of {self.money}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)


class PaymentAllocation(models.Model):
    """How much of a payment settled which invoice, and what was deducted and why."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = money_field()
    deduction_amount = money_field("deduction")
    deduction_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(deduction_amount__gte=0),
                name="ledger_allocation_non_negative",
                violation_error_message="Allocated and deducted amounts cannot be negative.",
            )
        ]

    def __str__(self):
        return f"{self.amount} of {self.payment} to {self.invoice}"
