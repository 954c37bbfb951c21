"""Where leads tune the desk without code: tier rules, canned replies, SLA policies, teams.

Cases are read-mostly here: every change to a case goes through `desk.services` from the
console or the API, so it lands on the case's timeline; the admin only looks.
QuarantinedMail is registered here too (the mail app has no admin of its own), read-only.
"""

from django.contrib import admin
from django.utils import timezone

from ledgerdesk.core.admin import ReadOnlyAdmin
from ledgerdesk.desk.canned import PLACEHOLDERS
from ledgerdesk.desk.models import CannedReply, Case, CaseEvent, SlaPolicy, Team, TierRule
from ledgerdesk.mail.models import QuarantinedMail


class SlaPolicyInline(admin.TabularInline):
    model = SlaPolicy
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "direction", "email", "lead", "coach_threshold")
    filter_horizontal = ("members",)
    inlines = [SlaPolicyInline]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "team",
        "tier",
        "acknowledge_hours",
        "first_response_hours",
        "resolution_hours",
        "at_risk_percent",
    )
    list_filter = ("team", "tier")


@admin.register(TierRule)
class TierRuleAdmin(admin.ModelAdmin):
    list_display = ("criterion", "threshold", "tier", "team", "active")
    list_editable = ("active",)
    list_filter = ("active", "tier", "team")


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "team")
    list_filter = ("category", "team")
    search_fields = ("title", "body")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        names = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        form.base_fields["body"].help_text = (
            f"Placeholders: {names}. One the case has no data for shows as a marker such "
            f"as [invoice number] that the agent must fill in before sending."
        )
        return form


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ("at", "kind", "actor_label", "text")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Read-only: the console and the API change cases through the services, which keep the
    timeline and the SLA clocks right. "View on site" opens the case page."""

    list_display = ("reference", "subject", "team", "state", "tier", "owner", "opened_at")
    list_filter = ("team", "state", "tier", "category", "channel")
    search_fields = ("reference", "subject", "requester_email")
    date_hierarchy = "opened_at"
    list_select_related = ("team", "owner")
    inlines = [CaseEventInline]


@admin.action(
    description="Mark as dealt with (hide from the quarantine page)", permissions=["change"]
)
def mark_dealt_with(modeladmin, request, queryset):
    count = queryset.filter(released_at__isnull=True).update(released_at=timezone.now())
    modeladmin.message_user(request, f"{count} message(s) marked as dealt with.")


if not admin.site.is_registered(QuarantinedMail):

    @admin.register(QuarantinedMail)
    class QuarantinedMailAdmin(ReadOnlyAdmin):
        list_display = ("received_at", "origin", "reason", "released_at")
        list_filter = ("released_at",)
        search_fields = ("origin", "reason")
        exclude = ("raw",)
        readonly_fields = ("received_at", "origin", "reason", "raw_sha256", "released_at")
        actions = [mark_dealt_with]

        def has_change_permission(self, request, obj=None):
            # Only for the action; the form itself shows no editable field.
            return request.user.has_perm("mail.change_quarantinedmail")
