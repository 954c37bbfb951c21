"""End to end through the pages: an agent resolves a case in the console, the customer answers
the e-mail's link, and the agent sees the rating on the case's timeline."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from tests.surveys.conftest import links_in

pytestmark = pytest.mark.django_db


def test_resolved_in_the_console_rated_from_the_email_seen_on_the_case(
    agent_client, vendor, django_capture_on_commit_callbacks
):
    case = vendor.case
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            f"/desk/cases/{case.reference}/state/", {"state": "resolved", "note": ""}
        )
    assert response.status_code == 302
    [survey_mail] = mail.outbox
    customer = Client()
    two = links_in(survey_mail)[3]
    assert customer.get(two).status_code == 200
    customer.post(two, {"rating": "2", "comment": "Slow, but it worked out."})
    html = agent_client.get(f"/desk/cases/{case.reference}/").content.decode()
    assert "Rated 2/5 by Jan de Vries: Slow, but it worked out." in html
    assert "Low rating: follow up" in html
    assert "Follow-up case AP-" in html
