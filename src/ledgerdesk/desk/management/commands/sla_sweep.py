from django.core.management.base import BaseCommand

from ledgerdesk.desk.escalation import sweep


class Command(BaseCommand):
    help = "Escalate cases whose SLA is at risk or breached to the team lead (once per state)."

    def handle(self, **options):
        result = sweep()
        self.stdout.write(
            f"{result.checked} open case(s) checked, {result.escalated} escalated, "
            f"{result.handed_over} handed over from inactive owners"
        )
