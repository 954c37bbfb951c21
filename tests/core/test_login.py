import pytest
from django.contrib.auth.hashers import make_password

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    assert make_password("a-long-passphrase").startswith("argon2$")


def test_the_shipped_settings_hash_with_argon2():
    # The conftest swaps in a fast hasher for tests; the settings module itself must not.
    import ledgerdesk.settings as shipped

    assert shipped.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_a_role_holder_signs_in_and_sees_the_console(client, agent):
    response = client.post("/login/", {"username": "agent", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_refused(client, agent):
    response = client.post("/login/", {"username": "agent", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct" in response.content


def test_login_attempts_are_limited(client, agent, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "agent", "password": "wrong"})
    # Even the right password is refused while the lock-out lasts.
    response = client.post("/login/", {"username": "agent", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content
    assert client.get("/").status_code == 302  # still signed out


def test_csrf_is_enforced_on_login(db):
    from django.test import Client

    UserFactory(username="strict")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/login/", {"username": "strict", "password": "correct-horse-battery"})
    assert response.status_code == 403


def test_signed_out_visitors_are_sent_to_login(client, db):
    response = client.get("/parties/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
