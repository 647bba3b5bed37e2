"""Translations: a text given later in its other language, marked as a translation and by whom
(ceasefire.translations). The parties' to read, as its entry is."""

import datetime as dt
from typing import Annotated, Any

from ninja import Query, Router, Schema, Status

from ceasefire import audience
from ceasefire.translations import commands
from ceasefire.translations.models import Translation

from ..auth import PUBLIC, reader
from ..common import reading, writing
from ..schemas import In, doc

router = Router(tags=["translations"])


class TranslationIn(In):
    subject: str | None = doc("report, meeting, decision or provision")
    id: Any = doc("the subject's id")
    field: str | None = doc("the field translated: title, narrative, summary, minutes or text, as the subject has")
    lang: str | None = doc("the language of the translation, ar or en: one the author left empty")
    text: str | None = doc("the translation")


class TranslationOut(Schema):
    id: int  # its entry
    subject: str
    subject_id: int
    field: str
    lang: str
    text: str
    party: str | None  # the delegation that gave it; null the mission
    translated_at: dt.datetime

    @staticmethod
    def resolve_party(t) -> str | None:
        return t.party_id


@router.get(
    "/translations",
    auth=PUBLIC,
    response=reading(list[TranslationOut]),
    summary="Translations given, of one subject or of all",
    description="Read by the parties' people and the facilitator; an observer's and the public's list is empty.",
)
def translations(
    request,
    subject: Annotated[str | None, Query(description="report, meeting, decision or provision")] = None,
    id: Annotated[int | None, Query(description="the subject's id")] = None,
):
    qs = Translation.objects.order_by("id")
    if subject:
        qs = qs.filter(subject=subject)
    if id is not None:
        qs = qs.filter(subject_id=id)
    return list(audience.rows(reader(request), "translation", qs))


@router.post(
    "/translations",
    response=writing(TranslationOut, 201),
    summary="Give a text in the language its author left empty",
    description=(
        "The original entry stays as it was; the translation is an entry of its own, shown as a translation "
        "and by whom. One per text and language: 409 when given already or when the author wrote that language."
    ),
)
def translate(request, payload: TranslationIn):
    data = payload.data()
    return Status(201, commands.translate(request.auth, data.pop("subject", None), data.pop("id", None), data))
