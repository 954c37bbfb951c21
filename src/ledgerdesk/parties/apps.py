from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "ledgerdesk.parties"
    label = "parties"
    verbose_name = "Vendors and customers"

    def ready(self):
        from ledgerdesk.core import audit
        from ledgerdesk.parties.models import BankAccount, Contact, Party

        audit.track(
            Party,
            (
                "name",
                "tax_id",
                "is_vendor",
                "is_customer",
                "default_currency",
                "payment_terms_days",
                "criticality",
                "external_id",
            ),
        )
        audit.track(
            Contact,
            (
                "party",
                "name",
                "email",
                "phone",
                "preferred_channel",
                "language",
                "time_zone",
                "personal_notes",
                "is_primary",
            ),
        )
        audit.track(BankAccount, ("party", "iban", "bic", "holder_name", "status"))
