"""What other apps, views, tasks and commands may do in credit control.

The work lives in one module per capability; this is the one place to import it from.
"""

from ledgerdesk.creditcontrol.arrangements import check_all as check_arrangements
from ledgerdesk.creditcontrol.arrangements import create_arrangement, parse_instalments
from ledgerdesk.creditcontrol.common import CreditControlError, billing_contact
from ledgerdesk.creditcontrol.credits import record_credit
from ledgerdesk.creditcontrol.followups import (
    due_for,
    mark_done,
    send_digests,
    set_follow_up,
    snooze,
)
from ledgerdesk.creditcontrol.reminders import (
    invoices_in_matching,
    is_first_time_late,
    send_due_reminders,
)
from ledgerdesk.creditcontrol.statements import render as render_statement
from ledgerdesk.creditcontrol.statements import send_scheduled as send_scheduled_statements
from ledgerdesk.creditcontrol.statements import send_statement, set_schedule
from ledgerdesk.creditcontrol.waivers import approve, can_decide, reject, request_waiver

__all__ = [
    "CreditControlError",
    "approve",
    "billing_contact",
    "can_decide",
    "check_arrangements",
    "create_arrangement",
    "due_for",
    "invoices_in_matching",
    "is_first_time_late",
    "mark_done",
    "parse_instalments",
    "record_credit",
    "reject",
    "render_statement",
    "request_waiver",
    "send_digests",
    "send_due_reminders",
    "send_scheduled_statements",
    "send_statement",
    "set_follow_up",
    "set_schedule",
    "snooze",
]
