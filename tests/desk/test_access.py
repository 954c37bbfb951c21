"""Who may open the desk pages: anonymous → sign in, no role → 403, agent → 200, and an
unknown case → 404. Every page and action of the desk is listed here."""

import pytest
from django.core.files.base import ContentFile

from ledgerdesk.desk import services
from ledgerdesk.desk.models import Attachment, Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(ap_team):
    case = services.open_case(team=ap_team, subject="Hello", requester_email="v@vendor.example")
    message = services.record_inbound(
        case, Message(message_id="m1@vendor.example", sender_email="v@vendor.example", text="Hi")
    )
    attachment = Attachment(message=message, filename="a.txt", content_type="text/plain", size=2)
    attachment.file.save("a.txt", ContentFile(b"hi"), save=True)
    return case


def _pages(case):
    attachment = Attachment.objects.get(message__case=case)
    return [
        "/desk/",
        "/desk/team/ap/",
        "/desk/search/?q=hello",
        case.get_absolute_url(),
        f"/desk/attachments/{attachment.pk}/",
    ]


ACTIONS = ["reply", "state", "assign", "merge", "split"]


def test_anonymous_is_sent_to_sign_in(client, case):
    for url in _pages(case) + ["/desk/quarantine/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), url
    for action in ACTIONS:
        response = client.post(f"/desk/cases/{case.reference}/{action}/", {"text": "x"})
        assert response["Location"].startswith("/login/"), action


def test_someone_without_a_role_gets_403(client, outsider, case):
    client.force_login(outsider)
    for url in _pages(case) + ["/desk/quarantine/"]:
        assert client.get(url).status_code == 403, url
    for action in ACTIONS:
        response = client.post(f"/desk/cases/{case.reference}/{action}/", {"text": "x"})
        assert response.status_code == 403, action
    assert case.messages.filter(direction="out").count() == 0


@pytest.mark.parametrize("persona", ["agent", "lead", "manager"])
def test_staff_roles_open_every_page(client, case, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in _pages(case):
        assert client.get(url).status_code == 200, url


def test_an_unknown_case_is_404(agent_client):
    assert agent_client.get("/desk/cases/AP-2026-999999/").status_code == 404
    response = agent_client.post(
        "/desk/cases/AP-2026-999999/reply/", {"text": "x", "action": "note"}
    )
    assert response.status_code == 404


def test_actions_only_take_posts(agent_client, case):
    for action in ACTIONS:
        assert agent_client.get(f"/desk/cases/{case.reference}/{action}/").status_code == 405


def test_the_top_bar_links_the_desk(agent_client):
    assert 'href="/desk/"' in agent_client.get("/").content.decode()
