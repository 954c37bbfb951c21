"""Follow-up tasks: set on a party, case or invoice; done and snoozed by their owner; due ones
in a once-a-day digest e-mail."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from ledgerdesk.core.models import AuditEntry
from ledgerdesk.creditcontrol import services
from ledgerdesk.creditcontrol.common import CreditControlError
from ledgerdesk.creditcontrol.models import DigestSent, FollowUp
from ledgerdesk.desk import services as desk
from tests.creditcontrol.conftest import ar_invoice
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _task(owner, subject, days=0, **kw):
    kw.setdefault("kind", FollowUp.Kind.PROMISED_PAYMENT)
    kw.setdefault("note", "They promised to pay on Friday")
    return services.set_follow_up(
        owner=owner, due_on=timezone.localdate() + dt.timedelta(days=days), **subject, **kw
    )


def test_a_follow_up_on_an_invoice_knows_its_party(customer, agent):
    invoice = ar_invoice(customer)
    task = _task(agent, {"invoice": invoice})
    assert task.party == customer and task.state == FollowUp.State.OPEN
    assert AuditEntry.objects.filter(object_type="creditcontrol.followup", action="create").exists()


def test_a_follow_up_on_a_case_leaves_a_note_on_its_timeline(customer, agent, ar_team):
    case = desk.open_case(team=ar_team, subject="Invoice query", party=customer,
                          requester_email="jan@brightside.example")  # fmt: skip
    _task(agent, {"case": case}, days=2, kind=FollowUp.Kind.DOCUMENTS_REQUESTED,
          note="Proof of delivery asked for")  # fmt: skip
    assert case.events.filter(text__contains="Proof of delivery asked for").exists()


@pytest.mark.parametrize(
    "subject, kw, message",
    [
        ({}, {}, "^party: a follow-up is about"),
        ("party", {"note": " "}, "^note: "),
        ("party", {"kind": "gossip"}, "^kind: "),
    ],
)
def test_bad_input_names_the_field(customer, agent, subject, kw, message):
    subject = {"party": customer} if subject == "party" else subject
    with pytest.raises(CreditControlError, match=message):
        _task(agent, subject, **kw)
    assert FollowUp.objects.count() == 0


def test_done_and_snooze_by_the_owner_only(customer, agent):
    task = _task(agent, {"party": customer})
    other = UserFactory(username="other-agent", role="Agent")
    with pytest.raises(CreditControlError, match="^owner: "):
        services.mark_done(task, other)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    services.snooze(task, agent, tomorrow)
    task.refresh_from_db()
    assert task.due_on == tomorrow and task.snoozed == 1
    with pytest.raises(CreditControlError, match="^until: "):
        services.snooze(task, agent, timezone.localdate())
    services.mark_done(task, agent)
    task.refresh_from_db()
    assert task.state == FollowUp.State.DONE and task.done_at is not None
    with pytest.raises(CreditControlError, match="^state: "):
        services.mark_done(task, agent)


def test_a_lead_may_close_a_colleagues_task(customer, agent, lead):
    task = _task(agent, {"party": customer})
    services.mark_done(task, lead)
    task.refresh_from_db()
    assert task.state == FollowUp.State.DONE


def test_digest_goes_once_a_day_to_each_agent_with_due_tasks(customer, agent, lead):
    _task(agent, {"party": customer}, days=-2, note="Promised last week")
    _task(agent, {"party": customer}, note="Due today")
    _task(agent, {"party": customer}, days=3, note="Not yet")
    _task(lead, {"party": customer}, days=1, note="Lead's tomorrow")
    done = _task(lead, {"party": customer}, note="Already done")
    services.mark_done(done, lead)

    assert services.send_digests() == 1
    [digest] = mail.outbox
    assert digest.to == ["agent@hub.example"]
    assert digest.subject == "Your follow-ups due today: 2"
    assert "Promised last week" in digest.body and "Due today" in digest.body
    assert "Not yet" not in digest.body

    # Idempotent: a second run the same day sends nothing.
    assert services.send_digests() == 0
    assert len(mail.outbox) == 1 and DigestSent.objects.count() == 1
    # The next day both have something due.
    assert services.send_digests(timezone.localdate() + dt.timedelta(days=1)) == 2


def test_digest_task_is_idempotent(customer, agent):
    from ledgerdesk.creditcontrol import tasks

    _task(agent, {"party": customer})
    tasks.follow_up_digest.call_local()
    tasks.follow_up_digest.call_local()
    assert len(mail.outbox) == 1


def test_a_follow_up_cannot_mix_two_customers(customer, agent):
    """Another customer's invoice under this party would show its note on the wrong page."""
    from tests.factories import PartyFactory

    other = PartyFactory(name="Other Customer BV", is_customer=True)
    invoice = ar_invoice(other, number="OTHER-1")
    with pytest.raises(CreditControlError, match="^invoice: it belongs to another party"):
        _task(agent, {"party": customer, "invoice": invoice})
    assert FollowUp.objects.count() == 0


def test_a_digest_for_someone_without_an_email_is_logged_not_silent(customer, agent, caplog):
    agent.email = ""
    agent.save()
    _task(agent, {"party": customer})
    assert services.send_digests() == 0
    assert "has no e-mail address" in caplog.text
