"""What each staff role may do in this app, merged into the roles by `core.roles`.

A role also gets everything granted to the roles below it (Lead gets Agent's, ...).
Leads and managers read the surveys and their answers; leads set the survey rules
(quiet period, low-rating threshold) in the admin. Nobody edits an answer.
"""

GRANTS: dict[str, list[str]] = {
    "Agent": [],
    "Lead": [
        "surveys.view_survey",
        "surveys.view_surveysettings",
        "surveys.add_surveysettings",  # the first save of the one row (defaults until then)
        "surveys.change_surveysettings",
    ],
    "Manager": [],
    "Admin": [],
}
