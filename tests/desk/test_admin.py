"""The admin pages where leads tune the desk: they open, and cases stay read-only."""

import hashlib

import pytest

from ledgerdesk.desk import services
from ledgerdesk.desk.models import CannedReply
from ledgerdesk.mail.models import QuarantinedMail

pytestmark = pytest.mark.django_db

CHANGELISTS = ["cannedreply", "tierrule", "slapolicy", "team", "case"]


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_desk_models_are_in_the_admin(admin_client, ap_team):
    services.open_case(team=ap_team, subject="Hi", requester_email="v@vendor.example")
    for model in CHANGELISTS:
        assert admin_client.get(f"/admin/desk/{model}/").status_code == 200, model
    assert admin_client.get("/admin/mail/quarantinedmail/").status_code == 200


def test_canned_reply_form_lists_the_placeholders(admin_client):
    page = admin_client.get("/admin/desk/cannedreply/add/").content.decode()
    assert "{expected_pay_date}" in page and "[invoice number]" in page
    response = admin_client.post(
        "/admin/desk/cannedreply/add/", {"title": "Thanks", "body": "Dear {contact_name}"}
    )
    assert response.status_code == 302 and CannedReply.objects.filter(title="Thanks").exists()


def test_cases_cannot_be_added_or_changed_in_the_admin(admin_client, ap_team):
    case = services.open_case(team=ap_team, subject="Hi", requester_email="v@vendor.example")
    assert admin_client.get("/admin/desk/case/add/").status_code == 403
    page = admin_client.get(f"/admin/desk/case/{case.pk}/change/").content.decode()
    assert 'name="subject"' not in page  # shown, not editable


def test_quarantined_mail_can_be_marked_as_dealt_with(admin_client):
    raw = b"garbage"
    mail = QuarantinedMail.objects.create(
        origin="smtp", reason="unreadable", raw=raw, raw_sha256=hashlib.sha256(raw).hexdigest()
    )
    response = admin_client.post(
        "/admin/mail/quarantinedmail/",
        {"action": "mark_dealt_with", "_selected_action": [mail.pk]},
    )
    assert response.status_code == 302
    mail.refresh_from_db()
    assert mail.released_at is not None


def test_a_demo_lead_edits_tier_rules_in_the_admin(client, db):
    from ledgerdesk.demo.generator import generate

    generate("tiny")
    from django.contrib.auth import get_user_model

    lead = get_user_model().objects.get(username="lead")
    client.force_login(lead)
    assert client.get("/admin/desk/tierrule/").status_code == 200
    assert client.get("/admin/desk/tierrule/add/").status_code == 200
    assert client.get("/admin/desk/cannedreply/add/").status_code == 200
