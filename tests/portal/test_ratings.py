"""A party rates a resolved case once; the rating lands on the agents' timeline, and a low one
asks for a follow-up."""

from __future__ import annotations

import pytest

from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import CaseEvent
from ledgerdesk.portal.models import CaseRating

pytestmark = pytest.mark.django_db


def _url(case):
    return f"/portal/cases/{case.reference}/"


def _rate(client, case, rating, comment=""):
    return client.post(_url(case), {"action": "rate", "rating": rating, "comment": comment})


def _field(html, name, end="</fieldset>"):
    part = html[html.index(f'id="field-{name}"') :]
    return part[: part.index(end)]


def test_a_resolved_case_shows_the_form_and_takes_a_rating(world):
    case = world.a.case
    assert 'id="rate"' not in world.a.client.get(_url(case)).content.decode()
    desk.resolve(case, "Paid on the 27th.")
    assert 'id="rate"' in world.a.client.get(_url(case)).content.decode()
    response = _rate(world.a.client, case, 4, "  Quick answer, thanks. ")
    assert response.status_code == 302 and response["Location"] == _url(case)
    rating = CaseRating.objects.get(case=case)
    assert (rating.rating, rating.comment, rating.account) == (
        4,
        "Quick answer, thanks.",
        world.a.account,
    )
    html = world.a.client.get(_url(case)).content.decode()
    assert 'id="rate"' not in html and "You rated how we helped you 4 out of 5." in html
    assert "Quick answer, thanks." in html


def test_the_rating_is_on_the_timeline_by_the_portal_user(world):
    case = world.a.case
    desk.change_state(case, "closed")
    _rate(world.a.client, case, 5, "Great")
    event = case.events.get(text__startswith="Rated")
    assert event.kind == CaseEvent.Kind.SYSTEM
    assert event.text == f"Rated 5/5 by {world.a.contact.name}: Great"
    assert event.actor == world.a.account.user
    assert not case.events.filter(text="Low rating: follow up").exists()
    other = world.b.case
    desk.resolve(other)
    _rate(world.b.client, other, 3)
    assert other.events.filter(text=f"Rated 3/5 by {world.b.contact.name}.").exists()


def test_a_low_rating_adds_an_internal_note(world):
    case = world.a.case
    desk.resolve(case)
    _rate(world.a.client, case, 2, "Took three weeks.")
    note = case.events.get(text="Low rating: follow up")
    assert note.kind == CaseEvent.Kind.NOTE


def test_an_open_case_cannot_be_rated(world):
    case = world.a.case
    response = _rate(world.a.client, case, 5)
    assert response.status_code == 400
    html = response.content.decode()
    assert "you can rate this once we have resolved it" in _field(html, "rating")
    assert not CaseRating.objects.exists()
    assert not case.events.filter(text__startswith="Rated").exists()


def test_a_case_is_rated_only_once(world):
    case = world.a.case
    desk.resolve(case)
    assert _rate(world.a.client, case, 5).status_code == 302
    again = _rate(world.a.client, case, 1, "changed my mind")
    assert again.status_code == 400
    assert "you have already rated this" in again.content.decode()
    assert CaseRating.objects.get(case=case).rating == 5
    assert case.events.filter(text__startswith="Rated").count() == 1
    assert not case.events.filter(text="Low rating: follow up").exists()


def test_a_rating_out_of_range_is_refused_next_to_the_field(world):
    case = world.a.case
    desk.resolve(case)
    for bad in ("0", "6", "", "five"):
        response = _rate(world.a.client, case, bad)
        assert response.status_code == 400
        assert 'class="error"' in _field(response.content.decode(), "rating")
    assert not CaseRating.objects.exists()


def test_another_partys_case_cannot_be_rated(world):
    case = world.b.case
    desk.resolve(case)
    assert _rate(world.a.client, case, 1).status_code == 404
    assert _rate(world.c.client, case, 1).status_code == 404
    assert not CaseRating.objects.exists()
    assert not case.events.filter(text__startswith="Rated").exists()
