from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ledgerdesk.portal"
    label = "portal"
    verbose_name = "Self-service portal"

    def ready(self):
        from ledgerdesk.core import audit
        from ledgerdesk.portal.models import PortalAccount

        # Who got access to which party's data, and when it was switched off.
        audit.track(
            PortalAccount,
            ("user", "party", "contact", "is_active", "invited_at", "invited_by", "activated_at"),
        )
