from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ledgerdesk.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self):
        from ledgerdesk.core import audit
        from ledgerdesk.ledger.models import Invoice, Payment, PaymentAllocation

        audit.track(
            Invoice,
            (
                "party",
                "number",
                "issue_date",
                "due_date",
                "currency",
                "net_amount",
                "tax_amount",
                "total_amount",
                "amount_payable",
                "status",
                "hold_reason",
                "scheduled_payment_date",
            ),
        )
        audit.track(Payment, ("party", "date", "amount", "currency", "reference", "bank_account"))
        audit.track(PaymentAllocation, ("payment", "invoice", "amount", "deduction_amount"))
