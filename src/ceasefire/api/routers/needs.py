"""What needs the caller: GET /me/needs, the dashboard's list (needs/collect.py, the commands' own
refusals) for scripts and other clients."""

import datetime as dt

from ninja import Router, Schema

from ceasefire.needs.collect import Need, cached

from ..common import reading

router = Router(tags=["needs"])


class NeedOut(Schema):
    kind: str
    label: str
    key: str
    ref: str
    url: str
    deadline: dt.date | None
    overdue: bool


class NeedsOut(Schema):
    count: int
    yours: list[NeedOut]
    party: list[NeedOut]


def _out(request, n: Need) -> dict:
    return {
        "kind": n.kind,
        "label": n.label,
        "key": n.key,
        "ref": n.ref,
        "url": request.build_absolute_uri(n.path),
        "deadline": n.deadline,
        "overdue": n.overdue,
    }


@router.get(
    "/me/needs",
    response=reading(NeedsOut),
    summary="What needs the caller now, and what waits for their party",
    description=(
        "`yours`: what the caller may do now and is waited for (a sign-off, a confirmation, a position, a "
        "joint team's task, a dispute before a coming meeting, an action item or recommendation the party "
        "owns), each listed only when the command would take it from the caller now; `party`: what waits "
        "for the caller's party from someone else of it. Most urgent first: by deadline, those without one "
        "last. `count` is the number of `yours`. An observer's lists are empty."
    ),
)
def my_needs(request):
    needs = cached(request.auth)
    return {
        "count": needs.count,
        "yours": [_out(request, n) for n in needs.yours],
        "party": [_out(request, n) for n in needs.party],
    }
