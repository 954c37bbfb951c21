from django.apps import AppConfig


class CreditControlConfig(AppConfig):
    name = "ledgerdesk.creditcontrol"
    label = "creditcontrol"
    verbose_name = "Credit control"

    def ready(self):
        from ledgerdesk.core import audit
        from ledgerdesk.creditcontrol import models as m

        audit.track(m.FollowUp, ("kind", "state", "due_on", "note", "owner", "snoozed"))
        audit.track(m.FeeWaiver, ("invoice", "amount", "currency", "reason", "state",
                                  "requested_by", "approver_role", "decided_by",
                                  "decision_note", "credit_note"))  # fmt: skip
        audit.track(m.AuthorityLimit, ("role", "currency", "amount"))
        audit.track(m.ReminderPolicy, ("team", "days_before_due", "send_on_due",
                                       "days_after_due_1", "days_after_due_2",
                                       "days_after_due_3", "active"))  # fmt: skip
        audit.track(m.PaymentArrangement, ("party", "amount_agreed", "status", "owner"))
        audit.track(m.StatementSchedule, ("party", "frequency"))
        audit.track(m.CreditOwed, ("party", "kind", "amount", "currency", "source_reference"))
