"""Every error the API answers has one shape: {"detail": [{"field": ..., "message": ...}]}.

`field` names the part of the input at fault ("starts_on", "present[0]", "successor.name_ar",
"body" for the body as a whole, a path or query parameter by its name) or is null when no one
field is (a refused permission, a missing login).
"""

import datetime as dt
import json
import logging
import math

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser

from ceasefire.errors import CommandError
from ceasefire.web.lockout import in_words


def body(errors: list[tuple[str | None, str]]) -> dict:
    return {"detail": [{"field": field, "message": str(message)} for field, message in errors]}


def answer(status: int, errors: list[tuple[str | None, str]]) -> JsonResponse:
    return JsonResponse(body(errors), status=status, json_dumps_params={"ensure_ascii": False})


def field_name(loc) -> str | None:
    """("body", "payload", "present", 0) -> "present[0]"; ("path", "meeting_id") -> "meeting"."""
    loc = list(loc)
    if not loc:
        return None
    source, rest = loc[0], loc[1:]
    if source == "body":
        rest = rest[1:]  # the view's argument name ("payload") is no part of the input
        if not rest:
            return "body"
    elif source == "path" and rest and isinstance(rest[0], str):
        # named as the commands name it: /meetings/{meeting_id} -> "meeting"
        rest = [rest[0].removesuffix("_id"), *rest[1:]]
    name = ""
    for part in rest:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or source


# pydantic's messages by their type, in the reader's language: pydantic speaks English only, and
# of Python ("a valid integer"), not of the request.
PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("is required"),
    "int_type": gettext_lazy("must be a whole number"),
    "int_parsing": gettext_lazy("must be a whole number"),
    "int_from_float": gettext_lazy("must be a whole number"),
    "int_parsing_size": gettext_lazy("is too large"),
    "float_type": gettext_lazy("must be a number"),
    "float_parsing": gettext_lazy("must be a number"),
    "finite_number": gettext_lazy("must be a number"),
    "bool_type": gettext_lazy("must be true or false"),
    "bool_parsing": gettext_lazy("must be true or false"),
    "string_type": gettext_lazy("must be text"),
    "string_unicode": gettext_lazy("must be text"),
    "list_type": gettext_lazy("must be a list"),
    "date_type": gettext_lazy("must be a date (YYYY-MM-DD)"),
    "date_parsing": gettext_lazy("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": gettext_lazy("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": gettext_lazy("must be a date (YYYY-MM-DD)"),
    "datetime_type": gettext_lazy("must be a date and time (ISO 8601)"),
    "datetime_parsing": gettext_lazy("must be a date and time (ISO 8601)"),
    "datetime_from_date_parsing": gettext_lazy("must be a date and time (ISO 8601)"),
    "extra_forbidden": gettext_lazy("is not a field of this request"),
    "string_too_short": gettext_lazy("must have at least %(min_length)s characters"),
    "string_too_long": gettext_lazy("must have at most %(max_length)s characters"),
    "too_short": gettext_lazy("must have at least %(min_length)s items"),
    "too_long": gettext_lazy("must have at most %(max_length)s items"),
    "greater_than": gettext_lazy("must be more than %(gt)s"),
    "greater_than_equal": gettext_lazy("must be at least %(ge)s"),
    "less_than": gettext_lazy("must be less than %(lt)s"),
    "less_than_equal": gettext_lazy("must be at most %(le)s"),
    "literal_error": gettext_lazy("must be one of: %(expected)s"),
    "string_pattern_mismatch": gettext_lazy("must match the pattern %(pattern)s"),
    "enum": gettext_lazy("must be one of: %(expected)s"),
}


# The json module's messages (Python 3.11), in the reader's language.
JSON_MESSAGES = {
    "Expecting value": gettext_lazy("a value was expected"),
    "Expecting property name enclosed in double quotes": gettext_lazy("a field name in double quotes was expected"),
    "Expecting ',' delimiter": gettext_lazy("a comma was expected"),
    "Expecting ':' delimiter": gettext_lazy("a colon was expected"),
    "Extra data": gettext_lazy("there is more after the JSON value"),
    "Unterminated string starting at": gettext_lazy("a text is not closed"),
    "Invalid control character at": gettext_lazy("a text holds a control character"),
    "Invalid \\escape": gettext_lazy("a text holds an invalid escape"),
    "Invalid \\uXXXX escape": gettext_lazy("a text holds an invalid escape"),
    "Illegal trailing comma before end of object": gettext_lazy("a comma ends an object"),
    "Illegal trailing comma before end of array": gettext_lazy("a comma ends a list"),
}


def validation_message(error: dict) -> str:
    """What is wrong with the field, in the reader's language."""
    kind = error.get("type")
    if field_name(error.get("loc", ())) == "body":
        if kind == "missing":
            return _("is required: send a JSON object")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("must be a JSON object")  # not pydantic's "instance of CasualtyIn"
    known = PYDANTIC_MESSAGES.get(kind or "")
    if known is not None:
        try:
            # pydantic lists what is expected with an English "or" ('a', 'b' or 'c')
            ctx = {k: str(v).replace("' or '", "', '") for k, v in (error.get("ctx") or {}).items()}
            return str(known) % ctx
        except (KeyError, TypeError, ValueError):
            pass  # a context this message does not expect: pydantic's own words below
    return error.get("msg") or _("is not valid")


UNREADABLE_FORM = (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent)


def unreadable_form(exc: Exception) -> tuple[str, str]:
    """(field, message) for a form body Django's parser gave up on. A part's header (the file's
    name and type) must fit in 1 KiB: past that it is the file's name that is too long."""
    if isinstance(exc, MultiPartParserError) and "header size" in str(exc):
        return "file", _("has a name too long to be read; rename the file and send it again")
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        return "body", _("has too many fields or files")
    return "body", _("could not be read as a form (multipart/form-data)")


class JsonParser(Parser):
    """The default parser, keeping why a body could not be read (ninja only says that it could not)."""

    def parse_body(self, request):
        try:
            return json.loads(request.body)
        except RequestDataTooBig:
            raise
        except Exception as e:
            request._ceasefire_body_error = e
            raise


def install(api) -> None:
    @api.exception_handler(CommandError)
    def command_error(request, exc: CommandError):
        return answer(exc.status, exc.errors)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        errors = [(field_name(e.get("loc", ())), validation_message(e)) for e in exc.errors]
        return answer(422, errors or [(None, _("The request is not valid."))])

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        message = (
            exc.message if exc.message != "Unauthorized" else _("Sign in, or send 'Authorization: Bearer <token>'.")
        )
        response = answer(401, [(None, message)])
        response["WWW-Authenticate"] = 'Bearer realm="ceasefire"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        error = getattr(request, "_ceasefire_body_error", None)
        if error is not None:
            if isinstance(error, json.JSONDecodeError):
                message = _("is not valid JSON: %(error)s at line %(line)d, column %(column)d") % {
                    "error": JSON_MESSAGES.get(error.msg, error.msg),
                    "line": error.lineno,
                    "column": error.colno,
                }
            elif isinstance(error, UnicodeDecodeError):
                message = _("is not UTF-8 text")
            else:
                message = _("is not valid JSON")
            return answer(400, [("body", message)])
        return answer(exc.status_code, [(None, exc.message)])

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        # The rate limit (throttling.py): how long until one more is let through, in words and in
        # Retry-After, which a client (the witness) waits for before asking again.
        seconds = max(1, math.ceil(exc.wait)) if exc.wait is not None else 1
        message = _("Too many requests: try again in %(wait)s.") % {"wait": in_words(dt.timedelta(seconds=seconds))}
        response = answer(429, [(None, message)])
        response["Retry-After"] = str(seconds)
        return response

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return answer(413, [("body", _("is too large"))])

    for kind in UNREADABLE_FORM:  # read when the view asks for its file, after the login is checked

        @api.exception_handler(kind)
        def unreadable(request, exc):
            return answer(400, [unreadable_form(exc)])

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return answer(404, [(None, _("Not found."))])

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        # A bug, not bad input: logged in full, answered in the API's own shape. The command's
        # transaction has rolled back, so nothing was written.
        logging.getLogger("ceasefire.api").exception("unexpected error on %s %s", request.method, request.path)
        return answer(500, [(None, _("Something went wrong on the server; nothing was saved."))])


def not_found_view(request, *args, **kwargs):
    """Any other path under /api/v1/: a JSON 404, not the site's HTML page."""
    return answer(404, [(None, _("There is no such endpoint in this API."))])
