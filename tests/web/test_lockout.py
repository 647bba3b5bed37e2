"""Repeated failed logins lock the account; the lockout page is ours, in the reader's language."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_signing_in_with_the_right_password(accounts, client):
    response = login(client, "west-head", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_password_comes_back_with_an_error(accounts, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = login(client, "west-head", "wrong")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and 'value="west-head"' in html


def test_five_failures_lock_the_account(accounts, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert login(client, "east-head", "wrong").status_code == 200
    response = login(client, "east-head", "wrong")
    assert response.status_code in (403, 429)
    response = login(client, "east-head", PASSWORD)  # even the right password, now
    assert response.status_code in (403, 429)
    html = response.content.decode()
    assert "Account locked" in html and "Try again in 1 hour" in html
    assert '<html lang="en" dir="ltr">' in html
    # Another account is not affected.
    assert login(client, "west-head", PASSWORD).status_code == 302


def test_the_lockout_page_in_arabic(accounts, client):
    for _ in range(5):
        response = login(client, "observer", "wrong")
    assert response.status_code in (403, 429)
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html and "Account locked" not in html
