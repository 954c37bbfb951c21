from django.apps import AppConfig
from django.db.models.signals import post_save


class PayablesConfig(AppConfig):
    name = "ledgerdesk.payables"
    label = "payables"
    verbose_name = "Payables"

    def ready(self):
        from ledgerdesk.core import audit
        from ledgerdesk.ledger.signals import invoices_created
        from ledgerdesk.payables import tasks
        from ledgerdesk.payables.models import ApprovalRule, Delegation, Tolerance

        invoices_created.connect(tasks.enqueue_intake, dispatch_uid="payables-intake")
        post_save.connect(_delegation_saved, sender=Delegation, dispatch_uid="payables-delegation")
        # Who may approve what, and how much slack a bill gets, are controls: audit them.
        audit.track(Tolerance, ("vendor", "category", "price_pct", "quantity_pct", "amount",
                                "require_receipt"))  # fmt: skip
        audit.track(ApprovalRule, ("name", "level", "min_amount", "max_amount", "cost_centre",
                                   "category", "approver", "active"))  # fmt: skip
        audit.track(Delegation, ("approver", "delegate", "starts", "ends"))


def _delegation_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from ledgerdesk.payables.services import hand_over

    hand_over(instance)
