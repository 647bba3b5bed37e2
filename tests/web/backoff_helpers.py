"""What the back-off tests share: signing in, and a stopped clock that only the test moves."""

import datetime as dt

import axes.attempts
import axes.handlers.proxy
import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone

from ceasefire.web import lockout
from tests.helpers import app_code, authenticator


def password_only(client, username, password, **meta):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def login(client, username, password, **meta):
    """Sign in through the pages as the account's owner: the password and, when the account owes
    one, the code from its app (set up before, as the owner's phone holds it)."""
    response = password_only(client, username, password, **meta)
    if response.status_code == 302 and response["Location"] in (reverse("sign_in_code"), reverse("two_factor_set_up")):
        device = authenticator(get_user_model().objects.get(username=username))
        response = client.post(reverse("sign_in_code"), {"code": app_code(device)}, **meta)
    return response


def later(seconds):
    """As if `seconds` had passed since every failure so far."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(seconds=seconds))


def waits(response) -> int | None:
    return int(response["Retry-After"]) if response.status_code == 429 else None


def checked() -> int:
    """How many wrong passwords were checked (and counted) so far."""
    return AccessAttempt.objects.aggregate(n=Sum("failures_since_start"))["n"] or 0


@pytest.fixture
def stopped(monkeypatch):
    """Time stands still for axes and the back-off alike: only later() moves it."""
    at = timezone.now()
    for module in (timezone, lockout, axes.handlers.proxy, axes.attempts):
        monkeypatch.setattr(module, "now", lambda: at)
    return at
