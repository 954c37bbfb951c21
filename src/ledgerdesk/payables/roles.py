"""What each staff role may do in this app, merged into the roles by `core.roles`.

A role also gets everything granted to the roles below it (Lead gets Agent's, ...).
Approvers are staff who hold a console role; whether a step is theirs is checked per step.
"""

GRANTS: dict[str, list[str]] = {
    "Agent": [
        "payables.view_approvalstep",
        "payables.view_invoicematch",
        "payables.view_suspectedduplicate",
        "payables.view_tolerance",
        "payables.view_approvalrule",
        "payables.view_delegation",
        "payables.view_paymentrun",
        "payables.view_payingaccount",
    ],
    "Lead": [
        *(
            f"payables.{action}_{model}"
            for action in ("add", "change", "delete")
            for model in ("tolerance", "approvalrule", "delegation")
        ),
        "payables.change_suspectedduplicate",
        # Leads propose and approve payment runs; a run needs two different leads.
        "payables.add_paymentrun",
        "payables.change_paymentrun",
    ],
    "Manager": [],
    "Admin": ["payables.*"],
}
