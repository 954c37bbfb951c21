"""The console page /watch/: checks with their state, and the findings, paginated."""

import pytest
from django.urls import reverse

from ledgerdesk.watch import services
from ledgerdesk.watch.models import CheckSetting, Finding
from tests.watch.builders import NOW, mismatched, received_bill

pytestmark = pytest.mark.django_db
URL = reverse("watch:overview")


@pytest.fixture
def watched(ap_team, vendor):
    for n in range(60):
        received_bill(vendor, f"F-{n}")
    mismatched(vendor, "M-1")
    CheckSetting.objects.create(name="duplicate", enabled=False)
    CheckSetting.objects.create(name="not_routed", thresholds={"max_new_cases": 100})
    services.run(now=NOW)


def test_it_lists_every_check_with_its_state_last_run_and_open_findings(agent_client, watched):
    response = agent_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Received but not routed for approval" in page and "60 open" in page
    assert "Suspected duplicate bill" in page and ">Off</span>" in page
    assert "60 found, 60 opened, 0 resolved" in page
    assert "days: 3, reply_days: 2, max_new_cases: 100" in page
    assert page.count('class="badge badge-warn">Open</span>') == 50  # one page of findings
    assert "Page 1 of 2 · 61 in all" in page


def test_it_filters_by_check_and_state(agent_client, watched):
    page = agent_client.get(URL, {"check": "mismatch"}).content.decode()
    assert "Invoice M-1 of Papeterie Dupont SARL: price mismatch" in page
    assert "not routed since" not in page
    finding = Finding.objects.get(check_name="mismatch")
    assert finding.case.reference in page
    page = agent_client.get(URL, {"state": "resolved"}).content.decode()
    assert "Nothing found." in page


def test_it_takes_a_fixed_number_of_queries(agent_client, watched, django_assert_max_num_queries):
    agent_client.get(URL)  # warm the session and permission caches
    # session, user, groups' permissions (2), settings, open counts, latest runs,
    # findings count, findings page (with case, party, invoice joined)
    with django_assert_max_num_queries(10):
        response = agent_client.get(URL, {"page": 2})
    assert response.status_code == 200


def test_an_agent_sees_the_link_in_the_menu(agent_client, ap_team):
    assert f'href="{URL}"' in agent_client.get(reverse("home")).content.decode()


def test_it_is_for_staff_only(client, outsider, ap_team):
    assert client.get(URL).status_code == 302  # to the sign-in page
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


def test_a_failed_run_shows_in_words_and_colour(agent_client, ap_team):
    CheckSetting.objects.create(name="duplicate", thresholds={"min_score": 500})
    services.run(now=NOW)
    page = agent_client.get(URL).content.decode()
    assert '<span class="badge badge-bad">Failed</span> error: thresholds: min_score' in page
