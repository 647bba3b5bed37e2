"""How often the API answers one caller: django-ninja's throttles (ninja.throttling), counted per
caller and shared by every process of the server.

Who the caller is, and what it may send (NINJA_DEFAULT_THROTTLE_RATES, from the environment):
- an API token (`Authorization: Bearer`): each token on its own, at the "auth" rate
  (CEASEFIRE_API_RATE_AUTHENTICATED), as ninja's AuthRateThrottle counts its auth;
- else a signed-in account (the browser's session, the API's docs): per account, at the same rate,
  as ninja's UserRateThrottle counts;
- else whoever sent no credentials: per client address, at the "anon" rate
  (CEASEFIRE_API_RATE_ANONYMOUS), as ninja's AnonRateThrottle counts. The address is read by the
  sign-in's rule, web.lockout.client_address (X-Forwarded-For believed only from
  CEASEFIRE_TRUSTED_PROXIES, an IPv6 address counted by its /64), not by ninja's own, which
  believes whatever X-Forwarded-For a client writes and would let it pick a fresh count each time.

One too many is answered 429 in the API's error shape, with Retry-After (api/errors.py). A request
refused by the authentication (401, 403) never reaches the count: ninja checks the credentials
first. The witness (record/witness.py) waits as Retry-After says and asks again.

What this changes of ninja's throttles, which keep a request's state (its key, the count read, the
time) on the throttle object itself, one per operation, shared by every thread of a worker:
- a throttle object per request (Limit), so that two requests at once never count under each
  other's key or answer each other's Retry-After;
- the rate read from the settings at each request, not once at import;
- the counts kept in the "throttle" cache (a folder in DATA_DIR) rather than in each process's
  memory, so that `ceasefire serve`'s workers share one count per caller, and read and written
  under a lock (counting()), so that a caller's requests at once are each counted.
"""

import fcntl
import threading
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from ninja.throttling import AnonRateThrottle, AuthRateThrottle, BaseThrottle, SimpleRateThrottle

from ceasefire.web.lockout import client_address

CACHE = "throttle"


def caller(request) -> str | None:
    """The credentials a request was let in with: "token-<id>", "account-<id>", or None for
    whoever sent none (or sent them to a route that reads none: a witness's cosignature)."""
    token = getattr(request, "api_token", None)  # set by auth.BearerToken once the token is checked
    if token is not None:
        return f"token-{token.id}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"account-{user.pk}"
    return None


class _Counted:
    """Where ninja's throttles keep their counts: the shared cache, not the process's memory."""

    @property
    def cache(self):
        return caches[CACHE]


class Anonymous(_Counted, AnonRateThrottle):
    """Calls without credentials, per client address."""

    def get_ident(self, request) -> str | None:
        return client_address(request)

    def get_cache_key(self, request) -> str | None:
        # Not ninja's test of request.auth: a public route lets the public in with an auth of its own.
        if caller(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class Authenticated(_Counted, AuthRateThrottle):
    """Calls with credentials, per token, or per account for the session."""

    def get_cache_key(self, request) -> str | None:
        ident = caller(request)
        return None if ident is None else self.cache_format % {"scope": self.scope, "ident": ident}


@contextmanager
def counting():
    """One request at a time reads and writes the counts, in every process on this machine."""
    folder = Path(settings.CACHES[CACHE]["LOCATION"])
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield


class Limit(BaseThrottle):
    """One of ninja's throttles (`kind`), made anew for each request with the rate of the moment;
    no rate ("off") lets every request through."""

    def __init__(self, kind: type[SimpleRateThrottle]):
        self.kind = kind
        self.current = threading.local()  # this thread's request's throttle, for wait()

    def allow_request(self, request) -> bool:
        rate = settings.NINJA_DEFAULT_THROTTLE_RATES.get(self.kind.scope)
        if not rate:
            return True
        throttle = self.current.throttle = self.kind(rate)
        with counting():
            return throttle.allow_request(request)

    def wait(self) -> float:
        """Seconds until the oldest request counted leaves the period, and one more may be sent."""
        throttle = self.current.throttle
        wait = throttle.wait()  # None only when more were counted than the rate now allows
        return wait if wait is not None else float(throttle.duration)


LIMITS = [Limit(Anonymous), Limit(Authenticated)]
