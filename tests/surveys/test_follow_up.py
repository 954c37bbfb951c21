"""A low rating opens one follow-up case for the lead of the team, quoting the comment."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from ledgerdesk.desk.models import Case, CaseEvent
from ledgerdesk.portal.models import CaseRating
from ledgerdesk.surveys import services
from ledgerdesk.surveys.models import Survey
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory, UserFactory
from tests.portal.conftest import make_account, signed_in
from tests.surveys.conftest import links_in, open_case

pytestmark = pytest.mark.django_db


def _follow_ups():
    return Case.objects.filter(channel=Case.Channel.INTERNAL)


@pytest.fixture
def links(vendor, resolved):
    resolved(vendor.case)
    return dict(zip((5, 4, 3, 2, 1), links_in(mail.outbox[0]), strict=True))


def test_a_low_rating_opens_one_follow_up_case_for_the_lead(client, vendor, links, ap_team):
    client.post(links[1], {"rating": "1", "comment": "Three weeks for an answer.\nNot good."})
    [follow] = _follow_ups()
    assert follow.owner == ap_team.lead
    assert follow.team == ap_team and follow.party == vendor.party
    assert follow.contact == vendor.contact
    assert follow.subject == f"Low rating 1/5 on {vendor.case.reference}: please follow up"
    note = follow.events.get(kind=CaseEvent.Kind.NOTE)
    assert "> Three weeks for an answer.\n> Not good." in note.text
    assert f"case {vendor.case.reference}" in note.text
    assert follow.events.filter(text=f"Follow-up of the rating on {vendor.case.reference}.")
    assert vendor.case.events.get(text__startswith="Follow-up case").text == (
        f"Follow-up case {follow.reference} opened for Lena Lead."
    )
    assert vendor.case.events.filter(text="Low rating: follow up", kind="note").count() == 1
    assert Survey.objects.get().follow_up == follow
    # Answering again (or rating in the portal) opens nothing more.
    assert client.post(links[2], {"rating": "2"}).status_code == 409
    with pytest.raises(services.SurveyError):
        services.rate_case(vendor.case, 1, who="Jan")
    assert _follow_ups().count() == 1


def test_the_follow_up_is_not_shown_in_the_portal(client, vendor, links):
    client.post(links[2], {"rating": "2"})
    follow = _follow_ups().get()
    portal = signed_in(make_account(vendor.contact))
    assert portal.get(f"/portal/cases/{follow.reference}/").status_code == 404
    assert follow.reference not in portal.get("/portal/cases/").content.decode()


def test_a_good_rating_opens_nothing(client, links):
    client.post(links[3], {"rating": "3"})
    assert not _follow_ups().exists()


def test_the_threshold_is_a_setting(client, links, rules):
    rules.low_rating = 3
    rules.save()
    client.post(links[3], {"rating": "3"})
    assert _follow_ups().count() == 1


def test_a_team_without_a_lead_gives_it_to_a_member(vendor, ar_team, agent, resolved):
    case = resolved(open_case(ar_team, vendor.party, vendor.contact))
    services.rate_case(case, 2, who="Jan")
    assert _follow_ups().get().owner == agent


def test_an_inactive_lead_is_passed_over(vendor, ap_team, agent, links):
    ap_team.lead.is_active = False
    ap_team.lead.save()
    services.answer(Survey.objects.get(), 1)
    assert _follow_ups().get().owner == agent


def test_a_low_relationship_rating_goes_to_the_ar_lead_for_a_customer(client, ar_team):
    ar_team.lead = UserFactory(username="ar-lead", role="Lead", first_name="Ana")
    ar_team.save()
    customer = PartyFactory(name="Cobalt Retail SA", is_vendor=False, is_customer=True)
    ContactFactory(party=customer, name="Chloé", email="chloe@cobalt.example", is_primary=True)
    InvoiceFactory(party=customer, issue_date=timezone.localdate())
    services.send_relationship_surveys()
    [link] = links_in(mail.outbox[0])[4:]  # "1 very hard"
    client.post(link, {"rating": "1", "comment": "Statements never match."})
    follow = _follow_ups().get()
    assert follow.owner == ar_team.lead and follow.team == ar_team
    assert follow.subject == "Low relationship rating 1/5 from Cobalt Retail SA: please follow up"
    assert "> Statements never match." in follow.events.get(kind="note").text
    assert Survey.objects.get().follow_up == follow
    assert client.post(link, {"rating": "1"}).status_code == 409
    assert _follow_ups().count() == 1
    assert not CaseRating.objects.exists()
