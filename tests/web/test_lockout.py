"""Repeated failed sign-ins slow that account down from that address (1 s, 2 s, 4 s ... at most
5 minutes), never lock it for an hour; behind a trusted reverse proxy each client's address counts
on its own, and X-Forwarded-For is believed from a trusted proxy only. The page is ours, in the
reader's language, and says how long to wait."""

from ipaddress import ip_network

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from ceasefire.web import lockout
from ceasefire.web.lockout import backoff, client_address
from tests.conftest import PASSWORD
from tests.web.backoff_helpers import later, login, waits

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_signing_in_with_the_right_password(accounts, client):
    response = login(client, "west-head", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_password_comes_back_with_an_error(accounts, english):
    response = login(english, "west-head", "wrong")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and 'value="west-head"' in html


def test_five_failures_make_the_account_wait_a_second_not_an_hour(accounts, english, monkeypatch):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert login(english, "east-head", "wrong").status_code == 200
    response = login(english, "east-head", "wrong")
    assert waits(response) == 1
    stopped = lockout.now()
    monkeypatch.setattr(lockout, "now", lambda: stopped)  # the second does not run out on a slow machine
    response = login(english, "east-head", PASSWORD)  # even the right password, for now
    assert waits(response) == 1
    html = response.content.decode()
    assert "Account locked" in html and "Try again in 1 second." in html
    assert '<html lang="en" dir="ltr">' in html
    assert login(english, "west-head", PASSWORD).status_code == 302  # another account is not affected
    later(1)
    assert login(english, "east-head", PASSWORD).status_code == 302


def test_each_failure_doubles_the_wait_up_to_five_minutes(accounts, english):
    for _ in range(5):
        login(english, "east-head", "wrong")
    seen = [1]
    for _ in range(10):
        later(seen[-1])
        seen.append(waits(login(english, "east-head", "wrong")))
    assert seen == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert "Try again in 5 minutes." in login(english, "east-head", PASSWORD).content.decode()
    later(300)
    assert login(english, "east-head", PASSWORD).status_code == 302
    later(0)
    assert not AccessAttempt.objects.exists()  # a success forgets the failures


def test_knocking_while_waiting_neither_checks_the_password_nor_prolongs_the_wait(accounts, english):
    for _ in range(12):
        later(600)
        login(english, "east-head", "wrong")
    assert AccessAttempt.objects.get().failures_since_start == 12  # the wait is now 128 s
    knocks = [waits(login(english, "east-head", PASSWORD)) for _ in range(20)]
    assert all(knocks) and knocks == sorted(knocks, reverse=True) and knocks[0] <= 128  # counting down
    assert AccessAttempt.objects.get().failures_since_start == 12


def test_failures_are_forgotten_a_day_after_the_last(accounts, english):
    for _ in range(12):
        later(600)
        login(english, "east-head", "wrong")
    later(24 * 3600 + 1)
    assert [login(english, "east-head", "wrong").status_code for _ in range(5)] == [200, 200, 200, 200, 429]


def test_behind_a_trusted_proxy_each_client_waits_alone(accounts, english, settings):
    settings.TRUSTED_PROXIES = (ip_network(PROXY),)
    for _ in range(5):
        response = login(english, "east-head", "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert waits(response) == 1
    delegate = login(english, "east-head", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert delegate.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_what_the_client_writes_into_the_header_is_not_believed(accounts, english, settings):
    # Without a trusted proxy the header is ignored: a new made-up address each time gains nothing.
    for i in range(5):
        response = login(english, "east-head", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert waits(response) == 1
    # Behind one, only what the proxy appended counts, not what the client put before it.
    settings.TRUSTED_PROXIES = (ip_network(PROXY),)
    for i in range(5):
        response = login(
            english, "west-head", "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.9"
        )
    assert waits(response) == 1


@pytest.mark.parametrize(
    "remote, forwarded, address",
    [
        ("198.51.100.7", "", "198.51.100.7"),
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),  # not a trusted proxy: the header is ignored
        (PROXY, "", PROXY),
        (PROXY, "203.0.113.9", "203.0.113.9"),
        (PROXY, "192.0.2.1, 203.0.113.9", "203.0.113.9"),
        ("10.0.0.2", "192.0.2.1, 203.0.113.9, 10.0.0.1", "203.0.113.9"),  # two proxies in a row
        (PROXY, "203.0.113.9, not-an-address", PROXY),
        (PROXY, " 2001:db8::1 ", "2001:db8::"),  # an IPv6 address counts as its /64
        ("2001:db8:1:2::5", "203.0.113.9", "2001:db8:1:2::"),
        (PROXY, "::ffff:203.0.113.9", "203.0.113.9"),
        # what proxies write besides bare addresses: with a port, or a v6 in brackets
        (PROXY, "192.0.2.1, 203.0.113.9:51234", "203.0.113.9"),
        (PROXY, "[2001:db8:1:2::7]:443", "2001:db8:1:2::"),
        (PROXY, "[2001:db8:1:2::7]", "2001:db8:1:2::"),
        ("10.0.0.2", "203.0.113.9:51234, 10.0.0.1:443", "203.0.113.9"),
        # a proxy that hides the client: nothing left of it is believed, the proxy's address counts
        (PROXY, "203.0.113.9, unknown", PROXY),
        (PROXY, "203.0.113.9, 203.0.113.9:99999", PROXY),
    ],
)
def test_the_client_address(remote, forwarded, address, settings):
    settings.TRUSTED_PROXIES = (ip_network("10.0.0.0/24"),)
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == address


def test_the_backoff_rule():
    assert [backoff(n, 5).total_seconds() for n in (0, 4, 5, 6, 7, 13, 14, 1000)] == [0, 0, 1, 2, 4, 256, 300, 300]


def test_the_lockout_page_in_arabic(accounts, client):
    for _ in range(5):
        response = login(client, "observer", "wrong")
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html and "Account locked" not in html and "ثانية" in html
