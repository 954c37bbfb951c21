"""The console's survey list: leads and managers see what was sent and answered."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ledgerdesk.surveys.models import Survey
from tests.factories import ContactFactory, PartyFactory
from tests.portal.conftest import make_account
from tests.surveys.conftest import open_case

pytestmark = pytest.mark.django_db

URL = "/surveys/"


def _survey(team, *, kind="case", rating=None, comment="", party=None):
    party = party or PartyFactory()
    contact = ContactFactory(party=party)
    case = open_case(team, party, contact) if kind == "case" else None
    return Survey.objects.create(
        kind=kind,
        case=case,
        party=party,
        contact=contact,
        team=team,
        channel="email",
        email=contact.email,
        token="abcdefgh12345678",
        round="" if case else f"2026-Q{Survey.objects.count() % 4 + 1}",
        rating=rating,
        comment=comment,
        answered_at=timezone.now() if rating else None,
    )


@pytest.mark.parametrize("who", ["lead", "manager", "admin_user"])
def test_leads_and_managers_see_the_list(client, request, who, ap_team):
    _survey(ap_team, rating=2, comment="Too slow")
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Too slow" in html and "2 of 5 · low" in html


@pytest.mark.parametrize("who", ["agent", "outsider"])
def test_agents_and_outsiders_do_not(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_portal_user_does_not_see_it(client, vendor):
    client.force_login(make_account(vendor.contact).user)
    assert client.get(URL).status_code == 403


def test_filters_by_kind_rating_and_team(client, lead, ap_team, ar_team):
    _survey(ap_team, rating=1, comment="ap-one")
    _survey(ap_team, rating=5, comment="ap-five")
    _survey(ar_team, rating=2, comment="ar-two")
    _survey(ar_team, kind="relationship", rating=4, comment="ar-relationship")
    _survey(ar_team, comment="")  # not answered yet
    client.force_login(lead)

    def shown(**query):
        html = client.get(URL, query).content.decode()
        return {w for w in ("ap-one", "ap-five", "ar-two", "ar-relationship") if w in html}

    assert shown() == {"ap-one", "ap-five", "ar-two", "ar-relationship"}
    assert shown(kind="relationship") == {"ar-relationship"}
    assert shown(rating="low") == {"ap-one", "ar-two"}
    assert shown(rating="5") == {"ap-five"}
    assert shown(team=ap_team.pk) == {"ap-one", "ap-five"}
    assert shown(team=ar_team.pk, rating="low") == {"ar-two"}
    html = client.get(URL, {"rating": "unanswered"}).content.decode()
    assert "No answer yet" in html and "ap-one" not in html
    totals = client.get(URL).context["totals"]
    assert totals["sent"] == 5 and totals["answered"] == 4 and totals["low"] == 2
    assert totals["average"] == pytest.approx(3.0)
    assert client.get(URL, {"kind": "bogus", "rating": "9", "team": "x"}).status_code == 200


def test_the_list_is_paginated(client, lead, ap_team):
    for _ in range(52):
        _survey(ap_team)
    client.force_login(lead)
    page = client.get(URL).context["page"]
    assert len(page.object_list) == 50 and page.paginator.num_pages == 2
    assert len(client.get(URL, {"page": 2}).context["page"].object_list) == 2


def test_the_query_count_does_not_grow_with_the_rows(
    client, lead, ap_team, django_assert_max_num_queries
):
    client.force_login(lead)
    _survey(ap_team, rating=1)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(20):
        _survey(ap_team, rating=n % 5 + 1, kind="relationship" if n % 2 else "case")
    # session, user, the user's and the role's permissions (2), the survey rules, the totals
    # (one aggregate), the page's count, the teams for the filter, the role name for the
    # header, the page's rows with case, party, contact, team and follow-up joined
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 21
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)
