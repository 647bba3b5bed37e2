"""A guesser with many addresses is held like one with a single address: IPv6 addresses count
by their /64, and from the 20th failure of an account, whatever the addresses, each failure makes
every new device wait for that account, up to 5 minutes."""

import pytest
from django.conf import settings
from django.test import Client

from ceasefire.web.lockout import account_backoff
from tests.conftest import PASSWORD
from tests.web.backoff_helpers import checked, later, login, stopped, waits  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_addresses_of_one_ipv6_64_are_one_origin(accounts, stopped):
    guesser = Client()
    for host in range(1, 51):
        for _ in range(5):
            login(guesser, "east-head", "wrong-guess", REMOTE_ADDR=f"2001:db8:1:2::{host:x}")
    assert checked() == 5  # then the /64 waits; the clock is stopped, so it waits still
    assert waits(login(guesser, "east-head", PASSWORD, REMOTE_ADDR="2001:db8:1:2:ffff::1")) == 1
    # another network is another origin: the delegate there is not held
    assert login(Client(), "east-head", PASSWORD, REMOTE_ADDR="2001:db8:9::1").status_code == 302


def test_many_addresses_are_held_from_the_20th_failure_of_the_account(accounts, stopped):
    guesser = Client()
    for host in range(1, 51):
        for _ in range(5):
            login(guesser, "east-head", "wrong-guess", REMOTE_ADDR=f"198.51.100.{host}")
    assert checked() == 20
    # a new device elsewhere waits too (a known device does not: test_backoff_known_device)
    newcomer = Client()
    newcomer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = login(newcomer, "east-head", PASSWORD, REMOTE_ADDR="203.0.113.5")
    assert waits(response) == 1 and "failed many times, from several places" in response.content.decode()
    assert login(Client(), "west-head", PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 302


def test_the_account_rule():
    assert [account_backoff(n).total_seconds() for n in (0, 19, 20, 21, 22, 23, 36, 37, 38, 1000)] == [
        0, 0, 1, 1, 2, 2, 256, 256, 300, 300,
    ]  # fmt: skip


@pytest.mark.parametrize(
    "address, first_hour, first_day",
    [
        # 4 free, 9 more while the wait grows to 5 minutes (8.5 min), then one each 5 minutes
        (lambda n: "192.0.2.1", 24, 300),
        # 19 free, 18 more while the wait grows to 5 minutes (17 min), then one each 5 minutes
        (lambda n: f"10.{n // 250}.{n % 250}.1", 46, 322),
    ],
    ids=["one address", "a new address each time"],
)
def test_what_a_guesser_gets_in_a_day(address, first_hour, first_day, accounts, stopped):
    """Each guess as soon as the answer allows: the numbers the README gives."""
    guesser, elapsed, hour = Client(), 0, None
    for n in range(1000):
        wait = waits(login(guesser, "east-head", "wrong-guess", REMOTE_ADDR=address(n))) or 0
        if hour is None and elapsed + wait >= 3600:
            hour = checked()
        if elapsed + wait >= 24 * 3600:
            break
        later(wait)
        elapsed += wait
    assert (hour, checked()) == (first_hour, first_day)
