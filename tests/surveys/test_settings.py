"""The survey rules: one row a lead edits in the admin, audited, with safe defaults."""

from __future__ import annotations

import pytest

from ledgerdesk.core.models import AuditEntry
from ledgerdesk.surveys.models import SurveySettings

pytestmark = pytest.mark.django_db


def test_the_defaults_hold_without_a_row():
    rules = SurveySettings.current()
    assert (rules.quiet_days, rules.low_rating, rules.link_days) == (30, 2, 30)
    assert rules.case_surveys and rules.relationship_surveys
    assert not SurveySettings.objects.exists()


def test_there_is_only_ever_one_row():
    SurveySettings.objects.create(quiet_days=10)
    SurveySettings(quiet_days=20).save()
    assert SurveySettings.objects.count() == 1
    assert SurveySettings.current().quiet_days == 20


def test_an_admin_edits_the_rules_and_the_change_is_audited(client, admin_user):
    client.force_login(admin_user)
    form = {
        "quiet_days": "45",
        "low_rating": "3",
        "link_days": "14",
        "case_surveys": "on",
        "relationship_surveys": "on",
        "active_within_days": "365",
    }
    response = client.post("/admin/surveys/surveysettings/add/", form)
    assert response.status_code == 302
    assert client.get("/admin/surveys/surveysettings/add/").status_code == 403  # one row only
    form["quiet_days"] = "60"
    client.post("/admin/surveys/surveysettings/1/change/", form)
    rules = SurveySettings.current()
    assert (rules.quiet_days, rules.low_rating, rules.link_days) == (60, 3, 14)
    change = AuditEntry.objects.filter(object_type="surveys.surveysettings").latest("id")
    assert change.before["quiet_days"] == 45 and change.after["quiet_days"] == 60
    assert change.actor == admin_user


def test_a_threshold_out_of_range_is_refused_by_name(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/surveys/surveysettings/add/",
        {"quiet_days": "0", "low_rating": "5", "link_days": "30", "active_within_days": "365"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"quiet_days", "low_rating"}
    assert not SurveySettings.objects.exists()


def test_leads_may_change_the_rules_and_read_the_surveys(lead, agent):
    assert lead.has_perm("surveys.change_surveysettings")
    assert lead.has_perm("surveys.view_survey")
    assert not lead.has_perm("surveys.change_survey")  # an answer is the customer's
    assert not agent.has_perm("surveys.view_survey")
