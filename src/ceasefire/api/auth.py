"""Who is calling: a bearer token (scripts) or the Django session (the browser, with CSRF).

Each returns the caller's `Actor`, which the routers hand to the commands. No credentials, or
wrong ones: 401. A login without an account on the committee: 403. A read-only token (a witness's)
with anything but GET or HEAD: 403 naming the token.

What anyone may read (the checkpoint, proofs, the entries an audience may see, the witness keys)
takes `PUBLIC`: the same two ways in, made optional. No credentials, or a login without an account,
reads as the public; wrong credentials are still a 401, so that a client learns its token is bad.
`reader(request)` is then the caller's Actor, or None for the public.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from ceasefire.mechanism.accounts import actor_for
from ceasefire.record.log import Actor

from .tokens import may_use, token_for

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _actor(user):
    actor = actor_for(user)
    if actor is None:
        raise AuthorizationError(message=_("This login has no account on the committee."))
    return actor


class _Anonymous:
    """request.auth of a caller the public routes serve as the public (truthy, unlike None)."""

    def __repr__(self):
        return "ANONYMOUS"


ANONYMOUS = _Anonymous()


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`. A token that is present but wrong is refused outright,
    without falling back to the session. `optional`: a token of a login without an account
    reads as the public instead of a 403."""

    def __init__(self, optional: bool = False):
        super().__init__()
        self.optional = optional

    def __call__(self, request):
        value = request.headers.get(self.header)
        if not value:
            return None
        scheme, _sep, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError(message=_("The Authorization header must be 'Bearer <token>'."))
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        row = token_for(token)
        if row is None:
            raise AuthenticationError(message=_("This token is not valid."))
        if not may_use(row, request.method):
            raise AuthorizationError(
                message=_("The token %(name)s is read-only: it may read, not write.")
                % {"name": repr(row.name) if row.name else "#%d" % row.id}
            )
        request.api_token = row  # what the rate limit counts this call under (throttling.caller)
        user = row.user
        if self.optional:
            return actor_for(user) or ANONYMOUS
        return _actor(user)


class Session(APIKeyCookie):
    """The browser's Django session. Unsafe methods must carry the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, optional: bool = False):
        super().__init__(csrf=True)
        self.optional = optional

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # not signed in: no CSRF question to ask, just 401
        if request.method in UNSAFE_METHODS and check_csrf(request):
            raise AuthorizationError(message=_("CSRF check failed: send the X-CSRFToken header."))
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request, key):
        if self.optional:
            return actor_for(request.user) or ANONYMOUS
        return _actor(request.user)


def _anonymous(request):
    """Last on a public route: whoever showed no credentials reads as the public."""
    return ANONYMOUS


# For routes that only read what a reader's audience may see (never for writes: a session write
# must pass the CSRF check, which only the non-optional Session enforces on every unsafe method).
PUBLIC = [BearerToken(optional=True), Session(optional=True), _anonymous]


def reader(request) -> Actor | None:
    """The caller of a PUBLIC route: their Actor, or None when they read as the public."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, Actor) else None
