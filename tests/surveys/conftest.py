"""Survey fixtures: a vendor of the AP team with a primary contact and an open case.

`resolved(case)` resolves a case the way an agent does and runs what the desk queues after
the commit (the survey task; tasks run inline in the tests)."""

from __future__ import annotations

import re
import uuid
from types import SimpleNamespace

import pytest
from django.core import mail

from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Case, Message
from ledgerdesk.surveys.models import SurveySettings
from tests.factories import ContactFactory, PartyFactory

LINK = re.compile(r"http://\S+/portal/s/(\S+)/")


def links_in(message) -> list[str]:
    """The survey link paths in an e-mail, in the order they appear."""
    return [f"/portal/s/{token}/" for token in LINK.findall(message.body)]


def open_case(team, party, contact, subject="Where is payment for 4411?"):
    """A case the contact opened by writing to us (a survey asks about what they asked)."""
    case = desk.open_case(
        team=team, subject=subject, party=party, contact=contact, requester_email=contact.email
    )
    desk.record_inbound(
        case,
        Message(
            message_id=f"<{uuid.uuid4().hex}@customer.example>",
            sender_name=contact.name,
            sender_email=contact.email,
            subject=subject,
            text=f"Hello, {subject.lower()} Thanks, {contact.name}",
        ),
    )
    return case


@pytest.fixture
def resolved(django_capture_on_commit_callbacks):
    def resolve(case, state=Case.State.RESOLVED):
        with django_capture_on_commit_callbacks(execute=True):
            desk.change_state(case, state, "Paid on the 27th.")
        case.refresh_from_db()
        return case

    return resolve


@pytest.fixture
def vendor(db, ap_team):
    party = PartyFactory(name="Acme Supplies BV", is_vendor=True)
    contact = ContactFactory(
        party=party, name="Jan de Vries", email="jan@acme.example", is_primary=True
    )
    case = open_case(ap_team, party, contact)
    mail.outbox.clear()
    return SimpleNamespace(party=party, contact=contact, case=case, team=ap_team)


@pytest.fixture
def rules(db):
    return SurveySettings.objects.create()
