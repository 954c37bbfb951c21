"""The watch: periodic checks that open a proactive case before the vendor or customer asks."""

from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "ledgerdesk.watch"
    label = "watch"
    verbose_name = "Proactive watch"

    def ready(self):
        from ledgerdesk.core import audit
        from ledgerdesk.watch.models import CheckSetting, VendorDocument

        # A lead switching a check off, or a certificate's date moving, must be traceable.
        audit.track(CheckSetting, ("name", "enabled", "thresholds"))
        audit.track(VendorDocument, ("party", "kind", "reference", "received_at", "valid_until"))
