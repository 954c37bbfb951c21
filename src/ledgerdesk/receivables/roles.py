"""What each staff role may do in this app, merged into the roles by `core.roles`.

A role also gets everything granted to the roles below it (Lead gets Agent's, ...).
Agents work the cash-application queue (view lines, confirm, hold, refund); leads also
upload statements; admins may change anything here in the admin.
"""

GRANTS: dict[str, list[str]] = {
    "Agent": [
        "receivables.view_bankstatement",
        "receivables.view_statementline",
        "receivables.change_statementline",
        "receivables.view_deductioncase",
    ],
    "Lead": ["receivables.add_bankstatement"],
    "Manager": [],
    "Admin": ["receivables.*"],
}
