from django.contrib import admin

from ledgerdesk.payables.models import ApprovalRule, Delegation, Tolerance


@admin.register(Tolerance)
class ToleranceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "price_pct", "quantity_pct", "amount", "require_receipt")
    autocomplete_fields = ("vendor",)


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "min_amount", "max_amount", "cost_centre", "category",
                    "approver", "active")  # fmt: skip
    list_filter = ("active", "level")


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ("approver", "delegate", "starts", "ends", "note")
