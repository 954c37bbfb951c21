"""Getting in: the agent's invitation, the password, the e-mailed code, signing out."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from ledgerdesk.core.models import AuditEntry
from ledgerdesk.portal import services
from ledgerdesk.portal.models import LoginCode, PortalAccount
from ledgerdesk.portal.scoping import VERIFIED
from tests.factories import ContactFactory, PartyFactory
from tests.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "copper-lantern-harbour-42"


@pytest.fixture
def contact(db):
    return ContactFactory(party=PartyFactory(name="Acme Supplies BV"), name="Jan de Vries")


def _link(message) -> str:
    return re.search(r"https?://\S+(/portal/welcome/\S+/)", message.body).group(1)


def _code(message) -> str:
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def _invite(agent_client, contact) -> str:
    response = agent_client.post(f"/portal/invite/{contact.pk}/")
    assert response.status_code == 302
    return _link(mail.outbox[-1])


def _sign_in(client, email, password=NEW_PASSWORD):
    return client.post("/portal/login/", {"username": email, "password": password})


def test_an_agent_invites_a_contact_who_sets_a_password_and_signs_in(agent_client, contact):
    link = _invite(agent_client, contact)
    account = PortalAccount.objects.get(contact=contact)
    assert account.party == contact.party and not account.user.has_usable_password()
    assert not account.user.groups.exists() and not account.user.is_staff
    invitation = mail.outbox[-1]
    assert invitation.to == [contact.email] and "7 days" in invitation.body

    client = Client()
    page = client.get(link)
    assert page.status_code == 200 and b"Choose a password" in page.content
    done = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/portal/login/"
    account.refresh_from_db()
    assert account.activated_at and not account.invitation_nonce

    step_one = _sign_in(client, contact.email.upper())  # the address in any case
    assert step_one.status_code == 302 and step_one["Location"] == "/portal/login/code/"
    assert client.get("/portal/").status_code == 302  # not signed in before the code
    code = _code(mail.outbox[-1])
    step_two = client.post("/portal/login/code/", {"code": code})
    assert step_two.status_code == 302 and step_two["Location"] == "/portal/"
    assert client.session[VERIFIED] == account.user.pk
    assert client.get("/portal/").status_code == 200
    # Who invited whom is in the audit log.
    assert AuditEntry.objects.filter(object_type="portal.portalaccount").exists()


def test_the_password_must_pass_the_validators_and_errors_sit_by_the_field(agent_client, contact):
    link = _invite(agent_client, contact)
    response = Client().post(link, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    html = response.content.decode()
    field = html[html.index('id="field-new_password2"') :]
    assert "This password is too common" in field[: field.index("</div>")]


def test_an_invitation_link_works_once_and_a_new_one_replaces_it(agent_client, contact):
    first = _invite(agent_client, contact)
    second = _invite(agent_client, contact)
    assert Client().get(first).status_code == 404
    Client().post(second, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert Client().get(second).status_code == 404


def test_a_contact_without_an_email_address_cannot_be_invited(agent_client, contact):
    contact.email = ""
    contact.save()
    response = agent_client.post(f"/portal/invite/{contact.pk}/")
    assert response.status_code == 400 and b"no e-mail address" in response.content
    assert not PortalAccount.objects.exists()


def test_an_address_already_used_by_staff_is_refused(agent_client, agent, contact):
    contact.email = agent.email
    contact.save()
    get_user_model().objects.filter(pk=agent.pk).update(username=agent.email)
    with pytest.raises(services.PortalError, match="already exists"):
        services.invite(contact, invited_by=None)


@pytest.fixture
def account(contact):
    user = get_user_model().objects.create_user(
        username=contact.email, email=contact.email, password=PASSWORD
    )
    return PortalAccount.objects.create(user=user, party=contact.party, contact=contact)


def test_a_wrong_password_gets_the_same_words_as_an_unknown_address(client, account):
    wrong = _sign_in(client, account.user.email, "nope-nope-nope")
    unknown = _sign_in(client, "nobody@example.com", "nope-nope-nope")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert b"do not match" in response.content
    assert not mail.outbox


def test_staff_cannot_use_the_portal_sign_in(client, agent):
    response = _sign_in(client, "agent", "correct-horse-battery")
    assert response.status_code == 200 and b"do not match" in response.content


def test_the_code_is_stored_hashed_and_a_wrong_code_says_how_many_tries_are_left(client, account):
    _sign_in(client, account.user.email, PASSWORD)
    code = _code(mail.outbox[-1])
    row = LoginCode.objects.get()
    assert code not in row.code_hash
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/portal/login/code/", {"code": wrong})
    assert b"You have 4 more tries" in response.content
    short = client.post("/portal/login/code/", {"code": "12"})
    assert b"The code has 6 digits" in short.content


def test_five_wrong_codes_end_the_attempt(client, account):
    _sign_in(client, account.user.email, PASSWORD)
    code = _code(mail.outbox[-1])
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        client.post("/portal/login/code/", {"code": wrong})
    last = client.post("/portal/login/code/", {"code": wrong})
    assert last.status_code == 302 and last["Location"] == "/portal/login/"
    # The right code no longer helps: sign in again for a new one.
    again = client.post("/portal/login/code/", {"code": code})
    assert again.status_code == 302 and again["Location"] == "/portal/login/"
    assert client.get("/portal/").status_code == 302


def test_a_code_expires_after_ten_minutes_and_works_once(client, account):
    _sign_in(client, account.user.email, PASSWORD)
    code = _code(mail.outbox[-1])
    LoginCode.objects.update(expires_at=timezone.now())
    assert client.post("/portal/login/code/", {"code": code})["Location"] == "/portal/login/"
    _sign_in(client, account.user.email, PASSWORD)
    fresh = LoginCode.objects.order_by("-created_at").first()
    code = _code(mail.outbox[-1])
    assert services.check_code(account, fresh.pk, code).ok
    assert not services.check_code(account, fresh.pk, code).ok  # used


def test_a_new_code_replaces_the_old_and_codes_are_limited_per_hour(client, account):
    first = services.issue_code(account)
    services.issue_code(account)
    first.refresh_from_db()
    assert first.expires_at <= timezone.now()
    for _ in range(services.CODES_PER_HOUR - 2):
        services.issue_code(account)
    response = _sign_in(client, account.user.email, PASSWORD)
    assert response.status_code == 200 and b"wait an hour" in response.content


def test_password_guessing_is_limited_by_axes(client, account, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, account.user.email, "wrong-wrong-wrong")
    locked = _sign_in(client, account.user.email, PASSWORD)
    assert locked.status_code == 429
    assert not mail.outbox


def test_a_switched_off_account_cannot_sign_in_or_stay_in(account):
    client = Client()
    _sign_in(client, account.user.email, PASSWORD)
    client.post("/portal/login/code/", {"code": _code(mail.outbox[-1])})
    assert client.get("/portal/").status_code == 200
    PortalAccount.objects.filter(pk=account.pk).update(is_active=False)
    assert client.get("/portal/").status_code == 302
    assert _sign_in(Client(), account.user.email, PASSWORD).status_code == 200  # refused


def test_signing_out(account):
    client = Client()
    _sign_in(client, account.user.email, PASSWORD)
    client.post("/portal/login/code/", {"code": _code(mail.outbox[-1])})
    assert client.get("/portal/logout/").status_code == 405
    response = client.post("/portal/logout/")
    assert response.status_code == 302 and response["Location"] == "/portal/login/"
    assert client.get("/portal/").status_code == 302


def test_after_sign_in_the_user_lands_where_they_were_going(account):
    client = Client()
    start = client.get("/portal/payments/")
    assert start["Location"] == "/portal/login/?next=%2Fportal%2Fpayments%2F"
    client.post(
        "/portal/login/",
        {"username": account.user.email, "password": PASSWORD, "next": "/portal/payments/"},
    )
    done = client.post("/portal/login/code/", {"code": _code(mail.outbox[-1])})
    assert done["Location"] == "/portal/payments/"
    # Never somewhere else: an outside address sends them home.
    client.post("/portal/logout/")
    client.post(
        "/portal/login/",
        {"username": account.user.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    done = client.post("/portal/login/code/", {"code": _code(mail.outbox[-1])})
    assert done["Location"] == "/portal/"


def test_a_session_signed_in_on_the_console_does_not_pass_the_portal(account):
    client = Client()
    client.post("/login/", {"username": account.user.username, "password": PASSWORD})
    assert client.get("/portal/").status_code == 302  # no second factor yet
    assert client.get("/").status_code == 403  # and the console refuses them
