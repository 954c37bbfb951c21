"""Running the watch: one proactive case per finding, never a second, resolution, settings."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Case, CaseEvent, Message
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.watch import services
from ledgerdesk.watch.models import CheckRun, CheckSetting, Finding
from ledgerdesk.watch.tasks import hourly_watch
from tests.watch.builders import NOW, mismatched, received_bill, suspected

pytestmark = pytest.mark.django_db
LATER = NOW + dt.timedelta(hours=1)


def by_check(outcomes):
    return {o.check: o for o in outcomes}


def test_a_vendor_facing_finding_opens_a_proactive_case_and_tells_the_vendor(ap_team, vendor):
    bill = mismatched(vendor, "F-1", kinds="price")
    outcome = by_check(services.run(["mismatch"], now=NOW))["mismatch"]
    assert (outcome.found, outcome.new, outcome.cases_opened, outcome.vendors_told) == (1, 1, 1, 1)
    case = Case.objects.get()
    assert case.team == ap_team and case.channel == Case.Channel.PROACTIVE
    assert case.party == vendor and list(case.invoices.all()) == [bill]
    assert case.category == "dispute" and case.contact.email == "claire@dupont.example"
    assert case.subject == "Invoice F-1: a difference from our order"
    assert case.first_response_at == NOW  # our message is the first word on the case
    [sent] = mail.outbox
    assert sent.to == ["claire@dupont.example"] and f"[{case.reference}]" in sent.subject
    assert sent.body.startswith("Dear Claire Dupont,")
    assert "Line 1: the price differs from order line 1." in sent.body
    [message] = case.messages.all()
    assert message.direction == Message.Direction.OUTBOUND and message.text == sent.body
    finding = Finding.objects.get()
    assert (finding.check_name, finding.key, finding.case, finding.invoice, finding.kind) == (
        "mismatch",
        f"invoice:{bill.pk}",
        case,
        bill,
        "price",
    )
    assert finding.vendor_told and finding.subject == bill.match


def test_an_internal_finding_is_a_note_for_the_team_and_mails_nobody(ap_team, vendor):
    received_bill(vendor, "F-1")
    outcome = by_check(services.run(["not_routed"], now=NOW))["not_routed"]
    assert (outcome.cases_opened, outcome.vendors_told) == (1, 0)
    case = Case.objects.get()
    assert not mail.outbox and not case.messages.exists()
    note = case.events.get(kind=CaseEvent.Kind.NOTE)
    assert note.text.startswith("For the team:\n\nHello team,")
    assert "is still not routed for approval" in note.text
    assert case.events.filter(text="Opened by the watch: Received but not routed for approval.")


def test_a_vendor_without_an_email_address_gets_a_note_saying_so(ap_team, silent_vendor):
    suspected(silent_vendor, "F-1", "F-l")
    outcome = by_check(services.run(["duplicate"], now=NOW))["duplicate"]
    assert (outcome.cases_opened, outcome.vendors_told) == (1, 0)
    assert not mail.outbox
    note = Case.objects.get().events.get(kind=CaseEvent.Kind.NOTE)
    assert "no e-mail address on file for the vendor" in note.text


def test_running_twice_opens_no_second_case(ap_team, vendor):
    received_bill(vendor, "F-1")
    mismatched(vendor, "F-2")
    suspected(vendor, "F-3", "F-E")
    first = services.run(now=NOW)
    assert sum(o.cases_opened for o in first) == 3
    second = services.run(now=LATER)
    assert sum(o.cases_opened for o in second) == 0
    assert sum(o.found for o in second) == 3
    assert Case.objects.count() == Finding.objects.count() == 3
    assert len(mail.outbox) == 2  # the mismatch and the duplicate, once each
    assert set(Finding.objects.values_list("last_seen", flat=True)) == {LATER}
    assert set(Finding.objects.values_list("first_seen", flat=True)) == {NOW}


def test_a_finding_that_goes_away_is_resolved_with_a_note_and_comes_back_reopened(ap_team, vendor):
    bill = received_bill(vendor, "F-1")
    services.run(["not_routed"], now=NOW)
    finding = Finding.objects.get()
    Invoice.objects.filter(pk=bill.pk).update(status=Invoice.Status.IN_APPROVAL)

    outcome = by_check(services.run(["not_routed"], now=LATER))["not_routed"]
    assert (outcome.found, outcome.resolved) == (0, 1)
    finding.refresh_from_db()
    assert finding.resolved_at == LATER
    assert finding.case.events.filter(text__startswith="The watch no longer sees this").exists()
    desk.resolve(finding.case, "Routed.")

    Invoice.objects.filter(pk=bill.pk).update(status=Invoice.Status.RECEIVED)
    outcome = by_check(services.run(["not_routed"], now=LATER + dt.timedelta(hours=1)))
    assert (outcome["not_routed"].reopened, outcome["not_routed"].cases_opened) == (1, 0)
    finding.refresh_from_db()
    assert finding.resolved_at is None
    assert finding.case.state == Case.State.OPEN
    assert Case.objects.count() == 1


def test_thresholds_come_from_the_lead_settings(ap_team, vendor):
    received_bill(vendor, "F-1", days_ago=6)  # a Thursday: late after 3 business days, not 4
    CheckSetting.objects.create(name="not_routed", thresholds={"days": 4})
    assert by_check(services.run(["not_routed"], now=NOW))["not_routed"].found == 0
    CheckSetting.objects.filter(name="not_routed").update(thresholds={"days": 3})
    assert by_check(services.run(["not_routed"], now=NOW))["not_routed"].found == 1


def test_a_disabled_check_does_nothing(ap_team, vendor):
    received_bill(vendor, "F-1")
    CheckSetting.objects.create(name="not_routed", enabled=False)
    outcomes = by_check(services.run(now=NOW))
    assert outcomes["not_routed"].skipped == "disabled"
    assert by_check(services.run(["not_routed"], now=NOW))["not_routed"].skipped == "disabled"
    assert not Case.objects.exists() and not Finding.objects.exists()
    assert not CheckRun.objects.filter(check_name="not_routed").exists()


def test_a_dry_run_counts_and_writes_nothing(ap_team, vendor):
    received_bill(vendor, "F-1")
    mismatched(vendor, "F-2")
    outcomes = by_check(services.run(dry_run=True, now=NOW))
    assert (outcomes["not_routed"].new, outcomes["mismatch"].new) == (1, 1)
    assert not Case.objects.exists() and not Finding.objects.exists()
    assert not CheckRun.objects.exists() and not mail.outbox


def test_each_run_is_recorded(ap_team, vendor):
    received_bill(vendor, "F-1")
    services.run(["not_routed"], now=NOW)
    run = CheckRun.objects.get()
    assert (run.check_name, run.found, run.new, run.cases_opened, run.started_at) == (
        "not_routed",
        1,
        1,
        1,
        NOW,
    )


def test_cases_are_spread_over_the_team(ap_team, vendor, lead):
    ap_team.members.add(lead)
    for n in range(4):
        received_bill(vendor, f"F-{n}")
    services.run(["not_routed"], now=NOW)
    owners = sorted(Case.objects.values_list("owner__username", flat=True))
    assert owners == ["agent", "agent", "lead", "lead"]


def test_without_an_ap_team_the_watch_says_so(vendor):
    with pytest.raises(services.WatchError, match="team: no team with code 'ap'"):
        services.run(now=NOW)


def test_the_hourly_task_runs_the_watch(ap_team, vendor):
    received_bill(vendor, "F-1", days_ago=30)
    result = hourly_watch.call_local()
    assert {r["check"]: r["cases_opened"] for r in result}["not_routed"] == 1


@pytest.mark.parametrize(
    ("thresholds", "message"),
    [
        (
            {"dayz": 3},
            "dayz: the check 'not_routed' has no such threshold (it has days, max_new_cases, reply",
        ),
        ({"days": "three"}, "days: must be a whole number from 1 to 60, not 'three'"),
        ({"days": 0}, "days: must be from 1 to 60, not 0"),
        ({"days": True}, "days: must be a whole number"),
        ([3], "thresholds: must be an object"),
    ],
)
def test_a_bad_threshold_is_a_clear_error_naming_it(db, thresholds, message):
    setting = CheckSetting(name="not_routed", thresholds=thresholds)
    with pytest.raises(ValidationError) as error:
        setting.full_clean()
    assert message in str(error.value.message_dict["thresholds"])


def test_a_bad_country_list_and_an_unknown_check_are_named(db):
    with pytest.raises(ValidationError, match="tax_form_countries: must be a list of two-letter"):
        CheckSetting(name="vendor_documents", thresholds={"tax_form_countries": "US"}).full_clean()
    with pytest.raises(ValidationError, match="'nope' is not a check of the watch"):
        CheckSetting(name="nope").full_clean()


def test_a_bad_threshold_saved_around_the_form_is_reported_and_the_rest_runs(ap_team, vendor):
    received_bill(vendor, "F-1")
    CheckSetting.objects.create(name="duplicate", thresholds={"min_score": 500})
    outcomes = by_check(services.run(now=NOW))
    assert outcomes["duplicate"].skipped == (
        "error: thresholds: min_score: must be from 0 to 100, not 500"
    )
    assert outcomes["not_routed"].cases_opened == 1
    assert CheckRun.objects.get(check_name="duplicate").error.startswith("error: thresholds")


def test_a_backlog_opens_at_most_max_new_cases_per_run_and_the_rest_next_time(ap_team, vendor):
    for n in range(5):
        received_bill(vendor, f"F-{n}")
    CheckSetting.objects.create(name="not_routed", thresholds={"max_new_cases": 2})
    first = by_check(services.run(["not_routed"], now=NOW))["not_routed"]
    assert (first.found, first.cases_opened, first.deferred) == (5, 2, 3)
    second = by_check(services.run(["not_routed"], now=LATER))["not_routed"]
    assert (second.cases_opened, second.deferred) == (2, 1)
    third = by_check(services.run(["not_routed"], now=LATER + dt.timedelta(hours=1)))
    assert (third["not_routed"].cases_opened, third["not_routed"].deferred) == (1, 0)
    assert Case.objects.count() == Finding.objects.count() == 5
