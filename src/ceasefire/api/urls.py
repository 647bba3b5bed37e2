import functools

from django.http import HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _

from .errors import answer, not_found_view
from .main import api

app_name = "api"  # the namespace ninja reverses its own views in (urls_namespace)


def json_405(view):
    """ninja answers a method a path does not take with a bare text 405; make it our JSON error."""

    @functools.wraps(view)  # keeps csrf_exempt: ninja does its own CSRF check, for the session only
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            message = _("%(method)s is not allowed here; use %(allowed)s.") % {
                "method": request.method,
                "allowed": allowed,
            }
            response = answer(405, [(None, message)])
            response["Allow"] = allowed
        return response

    return wrapped


urlpatterns = [
    *(URLPattern(p.pattern, json_405(p.callback), p.default_args, p.name) for p in api.urls[0]),
    re_path(r"^", not_found_view),
]
