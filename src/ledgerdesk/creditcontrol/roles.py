"""What each staff role may do in this app, merged into the roles by `core.roles`.

A role also gets everything granted to the roles below it (Lead gets Agent's, ...).
Who may approve a fee waiver is decided by the authority limits (per role and currency);
change_feewaiver only lets a lead or above post a decision at all.
"""

GRANTS: dict[str, list[str]] = {
    "Agent": [
        "creditcontrol.view_followup",
        "creditcontrol.add_followup",
        "creditcontrol.change_followup",
        "creditcontrol.view_reminder",
        "creditcontrol.view_feewaiver",
        "creditcontrol.add_feewaiver",
        "creditcontrol.view_paymentarrangement",
        "creditcontrol.add_paymentarrangement",
        "creditcontrol.view_instalment",
        "creditcontrol.view_statementschedule",
        "creditcontrol.change_statementschedule",
        "creditcontrol.add_statementsent",
        "creditcontrol.view_creditowed",
        "creditcontrol.view_reminderpolicy",
        "creditcontrol.view_authoritylimit",
    ],
    "Lead": [
        "creditcontrol.change_feewaiver",
        "creditcontrol.add_reminderpolicy",
        "creditcontrol.change_reminderpolicy",
        "creditcontrol.change_paymentarrangement",
        "creditcontrol.add_authoritylimit",
        "creditcontrol.change_authoritylimit",
    ],
    "Manager": ["creditcontrol.add_creditowed"],
    "Admin": ["creditcontrol.*"],
}
