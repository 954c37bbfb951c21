import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from ledgerdesk.desk import canned, clocks, services
from ledgerdesk.desk.models import Case, CaseEvent, Message
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

MONDAY_10 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # 10:00 in Amsterdam


def _open(team, **kwargs):
    kwargs.setdefault("subject", "Where is my payment?")
    kwargs.setdefault("opened_at", MONDAY_10)
    return services.open_case(team=team, **kwargs)


def test_a_case_gets_a_reference_an_owner_a_tier_and_clocks(ap_team, agent):
    case = _open(ap_team, text="When will invoice 4411 be paid?")
    assert re.fullmatch(r"AP-2026-\d{6}", case.reference)
    assert case.owner == agent
    assert case.tier == 3 and case.tier_reason == "Tier 3: no criticality rule matched"
    assert case.category == "payment_status"
    assert set(case.sla_clocks) == {"acknowledge", "first_response", "resolution"}
    # Tier 3 defaults: first response in 16 business hours from Monday 10:00 → Wednesday 10:00.
    assert timezone.localtime(case.first_response_due).strftime("%a %H:%M") == "Wed 10:00"
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["system", "tier", "assigned"]


def test_references_count_up(ap_team):
    first, second = _open(ap_team), _open(ap_team)
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


def test_tier_follows_the_rules_and_shows_why(ap_team):
    party = PartyFactory(criticality="strategic")
    case = _open(ap_team, party=party)
    assert case.tier == 1
    assert case.tier_reason == "Tier 1: strategic party"
    invoice = InvoiceFactory(amount_open=Decimal("25000.00"), total_amount=Decimal("25000.00"))
    case = _open(ap_team, party=invoice.party, invoices=[invoice])
    assert case.tier == 2 and "25,000.00 EUR at stake" in case.tier_reason
    angry = _open(ap_team, text="This is the THIRD time I ask. Still waiting. Unacceptable!!")
    assert angry.tier == 2 and "frustrated message" in angry.tier_reason


def test_the_least_loaded_member_owns_a_new_case(ap_team, agent):
    other = UserFactory(username="agent2", role="Agent")
    ap_team.members.add(other)
    first, second = _open(ap_team), _open(ap_team)
    assert {first.owner, second.owner} == {agent, other}


def test_a_team_without_members_falls_back_to_its_lead(ap_team):
    ap_team.members.clear()
    assert _open(ap_team).owner == ap_team.lead


def test_reassigning_keeps_history(ap_team, lead):
    case = _open(ap_team)
    services.assign(case, lead, "Lead takes it over.")
    case.refresh_from_db()
    assert case.owner == lead
    event = case.events.filter(kind="assigned").last()
    assert event.text.startswith("Owner changed from Agent Morgan to Lead Morgan.")
    with pytest.raises(services.DeskError, match="always has an owner"):
        services.assign(case, None)


def test_waiting_on_the_customer_pauses_the_clocks(ap_team):
    case = _open(ap_team)
    due_before = case.resolution_due
    services.change_state(case, Case.State.WAITING_CUSTOMER, at=MONDAY_10 + dt.timedelta(hours=2))
    assert case.next_due is None
    assert all(
        c["state"] == "paused" for c in clocks.status(case, MONDAY_10 + dt.timedelta(hours=3))
    )
    services.change_state(case, Case.State.OPEN, at=MONDAY_10 + dt.timedelta(hours=26))
    # Paused for a whole working day: the deadline moved a working day later.
    assert case.resolution_due > due_before
    assert case.next_due is not None


def test_illegal_transitions_are_refused_in_words(ap_team):
    case = _open(ap_team)
    services.resolve(case)
    with pytest.raises(services.DeskError, match="cannot become waiting on customer"):
        services.change_state(case, Case.State.WAITING_CUSTOMER)


def test_a_resolved_case_reopens_when_the_customer_writes(ap_team):
    case = _open(ap_team)
    services.resolve(case, "Paid on 20 Nov.")
    services.record_inbound(
        case, Message(message_id="m1@x", subject="Re: still not here", text="?")
    )
    case.refresh_from_db()
    assert case.state == Case.State.OPEN and case.resolved_at is None
    assert "Reopened" in case.events.filter(kind="state").last().text


def test_outbound_meets_acknowledge_then_first_response(ap_team, agent):
    case = _open(ap_team)
    ack = Message(message_id="ack@x", text="We have it", at=MONDAY_10 + dt.timedelta(minutes=1))
    services.record_outbound(case, ack, acknowledgement=True)
    assert case.acknowledged_at and case.first_response_at is None
    reply = Message(message_id="r@x", text="Paid Friday", at=MONDAY_10 + dt.timedelta(hours=1))
    services.record_outbound(case, reply)
    status = {c["name"]: c["state"] for c in clocks.status(case, MONDAY_10 + dt.timedelta(hours=2))}
    assert status == {"acknowledge": "met", "first_response": "met", "resolution": "running"}
    assert case.state == Case.State.OPEN


def test_merge_moves_messages_and_invoices(ap_team):
    target, source = _open(ap_team), _open(ap_team)
    invoice = InvoiceFactory()
    source.invoices.add(invoice)
    services.record_inbound(source, Message(message_id="s1@x", subject="dup", text="same"))
    services.merge(source, target)
    source.refresh_from_db()
    assert source.state == Case.State.MERGED and source.merged_into == target
    assert target.messages.count() == 1 and invoice in target.invoices.all()
    with pytest.raises(services.DeskError):
        services.merge(target, target)


def test_invoices_stay_in_the_order_they_were_linked(ap_team):
    # A set of ids iterates roughly in ascending order; newest first must survive that.
    invoices = [InvoiceFactory() for _ in range(9)]
    chosen = invoices[:0:-1]
    case = _open(ap_team, invoices=chosen)
    assert canned.linked_invoices(case) == chosen
    services.link_invoices(case, [invoices[0], invoices[2]])  # one new, one already linked
    assert canned.linked_invoices(case) == [*chosen, invoices[0]]


def test_split_moves_chosen_messages_to_a_new_case(ap_team):
    contact = ContactFactory()
    case = _open(ap_team, party=contact.party, contact=contact)
    services.record_inbound(case, Message(message_id="a@x", subject="Payment", text="a"))
    other = services.record_inbound(
        case, Message(message_id="b@x", subject="Bank change", text="b")
    )
    new = services.split(case, [other], "Bank details change")
    assert new.split_from == case and new.party == contact.party
    assert list(new.messages.values_list("message_id", flat=True)) == ["b@x"]
    assert case.messages.count() == 1


def test_notes_are_on_the_timeline(ap_team):
    case = _open(ap_team)
    services.add_note(case, "Called the vendor, waiting for remittance.")
    assert case.events.filter(kind=CaseEvent.Kind.NOTE).get().text.startswith("Called")
    with pytest.raises(services.DeskError):
        services.add_note(case, "   ")
