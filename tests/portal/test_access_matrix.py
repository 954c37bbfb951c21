"""The portal's access matrix: every portal page × every persona × whose object it names.

Personas: vendor A, vendor B, customer C (portal users, second factor passed), anonymous,
and a staff agent (console role, no portal account). Targets for pages that name an object:
the persona's own object, another party's object, and a guessed id that does not exist.

- A portal user gets 200 for their own objects and 404 for anyone else's and for guessed ids
  (the same answer, so a guessed id says nothing). Pages of the other side (a vendor on the
  customer's account page) answer 404 as well.
- Anonymous is sent to the portal's sign-in; a staff agent gets 403 (no portal account).
- Signed links that were tampered with or expired answer 404; so do used invitations.
- Portal users get 403 on every console page and are refused by every API endpoint.
"""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ledgerdesk.api import api
from ledgerdesk.desk.models import Case, Message
from ledgerdesk.portal import services
from ledgerdesk.portal.scoping import invoice_token

pytestmark = pytest.mark.django_db

PORTAL_PERSONAS = ["vendor_a", "vendor_b", "customer_c"]
PERSONAS = [*PORTAL_PERSONAS, "anonymous", "agent"]
TARGETS = ["own", "other", "guessed"]
GUESSED = 987654

# Pages without an id: who may see them (vendor, customer).
PAGES = {
    "/portal/": {"vendor", "customer"},
    "/portal/invoices/": {"vendor"},
    "/portal/payments/": {"vendor", "customer"},
    "/portal/cases/": {"vendor", "customer"},
    "/portal/profile/": {"vendor", "customer"},
    "/portal/profile/bank/": {"vendor"},
    "/portal/invoices/submit/": {"vendor"},
    "/portal/account/": {"customer"},
    "/portal/account/invoices/": {"customer"},
    "/portal/account/statement/": {"customer"},
    "/portal/account/statement/?start=2026-01-01&end=2026-12-31&format=csv": {"customer"},
    "/portal/account/statement/?start=2026-01-01&end=2026-12-31&format=pdf": {"customer"},
}
# Pages that name an object: the address for an object set (or a guessed id).
OBJECT_PAGES = {
    "invoice": "/portal/invoices/{invoice}/",
    "invoice copy": "/portal/invoices/{invoice}/copy.pdf",
    "ask about an invoice": "/portal/invoices/{invoice}/ask/",
    "payment": "/portal/payments/{payment}/",
    "case": "/portal/cases/{case}/",
}


def _ids(party) -> dict:
    return {"invoice": party.invoice.pk, "payment": party.payment.pk, "case": party.case.reference}


def _persona(world, name):
    return {"vendor_a": world.a, "vendor_b": world.b, "customer_c": world.c}.get(name)


def _client(world, name, agent) -> Client:
    if name == "anonymous":
        return Client()
    if name == "agent":
        client = Client()
        client.force_login(agent)
        return client
    return _persona(world, name).client


def _kind(name) -> str:
    return "customer" if name == "customer_c" else "vendor"


def _assert_refused_for_outsiders(response, name, url):
    if name == "anonymous":
        assert response.status_code == 302, url
        assert response["Location"].startswith("/portal/login/"), url
    else:
        assert response.status_code == 403, (name, url)


@pytest.mark.parametrize("url", list(PAGES))
@pytest.mark.parametrize("name", PERSONAS)
def test_pages_without_an_id(world, agent, name, url):
    response = _client(world, name, agent).get(url)
    if name in PORTAL_PERSONAS:
        expected = 200 if _kind(name) in PAGES[url] else 404
        assert response.status_code == expected, (name, url)
    else:
        _assert_refused_for_outsiders(response, name, url)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("page", list(OBJECT_PAGES))
@pytest.mark.parametrize("name", PERSONAS)
def test_pages_naming_an_object(world, agent, name, page, target):
    client = _client(world, name, agent)
    own = _persona(world, name) or world.a
    others = [p for p in (world.a, world.b, world.c) if p is not own]
    if target == "own":
        id_sets = [_ids(own)]
    elif target == "other":
        id_sets = [_ids(p) for p in others]
    else:
        id_sets = [{"invoice": GUESSED, "payment": GUESSED, "case": "AP-2026-987654"}]
    for ids in id_sets:
        url = OBJECT_PAGES[page].format(**ids)
        response = client.get(url)
        if name in PORTAL_PERSONAS:
            expected = 200 if target == "own" else 404
            assert response.status_code == expected, (name, url)
        else:
            _assert_refused_for_outsiders(response, name, url)


@pytest.mark.parametrize("name", PORTAL_PERSONAS)
def test_writing_on_another_partys_objects_answers_404_and_changes_nothing(world, name):
    own = _persona(world, name)
    cases_before, messages_before = Case.objects.count(), Message.objects.count()
    for other in (p for p in (world.a, world.b, world.c) if p is not own):
        ask = own.client.post(
            f"/portal/invoices/{other.invoice.pk}/ask/",
            {"kind": "dispute", "lines": [other.line.pk], "message": "Not ours."},
        )
        assert ask.status_code == 404
        reply = own.client.post(f"/portal/cases/{other.case.reference}/", {"text": "Hello?"})
        assert reply.status_code == 404
    # Even naming another party's line on one's own invoice is refused by the form.
    other_line = (world.c if own is not world.c else world.a).line
    response = own.client.post(
        f"/portal/invoices/{own.invoice.pk}/ask/",
        {"kind": "dispute", "lines": [other_line.pk], "message": "This line is wrong."},
    )
    assert response.status_code == 200 and b"Select a valid choice" in response.content
    assert (Case.objects.count(), Message.objects.count()) == (cases_before, messages_before)


# --- Signed links ------------------------------------------------------------------------------


def _tampered(token: str) -> list[str]:
    value, _, rest = token.partition(":")
    return [
        f"{value}0:{rest}",  # another value (invoice 1 → 10) under this signature
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # a changed signature
        value,  # no signature at all
        f"{value}:{rest.split(':')[0]}:",  # signature cut off
    ]


def test_a_signed_invoice_link_shows_that_invoice_without_an_account(world):
    token = invoice_token(world.a.invoice)
    response = Client().get(f"/portal/i/{token}/")
    assert response.status_code == 200
    assert b"Invoice 4411" in response.content
    assert b"B-77" not in response.content and b"Your invoices" not in response.content


def test_tampered_and_expired_invoice_links_answer_404(world):
    token = invoice_token(world.a.invoice)
    for bad in _tampered(token):
        assert Client().get(f"/portal/i/{bad}/").status_code == 404, bad
    month_ago = time.time() - 31 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=month_ago):
        old = invoice_token(world.a.invoice)
    expired = Client().get(f"/portal/i/{old}/")
    assert expired.status_code == 404
    # Expired and tampered look the same: nothing says which it was.
    tampered = Client().get(f"/portal/i/{_tampered(token)[1]}/")
    assert expired.content == tampered.content


def test_a_link_for_an_invoice_that_is_gone_answers_404(world):
    from ledgerdesk.ledger.models import Invoice

    token = invoice_token(Invoice(pk=GUESSED))
    assert Client().get(f"/portal/i/{token}/").status_code == 404


def test_tampered_expired_and_used_invitations_answer_404(world, agent):
    contact = world.c.contact.party.contacts.create(name="New Person", email="new@cobalt.example")
    account = services.invite(contact, invited_by=agent)
    token = services.invitation_token(account)
    for bad in _tampered(token):
        assert Client().get(f"/portal/welcome/{bad}/").status_code == 404, bad
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 8 * 24 * 3600):
        old = services.invitation_token(account)
    assert Client().get(f"/portal/welcome/{old}/").status_code == 404
    ok = Client().post(
        f"/portal/welcome/{token}/",
        {"new_password1": "a-long-portal-passphrase", "new_password2": "a-long-portal-passphrase"},
    )
    assert ok.status_code == 302
    assert Client().get(f"/portal/welcome/{token}/").status_code == 404  # used


# --- Portal users and the console ----------------------------------------------------------------


# Pages outside the console that a signed link opens without signing in (an approver's e-mailed
# approval link): the token is the key, and a made-up one is not found, for anyone.
SIGNED_LINKS = ("payables/approve/",)


def _console_urls(resolver=None, prefix=""):
    """Every console address in the URL configuration, with placeholder arguments."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("portal/", "admin/", "api/")):
                continue
            yield from _console_urls(entry, route)
        elif isinstance(entry, URLPattern):
            if route in ("login/", "logout/", "healthz") or route.startswith(SIGNED_LINKS):
                continue
            path = route
            for converter, value in (("<int:", "1"), ("<slug:", "ap"), ("<str:", "AP-2026-000001")):
                while converter in path:
                    start = path.index(converter)
                    path = path[:start] + value + path[path.index(">", start) + 1 :]
            yield "/" + path


def test_the_console_url_list_is_complete_enough():
    urls = set(_console_urls())
    assert {"/", "/parties/", "/ledger/invoices/", "/desk/", "/audit/"} <= urls
    assert len(urls) >= 20


@pytest.mark.parametrize("name", PORTAL_PERSONAS)
def test_portal_users_get_403_on_every_console_page(world, name):
    client = _persona(world, name).client
    for url in _console_urls():
        answers = {client.get(url).status_code, client.post(url, {}).status_code}
        assert answers <= {403, 405} and 403 in answers, (url, answers)
    assert client.get("/portal/invite/1/").status_code == 403
    assert client.get("/payables/approve/AP-2026-000001/").status_code == 404
    admin = client.get("/admin/")
    assert admin.status_code == 302 and "/admin/login/" in admin["Location"]


def _api_calls():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        url = path
        while "{" in url:
            start = url.index("{")
            url = url[:start] + "1" + url[url.index("}", start) + 1 :]
        for method in operations:
            yield method, url


@pytest.mark.parametrize("name", PORTAL_PERSONAS)
def test_portal_users_are_refused_by_every_api_endpoint(world, name):
    client = _persona(world, name).client
    calls = list(_api_calls())
    assert len(calls) >= 10
    for method, url in calls:
        response = getattr(client, method)(url, content_type="application/json", data={})
        assert response.status_code in (401, 403), (method, url, response.status_code)


def test_staff_can_use_the_invite_page_and_outsiders_cannot(world, agent, outsider):
    url = f"/portal/invite/{world.a.contact.pk}/"
    staff = Client()
    staff.force_login(agent)
    assert staff.get(url).status_code == 200
    nobody = Client()
    nobody.force_login(outsider)
    assert nobody.get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
