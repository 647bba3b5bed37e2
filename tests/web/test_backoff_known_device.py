"""A device that signed in to an account before is not held by the waits that others can start
(from a shared address, or from anywhere for the account): with the right password it gets in.
Its failures still count, and hold it after five, as from one address. The cookie saying so is
signed, names the account, and is HttpOnly (Secure with SECURE_COOKIES)."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse

from ceasefire.web.lockout import DEVICE_SALT
from tests.conftest import PASSWORD
from tests.web.backoff_helpers import checked, later, login, stopped, waits  # noqa: F401

pytestmark = pytest.mark.django_db

VENUE = "198.51.100.20"  # the venue's NAT: both delegations behind it


def phone(username="east-head", address=VENUE):
    """The delegate's own phone, which signed in there before."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert login(client, username, PASSWORD, REMOTE_ADDR=address).status_code == 302
    client.post(reverse("logout"))  # signed out; the browser keeps its other cookies
    assert settings.LOGIN_DEVICE_COOKIE in client.cookies
    assert client.get(reverse("dashboard")).status_code == 302  # to the sign-in page
    return client


def test_a_known_device_gets_in_while_a_neighbour_keeps_the_address_waiting(accounts, stopped):
    delegate, attacker = phone(), Client()
    for _ in range(20):  # one wrong password each time the wait is over
        login(attacker, "east-head", "wrong", REMOTE_ADDR=VENUE)
        later(301)
    assert waits(login(attacker, "east-head", "wrong", REMOTE_ADDR=VENUE)) == 300
    assert waits(login(Client(), "east-head", PASSWORD, REMOTE_ADDR=VENUE)) == 300  # a new device waits
    assert login(delegate, "east-head", PASSWORD, REMOTE_ADDR=VENUE).status_code == 302
    # the delegate's success does not forgive the attacker
    assert waits(login(attacker, "east-head", PASSWORD, REMOTE_ADDR=VENUE)) == 300


def test_a_known_device_is_not_held_by_the_account_wait(accounts, stopped):
    delegate = phone(address="203.0.113.5")
    for host in range(1, 31):
        login(Client(), "east-head", "wrong", REMOTE_ADDR=f"192.0.2.{host}")
    assert checked() == 20
    assert waits(login(Client(), "east-head", PASSWORD, REMOTE_ADDR="203.0.113.5")) == 1
    assert login(delegate, "east-head", PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 302


def test_a_known_device_is_checked_counted_and_held_by_its_own_failures(accounts, stopped):
    delegate, attacker = phone(), Client()
    for _ in range(5):
        login(attacker, "east-head", "wrong", REMOTE_ADDR=VENUE)
    assert checked() == 5
    responses = [login(delegate, "east-head", "wrong", REMOTE_ADDR=VENUE) for _ in range(6)]
    assert [r.status_code for r in responses[:4]] == [200] * 4 and waits(responses[4]) == 1
    assert "failed several times in a row on this device" in responses[4].content.decode()
    assert checked() == 10  # counted like any other failure; the sixth was held, not checked
    assert waits(login(delegate, "east-head", PASSWORD, REMOTE_ADDR=VENUE)) == 1
    later(1)
    assert login(delegate, "east-head", PASSWORD, REMOTE_ADDR=VENUE).status_code == 302
    assert checked() == 5  # its success forgets its own failures, not the attacker's


def test_the_device_cookie(accounts, settings):
    settings.SESSION_COOKIE_SECURE = True
    cookie = phone().cookies[settings.LOGIN_DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 90 * 24 * 3600


def forged(value):
    client = Client()
    client.cookies[settings.LOGIN_DEVICE_COOKIE] = value
    return client


def test_a_device_cookie_cannot_be_made_up_or_borrowed(accounts, stopped, monkeypatch):
    west_phone = phone("west-head")
    for _ in range(5):
        login(Client(), "east-head", "wrong", REMOTE_ADDR=VENUE)
    real = time.time()
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda: real - dt.timedelta(days=91).total_seconds())
        expired = signing.dumps(["east-head", "0123456789abcdef"], salt=DEVICE_SALT, compress=True)
    for device in (
        west_phone,  # known for another account
        forged(signing.dumps(["east-head", "0123456789abcdef"], salt="another purpose")),
        forged(signing.dumps(["east-head", "0123456789abcdef"], key="not the secret key", salt=DEVICE_SALT)),
        forged(west_phone.cookies[settings.LOGIN_DEVICE_COOKIE].value.replace("west", "east")),
        forged(expired),
        forged("east-head"),
    ):
        assert waits(login(device, "east-head", PASSWORD, REMOTE_ADDR=VENUE)) == 1
    assert login(phone("east-head", "203.0.113.5"), "east-head", PASSWORD, REMOTE_ADDR=VENUE).status_code == 302
