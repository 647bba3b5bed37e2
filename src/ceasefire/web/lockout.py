"""Failed sign-ins slow the next attempt down instead of locking the account for long.

Three counts, each of failures forgotten a day after the last one (AXES_COOLOFF_TIME, the
memory; the handler decides the wait):

- per account and origin: from the fifth failure (AXES_FAILURE_LIMIT) of one account from one
  origin, each failure makes that account wait 1 s, then 2 s, 4 s ... at most LOGIN_BACKOFF_MAX
  (5 minutes) before the next password from that origin is even checked. A success from that
  origin forgets them.
- per account, whatever the origin: from the 20th failure of the account
  (LOGIN_ACCOUNT_FAILURE_LIMIT) each failure makes it wait too, doubling every second failure,
  up to the same maximum. A guesser who tries each time the wait ends gets 24 passwords checked
  in the first hour and 300 in a day from one origin; from endless addresses, 46 and 322
  (tests/web/test_backoff_distributed.py measures both).
- per known device: a browser that signed in to the account before carries a signed cookie
  naming the account (LOGIN_DEVICE_COOKIE). Its sign-ins are not held by the two waits above,
  which anyone sharing an address (a venue's NAT) or knowing the username could keep running;
  they are counted in both as usual, and held only by the device's own failures, on the
  per-origin rule. So the delegate's own phone gets in, and a stolen cookie gives no more
  guesses than one address does.

An origin is the client's IPv4 address, or the /64 network of its IPv6 address (one household,
one phone line, one server has a whole /64). The address is the connection's, unless it is one of
CEASEFIRE_TRUSTED_PROXIES: only then is X-Forwarded-For read (see client_address).

axes' own cool-off cannot say this: it is at once how long the lock lasts and how long failures
are remembered (and axes deletes every account's attempts older than the current request's
cool-off), so a cool-off that grows with the failures would forget them when it is short."""

import datetime as dt
import ipaddress
import logging
import math
import re
import secrets

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.views import LoginView
from django.core import signing
from django.db.models import Max, Sum
from django.shortcuts import redirect, render
from django.utils.timezone import now
from django.utils.translation import ngettext

log = logging.getLogger(__name__)

DEVICE_SALT = "ceasefire.web.lockout.device"
DEVICE_TAG = "known device "  # the user_agent of a known device's failures: its own bucket


def backoff(failures: int, limit: int | None = None, every: int = 1) -> dt.timedelta:
    """How long to wait after the `failures`-th failure: nothing before `limit`, then 1 s,
    doubling every `every` failures, at most LOGIN_BACKOFF_MAX."""
    limit = settings.AXES_FAILURE_LIMIT if limit is None else limit
    if failures < limit:
        return dt.timedelta(0)
    steps = min((failures - limit) // every, 30)  # 2**30 s is past any cap
    return min(dt.timedelta(seconds=2**steps), settings.LOGIN_BACKOFF_MAX)


def account_backoff(failures: int) -> dt.timedelta:
    """The wait after the account's `failures`-th failure from anywhere."""
    return backoff(failures, settings.LOGIN_ACCOUNT_FAILURE_LIMIT, every=2)


# Known devices


def remember_device(response, username: str, device: str | None = None) -> None:
    """Mark the browser that just signed in as `username` as a known device of that account."""
    value = signing.dumps([username, device or secrets.token_hex(8)], salt=DEVICE_SALT, compress=True)
    response.set_cookie(
        settings.LOGIN_DEVICE_COOKIE,
        value,
        max_age=int(settings.LOGIN_DEVICE_AGE.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def known_device(request, username: str | None) -> str | None:
    """The id of the device this request comes from, if it signed in as `username` before."""
    value = request.COOKIES.get(settings.LOGIN_DEVICE_COOKIE)
    if not value or not username:
        return None
    try:
        named, device = signing.loads(value, salt=DEVICE_SALT, max_age=settings.LOGIN_DEVICE_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return device if named == username and isinstance(device, str) else None


class SignIn(LoginView):
    """Django's sign-in, remembering the device it succeeded on (the same one, if it was known).
    An account that owes a second factor is not signed in by its password: the session waits for
    the code (web/two_factor.py), and only a sign-in with both factors makes the device known."""

    def form_valid(self, form):
        from ceasefire.mechanism import second_factor

        from . import two_factor

        user = form.get_user()
        if second_factor.owed(user):
            two_factor.begin(self.request, user, self.get_success_url())
            return redirect("sign_in_code" if second_factor.app(user) else "two_factor_set_up")
        response = super().form_valid(form)
        remember_this_device(self.request, response, user.get_username())
        return response


def remember_this_device(request, response, username: str) -> None:
    """After a whole sign-in: this browser is a known device of the account from now on."""
    remember_device(response, username, known_device(request, username))


# The handler


def _wait(attempts, rule, at) -> dt.timedelta:
    seen = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    wait = rule(seen["failures"] or 0)
    return max(dt.timedelta(0), seen["last"] + wait - at) if wait else wait


class BackOff(AxesDatabaseHandler):
    """axes' database handler, holding a sign-in only until the back-offs are over."""

    def _device(self, request, credentials):
        return known_device(request, get_client_username(request, credentials))

    def waits(self, request, credentials=None) -> dict[str, dt.timedelta]:
        """What holds this sign-in, and for how long: its device, or its origin and the account."""
        username = get_client_username(request, credentials)
        attempts = AccessAttempt.objects.filter(username=username, attempt_time__gte=get_cool_off_threshold(request))
        limit = get_failure_limit(request, credentials)
        device = known_device(request, username)
        at = now()
        if device:
            return {"device": _wait(attempts.filter(user_agent=DEVICE_TAG + device), lambda n: backoff(n, limit), at)}
        return {
            "address": _wait(attempts.filter(ip_address=request.axes_ip_address), lambda n: backoff(n, limit), at),
            "account": _wait(attempts, account_backoff, at),
        }

    def remaining(self, request, credentials=None) -> dt.timedelta:
        return max(self.waits(request, credentials).values())

    def is_locked(self, request, credentials=None) -> bool:
        return settings.AXES_LOCK_OUT_AT_FAILURE and self.remaining(request, credentials) > dt.timedelta(0)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None or request.axes_locked_out:  # held: not checked, not counted
            return super().user_login_failed(sender, credentials, request, **kwargs)
        device = self._device(request, credentials)
        if device:
            request.axes_user_agent = DEVICE_TAG + device
        super().user_login_failed(sender, credentials, request, **kwargs)
        # Answer "wait" exactly when the next try would be held (axes counts one origin only).
        request.axes_locked_out = self.is_locked(request, credentials)
        request.axes_credentials = credentials

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A success forgets the failures of its origin, or of the known device it came from (not
        those of the others behind the same address)."""
        device = self._device(request, credentials)
        if not device:
            return super().reset_user_attempts(request, credentials)
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, user_agent=DEVICE_TAG + device).delete()
        return count


def in_words(wait: dt.timedelta) -> str:
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def locked_out(request, original_response=None, credentials=None):
    """Our page (AXES_LOCKOUT_CALLABLE), saying how long to wait, in the reader's language."""
    waits = AxesProxyHandler.get_implementation().waits(request, credentials)
    held = max(waits, key=waits.get)
    wait = waits[held]
    context = {"failure_limit": get_failure_limit(request, credentials), "wait": in_words(wait), "held": held}
    response = render(request, "web/locked_out.html", context, status=429)
    response["Retry-After"] = str(max(1, math.ceil(wait.total_seconds())))
    return response


# The client's address

_WITH_PORT = re.compile(r"\[(?P<v6>[0-9A-Fa-f:.]+)\](?::(?P<v6port>\d{1,5}))?|(?P<v4>[0-9.]+):(?P<v4port>\d{1,5})")


def _address(text: str):
    """An address as proxies write it: bare, `1.2.3.4:port`, `[v6]` or `[v6]:port`; else None."""
    text = text.strip()
    match = _WITH_PORT.fullmatch(text)
    if match:
        if int(match["v6port"] or match["v4port"] or 0) > 65535:
            return None
        text = match["v6"] or match["v4"]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return address.ipv4_mapped or address if address.version == 6 else address


def origin(address) -> str:
    """What failures count under: an IPv4 address, or the first address of an IPv6 /64."""
    if address.version == 6:
        return str(ipaddress.IPv6Address(int(address) >> 64 << 64))
    return str(address)


def client_address(request) -> str | None:
    """The origin a sign-in comes from (AXES_CLIENT_IP_CALLABLE).

    The connection's address, unless it is a trusted proxy: then the right-most address in
    X-Forwarded-For that no trusted proxy added (anything left of it the client wrote itself).
    A hop that is no address at all (`unknown`, `_hidden`) is where a trusted proxy chose not to
    say, or was set up wrong: nothing left of it is to be believed (the client may have written
    it), so the sign-in counts under the proxy's address, as with no trusted proxy at all. Refusing
    such requests instead would turn a proxy's setting into nobody being able to sign in; sharing
    the proxy's count at worst makes new devices wait, never a known one."""
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXIES

    def trusted(address) -> bool:
        return any(address in net for net in proxies)

    if not trusted(remote):
        return origin(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",") if forwarded.strip() else []):
        address = _address(hop)
        if address is None:
            log.warning("X-Forwarded-For from trusted proxy %s has %r where an address should be", remote, hop)
            break
        if not trusted(address):
            return origin(address)
    return origin(remote)
