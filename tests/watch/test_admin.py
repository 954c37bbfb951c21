"""A lead sets a check's thresholds in the admin; a bad key or value is named."""

import pytest
from django.urls import reverse

from ledgerdesk.core.models import AuditEntry
from ledgerdesk.watch.models import CheckSetting

pytestmark = pytest.mark.django_db
URL = reverse("admin:watch_checksetting_add")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_a_bad_threshold_is_named_on_the_form(admin_client):
    response = admin_client.post(
        URL, {"name": "not_routed", "enabled": "on", "thresholds": '{"dayz": 4}'}
    )
    assert response.status_code == 200
    assert "dayz: the check &#x27;not_routed&#x27; has no such threshold" in (
        response.content.decode()
    )
    assert not CheckSetting.objects.exists()


def test_a_good_setting_is_saved_and_audited(admin_client):
    response = admin_client.post(URL, {"name": "not_routed", "thresholds": '{"days": 4}'})
    assert response.status_code == 302
    setting = CheckSetting.objects.get()
    assert (setting.enabled, setting.thresholds) == (False, {"days": 4})
    entry = AuditEntry.objects.get(object_type="watch.checksetting")
    assert entry.actor_label == "admin" and "4" in str(entry.after["thresholds"])


def test_the_form_shows_the_defaults(admin_client):
    page = admin_client.get(URL).content.decode()
    assert "not_routed: days=3, reply_days=2" in page
