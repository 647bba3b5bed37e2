"""What every router shares: the path id type, the documented error answers, one row read."""

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Path, Query, Schema
from pydantic import Field

from ceasefire import audience
from ceasefire.errors import NotFound
from ceasefire.mechanism.commands import get

from .auth import reader

MAX_ID = 2**63 - 1  # the largest key the database holds

# A record id in a path: a whole number, never negative, that fits the database.
Id = Path[int, {"ge": 0, "le": MAX_ID, "description": "an id, as the API gives it"}]

# A party code in a path, in the form every code has (lower-case letters, digits, dashes): nothing
# else (a NUL byte, say) reaches the database.
CODE_PATTERN = r"^[a-z0-9-]{1,32}$"
Code = Path[str, {"pattern": CODE_PATTERN, "description": "a party code, e.g. west"}]

# A record id inside a body: the same range, so that no number reaches the database it cannot hold.
BodyId = Annotated[int, Field(ge=0, le=MAX_ID)]


class FieldError(Schema):
    field: str | None
    message: str


class Errors(Schema):
    detail: list[FieldError]


READ_ERRORS = {401: Errors, 403: Errors, 404: Errors, 422: Errors}
WRITE_ERRORS = {400: Errors, 401: Errors, 403: Errors, 404: Errors, 409: Errors, 413: Errors, 422: Errors}


def reading(schema, status: int = 200) -> dict:
    """The answers of a GET: `schema` on success, an error body otherwise."""
    return {status: schema, **READ_ERRORS}


def writing(schema, status: int = 200) -> dict:
    """The answers of a POST: `schema` on success (201 when it creates), an error body otherwise."""
    return {status: schema, **WRITE_ERRORS}


# Free text to look for in a list, in Arabic or Latin letters (ceasefire.text: الجفره finds الجفرة).
SearchText = Annotated[
    str | None,
    Query(description="words to look for, in either script; spelling variants of Arabic and of a place's name match"),
]


def matching(rows, q: str | None, texts) -> list:
    """The rows whose `texts(row)` hold what a search for `q` looks for (places.gazetteer.found):
    every row without q. A bad q is a 422 naming it."""
    from ceasefire import validate as v
    from ceasefire.places.gazetteer import found, search_terms

    rows = list(rows)
    text = v.text(q, "q", max_length=200)
    terms = search_terms(text) if text else []
    if not terms:
        return rows
    return [row for row in rows if found(terms, *texts(row))]


def readable(request, projection: str, model, pk, field: str):
    """One row the caller may read (ceasefire.audience); a 404 otherwise, as if it did not exist."""
    found = get(model, pk, field)
    if not audience.reads(reader(request), projection):
        raise NotFound(_("%(field)s %(value)s does not exist") % {"field": field, "value": pk}, field)
    return found
