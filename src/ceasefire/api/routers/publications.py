"""Publications: what the facilitator published for the public, a copy of an adopted decision or
of the committee's agreed status of a provision (ceasefire.publications). Read by anyone."""

import datetime as dt
from typing import Annotated, Any

from ninja import Query, Router, Schema, Status

from ceasefire import audience
from ceasefire.publications import commands
from ceasefire.publications.models import Publication

from ..auth import PUBLIC, reader
from ..common import reading, writing
from ..schemas import In, doc

router = Router(tags=["publications"])


class PublicationIn(In):
    subject: str | None = doc("decision (an adopted one) or agreed_status (the committee's status of a provision)")
    id: Any = doc("the decision's or the agreed status's id: its entry")


class PublicationOut(Schema):
    id: int  # its entry
    subject: str
    subject_id: int  # the entry it copies
    content: dict  # the copy, as the entry holds it
    published_at: dt.datetime


@router.get(
    "/publications",
    auth=PUBLIC,
    response=reading(list[PublicationOut]),
    summary="What the facilitator published for the public",
    description="Read by anyone, signed in or not: each a copy of an adopted decision or an agreed status, newest first.",
)
def publications(
    request,
    subject: Annotated[str | None, Query(description="decision or agreed_status")] = None,
):
    qs = Publication.objects.order_by("-id")
    if subject:
        qs = qs.filter(subject=subject)
    return list(audience.rows(reader(request), "publication", qs))


@router.post(
    "/publications",
    response=writing(PublicationOut, 201),
    summary="Publish an adopted decision or an agreed status for the public",
    description=(
        "The facilitator only (403 for anyone else). A decision the record does not state adopted, or one "
        "published already, is a 409 naming id."
    ),
)
def publish(request, payload: PublicationIn):
    return Status(201, commands.publish(request.auth, payload.data()))
