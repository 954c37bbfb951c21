"""Statements of account: the portal's statement, rendered for the console as PDF or CSV, and
sent monthly to customers on a schedule, once per period."""

import datetime as dt

import pytest
from django.core import mail

from ledgerdesk.creditcontrol import services, statements
from ledgerdesk.creditcontrol.common import CreditControlError
from ledgerdesk.creditcontrol.models import FollowUp, StatementSent
from ledgerdesk.desk.models import Attachment
from tests.creditcontrol.conftest import ar_invoice

pytestmark = pytest.mark.django_db
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def test_csv_and_pdf_of_a_period(customer):
    ar_invoice(customer, due=dt.date(2026, 11, 1))  # issued 2 October
    name, content, kind = services.render_statement(customer, *OCTOBER, "csv")
    assert name.endswith("-20261001-20261031.csv") and kind == "text/csv"
    text = content.decode()
    assert "Invoice INV-1001" in text and "Closing balance" in text and "1210.00" in text
    name, content, kind = services.render_statement(customer, *OCTOBER, "pdf")
    assert content.startswith(b"%PDF") and kind == "application/pdf"


def test_bad_period_or_format_is_refused(customer):
    with pytest.raises(CreditControlError, match="^format: "):
        services.render_statement(customer, *OCTOBER, "xlsx")
    with pytest.raises(CreditControlError, match="^start: "):
        services.render_statement(customer, OCTOBER[1], OCTOBER[0], "pdf")


def test_previous_month():
    assert statements.previous_month(dt.date(2026, 11, 20)) == OCTOBER
    assert statements.previous_month(dt.date(2027, 1, 1)) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    )


def test_scheduled_statement_goes_by_email_with_the_pdf_once_per_period(customer, ar_team):
    ar_invoice(customer, due=dt.date(2026, 11, 1))
    services.set_schedule(customer, "monthly")
    assert services.send_scheduled_statements(dt.date(2026, 11, 3)) == 1
    [sent] = mail.outbox
    assert sent.to == ["jan@brightside.example"]
    assert "statement of account for October 2026" in sent.subject
    [(pdf_name, pdf, _), (csv_name, csv, csv_type)] = sent.attachments
    assert pdf_name.endswith(".pdf") and pdf.startswith(b"%PDF")
    assert csv_name.endswith(".csv") and csv_type == "text/csv" and "INV-1001" in csv
    record = StatementSent.objects.get()
    assert record.channel == "email" and record.case.messages.count() == 1
    assert {a.message.case for a in Attachment.objects.all()} == {record.case}
    assert Attachment.objects.count() == 2
    # Again the same month: nothing new.
    assert services.send_scheduled_statements(dt.date(2026, 11, 4)) == 0
    assert len(mail.outbox) == 1
    # Next month: the next period.
    assert services.send_scheduled_statements(dt.date(2026, 12, 1)) == 1


def test_no_schedule_no_statement(customer, ar_team):
    services.set_schedule(customer, "none")
    assert services.send_scheduled_statements(dt.date(2026, 11, 3)) == 0
    with pytest.raises(CreditControlError, match="^frequency: "):
        services.set_schedule(customer, "weekly")


def test_a_letter_customer_gets_a_follow_up_to_post_it(customer, ar_team, agent):
    customer.contacts.update(preferred_channel="letter")
    services.set_schedule(customer, "monthly")
    services.send_scheduled_statements(dt.date(2026, 11, 3))
    assert mail.outbox == []
    assert FollowUp.objects.get().note.startswith("Post the statement for October 2026")
    assert StatementSent.objects.get().channel == "letter"


def test_the_periodic_task_is_idempotent(customer, ar_team):
    from ledgerdesk.creditcontrol import tasks

    services.set_schedule(customer, "monthly")
    tasks.scheduled_statements.call_local()
    tasks.scheduled_statements.call_local()
    assert len(mail.outbox) == 1


def test_the_pdf_speaks_the_contacts_language_and_survives_an_unknown_one(customer):
    customer.contacts.update(language="de")
    assert statements.reader_for(customer).locale == "de"
    customer.contacts.update(language="xx-unknown")
    assert statements.reader_for(customer).locale == "en"
    assert services.render_statement(customer, *OCTOBER, "pdf")[1].startswith(b"%PDF")


@pytest.mark.parametrize(
    "start, end, words",
    [
        (dt.date(2026, 10, 1), dt.date(2026, 10, 31), "October 2026"),
        (dt.date(2028, 2, 1), dt.date(2028, 2, 29), "February 2028"),  # a leap February
        (dt.date(2026, 10, 1), dt.date(2026, 11, 30), "1 October 2026 to 30 November 2026"),
        (dt.date(2026, 10, 1), dt.date(2026, 10, 30), "1 October 2026 to 30 October 2026"),
    ],
)
def test_period_words(start, end, words):
    assert statements.period_words(start, end) == words


def test_previous_month_over_a_leap_february():
    assert statements.previous_month(dt.date(2028, 3, 1)) == (
        dt.date(2028, 2, 1),
        dt.date(2028, 2, 29),
    )
    assert statements.previous_month(dt.date(2027, 3, 31)) == (
        dt.date(2027, 2, 1),
        dt.date(2027, 2, 28),
    )


def test_an_agent_sends_a_statement_now_and_the_schedule_still_sends_its_own(
    agent_client, customer, ar_team
):
    ar_invoice(customer, due=dt.date(2026, 11, 1))
    services.set_schedule(customer, "monthly")
    url = f"/credit/parties/{customer.pk}/statement/send/"
    period = {"send-start": "2026-10-01", "send-end": "2026-10-31"}
    for _ in range(2):  # on demand as often as asked
        assert agent_client.post(url, period).status_code == 302
    assert len(mail.outbox) == 2 and mail.outbox[0].to == ["jan@brightside.example"]
    assert StatementSent.objects.filter(scheduled=False).count() == 2
    assert services.send_scheduled_statements(dt.date(2026, 11, 3)) == 1
    assert len(mail.outbox) == 3


def test_sending_a_statement_names_the_bad_field(agent_client, customer, ar_team):
    url = f"/credit/parties/{customer.pk}/statement/send/"
    response = agent_client.post(url, {"send-start": "2026-11-01", "send-end": "2026-10-31"},
                                 follow=True)  # fmt: skip
    assert "Send, start: The period starts after it ends." in response.content.decode()
    assert StatementSent.objects.count() == 0 and mail.outbox == []


def test_an_outsider_cannot_send_a_statement(client, outsider, customer, ar_team):
    client.force_login(outsider)
    url = f"/credit/parties/{customer.pk}/statement/send/"
    response = client.post(url, {"send-start": "2026-10-01", "send-end": "2026-10-31"})
    assert response.status_code == 403 and mail.outbox == []
