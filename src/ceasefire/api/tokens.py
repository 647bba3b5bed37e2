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
READS = {"GET", "HEAD"}  # what a read-only token may do


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(user, name: str = "", read_only: bool = False) -> str:
    """Make a token for `user` and return it: the only time its plaintext exists outside the caller.
    A `read_only` token reads what its account may read and writes nothing (a witness's)."""
    name = v.text(name, "name", max_length=100)
    token = PREFIX + secrets.token_urlsafe(32)
    Token.objects.create(user=user, name=name, digest=digest(token), read_only=read_only)
    return token


def token_for(token: str) -> Token | None:
    """The token row (with its user) of an active user, else None."""
    if not isinstance(token, str) or not token or len(token) > MAX_LENGTH:
        return None
    try:
        row = Token.objects.select_related("user", "user__account").get(
            digest=digest(token)
        )  # one query, with the account actor_for reads
    except Token.DoesNotExist:
        return None
    if not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used is None or now - row.last_used > TOUCH_EVERY:
        Token.objects.filter(id=row.id).update(last_used=now)
    return row


def may_use(row: Token, method: str) -> bool:
    """A read-only token reads (GET, HEAD) and does nothing else."""
    return not row.read_only or method in READS


def revoke_tokens(user, name: str | None = None) -> int:
    """Delete the user's tokens (only those with `name`, when given); returns how many."""
    tokens = Token.objects.filter(user=user)
    if name is not None:
        tokens = tokens.filter(name=name)
    return tokens.delete()[0]
