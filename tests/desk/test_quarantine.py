"""The quarantine page: mail that could not be read or placed, kept with the reason."""

import hashlib

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from ledgerdesk.mail.models import QuarantinedMail

pytestmark = pytest.mark.django_db


def _quarantined(n, reason="no usable From address", **kwargs):
    raw = f"Subject: broken {n}\r\n\r\nbody {n}".encode()
    return QuarantinedMail.objects.create(
        origin=f"imap:ap@hub.example/{n}",
        reason=reason,
        raw=raw,
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        **kwargs,
    )


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def test_leads_see_reason_origin_and_date(lead_client):
    _quarantined(1, "could not be parsed: no headers")
    _quarantined(2, released_at=timezone.now())
    page = lead_client.get("/desk/quarantine/").content.decode()
    assert "could not be parsed: no headers" in page and "imap:ap@hub.example/1" in page
    assert "imap:ap@hub.example/2" not in page  # dealt with
    assert "1 waiting for a look" in page
    page = lead_client.get("/desk/quarantine/?show=all").content.decode()
    assert "imap:ap@hub.example/2" in page and "dealt with</span>" in page


def test_the_raw_message_downloads_as_eml(lead_client):
    mail = _quarantined(3)
    response = lead_client.get(f"/desk/quarantine/{mail.pk}/raw/")
    assert response.status_code == 200 and response["Content-Type"] == "message/rfc822"
    assert response.content == b"Subject: broken 3\r\n\r\nbody 3"
    assert f'filename="quarantined-{mail.pk}.eml"' in response["Content-Disposition"]
    assert lead_client.get("/desk/quarantine/999999/raw/").status_code == 404


def test_it_is_paginated(lead_client):
    for n in range(55):
        _quarantined(n)
    assert "Page 1 of 2" in lead_client.get("/desk/quarantine/").content.decode()


def test_agents_do_not_see_it(agent_client):
    mail = _quarantined(4)
    assert agent_client.get("/desk/quarantine/").status_code == 403
    assert agent_client.get(f"/desk/quarantine/{mail.pk}/raw/").status_code == 403
    assert "Quarantine</a>" not in agent_client.get("/desk/").content.decode()


def test_the_menu_shows_it_to_those_allowed(lead_client, lead):
    assert lead.has_perm("mail.view_quarantinedmail")
    assert Permission.objects.filter(codename="view_quarantinedmail").exists()
    assert "Quarantine</a>" in lead_client.get("/desk/").content.decode()
