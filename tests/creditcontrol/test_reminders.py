"""Friendly reminders: the level that fits the day, at most one per invoice and level, held
back when a payment is in matching, a dispute or case is open, or an arrangement is on track;
gentle words for a first-time late payer, direct (never threatening) ones for a repeat one."""

import datetime as dt
import sys
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from ledgerdesk.creditcontrol import reminders, services
from ledgerdesk.creditcontrol.models import FollowUp, Reminder, ReminderPolicy
from ledgerdesk.desk import services as desk
from ledgerdesk.desk.models import Case
from ledgerdesk.ledger.models import Invoice
from tests.creditcontrol.conftest import TODAY, ar_invoice, paid_late
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
WEEKDAYS = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def _levels(planned):
    return {(p.invoice.number, p.level, p.skip) for p in planned}


def test_it_picks_the_level_that_fits_the_day(customer, ar_team):
    ar_invoice(customer, "SOON", due=TODAY + dt.timedelta(days=2))
    ar_invoice(customer, "TODAY", due=TODAY)
    ar_invoice(customer, "WEEK", due=TODAY - dt.timedelta(days=8))
    ar_invoice(customer, "MONTH", due=TODAY - dt.timedelta(days=22))
    ar_invoice(customer, "LONG", due=TODAY - dt.timedelta(days=200))
    ar_invoice(customer, "LATER", due=TODAY + dt.timedelta(days=10))
    planned = reminders.plan(TODAY)
    assert _levels(planned) == {
        ("SOON", "before_due", ""),
        ("TODAY", "on_due", ""),
        ("WEEK", "after_due_1", ""),
        ("MONTH", "after_due_2", ""),
        ("LONG", "after_due_3", ""),
    }


def test_it_sends_one_reminder_per_level_and_records_it_on_a_resolved_case(customer, ar_team):
    invoice = ar_invoice(customer, due=TODAY - dt.timedelta(days=8))
    services.send_due_reminders(TODAY)
    reminder = Reminder.objects.get()
    assert (reminder.invoice, reminder.level, reminder.channel) == (invoice, "after_due_1", "email")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["jan@brightside.example"] and "INV-1001" in sent.subject
    assert "EUR 1,210.00" in sent.body and "Dear Jan de Vries" in sent.body
    assert reminder.case.state == Case.State.RESOLVED
    assert list(reminder.case.invoices.all()) == [invoice]
    assert reminder.case.messages.get().text == reminder.text

    # Idempotent: the same day again, and the next day, send nothing new.
    services.send_due_reminders(TODAY)
    services.send_due_reminders(TODAY + dt.timedelta(days=1))
    assert Reminder.objects.count() == 1 and len(mail.outbox) == 1

    # The next level, when its day comes.
    services.send_due_reminders(TODAY + dt.timedelta(days=14))
    assert list(Reminder.objects.order_by("id").values_list("level", flat=True)) == [
        "after_due_1",
        "after_due_2",
    ]


def test_a_paid_cancelled_or_credit_note_document_is_never_reminded(customer, ar_team):
    due = TODAY - dt.timedelta(days=8)
    ar_invoice(customer, "PAID", due=due, status=Invoice.Status.PAID, amount_open=Decimal("0"))
    ar_invoice(customer, "GONE", due=due, status=Invoice.Status.CANCELLED)
    ar_invoice(customer, "CN", due=due, kind=Invoice.Kind.CREDIT_NOTE)
    assert reminders.plan(TODAY) == []


@pytest.fixture
def matching_queue(db):
    """Receivables' real work queue: a bank line waiting for review that lists the invoice
    as a candidate puts it "in matching". Returns a function that queues an invoice."""
    from django.utils import timezone

    from ledgerdesk.receivables.models import BankStatement, StatementLine

    statement = BankStatement.objects.create(
        account="NL91ABNA0417164300", statement_id="2026-11-20", format="camt053",
        currency="EUR", fingerprint="test-statement", imported_at=timezone.now(),
    )  # fmt: skip

    def queue(invoice):
        StatementLine.objects.create(
            statement=statement, position=1, fingerprint=f"line-{invoice.pk}",
            account=statement.account, booking_date=TODAY, amount=invoice.amount_open,
            currency="EUR", remittance=f"Paying {invoice.number}",
            state=StatementLine.State.REVIEW, candidates=[invoice.pk],
        )  # fmt: skip

    return queue


@pytest.mark.parametrize(
    "situation, reason",
    [
        ("matching", "a payment is waiting in bank matching"),
        ("disputed", "the invoice is disputed"),
        ("open_case", "a case about it is open"),
        ("arrangement", "a payment arrangement is on track"),
        ("missed_arrangement", ""),
        ("resolved_case", ""),
        ("nothing", ""),
    ],
)
def test_suppression_matrix(customer, ar_team, agent, matching_queue, situation, reason):
    invoice = ar_invoice(customer, due=TODAY - dt.timedelta(days=8))
    if situation == "matching":
        matching_queue(invoice)
    elif situation == "disputed":
        invoice.status = Invoice.Status.DISPUTED
        invoice.save()
    elif situation in ("open_case", "resolved_case"):
        case = desk.open_case(team=ar_team, subject="This is wrong", invoices=[invoice],
                              requester_email="jan@brightside.example")  # fmt: skip
        if situation == "resolved_case":
            desk.resolve(case)
    elif situation in ("arrangement", "missed_arrangement"):
        arrangement = services.create_arrangement(
            party=customer, invoices=[invoice], amount_agreed=Decimal("1210.00"),
            instalments=[(TODAY + dt.timedelta(days=10), Decimal("1210.00"))], owner=agent,
        )  # fmt: skip
        if situation == "missed_arrangement":
            arrangement.status = "missed"
            arrangement.save()
    planned = services.send_due_reminders(TODAY)
    assert [p.skip for p in planned] == [reason]
    assert Reminder.objects.count() == (0 if reason else 1)
    assert len(mail.outbox) == (0 if reason else 1)


def test_without_receivables_matching_nothing_is_known_to_be_in_matching(monkeypatch):
    monkeypatch.setitem(sys.modules, "ledgerdesk.receivables.services", None)
    assert reminders.invoices_in_matching() == set()


def test_first_time_late_payer_gets_the_gentle_text(customer, ar_team):
    ar_invoice(customer, due=TODAY - dt.timedelta(days=8))
    [planned] = services.send_due_reminders(TODAY)
    assert planned.tone == "first_time"
    assert "may simply have slipped through" in mail.outbox[0].body
    assert "not the first payment" not in mail.outbox[0].body


def test_repeat_late_payer_gets_the_direct_text(customer, ar_team):
    paid_late(customer)
    ar_invoice(customer, due=TODAY - dt.timedelta(days=8))
    [planned] = services.send_due_reminders(TODAY)
    assert planned.tone == "repeat"
    body = mail.outbox[0].body
    assert (
        "not the first payment in the past twelve months" in body and "slipped through" not in body
    )


def test_late_payment_more_than_a_year_ago_does_not_make_a_repeat_payer(customer, ar_team):
    paid_late(customer, today=TODAY - dt.timedelta(days=400))
    assert reminders.is_first_time_late(customer, TODAY)
    paid_late(customer, days_late=3)
    assert not reminders.is_first_time_late(customer, TODAY)


def test_policy_of_the_team_sets_the_days(customer, ar_team):
    ReminderPolicy.objects.create(team=ar_team, days_after_due_1=3, days_after_due_2=10,
                                  days_after_due_3=20)  # fmt: skip
    ar_invoice(customer, due=TODAY - dt.timedelta(days=4))
    assert [p.level for p in reminders.plan(TODAY)] == ["after_due_1"]


def test_global_policy_applies_without_a_team_policy(customer, ar_team):
    ReminderPolicy.objects.create(days_before_due=10)
    ar_invoice(customer, due=TODAY + dt.timedelta(days=9))
    assert [p.level for p in reminders.plan(TODAY)] == ["before_due"]


def test_a_phone_contact_gets_a_follow_up_to_call_instead_of_an_email(customer, ar_team, agent):
    customer.contacts.update(preferred_channel="phone")
    ar_invoice(customer, due=TODAY - dt.timedelta(days=8))
    services.send_due_reminders(TODAY)
    assert mail.outbox == []
    reminder = Reminder.objects.get()
    assert reminder.channel == "phone"
    task = FollowUp.objects.get()
    assert task.owner == agent and task.note.startswith("Call Jan de Vries")
    assert reminder.case.is_open


def test_no_contact_is_reported_not_dropped(ar_team, customer):
    customer.contacts.all().delete()
    ar_invoice(customer, due=TODAY - dt.timedelta(days=8))
    [planned] = services.send_due_reminders(TODAY)
    assert planned.skip == "the customer has no contact on file"
    assert Reminder.objects.count() == 0


def test_billing_contact_is_preferred_over_the_primary_one(customer):
    ContactFactory(party=customer, name="Primary Person", is_primary=True)
    assert services.billing_contact(customer).name == "Jan de Vries"


def test_dry_run_prints_what_it_would_send_and_sends_nothing(customer, ar_team, capsys):
    ar_invoice(customer, due=TODAY - dt.timedelta(days=8))
    ar_invoice(customer, "DISP", due=TODAY, status=Invoice.Status.DISPUTED)
    call_command("send_reminders", "--dry-run", "--date", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "would send  INV-1001 (Brightside Retail BV) after_due_1 [first_time] by email" in out
    assert "skip  DISP (Brightside Retail BV) on_due [first_time]: the invoice is disputed" in out
    assert "1 reminder(s) would send, 1 held back" in out
    assert Reminder.objects.count() == 0 and mail.outbox == []
    call_command("send_reminders", "--date", TODAY.isoformat())
    assert Reminder.objects.count() == 1


def test_the_periodic_task_sends_and_a_second_run_sends_nothing(customer, ar_team, settings):
    from ledgerdesk.creditcontrol import tasks

    ar_invoice(customer, due=dt.date.today() - dt.timedelta(days=8))
    tasks.send_reminders.call_local()
    tasks.send_reminders.call_local()
    assert Reminder.objects.count() == 1 and len(mail.outbox) == 1


def test_a_partly_paid_invoice_is_reminded_of_what_is_open_not_the_total(customer, ar_team):
    ar_invoice(customer, due=TODAY - dt.timedelta(days=8), amount_open=Decimal("610.00"))
    [planned] = services.send_due_reminders(TODAY)
    assert planned.skip == ""
    body = mail.outbox[0].body
    assert "the remaining EUR 610.00 of EUR 1,210.00" in body
    assert "for EUR 1,210.00" not in body


def test_amounts_are_written_with_the_currencys_own_decimals(customer, ar_team):
    ar_invoice(customer, due=TODAY - dt.timedelta(days=8), amount="125000", currency="JPY")
    services.send_due_reminders(TODAY)
    assert "JPY 125,000 " in mail.outbox[0].body


def test_the_first_reminder_never_claims_to_be_a_later_one(customer, ar_team):
    """Held back until the third after-due step (or simply old): the text it gets is the
    first after-due one, not "this is our third reminder"."""
    paid_late(customer)  # a repeat payer: the direct texts count reminders
    invoice = ar_invoice(customer, due=TODAY - dt.timedelta(days=200))
    [planned] = services.send_due_reminders(TODAY)
    assert (planned.level, planned.wording_level) == ("after_due_3", "after_due_1")
    assert "third reminder" not in mail.outbox[0].body
    assert Reminder.objects.get().level == "after_due_3"
    # One after-due reminder before: the next one, whatever its level, is the second.
    Reminder.objects.all().delete()
    Reminder.objects.create(invoice=invoice, level="after_due_1", tone="repeat", channel="email",
                            text="earlier")  # fmt: skip
    [planned] = reminders.plan(TODAY)
    assert planned.wording_level == "after_due_2"
    assert planned.subject == f"Second reminder: invoice {invoice.number}"


def test_due_today_is_only_said_on_the_due_day(customer, ar_team):
    ar_invoice(customer, due=TODAY - dt.timedelta(days=1))
    assert reminders.plan(TODAY) == []  # yesterday's "is due today" is not sent late


def test_the_reply_by_day_is_five_working_days_on(customer, ar_team):
    saturday = dt.date(2026, 11, 21)
    ar_invoice(customer, due=saturday - dt.timedelta(days=8))
    services.send_due_reminders(saturday)
    assert "by Friday 27 November 2026" in mail.outbox[0].body


def test_a_fee_waiver_does_not_make_a_repeat_late_payer(customer, ar_team, agent):
    """A waiver is a zero-cash settlement dated today, after the due date: not a payment."""
    overdue = ar_invoice(customer, "OVERDUE", due=TODAY - dt.timedelta(days=30))
    services.request_waiver(overdue, Decimal("10.00"), "Reminder fee waived", agent)
    assert reminders.is_first_time_late(customer, dt.date.today())


def _pay(invoice, amount):
    from ledgerdesk.ledger import services as ledger
    from ledgerdesk.ledger.models import Direction, Payment

    payment = Payment.objects.create(
        direction=Direction.RECEIVABLE,
        party=invoice.party,
        date=TODAY,
        amount=Decimal(amount),
        currency="EUR",
    )
    ledger.allocate(payment, invoice, Decimal(amount))


def test_a_payment_that_arrives_between_plan_and_send_stops_the_reminder(customer, ar_team):
    invoice = ar_invoice(customer, due=TODAY - dt.timedelta(days=8))
    [planned] = reminders.plan(TODAY)
    _pay(invoice, "1210.00")
    with pytest.raises(reminders.NotDue, match="paid or cancelled"):
        reminders.send_one(planned, ar_team, TODAY)
    assert Reminder.objects.count() == 0 and mail.outbox == []


def test_a_part_payment_between_plan_and_send_updates_the_amount(customer, ar_team):
    invoice = ar_invoice(customer, due=TODAY - dt.timedelta(days=8))
    [planned] = reminders.plan(TODAY)
    _pay(invoice, "1000.00")
    reminder = reminders.send_one(planned, ar_team, TODAY)
    assert "the remaining EUR 210.00 of EUR 1,210.00" in reminder.text


def test_the_reply_by_day_skips_the_teams_holidays(customer, ar_team):
    ar_team.calendar = {
        "time_zone": "Europe/Amsterdam",
        "hours": WEEKDAYS,
        "holidays": ["2026-11-25"],
    }
    ar_team.save()
    ar_invoice(customer, due=TODAY - dt.timedelta(days=8))
    services.send_due_reminders(TODAY)  # Friday 20 Nov + 5 working days, minus a holiday
    assert "by Monday 30 November 2026" in mail.outbox[0].body
