"""Portal accounts in the admin: look, and switch access off; invitations go out from the
console (`/portal/invite/<contact>/`), which e-mails the link, so the admin adds none."""

from django.contrib import admin

from ledgerdesk.core.admin import ReadOnlyAdmin
from ledgerdesk.portal.models import LoginCode, PortalAccount


@admin.register(PortalAccount)
class PortalAccountAdmin(admin.ModelAdmin):
    list_display = ("contact", "party", "user", "is_active", "invited_at", "activated_at")
    list_filter = ("is_active",)
    search_fields = ("contact__name", "contact__email", "party__name", "user__username")
    fields = ("user", "party", "contact", "is_active", "invited_at", "invited_by", "activated_at")
    readonly_fields = ("user", "party", "contact", "invited_at", "invited_by", "activated_at")

    def has_add_permission(self, request):
        return False


@admin.register(LoginCode)
class LoginCodeAdmin(ReadOnlyAdmin):
    list_display = ("account", "created_at", "expires_at", "attempts", "used_at")
    fields = ("account", "created_at", "expires_at", "attempts", "used_at")
