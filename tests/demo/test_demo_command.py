"""`ledgerdesk demo` and the start-up loader: load once, never into real data, and the
demo logins work."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from ledgerdesk.core.models import SiteState
from ledgerdesk.demo import demo_logins, load_demo_once, loading
from ledgerdesk.ledger.models import Invoice
from ledgerdesk.parties.models import Party

pytestmark = pytest.mark.django_db


def demo(*args) -> str:
    out = io.StringIO()
    call_command("demo", "--scale", "tiny", *args, stdout=out)
    return out.getvalue()


def test_it_loads_and_prints_a_summary_and_the_logins():
    output = demo("--seed", "3")
    assert "Demo data loaded" in output
    assert "invoices 60" in output
    for username, password, role in demo_logins():
        assert username in output and password in output and role in output
    state = SiteState.objects.get(key="demo").value
    assert (state["scale"], state["seed"]) == ("tiny", 3)


def test_a_second_run_has_nothing_to_do():
    demo()
    output = demo()
    assert output.startswith("Demo data already loaded on ")
    assert "nothing to do" in output
    assert Party.objects.count() == 12
    assert Invoice.objects.count() == 60


def test_it_refuses_a_database_that_holds_other_parties():
    Party.objects.create(name="Real Vendor B.V.", is_vendor=True)
    with pytest.raises(CommandError, match="not demo data"):
        demo()
    assert Party.objects.count() == 1


def test_force_refuses_while_demo_parties_are_there():
    demo()
    with pytest.raises(CommandError, match="without parties"):
        demo("--force")
    assert Party.objects.count() == 12


def test_force_reloads_once_the_parties_are_gone():
    SiteState.objects.create(key="demo", value={"scale": "tiny", "seed": 1, "counts": {}})
    output = demo("--force", "--seed", "5")
    assert "Demo data loaded" in output
    assert SiteState.objects.get(key="demo").value["seed"] == 5


def test_the_demo_logins_sign_in_with_console_access():
    demo()
    request = RequestFactory().post("/login/")
    for username, password, _role in demo_logins():
        user = authenticate(request, username=username, password=password)
        assert user is not None and user.get_username() == username
        assert user.has_perm("core.use_console")


def test_a_demo_login_reaches_the_console(client):
    demo()
    response = client.post("/login/", {"username": "lead", "password": "lead-demo-2026"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_start_up_loads_once(monkeypatch):
    monkeypatch.setattr(loading, "STARTUP_SCALE", "tiny")
    first, second = io.StringIO(), io.StringIO()
    assert load_demo_once(first) is True
    assert load_demo_once(second) is False
    assert "Demo data loaded" in first.getvalue()
    assert "nothing to do" in second.getvalue()
    assert SiteState.objects.get(key="demo").value["scale"] == "tiny"


def test_start_up_leaves_real_data_alone(monkeypatch):
    monkeypatch.setattr(loading, "STARTUP_SCALE", "tiny")
    Party.objects.create(name="Real Customer Ltd", is_customer=True)
    out = io.StringIO()
    assert load_demo_once(out) is False
    assert "not demo data" in out.getvalue()
    assert not SiteState.objects.filter(key="demo").exists()


def test_the_demo_works_every_desk_through_the_real_paths():
    """Payables rows behind the open vendor bills, a bank statement applied by the cash
    engine, fee-waiver limits for the billed currencies, and surveys answered."""
    from ledgerdesk.creditcontrol.models import AuthorityLimit
    from ledgerdesk.payables.models import ApprovalRule, InvoiceMatch, PayingAccount
    from ledgerdesk.receivables.models import BankStatement, StatementLine
    from ledgerdesk.surveys.models import Survey

    output = demo("--seed", "5")
    assert "Bank statement:" in output and "Surveys:" in output
    assert ApprovalRule.objects.exists() and PayingAccount.objects.exists()
    assert InvoiceMatch.objects.exists()
    statement = BankStatement.objects.get()
    lines = StatementLine.objects.filter(statement=statement)
    assert lines.filter(state="applied", auto_applied=True).exists()
    assert lines.filter(state="ignored").exists()  # the bank's own fee, money out
    assert set(AuthorityLimit.objects.values_list("currency", flat=True)) >= set(
        Invoice.objects.filter(direction="ar").values_list("currency", flat=True)
    ) & {"EUR", "GBP", "USD", "CHF", "SEK", "NOK", "DKK", "PLN"}
    assert Survey.objects.filter(kind="relationship").exists()
