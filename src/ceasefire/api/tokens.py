"""Bearer tokens for the API. The plaintext is shown once, when it is made; only its SHA-256 is kept."""

import datetime as dt
import hashlib
import secrets

from django.utils import timezone

from ceasefire import validate as v

from .models import Token

PREFIX = "cf_"
MAX_LENGTH = 200  # longer is never one of ours: not even worth hashing
# last_used is written at most this often per token, so that reads do not all become writes.
TOUCH_EVERY = dt.timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(user, name: str = "") -> str:
    """Make a token for `user` and return it: the only time its plaintext exists outside the caller."""
    name = v.text(name, "name", max_length=100)
    token = PREFIX + secrets.token_urlsafe(32)
    Token.objects.create(user=user, name=name, digest=digest(token))
    return token


def user_for_token(token: str):
    """The active user a token belongs to, else None."""
    if not isinstance(token, str) or not token or len(token) > MAX_LENGTH:
        return None
    try:
        row = Token.objects.select_related("user").get(digest=digest(token))
    except Token.DoesNotExist:
        return None
    if not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used is None or now - row.last_used > TOUCH_EVERY:
        Token.objects.filter(id=row.id).update(last_used=now)
    return row.user


def revoke_tokens(user, name: str | None = None) -> int:
    """Delete the user's tokens (only those with `name`, when given); returns how many."""
    tokens = Token.objects.filter(user=user)
    if name is not None:
        tokens = tokens.filter(name=name)
    return tokens.delete()[0]
