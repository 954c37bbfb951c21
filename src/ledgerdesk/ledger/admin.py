from django.contrib import admin

from ledgerdesk.ledger.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    Invoice,
    InvoiceLine,
    InvoiceStatusChange,
    Payment,
    PaymentAllocation,
    PurchaseOrder,
    PurchaseOrderLine,
)


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    raw_id_fields = ("po_line",)


class StatusInline(admin.TabularInline):
    model = InvoiceStatusChange
    extra = 0
    readonly_fields = ("status", "at", "by_label", "note")
    fields = readonly_fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # history is written by ledger.services.set_status


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "party",
        "direction",
        "kind",
        "issue_date",
        "due_date",
        "currency",
        "total_amount",
        "amount_open",
        "status",
    )
    list_filter = ("direction", "kind", "status", "source")
    list_select_related = ("party",)
    search_fields = ("number", "party__name")
    raw_id_fields = ("party", "purchase_order", "corrects", "duplicate_of")
    # Money and status move only through ledger.services (allocations, set_status),
    # which keep the open amount and the history right.
    readonly_fields = (
        "net_amount",
        "tax_amount",
        "total_amount",
        "prepaid_amount",
        "amount_payable",
        "amount_open",
        "status",
        "content_hash",
        "source",
        "source_name",
    )
    date_hierarchy = "issue_date"
    inlines = [InvoiceLineInline, StatusInline]


class PurchaseOrderLineInline(admin.TabularInline):
    model = PurchaseOrderLine
    extra = 0


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(admin.ModelAdmin):
    list_display = ("number", "party", "order_date", "currency", "total_amount", "status")
    list_select_related = ("party",)
    search_fields = ("number", "party__name")
    raw_id_fields = ("party",)
    inlines = [PurchaseOrderLineInline]


class GoodsReceiptLineInline(admin.TabularInline):
    model = GoodsReceiptLine
    extra = 0
    raw_id_fields = ("order_line",)


@admin.register(GoodsReceipt)
class GoodsReceiptAdmin(admin.ModelAdmin):
    list_display = ("number", "order", "received_on", "received_by")
    raw_id_fields = ("order",)
    inlines = [GoodsReceiptLineInline]


class AllocationInline(admin.TabularInline):
    model = PaymentAllocation
    extra = 0
    raw_id_fields = ("invoice",)


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("date", "party", "direction", "amount", "currency", "method", "reference")
    list_filter = ("direction", "method")
    list_select_related = ("party",)
    search_fields = ("reference", "party__name")
    raw_id_fields = ("party", "bank_account")
    inlines = [AllocationInline]
