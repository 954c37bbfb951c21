import csv
import io
import json

import pytest
from django.core.management import call_command

from ledgerdesk.mail.inbound import ingest
from tests.mail.test_ingest import _mail

pytestmark = pytest.mark.django_db


def _export(fmt):
    out = io.StringIO()
    call_command("export", "cases", "--format", fmt, stdout=out)
    return out.getvalue()


def test_cases_export_with_messages(ap_team):
    case = ingest(_mail(), "t").case
    data = json.loads(_export("json"))
    [row] = data
    assert row["reference"] == case.reference
    assert row["contact_email"] == "jan@acme.example"
    assert row["tier"] == 3 and row["tier_reason"].startswith("Tier 3")
    assert row["first_response_due"] and row["owner"] == "agent"
    assert [m["direction"] for m in row["messages"]] == ["in", "out"]
    assert row["messages"][0]["sender"] == "jan@acme.example"
    assert "when is 4411 paid" in row["messages"][0]["text"]


def test_cases_csv_puts_messages_in_one_readable_cell(ap_team):
    ingest(_mail(), "t")
    [row] = list(csv.DictReader(io.StringIO(_export("csv"))))
    assert "sender: jan@acme.example" in row["messages"]
    assert "attachments: " in row["messages"]
