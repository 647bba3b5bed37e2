"""Signing in with a second factor, for the accounts that owe one (mechanism/second_factor.py).

The password alone signs no one in who owes a second factor. A right password leaves the session
*pending*: it names the account, for SIGN_IN_PENDING_AGE, and nothing else. The next step asks for a
code from the app, or a recovery code, or (an account that must have a second factor and has none)
sets the app up. Only then is the session signed in (django's login) and verified (django-otp's),
the back-off's failures of that origin or device forgotten, and the device remembered as known.

Whatever else makes a session signed in (a session from before the app was removed, a test's
force_login) meets SecondFactor: a session of an account that owes a second factor and has not
given it reads as nobody's, on every page and API route alike, as they all read request.user.

A wrong code counts as a failed sign-in of the account, in the same back-off as a wrong password
(web/lockout.py), and a try the back-off holds is not checked.
"""

import time

from asgiref.sync import sync_to_async
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import resolve_url
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from ceasefire.mechanism import second_factor

from . import lockout

PENDING = "ceasefire.sign_in.pending"
SHOW_ONCE = "ceasefire.sign_in.recovery_codes"


def passed(user) -> bool:
    """The login has given every factor it owes (or is nobody's)."""
    if not user.is_authenticated:
        return True
    verified = getattr(user, "is_verified", None)  # django-otp's, from OTPMiddleware
    return bool(verified and verified()) or not second_factor.owed(user)


class SecondFactor:
    """After django-otp's middleware: a login that owes a second factor it has not given is
    AnonymousUser to everything after, as if the session held no login at all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.user = SimpleLazyObject(lambda: user if passed(user) else AnonymousUser())
        auser = getattr(request, "auser", None)
        if auser is not None:

            async def checked():
                found = await auser()
                return found if await sync_to_async(passed)(found) else AnonymousUser()

            request.auser = checked
        return self.get_response(request)


# The pending sign-in


def begin(request, user, next_url: str) -> None:
    """The password was right: the session now waits for the second factor, and is nobody's.
    A new session, so that nothing of a session before it (a half sign-in) carries over."""
    request.session.flush()
    request.session[PENDING] = {
        "user": user.pk,
        "hash": user.get_session_auth_hash(),  # a new password meanwhile ends it
        "backend": user.backend,
        "at": time.time(),
        "next": next_url,
    }


def pending(request):
    """The account whose password this session gave, while it waits for its second factor; else None."""
    data = request.session.get(PENDING)
    if not isinstance(data, dict):
        return None
    if time.time() - data.get("at", 0) > settings.SIGN_IN_PENDING_AGE.total_seconds():
        del request.session[PENDING]
        return None
    user = auth.get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None or not constant_time_compare(data.get("hash", ""), user.get_session_auth_hash()):
        return None
    user.backend = data["backend"]
    return user


def finish(request, user, device):
    """Both factors given: sign the session in, verified by `device`. Returns where to go next."""
    next_url = (request.session.get(PENDING) or {}).get("next") or resolve_url(settings.LOGIN_REDIRECT_URL)
    request.session.pop(PENDING, None)
    auth.login(request, user, backend=user.backend)  # django-axes forgets the failures here
    if device is not None:
        verified(request, device)
    return next_url


def verified(request, device) -> None:
    """The signed-in session has given its second factor, with `device`."""
    from django_otp import login as otp_login

    otp_login(request, device)


# The back-off, for codes as for passwords


def held(request, username: str):
    """The page saying how long to wait, if the back-off holds this account's next try; else None."""
    credentials = {"username": username}
    if AxesProxyHandler.is_allowed(request, credentials):
        return None
    return lockout.locked_out(request, credentials=credentials)


def failed(request, username: str) -> None:
    """A wrong code: counted as a failed sign-in. When the next try would be held, django-axes'
    middleware answers this one with the wait (lockout.BackOff sets request.axes_locked_out)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


# Recovery codes, shown once


def show_once(request, codes: list[str], onwards: str) -> None:
    """Keep the new codes for the next page only, and where to go once they are written down."""
    request.session[SHOW_ONCE] = {"codes": codes, "onwards": onwards}


def take_shown(request) -> tuple[list[str], str]:
    shown = request.session.pop(SHOW_ONCE, None) or {}
    return shown.get("codes") or [], shown.get("onwards") or ""
