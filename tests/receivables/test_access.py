"""Who may do what in cash application: agents work the queue, leads also upload."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse

from ledgerdesk.receivables.models import BankStatement, StatementLine
from tests.receivables.builders import Tx, camt053
from tests.receivables.cash import ar_invoice, customer
from tests.receivables.test_line_page import make_line

pytestmark = pytest.mark.django_db
UPLOAD = reverse("receivables:upload")


def _file(data=None, name="statement.xml"):
    upload = BytesIO(data if data is not None else camt053([Tx(Decimal("10.00"), "x", "y", "")]))
    upload.name = name
    return upload


@pytest.mark.parametrize("name", ["receivables:queue"])
def test_an_outsider_gets_nothing(client, outsider, name):
    client.force_login(outsider)
    line = make_line()

    assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("receivables:line", args=[line.pk])).status_code == 403
    assert client.get(reverse("receivables:statement", args=[line.statement_id])).status_code == 403
    assert (
        client.post(
            reverse("receivables:line", args=[line.pk]), {"action": "hold", "note": "x"}
        ).status_code
        == 403
    )
    assert client.post(UPLOAD, {"file": _file()}).status_code == 403
    line.refresh_from_db()
    assert line.state == StatementLine.State.REVIEW


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("receivables:queue"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_agent_cannot_upload(agent_client):
    response = agent_client.post(UPLOAD, {"file": _file()})

    assert response.status_code == 403
    assert not BankStatement.objects.exists()


def test_a_lead_uploads_and_cash_is_applied(client, lead, ar_team):
    acme = customer()
    invoice = ar_invoice(acme, "INV-2026-000901", "410.00")
    data = camt053(
        [Tx(Decimal("410.00"), "INV-2026-000901", "Acme Retail", "NL02RABO0123456789", "E2E-1")]
    )
    client.force_login(lead)

    assert "Upload a statement" in client.get(reverse("receivables:queue")).content.decode()
    response = client.post(UPLOAD, {"file": _file(data)}, follow=True)

    assert "Imported statement.xml" in response.content.decode()
    line = StatementLine.objects.get()
    assert line.state == StatementLine.State.APPLIED and line.auto_applied
    invoice.refresh_from_db()
    assert invoice.amount_open == 0

    again = client.post(UPLOAD, {"file": _file(data)}, follow=True)
    assert "already imported" in again.content.decode()
    assert StatementLine.objects.count() == 1


def test_an_upload_of_the_wrong_type_or_a_bad_file_posts_nothing(client, lead):
    client.force_login(lead)

    wrong = client.post(UPLOAD, {"file": _file(b"MZ\x90\x00", "setup.exe")}, follow=True)
    text = client.post(UPLOAD, {"file": _file(b"Dear sir,\n", "letter.txt")}, follow=True)
    broken = camt053([Tx(Decimal("10.00"), "x", "y", "")]).replace(b"CRDT", b"CRDX")
    bad = client.post(UPLOAD, {"file": _file(broken, "broken.xml")}, follow=True)

    assert ".exe is not a bank statement file" in wrong.content.decode()
    assert "letter.txt: line 1: not a bank statement format" in text.content.decode()
    assert "Nothing imported from broken.xml" in bad.content.decode()
    assert "CdtDbtInd: &#x27;CRDX&#x27; is neither CRDT nor DBIT" in bad.content.decode()
    assert not BankStatement.objects.exists()


def test_an_agent_without_change_permission_sees_but_cannot_confirm(client, db):
    from django.contrib.auth.models import Group, Permission

    from tests.factories import UserFactory

    viewer = UserFactory(username="viewer")
    group = Group.objects.create(name="Viewers")
    group.permissions.set(
        Permission.objects.filter(codename__in=["use_console", "view_statementline"])
    )
    viewer.groups.add(group)
    client.force_login(viewer)
    line = make_line()

    assert client.get(reverse("receivables:line", args=[line.pk])).status_code == 200
    assert (
        client.post(
            reverse("receivables:line", args=[line.pk]), {"action": "hold", "note": "x"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize("model", ["bankstatement", "statementline", "deductioncase"])
def test_the_admin_lists_receivables(client, admin_user, model):
    make_line()
    client.force_login(admin_user)

    assert client.get(reverse(f"admin:receivables_{model}_changelist")).status_code == 200


def test_the_hourly_task_applies_lines_left_new(tmp_path, ar_team):
    from ledgerdesk.receivables import services, tasks

    acme = customer()
    ar_invoice(acme, "INV-2026-000950", "77.00")
    path = tmp_path / "a.xml"
    path.write_bytes(
        camt053([Tx(Decimal("77.00"), "INV-2026-000950", "Acme", "NL02RABO0123456789", "E1")])
    )
    services.import_files([path])  # stored only: the engine has not seen it yet
    assert StatementLine.objects.get().state == StatementLine.State.NEW

    tasks.apply_pending_cash.call_local()
    tasks.apply_pending_cash.call_local()  # a second run finds nothing left to do

    line = StatementLine.objects.get()
    assert line.state == StatementLine.State.APPLIED
    assert line.payment.allocations.count() == 1


def test_an_upload_over_the_size_limit_posts_nothing(client, lead, monkeypatch):
    from ledgerdesk.receivables import forms

    monkeypatch.setattr(forms, "MAX_UPLOAD_MB", 0.001)  # about 1 KB, instead of building 20 MB
    client.force_login(lead)
    data = camt053([Tx(Decimal("10.00"), "x" * 100, "y", "")] * 5)

    response = client.post(UPLOAD, {"file": _file(data)}, follow=True)

    assert "the limit is 0.001 MB" in response.content.decode()
    assert not BankStatement.objects.exists()
