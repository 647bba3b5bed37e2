"""The API's rate limits (api/throttling.py, django-ninja's throttles): whoever sends one request
too many in the period is answered 429 in the API's error shape, with Retry-After saying when the
next one is let through, and nobody else is held by it. Calls without credentials count per client
address (read by the sign-in's trusted-proxy rule, web.lockout.client_address), calls with a token
per token, calls from a signed-in browser per account. The rates are set low here; the clock is the
test's own."""

import multiprocessing
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from ceasefire.api import throttling
from ceasefire.api.tokens import create_token
from tests.helpers import signed_in

from .conftest import Api, assert_error

ANONYMOUS = "/api/v1/record/log-key"  # served to anyone
OWN = "/api/v1/me"  # needs credentials


@pytest.fixture
def clock(monkeypatch):
    """The throttles' time, moved on by the test."""
    now = [1_000_000.0]
    monkeypatch.setattr(throttling.SimpleRateThrottle, "timer", staticmethod(lambda: now[0]))
    return now


@pytest.fixture
def limits(settings, clock):
    """limits(anon, auth): set the rates; the counts start empty and are left empty."""
    cache = throttling.caches[throttling.CACHE]
    cache.clear()

    def set_rates(anon: str | None = "3/min", auth: str | None = "3/min"):
        settings.NINJA_DEFAULT_THROTTLE_RATES = {"anon": anon, "auth": auth}

    yield set_rates
    cache.clear()


def from_address(address: str, **extra) -> Client:
    return Client(REMOTE_ADDR=address, **extra)


def statuses(client, path: str, n: int, **headers) -> list[int]:
    return [client.get(path, headers=headers).status_code for _ in range(n)]


def test_one_address_too_many_is_429_with_retry_after_in_the_usual_shape(db, limits, clock):
    limits(anon="3/min")
    client = from_address("198.51.100.7")
    assert statuses(client, ANONYMOUS, 3) == [200, 200, 200]
    clock[0] += 15
    refused = client.get(ANONYMOUS, headers={"Accept-Language": "en"})
    [error] = assert_error(refused, 429, None, contains="Too many requests: try again in 45 seconds.")
    assert refused["Retry-After"] == "45"  # the first of the three leaves the minute then
    clock[0] += 44
    assert client.get(ANONYMOUS).status_code == 429
    clock[0] += 1
    assert client.get(ANONYMOUS).status_code == 200


def test_in_arabic_for_an_arabic_reader(db, limits):
    limits(anon="1/min")
    client = from_address("198.51.100.8")
    client.get(ANONYMOUS)
    refused = client.get(ANONYMOUS, headers={"Accept-Language": "ar"})
    assert_error(refused, 429, None, contains="طلبات كثيرة")


def test_other_addresses_and_token_holders_are_not_held(db, limits, accounts):
    limits(anon="2/min", auth="2/min")
    held = from_address("198.51.100.9")
    assert statuses(held, ANONYMOUS, 3) == [200, 200, 429]
    assert statuses(from_address("198.51.100.10"), ANONYMOUS, 2) == [200, 200]
    token = create_token(accounts["observer"], "script")
    assert statuses(held, ANONYMOUS, 2, Authorization=f"Bearer {token}") == [200, 200]  # counted per token
    assert statuses(held, ANONYMOUS, 1) == [429]  # and the address still waits


def test_each_token_counts_apart_and_a_browser_per_account(db, limits, accounts):
    limits(auth="2/min")
    first, second = (create_token(accounts["west-head"], name) for name in ("one", "two"))
    a, b = Api(Client(), first, "en"), Api(Client(), second, "en")
    assert [a.get(OWN).status_code for _ in range(3)] == [200, 200, 429]
    assert_error(a.get(OWN), 429, None, contains="Too many requests")
    assert [b.get(OWN).status_code for _ in range(2)] == [200, 200]  # the same account's other token
    # Two browsers signed in as one account share its count; another account has its own.
    browsers = [Client(), Client()]
    for browser in browsers:
        signed_in(browser, accounts["east-head"])
    assert [browsers[k % 2].get(OWN).status_code for k in range(3)] == [200, 200, 429]
    other = Client()
    signed_in(other, accounts["facilitator"])
    assert other.get(OWN).status_code == 200


def test_wrong_credentials_are_refused_before_they_are_counted(db, limits):
    limits(anon="1/min", auth="1/min")
    client = from_address("198.51.100.11")
    assert statuses(client, OWN, 3, Authorization="Bearer cf_not-a-token") == [401, 401, 401]
    assert client.get(ANONYMOUS).status_code == 200  # the address's count is untouched


def test_a_bearer_header_on_a_route_that_reads_no_credentials_is_no_way_around(db, limits):
    """The witnesses' cosignatures need no login: a made-up token sent there is not checked, so it
    must not buy a count of its own."""
    limits(anon="2/min")
    client = from_address("198.51.100.12")
    answers = [
        client.post(
            "/api/v1/record/checkpoint/cosignatures",
            "x",
            content_type="text/plain",
            headers={"Authorization": f"Bearer cf_made-up-{k}"},
        ).status_code
        for k in range(3)
    ]
    assert answers == [422, 422, 429]


def test_behind_a_trusted_proxy_each_client_counts_by_its_own_address(db, limits, settings):
    from ipaddress import ip_network

    limits(anon="1/min")
    settings.TRUSTED_PROXIES = (ip_network("10.0.0.1/32"),)
    proxy = from_address("10.0.0.1")
    one = {"X-Forwarded-For": "203.0.113.5"}
    assert statuses(proxy, ANONYMOUS, 2, **one) == [200, 429]
    assert statuses(proxy, ANONYMOUS, 1, **{"X-Forwarded-For": "203.0.113.6"}) == [200]
    # What the client writes left of the proxy's own entry is not believed.
    assert statuses(proxy, ANONYMOUS, 1, **{"X-Forwarded-For": "192.0.2.99, 203.0.113.5"}) == [429]


def test_a_client_not_behind_a_trusted_proxy_cannot_pick_its_address(db, limits):
    limits(anon="1/min")
    client = from_address("198.51.100.13")
    assert statuses(client, ANONYMOUS, 1, **{"X-Forwarded-For": "192.0.2.1"}) == [200]
    assert statuses(client, ANONYMOUS, 1, **{"X-Forwarded-For": "192.0.2.2"}) == [429]


def test_an_ipv6_client_counts_by_its_64(db, limits):
    limits(anon="1/min")
    assert from_address("2001:db8:1:2::1").get(ANONYMOUS).status_code == 200
    assert from_address("2001:db8:1:2:ffff::9").get(ANONYMOUS).status_code == 429
    assert from_address("2001:db8:1:3::1").get(ANONYMOUS).status_code == 200


def test_off_lets_everything_through(db, limits):
    limits(anon=None, auth=None)
    assert statuses(from_address("198.51.100.14"), ANONYMOUS, 20) == [200] * 20


# ------------------------------------------------------------------ counted once, however many at once
def _anonymous_request(address: str):
    request = RequestFactory().get(ANONYMOUS, REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


def test_requests_at_once_are_each_counted(limits):
    """ninja's throttle keeps each request's state on the one object an operation has: threads at
    once would count under each other's key. Here 8 threads send 10 each through one Limit."""
    limits(anon="25/min")
    limit = throttling.Limit(throttling.Anonymous)
    allowed, start = [], threading.Barrier(8)

    def send(k):
        start.wait()
        allowed.extend(limit.allow_request(_anonymous_request(f"198.51.100.{k % 2 + 20}")) for _ in range(10))

    threads = [threading.Thread(target=send, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert allowed.count(True) == 50  # 25 for each of the two addresses, not one more


def _child(address: str, n: int, out) -> None:
    limit = throttling.Limit(throttling.Anonymous)
    out.send(sum(limit.allow_request(_anonymous_request(address)) for _ in range(n)))
    out.close()


def test_the_server_processes_share_one_count(limits):
    """`ceasefire serve` runs several worker processes: a caller gets the rate, not the rate once
    per process."""
    limits(anon="10/min")
    context = multiprocessing.get_context("fork")
    pipes, children = [], []
    for _ in range(3):
        mine, theirs = context.Pipe()
        child = context.Process(target=_child, args=("198.51.100.30", 8, theirs))
        child.start()
        pipes.append(mine)
        children.append(child)
    counts = [pipe.recv() for pipe in pipes]
    for child in children:
        child.join()
    assert sum(counts) == 10, counts


# ------------------------------------------------------------------ the settings
@pytest.mark.parametrize(
    ("value", "rate"),
    [
        ("120/min", "120/min"),
        ("5/s", "5/s"),
        (" 1000/Day ", "1000/day"),
        ("10/5min", "10/5min"),
        ("off", None),
        ("", None),
    ],
)
def test_a_rate_from_the_environment(monkeypatch, value, rate):
    from ceasefire.settings import _rate

    monkeypatch.setenv("CEASEFIRE_API_RATE_ANONYMOUS", value)
    assert _rate("CEASEFIRE_API_RATE_ANONYMOUS", "120/min") == rate


@pytest.mark.parametrize("value", ["120", "fast", "120/week", "-1/min", "1/days"])
def test_a_rate_that_is_no_rate_is_refused_naming_the_variable(monkeypatch, value):
    from ceasefire.settings import _rate

    monkeypatch.setenv("CEASEFIRE_API_RATE_ANONYMOUS", value)
    with pytest.raises(ImproperlyConfigured, match="CEASEFIRE_API_RATE_ANONYMOUS"):
        _rate("CEASEFIRE_API_RATE_ANONYMOUS", "120/min")
