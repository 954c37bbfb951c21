"""The weekly digest to each team lead: content, once per week, dry run, command, task."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from ledgerdesk.insights import tasks
from ledgerdesk.insights.digest import send_digests, week_before
from ledgerdesk.insights.models import DigestSent

MONDAY = dt.date(2026, 11, 16)  # the digest reports on 9-15 November


def test_week_before():
    assert week_before(MONDAY) == (dt.date(2026, 11, 9), dt.date(2026, 11, 15))
    assert week_before(dt.date(2026, 11, 22)) == (dt.date(2026, 11, 9), dt.date(2026, 11, 15))


def test_each_lead_gets_their_teams_figures(desk_data, ap_team):
    outcomes = send_digests(MONDAY)
    assert [(o.team, o.status) for o in outcomes] == [
        ("Accounts Payable", "sent"),
        ("Accounts Receivable", "no lead"),
    ]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ap_team.lead.email]
    assert message.subject == "Accounts Payable: your week of 09 Nov to 15 Nov 2026"
    assert "Cases opened: 2" in message.body  # c5 and c6
    assert "Reopened: 1 of 1 resolved" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "<img" not in html  # inline bars only, nothing to fetch
    assert "width:100%" in html  # the largest category's bar
    assert "/insights/?team=ap&amp;from=2026-11-09&amp;to=2026-11-15" in html


def test_a_digest_goes_once_per_team_and_week(desk_data):
    send_digests(MONDAY)
    again = send_digests(MONDAY + dt.timedelta(days=2))
    assert again[0].status == "already sent"
    assert len(mail.outbox) == 1
    assert DigestSent.objects.count() == 1
    send_digests(MONDAY + dt.timedelta(weeks=1))
    assert len(mail.outbox) == 2


def test_dry_run_sends_and_records_nothing(desk_data):
    outcomes = send_digests(MONDAY, dry_run=True)
    assert outcomes[0].status == "would send"
    assert mail.outbox == []
    assert not DigestSent.objects.exists()


def test_the_command(desk_data, capsys):
    call_command("send_digest", "--dry-run", "--today", "2026-11-16")
    out = capsys.readouterr().out
    assert "Week 09 Nov to 15 Nov 2026" in out
    assert "Accounts Payable: would send to ap-lead@hub.example" in out
    call_command("send_digest", "--today", "2026-11-16")
    call_command("send_digest", "--today", "2026-11-16")
    assert "Accounts Payable: already sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_command_names_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today: 'monday' is not a date"):
        call_command("send_digest", "--today", "monday")


def test_the_periodic_task_is_idempotent(ap_team):
    tasks.weekly_digest.call_local()
    tasks.weekly_digest.call_local()
    assert len(mail.outbox) == 1
