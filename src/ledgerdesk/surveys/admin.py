from django.contrib import admin

from ledgerdesk.surveys.models import Survey, SurveySettings


@admin.register(SurveySettings)
class SurveySettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "quiet_days", "low_rating", "link_days", "updated_at")
    fields = (
        "quiet_days",
        "low_rating",
        "link_days",
        "case_surveys",
        "relationship_surveys",
        "active_within_days",
    )

    def has_add_permission(self, request):
        # One row of rules: add it once, then edit it.
        return super().has_add_permission(request) and not SurveySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Read-only: a survey and its answer are what the customer said, not ours to edit."""

    list_display = ("__str__", "kind", "party", "contact", "channel", "sent_at", "rating")
    list_filter = ("kind", "channel", "rating", "team")
    search_fields = ("party__name", "contact__name", "email", "case__reference")
    list_select_related = ("case", "party", "contact")
    raw_id_fields = ("case", "party", "contact", "follow_up")
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
