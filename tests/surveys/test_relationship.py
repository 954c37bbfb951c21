"""Relationship surveys: once a quarter to each active party's primary contact, by the periodic
task or `ledgerdesk send-surveys`, never twice in a round, never inside the quiet period."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ledgerdesk.desk.models import Case
from ledgerdesk.surveys import rounds, services, tasks
from ledgerdesk.surveys.models import Survey
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties(vendor, ar_team):
    """Acme (vendor with a case), Cobalt (customer with a recent invoice), Dormant (nothing
    in the last year), Nobody (active, but no primary contact with an e-mail address)."""
    customer = PartyFactory(name="Cobalt Retail SA", is_vendor=False, is_customer=True)
    ContactFactory(party=customer, name="Chloé Martin", email="chloe@cobalt.example")
    ContactFactory(
        party=customer, name="Claire Primary", email="claire@cobalt.example", is_primary=True
    )
    InvoiceFactory(party=customer, issue_date=timezone.localdate() - timedelta(days=20))
    dormant = PartyFactory(name="Dormant Ltd")
    ContactFactory(party=dormant, email="d@dormant.example", is_primary=True)
    InvoiceFactory(party=dormant, issue_date=timezone.localdate() - timedelta(days=400))
    nobody = PartyFactory(name="Nobody GmbH")
    ContactFactory(party=nobody, email="", is_primary=True)
    ContactFactory(party=nobody, email="not-primary@nobody.example")
    InvoiceFactory(party=nobody, issue_date=timezone.localdate())
    return vendor, customer


def test_each_active_partys_primary_contact_gets_one(parties):
    summary = services.send_relationship_surveys()
    assert sorted(m.to[0] for m in mail.outbox) == ["claire@cobalt.example", "jan@acme.example"]
    assert (summary.parties, summary.sent, summary.no_contact, summary.throttled) == (3, 2, 1, 0)
    surveys = Survey.objects.order_by("party__name")
    assert [(s.party.name, s.kind, s.round) for s in surveys] == [
        ("Acme Supplies BV", "relationship", rounds.round_of(timezone.localdate())),
        ("Cobalt Retail SA", "relationship", rounds.round_of(timezone.localdate())),
    ]
    # The answer is for the AP team (vendor) or the AR team (customer).
    assert [s.team.code for s in surveys] == ["ap", "ar"]
    assert all(s.case is None and s.channel == "email" for s in surveys)


def test_the_task_is_idempotent(parties):
    tasks.relationship_surveys.call_local()
    first = list(Survey.objects.values_list("pk", flat=True))
    sent = len(mail.outbox)
    assert sent == 2
    tasks.relationship_surveys.call_local()
    assert list(Survey.objects.values_list("pk", flat=True)) == first
    assert len(mail.outbox) == sent


def test_the_next_round_asks_again(parties):
    services.send_relationship_surveys()
    later = timezone.now() + timedelta(days=95)
    summary = services.send_relationship_surveys(now=later)
    assert summary.round != rounds.round_of(timezone.localdate())
    assert summary.sent == 2 and Survey.objects.count() == 4


def test_the_command_summarises_and_a_dry_run_sends_nothing(parties):
    out = StringIO()
    call_command("send_surveys", "--dry-run", stdout=out)
    line = out.getvalue().strip()
    assert "3 active parties, would send 2" in line
    assert "1 skipped (no primary contact with an e-mail address)" in line
    assert not mail.outbox and not Survey.objects.exists()
    out = StringIO()
    call_command("send_surveys", stdout=out)
    assert "sent 2, 0 already surveyed this round" in out.getvalue()
    out = StringIO()
    call_command("send_surveys", stdout=out)
    assert "sent 0, 2 already surveyed this round" in out.getvalue()
    assert len(mail.outbox) == 2


def test_a_contact_surveyed_recently_is_skipped_and_counted(parties, resolved):
    vendor, _ = parties
    resolved(vendor.case)  # Jan gets the case survey
    mail.outbox.clear()
    summary = services.send_relationship_surveys()
    assert (summary.sent, summary.throttled) == (1, 1)
    assert [m.to for m in mail.outbox] == [["claire@cobalt.example"]]
    assert "1 skipped (surveyed within the quiet period)" in summary.line()
    # Once the quiet period is over, a later run in the same round reaches Jan.
    later = timezone.now() + timedelta(days=31)
    if rounds.round_of(timezone.localdate(later)) == summary.round:
        assert services.send_relationship_surveys(now=later).sent == 1


def test_a_relationship_survey_holds_back_the_case_survey(parties, resolved):
    vendor, _ = parties
    services.send_relationship_surveys()
    mail.outbox.clear()
    case = resolved(vendor.case)
    assert not mail.outbox
    assert case.events.filter(text__startswith="No survey sent").exists()


def test_a_contact_primary_for_two_parties_is_asked_once(parties, ar_team):
    vendor, _ = parties
    sister = PartyFactory(name="Acme Trading BV")
    vendor.contact.pk = None  # the same person and address, on file for the sister company
    vendor.contact.party = sister
    vendor.contact.save()
    InvoiceFactory(party=sister, issue_date=timezone.localdate())
    summary = services.send_relationship_surveys()
    assert (summary.sent, summary.throttled) == (2, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["claire@cobalt.example", "jan@acme.example"]


def test_relationship_surveys_can_be_switched_off(parties, rules):
    rules.relationship_surveys = False
    rules.save()
    assert services.send_relationship_surveys().sent == 0
    assert not mail.outbox


def test_a_mail_server_refusal_keeps_nothing_and_counts_it(parties, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    summary = services.send_relationship_surveys()
    assert (summary.sent, summary.failed) == (0, 2)
    assert not Survey.objects.exists()


def test_an_old_case_does_not_make_a_party_active(vendor):
    Case.objects.filter(pk=vendor.case.pk).update(
        opened_at=timezone.make_aware(dt.datetime(2020, 1, 1))
    )
    assert services.send_relationship_surveys().parties == 0


def test_a_dry_run_costs_the_same_few_queries_for_any_number_of_parties(
    parties, django_assert_max_num_queries
):
    # the rules, the active parties, this round's surveys, the primary contacts, the latest
    # survey per address, the teams
    with django_assert_max_num_queries(6):
        assert services.send_relationship_surveys(dry_run=True).sent == 2
    for n in range(10):
        party = PartyFactory(name=f"Extra {n}")
        ContactFactory(party=party, email=f"extra{n}@vendor.example", is_primary=True)
        InvoiceFactory(party=party, issue_date=timezone.localdate())
    with django_assert_max_num_queries(6):
        assert services.send_relationship_surveys(dry_run=True).sent == 12
