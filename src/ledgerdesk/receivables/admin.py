from django.contrib import admin

from ledgerdesk.receivables.models import BankStatement, DeductionCase, StatementLine


@admin.register(BankStatement)
class BankStatementAdmin(admin.ModelAdmin):
    list_display = ("statement_id", "account", "format", "currency", "closing_date", "imported_at")
    list_filter = ("format", "currency")
    search_fields = ("statement_id", "account", "source_name")
    readonly_fields = ("fingerprint", "file_sha256", "import_run", "imported_at")


@admin.register(StatementLine)
class StatementLineAdmin(admin.ModelAdmin):
    list_display = (
        "statement",
        "position",
        "booking_date",
        "amount",
        "currency",
        "state",
        "auto_applied",
    )
    list_filter = ("state", "auto_applied", "currency")
    search_fields = ("remittance", "counterparty_name", "end_to_end_id", "bank_reference")
    raw_id_fields = ("statement", "payment", "applied_by")
    list_select_related = ("statement",)
    # Cash application moves money in the ledger: it happens through the work queue only.
    readonly_fields = ("fingerprint", "state", "unapplied_amount", "payment", "auto_applied")


@admin.register(DeductionCase)
class DeductionCaseAdmin(admin.ModelAdmin):
    list_display = ("invoice", "case", "short_amount", "created_at")
    raw_id_fields = ("invoice", "case", "line")
