"""Payment arrangements: instalments that add up, tracked against payments; a missed one
(past its grace in working days) marks the arrangement and opens one follow-up."""

import datetime as dt
from decimal import Decimal

import pytest

from ledgerdesk.creditcontrol import arrangements, services
from ledgerdesk.creditcontrol.common import CreditControlError
from ledgerdesk.creditcontrol.models import FollowUp, PaymentArrangement
from ledgerdesk.ledger import services as ledger
from ledgerdesk.ledger.models import Direction, Payment
from tests.creditcontrol.conftest import ar_invoice

pytestmark = pytest.mark.django_db
WEEKDAYS = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
AGREED = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture
def invoice(customer):
    return ar_invoice(customer, amount="900.00", due=dt.date(2026, 10, 1))


def _arrangement(customer, invoice, agent, instalments=None, amount="900.00"):
    instalments = instalments or [
        (dt.date(2026, 11, 6), Decimal("300.00")),
        (dt.date(2026, 12, 4), Decimal("300.00")),
        (dt.date(2027, 1, 8), Decimal("300.00")),
    ]
    return services.create_arrangement(
        party=customer, invoices=[invoice], amount_agreed=Decimal(amount),
        instalments=instalments, owner=agent, agreed_on=AGREED,
    )  # fmt: skip


def _pay(customer, invoice, amount, day):
    payment = Payment.objects.create(direction=Direction.RECEIVABLE, party=customer, date=day,
                                     amount=Decimal(amount), currency="EUR")  # fmt: skip
    ledger.allocate(payment, invoice, Decimal(amount))


def test_instalments_must_add_up_to_the_amount_agreed(customer, invoice, agent):
    with pytest.raises(CreditControlError, match="^instalments: they add up to 600.00, not to"):
        _arrangement(customer, invoice, agent,
                     [(dt.date(2026, 11, 6), Decimal("300.00")),
                      (dt.date(2026, 12, 4), Decimal("300.00"))])  # fmt: skip
    assert PaymentArrangement.objects.count() == 0


def test_amount_agreed_cannot_exceed_what_is_open(customer, invoice, agent):
    with pytest.raises(CreditControlError, match="^amount_agreed: the invoices have only"):
        _arrangement(customer, invoice, agent, [(dt.date(2026, 11, 6), Decimal("1000"))], "1000")


def test_console_lines_are_parsed_with_the_line_named():
    assert arrangements.parse_instalments("2026-12-01 400.00\n\n2027-01-01 1,200.50") == [
        (dt.date(2026, 12, 1), Decimal("400.00")),
        (dt.date(2027, 1, 1), Decimal("1200.50")),
    ]
    with pytest.raises(CreditControlError, match="^instalments: line 2: '01/12/2026' is not"):
        arrangements.parse_instalments("2026-12-01 400\n01/12/2026 300")


def test_paid_instalments_keep_it_on_track(customer, invoice, agent):
    arrangement = _arrangement(customer, invoice, agent)
    _pay(customer, invoice, "300.00", dt.date(2026, 11, 5))
    assert arrangements.check(arrangement, dt.date(2026, 11, 20)) == "on_track"
    assert FollowUp.objects.count() == 0


def test_grace_is_counted_in_working_days(customer, invoice, agent):
    arrangement = _arrangement(customer, invoice, agent)
    # Due Friday 6 Nov, grace 3 working days: Wednesday 11 Nov is the last day of grace.
    assert arrangements.check(arrangement, dt.date(2026, 11, 11)) == "on_track"
    assert arrangements.check(arrangement, dt.date(2026, 11, 12)) == "missed"


def test_a_missed_instalment_opens_one_follow_up_and_twice_changes_nothing(
    customer, invoice, agent
):
    arrangement = _arrangement(customer, invoice, agent)
    day = dt.date(2026, 11, 20)
    assert services.check_arrangements(day) == {"missed": 1}
    task = FollowUp.objects.get()
    assert task.owner == agent and task.kind == "missed_instalment"
    assert "EUR 300.00 due 06 Nov 2026" in task.note
    services.check_arrangements(day)
    assert FollowUp.objects.count() == 1
    task.refresh_from_db()
    arrangement.refresh_from_db()
    assert arrangement.status == "missed"
    # The customer catches up: back on track, the task stays for the owner to close.
    _pay(customer, invoice, "300.00", dt.date(2026, 11, 21))
    assert arrangements.check(arrangement, dt.date(2026, 11, 23)) == "on_track"


def test_fully_paid_completes_it(customer, invoice, agent):
    arrangement = _arrangement(customer, invoice, agent)
    _pay(customer, invoice, "900.00", dt.date(2026, 11, 5))
    assert arrangements.check(arrangement, dt.date(2026, 11, 20)) == "completed"


def test_payments_before_the_agreement_do_not_count(customer, agent):
    invoice = ar_invoice(customer, amount="1200.00", due=dt.date(2026, 10, 1))
    _pay(customer, invoice, "300.00", dt.date(2026, 10, 20))
    arrangement = _arrangement(customer, invoice, agent)
    assert arrangements.paid_towards(arrangement) == 0


def test_the_periodic_task_is_idempotent(customer, invoice, agent):
    from ledgerdesk.creditcontrol import tasks

    _arrangement(customer, invoice, agent)
    tasks.check_arrangements.call_local()
    tasks.check_arrangements.call_local()
    assert FollowUp.objects.count() == 1


def test_an_arrangement_paid_in_full_early_is_completed(customer, invoice, agent):
    arrangement = _arrangement(customer, invoice, agent)
    _pay(customer, invoice, "900.00", AGREED)  # the day it was agreed, before any instalment
    assert arrangements.check(arrangement, AGREED) == "completed"
    assert FollowUp.objects.count() == 0


def test_paying_ahead_covers_the_next_instalment(customer, invoice, agent):
    arrangement = _arrangement(customer, invoice, agent)
    _pay(customer, invoice, "600.00", dt.date(2026, 11, 3))  # two instalments at once
    # Past the second instalment's grace: still on track, nothing missed.
    assert arrangements.check(arrangement, dt.date(2026, 12, 15)) == "on_track"
    assert FollowUp.objects.count() == 0


def test_an_instalment_before_the_agreement_is_refused(customer, invoice, agent):
    with pytest.raises(CreditControlError, match="^instalments: instalment 1 is due on 2026-10"):
        _arrangement(customer, invoice, agent, [(dt.date(2026, 10, 30), Decimal("900.00"))])
    assert PaymentArrangement.objects.count() == 0


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-12-01 NaN", "^instalments: line 1: 'NaN' is not an amount"),
        ("2026-12-01 abc", "^instalments: line 1: 'abc' is not an amount"),
    ],
)
def test_console_lines_with_no_real_amount_are_refused(text, message):
    with pytest.raises(CreditControlError, match=message):
        arrangements.parse_instalments(text)


def test_a_european_decimal_comma_is_refused_not_misread(customer, invoice, agent):
    """ "1.200,50" must not become 1.2005: too many decimals for EUR, named."""
    plan = arrangements.parse_instalments("2026-12-01 1.200,50")
    with pytest.raises(CreditControlError, match="^instalments: instalment 1: EUR amounts"):
        _arrangement(customer, invoice, agent, plan)


def test_the_grace_skips_the_ar_teams_holidays(customer, invoice, agent, ar_team):
    """Due Friday 6 Nov, 3 working days of grace; Monday 9 Nov a holiday: Thursday 12 Nov is
    still within the grace, Friday 13 Nov is not."""
    ar_team.calendar = {
        "time_zone": "Europe/Amsterdam",
        "hours": WEEKDAYS,
        "holidays": ["2026-11-09"],
    }
    ar_team.save()
    arrangement = _arrangement(customer, invoice, agent)
    assert arrangements.check(arrangement, dt.date(2026, 11, 12)) == "on_track"
    assert arrangements.check(arrangement, dt.date(2026, 11, 13)) == "missed"
