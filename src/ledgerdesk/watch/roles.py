"""What each staff role may do in this app, merged into the roles by `core.roles`.

A role also gets everything granted to the roles below it (Lead gets Agent's, ...).
Agents see the watch; a lead switches checks on or off, sets thresholds and keeps the
vendors' documents.
"""

GRANTS: dict[str, list[str]] = {
    "Agent": [
        "watch.view_checksetting",
        "watch.view_finding",
        "watch.view_checkrun",
        "watch.view_vendordocument",
    ],
    "Lead": [
        "watch.change_checksetting",
        "watch.add_checksetting",
        "watch.add_vendordocument",
        "watch.change_vendordocument",
        "watch.delete_vendordocument",
    ],
    "Manager": [],
    "Admin": ["watch.*"],
}
