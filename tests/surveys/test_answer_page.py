"""The page a survey link opens: GET shows the clicked rating and records nothing; POST records
it once, into the case's single CaseRating that the portal's form writes too."""

from __future__ import annotations

import time

import pytest
from django.core import mail, signing
from django.utils import timezone

from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Case, CaseEvent
from ledgerdesk.portal.models import CaseRating
from ledgerdesk.surveys import rounds, services
from ledgerdesk.surveys.models import Survey
from tests.portal.conftest import make_account, signed_in
from tests.surveys.conftest import links_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def links(vendor, resolved):
    """The five links of the vendor's case survey: {rating: path}."""
    resolved(vendor.case)
    return dict(zip((5, 4, 3, 2, 1), links_in(mail.outbox[0]), strict=True))


def test_a_get_shows_the_clicked_rating_and_records_nothing(client, vendor, links):
    response = client.get(links[4])
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="4" required id="id_rating_1" checked' in html  # pre-selected, not sent
    assert "<button" in html and "Send" in html and 'name="comment"' in html
    assert vendor.case.reference in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-cache" in response["Cache-Control"]
    for path in links.values():  # a mail scanner opening every link changes nothing
        assert client.get(path).status_code == 200
    assert not CaseRating.objects.exists()
    assert Survey.objects.get().answered_at is None
    assert not vendor.case.events.filter(text__startswith="Rated").exists()


def test_a_post_records_the_rating_and_the_comment(client, vendor, links):
    response = client.post(links[4], {"rating": "4", "comment": "  Quick and clear. "})
    assert response.status_code == 302 and response["Location"] == links[4]
    rating = CaseRating.objects.get(case=vendor.case)
    assert (rating.rating, rating.comment, rating.account) == (4, "Quick and clear.", None)
    survey = Survey.objects.get()
    assert (survey.rating, survey.comment) == (4, "Quick and clear.")
    assert survey.answered_at == rating.at
    event = vendor.case.events.get(text__startswith="Rated")
    assert event.text == "Rated 4/5 by Jan de Vries: Quick and clear."
    assert event.kind == CaseEvent.Kind.SYSTEM
    assert event.actor is None and event.actor_label == "survey link (jan@acme.example)"
    thanks = client.get(links[4]).content.decode()
    assert "You told us 4 out of 5" in thanks and "Quick and clear." in thanks


def test_the_customer_may_change_the_clicked_rating_before_sending(client, vendor, links):
    client.post(links[5], {"rating": "3", "comment": ""})
    assert CaseRating.objects.get().rating == 3
    assert vendor.case.events.filter(text="Rated 3/5 by Jan de Vries.").exists()


def test_a_second_answer_is_refused_politely(client, vendor, links):
    client.post(links[5], {"rating": "5"})
    again = client.post(links[1], {"rating": "1", "comment": "changed my mind"})
    assert again.status_code == 409
    html = again.content.decode()
    assert "You have already answered this survey" in html and "You told us 5 out of 5" in html
    assert CaseRating.objects.get().rating == 5
    assert Survey.objects.get().rating == 5
    assert vendor.case.events.filter(text__startswith="Rated").count() == 1
    assert not Case.objects.filter(channel=Case.Channel.INTERNAL).exists()  # no follow-up


def test_a_rating_out_of_range_is_refused_next_to_the_field(client, links):
    for bad in ("0", "6", "", "five"):
        response = client.post(links[3], {"rating": bad})
        assert response.status_code == 400
        assert 'class="error"' in response.content.decode()
    assert not CaseRating.objects.exists()


def test_a_tampered_link_is_gone(client, links):
    path = links[4]
    token = path.split("/")[3]
    forged = rounds.pack(rounds.LinkPayload(Survey.objects.get().pk, 1, "x" * 16))
    for bad in (
        path[:-3] + ("A" if path[-3] != "A" else "B") + "/",  # last character of the signature
        path.replace("/s/", "/s/1"),
        f"/portal/s/{token.replace('.4.', '.1.', 1)}/",  # another rating, same signature
        f"/portal/s/{signing.TimestampSigner(salt=services.LINK_SALT).sign(forged)}/",
        "/portal/s/nonsense/",
    ):
        response = client.get(bad)
        assert response.status_code == 404, bad
        assert "This link does not work" in response.content.decode()
        assert client.post(bad, {"rating": "1"}).status_code == 404
    assert not CaseRating.objects.exists()


class _SignedLongAgo(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 31 * 24 * 3600)


def test_an_expired_link_is_gone(client, vendor, links, rules):
    survey = Survey.objects.get()
    payload = rounds.pack(rounds.LinkPayload(survey.pk, 4, survey.token))
    old = _SignedLongAgo(salt=services.LINK_SALT).sign(payload)
    assert client.get(f"/portal/s/{old}/").status_code == 404
    assert client.post(f"/portal/s/{old}/", {"rating": "4"}).status_code == 404
    rules.link_days = 40  # the lifetime is a setting: the same link works for longer
    rules.save()
    assert client.get(f"/portal/s/{old}/").status_code == 200
    assert not CaseRating.objects.exists()


def test_a_voided_token_is_gone(client, links):
    Survey.objects.update(token="another-token-123")
    assert client.get(links[4]).status_code == 404


def test_a_case_open_again_cannot_be_rated_from_the_link(client, vendor, links):
    desk.change_state(vendor.case, Case.State.OPEN, "The customer wrote again.")
    html = client.get(links[4]).content.decode()
    assert "We are working on this question again" in html and "<form" not in html
    response = client.post(links[4], {"rating": "4"})
    assert response.status_code == 400
    assert "We are working on this question again" in response.content.decode()
    assert not CaseRating.objects.exists()


# --- One record for the portal and the e-mail ----------------------------------------------------


def _portal_rate(client, case, rating, comment=""):
    url = f"/portal/cases/{case.reference}/"
    return client.post(url, {"action": "rate", "rating": rating, "comment": comment})


def test_after_the_email_answer_the_portal_shows_it_and_refuses_another(client, vendor, links):
    client.post(links[4], {"rating": "4", "comment": "Fine"})
    portal = signed_in(make_account(vendor.contact))
    html = portal.get(f"/portal/cases/{vendor.case.reference}/").content.decode()
    assert "You rated how we helped you 4 out of 5." in html and 'id="rate"' not in html
    refused = _portal_rate(portal, vendor.case, 1)
    assert refused.status_code == 400
    assert "you have already rated this" in refused.content.decode()
    assert CaseRating.objects.get().rating == 4
    assert CaseRating.objects.count() == 1


def test_after_the_portal_rating_the_link_says_thank_you_and_refuses(client, vendor, links):
    account = make_account(vendor.contact)
    assert _portal_rate(signed_in(account), vendor.case, 5, "Great").status_code == 302
    survey = Survey.objects.get()
    assert (survey.rating, survey.comment, survey.answered_at is not None) == (5, "Great", True)
    rating = CaseRating.objects.get()
    assert rating.account == account
    page = client.get(links[2])
    assert page.status_code == 200 and "You told us 5 out of 5" in page.content.decode()
    assert "<form" not in page.content.decode()
    assert client.post(links[2], {"rating": "2"}).status_code == 409
    assert CaseRating.objects.get().rating == 5


def test_two_answers_racing_leave_one_rating(vendor, links):
    survey = Survey.objects.get()
    services.answer(survey, 3)
    stale = Survey.objects.get()
    stale.answered_at = None  # a copy read before the first answer was saved
    with pytest.raises(services.SurveyError, match="already rated"):
        services.answer(stale, 1)
    assert CaseRating.objects.get().rating == 3


# --- Relationship surveys ------------------------------------------------------------------------


def test_a_relationship_survey_records_its_answer_and_frustration(client, vendor, ap_team):
    services.send_relationship_surveys()
    [message] = mail.outbox
    assert message.subject == "How easy is it to work with us?"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.from_email == "Accounts Payable <ap@hub.example>"
    links = links_in(message)
    assert len(links) == 5
    html = client.get(links[1]).content.decode()
    assert "How easy is it to work with us?" in html and "What frustrates you?" in html
    assert Survey.objects.get().answered_at is None
    response = client.post(links[1], {"rating": "4", "comment": "Remittance advice is late."})
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert (survey.kind, survey.rating, survey.comment) == (
        "relationship",
        4,
        "Remittance advice is late.",
    )
    assert survey.answered_at is not None and survey.answered_at <= timezone.now()
    assert not CaseRating.objects.exists()
    assert client.post(links[0], {"rating": "5"}).status_code == 409
    assert Survey.objects.get().rating == 4
