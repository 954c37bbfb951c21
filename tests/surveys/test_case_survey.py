"""A resolved case sends its contact a survey: five signed one-click links, or the portal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Case, Message
from ledgerdesk.parties.models import Contact
from ledgerdesk.portal.models import PortalAccount
from ledgerdesk.surveys import services
from ledgerdesk.surveys.models import Survey
from tests.factories import UserFactory
from tests.surveys.conftest import links_in, open_case

pytestmark = pytest.mark.django_db


def test_resolving_a_case_emails_five_rating_links(vendor, resolved):
    resolved(vendor.case)
    [message] = mail.outbox
    assert message.to == ["jan@acme.example"]
    assert message.subject == f"Re: [{vendor.case.reference}] Where is payment for 4411?"
    assert "Dear Jan de Vries," in message.body
    links = links_in(message)
    assert len(links) == 5 and len(set(links)) == 5
    survey = Survey.objects.get()
    assert (survey.kind, survey.case, survey.party, survey.contact) == (
        Survey.Kind.CASE,
        vendor.case,
        vendor.party,
        vendor.contact,
    )
    assert (survey.channel, survey.email, survey.team) == ("email", "jan@acme.example", vendor.team)
    assert survey.sent_at is not None and survey.answered_at is None and survey.rating is None
    # Each link names its rating: 5 first, as the e-mail lists them.
    ratings = [services.survey_from_link(link.split("/")[3]) for link in links]
    assert ratings == [(survey, n) for n in (5, 4, 3, 2, 1)]


def test_the_survey_is_on_the_timeline_and_answers_nothing(vendor, resolved):
    case = resolved(vendor.case)
    message = case.messages.get(direction=Message.Direction.OUTBOUND)
    assert "How well did we help you?" in message.text
    assert case.state == Case.State.RESOLVED  # a notice: the case stays resolved
    assert case.first_response_at is None  # and it is nobody's answer to the customer


def test_closing_an_open_case_counts_as_resolving_it(vendor, resolved):
    resolved(vendor.case, Case.State.CLOSED)
    assert Survey.objects.filter(case=vendor.case).count() == 1
    assert len(mail.outbox) == 1


def test_a_case_gets_one_survey_even_when_resolved_again(vendor, resolved):
    case = resolved(vendor.case)
    desk.change_state(case, Case.State.OPEN, "The customer wrote again.")
    resolved(case)
    resolved(case, Case.State.CLOSED)  # resolved → closed is no new resolution
    assert Survey.objects.filter(case=case).count() == 1
    assert len(mail.outbox) == 1


def test_running_the_task_twice_sends_once(vendor, resolved):
    case = resolved(vendor.case)
    outcome = services.send_case_survey(case.pk)
    assert not outcome.sent and outcome.reason == "case: its survey went out already"
    assert len(mail.outbox) == 1


def test_no_survey_without_a_contact_email(vendor, resolved):
    Contact.objects.filter(pk=vendor.contact.pk).update(email="")
    resolved(vendor.case)
    assert not Survey.objects.exists() and not mail.outbox


def test_no_survey_for_a_case_without_a_contact(vendor, resolved, ap_team):
    case = desk.open_case(
        team=ap_team, subject="Question", requester_email="someone@unknown.example"
    )
    resolved(case)
    assert not Survey.objects.exists() and not mail.outbox


def test_no_survey_for_an_internal_case(vendor, resolved, ap_team):
    case = desk.open_case(
        team=ap_team,
        subject="Check the vendor master",
        channel=Case.Channel.INTERNAL,
        party=vendor.party,
        contact=vendor.contact,
    )
    resolved(case)
    assert not Survey.objects.exists() and not mail.outbox


def test_no_survey_for_a_merged_case(vendor, resolved, ap_team):
    other = open_case(ap_team, vendor.party, vendor.contact, subject="Same question")
    desk.merge(other, vendor.case)
    resolved(vendor.case)
    assert list(Survey.objects.values_list("case", flat=True)) == [vendor.case.pk]
    assert services.send_case_survey(other.pk).reason == "case: it is open again"


def test_a_case_reopened_before_the_task_runs_is_not_surveyed(vendor):
    desk.resolve(vendor.case)  # no commit in this test: the task has not run
    desk.change_state(vendor.case, Case.State.OPEN, "Reopened.")
    assert services.send_case_survey(vendor.case.pk).reason == "case: it is open again"
    assert not mail.outbox


def test_a_case_rated_in_the_portal_before_the_task_runs_is_not_surveyed(vendor):
    desk.resolve(vendor.case)
    services.rate_case(vendor.case, 5, who="Jan")
    assert services.send_case_survey(vendor.case.pk).reason == "case: the customer rated it already"
    assert not Survey.objects.exists()


def test_case_surveys_can_be_switched_off(vendor, resolved, rules):
    rules.case_surveys = False
    rules.save()
    resolved(vendor.case)
    assert not Survey.objects.exists() and not mail.outbox


def test_a_contact_who_prefers_the_portal_is_sent_to_its_rating_form(vendor, resolved):
    user = UserFactory(username="jan@acme.example", email="jan@acme.example")
    PortalAccount.objects.create(
        user=user, party=vendor.party, contact=vendor.contact, activated_at=timezone.now()
    )
    Contact.objects.filter(pk=vendor.contact.pk).update(preferred_channel="portal")
    resolved(vendor.case)
    [message] = mail.outbox
    assert links_in(message) == []
    assert f"/portal/cases/{vendor.case.reference}/#rate" in message.body
    assert Survey.objects.get().channel == Survey.Channel.PORTAL


def test_a_portal_preference_without_an_account_gets_the_email_links(vendor, resolved):
    Contact.objects.filter(pk=vendor.contact.pk).update(preferred_channel="portal")
    resolved(vendor.case)
    assert len(links_in(mail.outbox[0])) == 5
    assert Survey.objects.get().channel == Survey.Channel.EMAIL


# --- Throttle ------------------------------------------------------------------------------------


def _survey_sent(contact, days_ago):
    return Survey.objects.create(
        kind=Survey.Kind.RELATIONSHIP,
        party=contact.party,
        contact=contact,
        channel="email",
        email=contact.email,
        token="abcdefgh12345678",
        round="2026-Q3",
        sent_at=timezone.now() - timedelta(days=days_ago),
    )


def test_a_contact_surveyed_recently_is_not_surveyed_again_and_the_case_says_so(vendor, resolved):
    _survey_sent(vendor.contact, days_ago=10)
    case = resolved(vendor.case)
    assert not mail.outbox
    assert Survey.objects.filter(kind=Survey.Kind.CASE).count() == 0
    event = case.events.get(text__startswith="No survey sent")
    assert "at most once every 30 days" in event.text and "Jan de Vries" in event.text


def test_the_quiet_period_is_a_setting(vendor, resolved, rules):
    _survey_sent(vendor.contact, days_ago=10)
    rules.quiet_days = 7
    rules.save()
    resolved(vendor.case)
    assert len(mail.outbox) == 1


def test_after_the_quiet_period_the_contact_is_surveyed(vendor, resolved):
    _survey_sent(vendor.contact, days_ago=31)
    resolved(vendor.case)
    assert Survey.objects.filter(kind=Survey.Kind.CASE).count() == 1


def test_two_cases_of_one_contact_resolved_together_send_one_survey(vendor, resolved, ap_team):
    second = open_case(ap_team, vendor.party, vendor.contact, subject="And invoice 4412?")
    resolved(vendor.case)
    second = resolved(second)
    assert len(mail.outbox) == 1
    assert second.events.filter(text__startswith="No survey sent").exists()


def test_no_survey_when_the_customer_never_wrote_to_us(vendor, resolved, ap_team):
    """A reminder or proactive notice we sent and nobody answered: nothing to rate."""
    case = desk.open_case(
        team=ap_team, subject="Friendly reminder: invoice 4411", party=vendor.party,
        contact=vendor.contact,
    )  # fmt: skip
    resolved(case)
    assert not Survey.objects.filter(case=case).exists()
