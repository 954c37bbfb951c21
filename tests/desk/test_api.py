import pytest
from django.core import mail
from django.test import Client

from ledgerdesk.core.models import ApiToken
from ledgerdesk.desk.models import Case
from tests.factories import ContactFactory, InvoiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(agent, ap_team):
    _, key = ApiToken.issue(agent, "test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.post_json = lambda url, data: client.post(url, data, content_type="application/json")
    return client


@pytest.fixture
def contact(db):
    return ContactFactory(email="jan@acme.example", name="Jan de Vries")


def test_create_read_reply_note_and_resolve(api, contact):
    InvoiceFactory(party=contact.party, number="4411")
    created = api.post_json(
        "/api/v1/cases",
        {
            "team": "ap",
            "subject": "Where is my payment?",
            "text": "Invoice 4411 is late",
            "contact_id": contact.pk,
            "invoice_numbers": ["4411"],
            "channel": "phone",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    reference = body["reference"]
    assert body["invoices"] == ["4411"] and body["tier"] == 3 and body["owner"] == "agent"
    assert {c["name"] for c in body["clocks"]} == {"acknowledge", "first_response", "resolution"}

    good = (
        "Dear Jan,\n\nThank you for your patience. Invoice 4411 was paid today by bank "
        "transfer; you will see it in your account by Friday.\n\nThank you for your "
        "business.\n\nKind regards,\nAgent"
    )
    reply = api.post_json(f"/api/v1/cases/{reference}/reply", {"text": good})
    assert reply.status_code == 201, reply.content
    from ledgerdesk.desk.models import Message

    assert Message.objects.get(direction="out", text=good).review["score"] >= 60
    assert mail.outbox[-1].to == ["jan@acme.example"]
    assert api.post_json(f"/api/v1/cases/{reference}/notes", {"text": "Called"}).status_code == 201
    resolved = api.post_json(f"/api/v1/cases/{reference}/state", {"state": "resolved"})
    assert resolved.json()["state"] == "resolved"
    detail = api.get(f"/api/v1/cases/{reference}").json()
    assert [m["direction"] for m in detail["messages"]] == ["out"]
    assert any(e["kind"] == "note" for e in detail["events"])


def test_list_filters(api, contact, ap_team):
    from ledgerdesk.desk import services

    services.open_case(team=ap_team, subject="a", contact=contact, party=contact.party)
    closed = services.open_case(team=ap_team, subject="b", requester_email="x@y.example")
    services.resolve(closed)
    assert api.get("/api/v1/cases?state=open").json()["count"] == 1
    assert api.get("/api/v1/cases?mine=true").json()["count"] == 2
    assert api.get(f"/api/v1/cases?party={contact.party_id}").json()["count"] == 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"team": "xx", "subject": "s", "requester_email": "a@b.example"}, "team: no team"),
        ({"team": "ap", "subject": "s"}, "requester_email"),
        (
            {"team": "ap", "subject": "s", "requester_email": "a@b.example", "category": "x"},
            "category",
        ),
        (
            {
                "team": "ap",
                "subject": "s",
                "requester_email": "a@b.example",
                "invoice_numbers": ["nope"],
            },
            "invoice_numbers: unknown nope",
        ),
    ],
)
def test_bad_input_names_the_field(api, payload, message):
    response = api.post_json("/api/v1/cases", payload)
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert Case.objects.count() == 0


def test_a_missing_field_is_named_by_validation(api):
    response = api.post_json("/api/v1/cases", {"team": "ap"})
    assert response.status_code == 422
    assert "subject" in str(response.json())


def test_illegal_state_change_is_422(api, ap_team):
    from ledgerdesk.desk import services

    case = services.open_case(team=ap_team, subject="a", requester_email="x@y.example")
    response = api.post_json(f"/api/v1/cases/{case.reference}/state", {"state": "flying"})
    assert response.status_code == 422 and "state" in response.json()["detail"]


def test_unknown_reference_is_404_and_no_token_is_401(api):
    assert api.get("/api/v1/cases/AP-2026-999999").status_code == 404
    assert Client().get("/api/v1/cases").status_code == 401


def test_openapi_lists_the_case_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/cases", "/api/v1/cases/{reference}", "/api/v1/cases/{reference}/reply"):
        assert path in paths


def test_a_reply_below_the_coach_threshold_needs_a_reason(api, contact, ap_team):
    from ledgerdesk.desk import services
    from ledgerdesk.desk.models import Message

    case = services.open_case(team=ap_team, subject="a", contact=contact, party=contact.party)
    rude = "Dear customer, that's not our policy. As per my last email, please be advised!!!"
    refused = api.post_json(f"/api/v1/cases/{case.reference}/reply", {"text": rude})
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("override_reason: the coach scores this reply")
    assert mail.outbox == []
    sent = api.post_json(
        f"/api/v1/cases/{case.reference}/reply",
        {"text": rude, "override_reason": "The vendor asked for this exact wording."},
    )
    assert sent.status_code == 201
    message = Message.objects.get(direction="out")
    assert message.review_override_reason == "The vendor asked for this exact wording."
    assert message.review["score"] < ap_team.coach_threshold
