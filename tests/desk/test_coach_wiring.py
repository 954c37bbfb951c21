"""The reply coach as the CLI command and the API endpoint the issue names."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

BAD = "Dear customer,\n\nThat's not our policy. Please be advised the invoice is late.\n"
CONTEXT = {
    "contact_name": "Jan de Vries",
    "invoices": [{"number": "4411", "amount": "1520.00", "currency": "EUR"}],
}


def test_the_api_reviews_a_reply(agent_client):
    response = agent_client.post(
        "/api/v1/coach/review", {"text": BAD, "context": CONTEXT}, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert 0 <= body["score"] < 100
    categories = {f["category"] for f in body["findings"]}
    assert {"greeting", "blame"} <= categories
    finding = next(f for f in body["findings"] if f["category"] == "blame")
    assert BAD[finding["start"] : finding["end"]].lower().startswith("that")


def test_the_api_names_a_bad_context_key(agent_client):
    response = agent_client.post(
        "/api/v1/coach/review",
        {"text": "Hi", "context": {"invoices": "nope"}},
        content_type="application/json",
    )
    assert response.status_code == 422 and "invoices" in response.json()["detail"]


def test_the_command_prints_json(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text(BAD)
    context = tmp_path / "context.json"
    context.write_text(json.dumps(CONTEXT))
    out = io.StringIO()
    call_command("coach", str(reply), "--context", str(context), "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["score"] < 100 and body["findings"]


def test_the_command_refuses_bad_context(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("Hello")
    context = tmp_path / "context.json"
    context.write_text("{not json")
    with pytest.raises(CommandError):
        call_command("coach", str(reply), "--context", str(context), stderr=io.StringIO())
