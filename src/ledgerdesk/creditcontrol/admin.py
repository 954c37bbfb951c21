"""Where a lead tunes credit control without code: reminder timing and authority limits.

Reminders, waivers, arrangements and credits are read-only here: they change only through
the services (the console), so every change is audited and on the invoice's history.
"""

from django.contrib import admin

from ledgerdesk.core.admin import ReadOnlyAdmin
from ledgerdesk.creditcontrol.models import (
    AuthorityLimit,
    CreditOwed,
    FeeWaiver,
    PaymentArrangement,
    Reminder,
    ReminderPolicy,
    StatementSchedule,
)


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "days_before_due",
        "send_on_due",
        "days_after_due_1",
        "days_after_due_2",
        "days_after_due_3",
        "active",
    )


@admin.register(AuthorityLimit)
class AuthorityLimitAdmin(admin.ModelAdmin):
    list_display = ("role", "currency", "amount")
    list_filter = ("currency", "role")


@admin.register(StatementSchedule)
class StatementScheduleAdmin(admin.ModelAdmin):
    list_display = ("party", "frequency")
    list_filter = ("frequency",)
    raw_id_fields = ("party",)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("invoice", "level", "tone", "channel", "sent_at")
    list_filter = ("level", "tone")


@admin.register(FeeWaiver)
class FeeWaiverAdmin(ReadOnlyAdmin):
    list_display = ("invoice", "amount", "currency", "state", "requested_by", "decided_by")
    list_filter = ("state",)


@admin.register(PaymentArrangement)
class PaymentArrangementAdmin(ReadOnlyAdmin):
    list_display = ("party", "amount_agreed", "currency", "status", "owner")
    list_filter = ("status",)


@admin.register(CreditOwed)
class CreditOwedAdmin(ReadOnlyAdmin):
    list_display = ("party", "kind", "amount", "currency", "refund_by")
