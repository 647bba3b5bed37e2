"""The joint record, read in order."""

from ninja import Query, Router

from ceasefire.record.models import Event, Head

from ..common import MAX_ID, reading
from ..schemas import EventsOut

router = Router(tags=["record"])

MAX_LIMIT = 1000


@router.get(
    "/record/events",
    response=reading(EventsOut),
    summary="Events in order: those with seq > after, at most limit of them",
    description=(
        "`after` defaults to -1, so that a first call without it starts with the first event (seq 0); "
        "to read on, pass the seq of the last event received. `size` is the number of events in the "
        "record, so the last seq is size - 1."
    ),
)
def events(
    request,
    after: Query[int, {"ge": -1, "le": MAX_ID, "description": "answer the events with seq > after"}] = -1,
    limit: Query[int, {"ge": 0, "le": MAX_LIMIT, "description": "at most this many events"}] = 100,
):
    # The size first, and no event past it: an append committed meanwhile does not show up in
    # the events without being counted in the size.
    size = Head.objects.get(id=1).size
    rows = Event.objects.filter(seq__gt=after, seq__lt=size).order_by("seq")[:limit]
    answer = []
    for event in rows:
        data = event.data
        answer.append(
            {
                "seq": data["seq"],
                "type": data["type"],
                "time": data["time"],
                "actor": data["actor"],
                "party": data["party"],
                "payload": data["payload"],
            }
        )
    return {"size": size, "after": after, "limit": limit, "events": answer}
