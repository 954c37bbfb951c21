"""What each staff role may do in this app, merged into the roles by `core.roles`.

A role also gets everything granted to the roles below it (Lead gets Agent's, ...).
The dashboards are for leads and managers: they compare agents, so agents do not see them
(an agent's own coaching trend lives with the reply coach).
"""

GRANTS: dict[str, list[str]] = {
    "Agent": [],
    "Lead": ["insights.view_dashboards", "insights.view_digestsent"],
    "Manager": [],
    "Admin": [],
}
