"""Console pages of credit control: who may see them, what they do, and their query counts."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ledgerdesk.creditcontrol import services
from ledgerdesk.creditcontrol.models import FeeWaiver, FollowUp, PaymentArrangement, Reminder
from tests.creditcontrol.conftest import TODAY, ar_invoice
from tests.factories import PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/credit/",
    "/credit/reminders/",
    "/credit/waivers/",
    "/credit/arrangements/",
]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    "persona, status", [("agent", 200), ("lead", 200), ("manager", 200), ("outsider", 403)]
)
def test_access_matrix(client, request, url, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response["Location"]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_follow_up_list_query_count_is_constant(agent_client, agent, customer):
    def add(n):
        for i in range(n):
            invoice = ar_invoice(customer, number=f"Q-{FollowUp.objects.count()}-{i}")
            services.set_follow_up(owner=agent, kind="promised_payment", note="Pay on Friday",
                                   due_on=timezone.localdate(), invoice=invoice)  # fmt: skip

    add(2)
    few = _count(agent_client, "/credit/")
    add(20)
    many = _count(agent_client, "/credit/")
    # session, user, permissions (user, group), the role's groups for the top bar, the
    # role again (may I act on others' tasks?), the pagination count, the page joined with
    # party, case, invoice and owner.
    assert few == many == 8


def test_reminder_list_query_count_is_constant(agent_client, customer, ar_team):
    for i in range(3):
        ar_invoice(customer, number=f"R-{i}", due=TODAY - dt.timedelta(days=8))
    services.send_due_reminders(TODAY)
    few = _count(agent_client, "/credit/reminders/")
    for i in range(3, 15):
        ar_invoice(customer, number=f"R-{i}", due=TODAY - dt.timedelta(days=8))
    services.send_due_reminders(TODAY)
    assert Reminder.objects.count() == 15
    # session, user, permissions (2), groups, count, page joined with invoice, party, case.
    assert few == _count(agent_client, "/credit/reminders/") == 7


def test_waiver_list_query_count_is_constant(client, agent, lead, customer):
    invoice = ar_invoice(customer, amount="90000.00")
    services.request_waiver(invoice, Decimal("60.00"), "Goodwill", agent)
    client.force_login(lead)
    few = _count(client, "/credit/waivers/")
    for _ in range(10):
        services.request_waiver(invoice, Decimal("70.00"), "Goodwill", agent)
    # session, user, permissions (2), groups for the top bar, groups again for the approver's
    # role, the limits table, the pagination count, the page, my latest requests.
    assert few == _count(client, "/credit/waivers/") == 10


def test_arrangement_list_query_count_is_constant(agent_client, agent, customer):
    def add():
        inv = ar_invoice(customer, number=f"A-{PaymentArrangement.objects.count()}")
        plan = [(timezone.localdate(), Decimal("10"))]
        services.create_arrangement(party=customer, invoices=[inv], amount_agreed=Decimal("10"),
                                    instalments=plan, owner=agent)  # fmt: skip

    add()
    few = _count(agent_client, "/credit/arrangements/")
    for _ in range(8):
        add()
    assert few == _count(agent_client, "/credit/arrangements/") == 7


def test_set_a_follow_up_from_an_invoice_and_it_shows_in_my_queue(agent_client, agent, customer):
    invoice = ar_invoice(customer)
    page = agent_client.get(f"/ledger/invoices/{invoice.pk}/").content.decode()
    assert f"/credit/follow-ups/new/?invoice={invoice.pk}" in page
    response = agent_client.post(
        "/credit/follow-ups/new/",
        {"invoice": invoice.pk, "kind": "promised_payment", "note": "Jan promised Friday",
         "due_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    task = FollowUp.objects.get()
    assert task.invoice == invoice and task.owner == agent
    queue = agent_client.get("/desk/").content.decode()
    assert "Follow-ups due" in queue and "Jan promised Friday" in queue


def test_follow_up_form_names_the_bad_field(agent_client, customer):
    response = agent_client.post(
        "/credit/follow-ups/new/",
        {"party": customer.pk, "kind": "promised_payment", "note": "x", "due_on": "2001-01-01"},
    )
    assert response.status_code == 200
    assert "Choose today or a day after it." in response.content.decode()
    assert FollowUp.objects.count() == 0


def test_done_and_snooze_buttons(agent_client, agent, customer):
    task = services.set_follow_up(owner=agent, kind="other", note="Check", party=customer,
                                  due_on=timezone.localdate())  # fmt: skip
    later = timezone.localdate() + dt.timedelta(days=3)
    agent_client.post(f"/credit/follow-ups/{task.pk}/snooze/", {"until": later.isoformat()})
    task.refresh_from_db()
    assert task.due_on == later
    agent_client.post(f"/credit/follow-ups/{task.pk}/done/")
    task.refresh_from_db()
    assert task.state == "done"


def test_someone_elses_follow_up_cannot_be_closed_by_an_agent(client, agent, customer):
    task = services.set_follow_up(owner=agent, kind="other", note="Check", party=customer,
                                  due_on=timezone.localdate())  # fmt: skip
    client.force_login(UserFactory(username="agent-b", role="Agent"))
    client.post(f"/credit/follow-ups/{task.pk}/done/")
    task.refresh_from_db()
    assert task.state == "open"


def test_waive_from_the_invoice_page_and_approve_on_the_list(client, agent, lead, customer):
    invoice = ar_invoice(customer)
    client.force_login(agent)
    response = client.post(f"/credit/invoices/{invoice.pk}/waiver/",
                           {"amount": "75.00", "reason": "Late fee in error"})  # fmt: skip
    assert response.status_code == 302
    waiver = FeeWaiver.objects.get()
    assert waiver.state == "pending"
    page = client.get(f"/ledger/invoices/{invoice.pk}/").content.decode()
    assert "Waiting for approval" in page and "(Lead)" in page
    # The agent sees nothing to decide; the lead does.
    assert "Nothing waits for your approval." in client.get("/credit/waivers/").content.decode()
    client.force_login(lead)
    assert "Late fee in error" in client.get("/credit/waivers/").content.decode()
    client.post(f"/credit/waivers/{waiver.pk}/decide/", {"decision": "approve", "note": "ok"})
    waiver.refresh_from_db()
    invoice.refresh_from_db()
    assert waiver.state == "applied" and invoice.amount_open == Decimal("1135.00")


def test_waiver_form_shows_the_field_error(agent_client, customer):
    invoice = ar_invoice(customer)
    response = agent_client.post(f"/credit/invoices/{invoice.pk}/waiver/",
                                 {"amount": "5000.00", "reason": "x"})  # fmt: skip
    assert response.status_code == 200
    assert re.search(r"invoice INV-1001 has only EUR 1,210.00 open", response.content.decode())


def test_statement_download_and_schedule(agent_client, customer):
    ar_invoice(customer, due=dt.date(2026, 11, 1))
    party_page = agent_client.get(f"/parties/{customer.pk}/").content.decode()
    assert f"/credit/parties/{customer.pk}/statement/" in party_page
    response = agent_client.get(
        f"/credit/parties/{customer.pk}/statement/",
        {"start": "2026-10-01", "end": "2026-10-31", "format": "csv"},
    )
    assert response["Content-Type"] == "text/csv"
    assert "attachment;" in response["Content-Disposition"]
    assert b"Invoice INV-1001" in response.content
    response = agent_client.get(
        f"/credit/parties/{customer.pk}/statement/",
        {"start": "2026-10-01", "end": "2026-10-31", "format": "pdf"},
    )
    assert response.content.startswith(b"%PDF")
    bad = agent_client.get(
        f"/credit/parties/{customer.pk}/statement/",
        {"start": "2026-11-01", "end": "2026-10-31", "format": "pdf"},
    )
    assert bad.status_code == 200 and "The period starts after it ends." in bad.content.decode()
    agent_client.post(f"/credit/parties/{customer.pk}/schedule/", {"frequency": "monthly"})
    assert customer.statement_schedule.frequency == "monthly"


def test_arrangement_form(agent_client, agent, customer):
    invoice = ar_invoice(customer, amount="600.00")
    url = f"/credit/parties/{customer.pk}/arrangement/"
    bad = agent_client.post(
        url,
        {"invoices": [invoice.pk], "amount_agreed": "600.00", "instalments": "2026-12-01 100",
         "grace_business_days": 3},
    )  # fmt: skip
    assert "they add up to 100, not to the amount agreed of 600.00" in bad.content.decode()
    ok = agent_client.post(url, {"invoices": [invoice.pk], "amount_agreed": "600.00",
                                 "instalments": "2026-12-01 300\n2027-01-01 300",
                                 "grace_business_days": 3})  # fmt: skip
    assert ok.status_code == 302
    assert PaymentArrangement.objects.get().instalments.count() == 2


def test_another_partys_invoice_cannot_join_an_arrangement(agent_client, customer):
    other = PartyFactory(is_customer=True)
    invoice = ar_invoice(other, number="OTHER-1")
    response = agent_client.post(
        f"/credit/parties/{customer.pk}/arrangement/",
        {"invoices": [invoice.pk], "amount_agreed": "10", "instalments": "2026-12-01 10",
         "grace_business_days": 3},
    )  # fmt: skip
    assert response.status_code == 200 and PaymentArrangement.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "/admin/creditcontrol/authoritylimit/",
        "/admin/creditcontrol/reminderpolicy/",
        "/admin/creditcontrol/feewaiver/",
        "/admin/creditcontrol/reminder/",
    ],
)
def test_admin_pages_load_for_the_admin(client, admin_user, url):
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200


def test_default_authority_limits_are_seeded_in_the_home_currency():
    """The migration's seed, run on an empty table (the autouse fixture puts rows back)."""
    from importlib import import_module

    from django.apps import apps

    from ledgerdesk.creditcontrol.models import AuthorityLimit

    AuthorityLimit.objects.all().delete()
    import_module("ledgerdesk.creditcontrol.migrations.0001_initial").seed_limits(apps, None)
    assert set(AuthorityLimit.objects.values_list("role", "currency", "amount")) == {
        ("Agent", "EUR", Decimal("50.00")),
        ("Lead", "EUR", Decimal("500.00")),
        ("Manager", "EUR", Decimal("5000.00")),
        ("Admin", "EUR", Decimal("5000.00")),
    }


def test_a_sent_reminder_is_visible_on_the_invoice(agent_client, customer, ar_team):
    invoice = ar_invoice(customer, due=TODAY - dt.timedelta(days=8))
    services.send_due_reminders(TODAY)
    page = agent_client.get(f"/ledger/invoices/{invoice.pk}/").content.decode()
    reminder = Reminder.objects.get()
    assert "After due (1st) (gentle (first-time late payer), by email)" in page
    assert reminder.case.reference in page


def test_an_agent_cannot_post_a_decision(agent_client, lead, customer):
    invoice = ar_invoice(customer)
    waiver = services.request_waiver(invoice, Decimal("600.00"), "Goodwill", lead)
    response = agent_client.post(f"/credit/waivers/{waiver.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 403
    waiver.refresh_from_db()
    assert waiver.state == FeeWaiver.State.PENDING


def test_the_approval_list_filters_by_the_limit_in_the_waivers_currency(client, agent, lead,
                                                                         customer):  # fmt: skip
    from ledgerdesk.creditcontrol.models import AuthorityLimit

    AuthorityLimit.objects.create(role="Manager", currency="GBP", amount=Decimal("900.00"))
    AuthorityLimit.objects.create(role="Lead", currency="GBP", amount=Decimal("20.00"))
    euros = ar_invoice(customer, number="EU-1")
    pounds = ar_invoice(customer, number="GB-1", currency="GBP")
    services.request_waiver(euros, Decimal("60.00"), "Euro fee", agent)  # Lead: 500 EUR
    services.request_waiver(pounds, Decimal("60.00"), "Pound fee", agent)  # Manager: 900 GBP
    client.force_login(lead)
    page = client.get("/credit/waivers/").content.decode()
    assert "Euro fee" in page and "Pound fee" not in page
    assert "€500.00, £20.00" in page


def test_a_csrf_token_is_required(agent, customer):
    from django.test import Client

    task = services.set_follow_up(owner=agent, kind="other", note="Check", party=customer,
                                  due_on=timezone.localdate())  # fmt: skip
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(agent)
    assert strict.post(f"/credit/follow-ups/{task.pk}/done/").status_code == 403
    task.refresh_from_db()
    assert task.state == "open"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_the_return_address_stays_on_this_site(agent_client, agent, customer, target):
    task = services.set_follow_up(owner=agent, kind="other", note="Check", party=customer,
                                  due_on=timezone.localdate())  # fmt: skip
    response = agent_client.post(f"/credit/follow-ups/{task.pk}/done/", {"next": target})
    assert response["Location"] == "/credit/"


def test_an_agent_sees_no_buttons_on_a_colleagues_task(agent_client, agent, customer):
    colleague = UserFactory(username="agent-b", role="Agent")
    services.set_follow_up(owner=colleague, kind="other", note="Task of agent B",
                           party=customer, due_on=timezone.localdate())  # fmt: skip
    page = agent_client.get("/credit/?show=team").content.decode()
    assert "Task of agent B" in page and "/done/" not in page
