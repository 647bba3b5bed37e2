"""Failed sign-ins slow the next attempt down instead of locking the account for long.

django-axes counts the failures of one account from one address; from the fifth on, each failure
makes that account wait 1 s, then 2 s, 4 s ... at most LOGIN_BACKOFF_MAX (5 minutes) after it,
before the next password is even checked. Failures are forgotten a day after the last one, or at
the next successful sign-in. An attacker guesses a handful of passwords an hour, and can make a
delegate who signs in from the same address wait minutes, never an hour.

axes' own cool-off cannot say this: it is at once how long the lock lasts and how long failures
are remembered (and axes deletes every account's attempts older than the current request's
cool-off), so a cool-off that grows with the failures would forget them when it is short. Here the
cool-off (AXES_COOLOFF_TIME) is the memory, and the handler decides the wait.

The address is the connection's, unless it is one of CEASEFIRE_TRUSTED_PROXIES: only then is
X-Forwarded-For read, and the address taken is the right-most one no trusted proxy added (anything
left of it the client wrote itself)."""

import datetime as dt
import ipaddress
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils.timezone import now
from django.utils.translation import ngettext


def backoff(failures: int, limit: int | None = None) -> dt.timedelta:
    """How long the account waits after its `failures`-th failure in a row from one address."""
    limit = settings.AXES_FAILURE_LIMIT if limit is None else limit
    if failures < limit:
        return dt.timedelta(0)
    steps = min(failures - limit, 30)  # 2**30 s is past any cap
    return min(dt.timedelta(seconds=2**steps), settings.LOGIN_BACKOFF_MAX)


class BackOff(AxesDatabaseHandler):
    """axes' database handler, locked only until the back-off after the last failure is over."""

    def remaining(self, request, credentials=None) -> dt.timedelta:
        limit = get_failure_limit(request, credentials)
        at, wait = now(), dt.timedelta(0)
        for attempts in self.get_user_attempts(request, credentials):
            seen = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            if seen["failures"]:
                wait = max(wait, seen["last"] + backoff(seen["failures"], limit) - at)
        return wait

    def is_locked(self, request, credentials=None) -> bool:
        return settings.AXES_LOCK_OUT_AT_FAILURE and self.remaining(request, credentials) > dt.timedelta(0)


def in_words(wait: dt.timedelta) -> str:
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def locked_out(request, original_response=None, credentials=None):
    """Our page (AXES_LOCKOUT_CALLABLE), saying how long to wait, in the reader's language."""
    wait = AxesProxyHandler.get_implementation().remaining(request, credentials)
    context = {"failure_limit": get_failure_limit(request, credentials), "wait": in_words(wait)}
    response = render(request, "web/locked_out.html", context, status=429)
    response["Retry-After"] = str(max(1, math.ceil(wait.total_seconds())))
    return response


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address a sign-in comes from (AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXIES

    def trusted(address) -> bool:
        return address is not None and any(address in net for net in proxies)

    if not trusted(_address(remote or "")):
        return remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break  # a trusted proxy writes addresses: past a malformed one, nothing is to be believed
        if not trusted(address):
            return str(address)
    return remote
