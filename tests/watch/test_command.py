"""`ledgerdesk watch`: the summary, --check, --dry-run, and clear errors."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ledgerdesk.desk.models import Case
from ledgerdesk.watch.models import CheckSetting
from tests.watch.builders import mismatched, received_bill

pytestmark = pytest.mark.django_db


def watch(*args):
    out = StringIO()
    call_command("watch", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_runs_every_enabled_check_and_sums_up(ap_team, vendor):
    received_bill(vendor, "F-1", days_ago=30)
    mismatched(vendor, "F-2")
    CheckSetting.objects.create(name="vendor_documents", enabled=False)
    output = watch()
    lines = {line.split()[0]: line.split()[1:] for line in output.splitlines()[1:-1]}
    assert lines["not_routed"][:5] == ["1", "1", "1", "0", "0"]
    assert lines["mismatch"][:5] == ["1", "1", "1", "1", "0"]
    assert lines["vendor_documents"] == ["disabled"]
    assert output.splitlines()[-1] == (
        "6 check(s) run: 2 finding(s), opened 2 case(s), resolved 0."
    )
    again = watch()
    assert again.splitlines()[-1] == "6 check(s) run: 2 finding(s), opened 0 case(s), resolved 0."
    assert Case.objects.count() == 2


def test_check_runs_one_and_dry_run_writes_nothing(ap_team, vendor):
    received_bill(vendor, "F-1", days_ago=30)
    mismatched(vendor, "F-2")
    output = watch("--check", "mismatch", "--dry-run")
    assert "would open" in output.splitlines()[0]
    assert output.splitlines()[-1] == (
        "1 check(s) run: 1 finding(s), would open 1 case(s), resolved 0. "
        "Dry run: nothing was written."
    )
    assert not Case.objects.exists()
    assert watch("--check", "mismatch").splitlines()[-1].endswith("opened 1 case(s), resolved 0.")


def test_it_names_an_unknown_check_and_a_missing_team(db):
    with pytest.raises(CommandError, match="--check: 'nope' is not a check"):
        watch("--check", "nope")
    with pytest.raises(CommandError, match="team: no team with code 'ap'"):
        watch()


def test_a_failing_check_is_shown_and_the_command_fails(ap_team, vendor):
    received_bill(vendor, "F-1", days_ago=30)
    CheckSetting.objects.create(name="duplicate", thresholds={"min_score": 500})
    out = StringIO()
    with pytest.raises(CommandError, match="1 check\\(s\\) failed: duplicate"):
        call_command("watch", stdout=out, stderr=StringIO())
    assert re.search(r"\nduplicate +error: thresholds: min_score: must be from 0", out.getvalue())
    assert Case.objects.count() == 1  # the other checks ran
