"""How each route event changes the tables, from the event's content alone.

Who reads what (declared here, applied by ceasefire.audience): the routes recorded are public (a
road's name, the places it runs through and the source are public knowledge). The statuses put
forward and each party's position on them stay with the parties (who said what, and claims not
agreed). The committee's status is read by observers too, from its own entry (route.status_agreed),
which carries the whole of what was agreed. An export for a neighbour's liaison committee is
recorded for the observers too: what was shared, with whom, is the committee's act, and its hash
lets anyone holding the file check it.
"""

import datetime as dt

from ceasefire.mechanism import consensus
from ceasefire.record.log import projects

from .models import Route, Shared, StatusClaim, StatusPosition


def _date(s):
    return dt.date.fromisoformat(s) if s else None


@projects("route.recorded", audience="public")
def _route(event):
    Route.objects.create(id=event.seq, recorded_at=event.time, **event.payload)


@projects("route.status_claimed", audience="parties")
def _claimed(event):
    p = dict(event.payload)
    p["route_id"] = p.pop("route")
    p["party_id"] = p.pop("party")
    p["since"] = _date(p["since"])
    StatusClaim.objects.create(id=event.seq, proposed_by=event.account, proposed_at=event.time, **p)
    consensus.project_proposer_approval(StatusPosition, "claim", event.seq, p["party_id"], event)


@projects("route.status_position_taken", audience="parties")
def _position(event):
    consensus.project_position(StatusPosition, "claim", event)


# The command that completes every party's approval appends this; nothing here decides.
@projects("route.status_agreed", audience="observers")
def _agreed(event):
    p = event.payload
    StatusClaim.objects.update_or_create(
        id=p["claim"],
        defaults={
            "route_id": p["route"],
            "status": p["status"],
            "since": _date(p["since"]),
            "conditions_ar": p["conditions_ar"],
            "conditions_en": p["conditions_en"],
            "ordered_by_ar": p["ordered_by_ar"],
            "ordered_by_en": p["ordered_by_en"],
            "source": p["source"],
            "agreed": True,
            "agreed_at": event.time,
            "agreed_through": p["through"],
            "agreed_source": p["agreed_source"],
        },
    )


@projects("routes.data_shared", audience="observers")
def _shared(event):
    Shared.objects.create(id=event.seq, made_at=event.time, **event.payload)
