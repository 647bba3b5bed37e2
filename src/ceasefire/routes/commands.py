"""Recording a route, putting forward its status, each party's position on a status, and the
committee's exports for the neighbours' liaison committees. Each step has one refusal function
(why `actor` may not take it now, or None): the command raises it, the pages and the API ask it.

A status becomes the committee's under the rule of every matter the parties settle by consensus
(mechanism.consensus): a party that puts a status forward approves it; the position that completes
every party's approval makes it the committee's in the same command, and the record states it
(route.status_agreed, with the whole of what was agreed), so that observers, who do not read the
claims, read the committee's statuses from that entry alone."""

import datetime as dt

from django.utils.translation import gettext as _

from ceasefire import days
from ceasefire import validate as v
from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.mechanism import consensus
from ceasefire.mechanism.commands import describe, get, mechanism, require_facilitator, speaker_refusal, today
from ceasefire.mechanism.permissions import facilitates, speaks
from ceasefire.places.gazetteer import gazetteer
from ceasefire.record import log
from ceasefire.record.log import Actor, append, command

from .models import Kind, Neighbour, Route, Status, StatusClaim

MAX_PLACES = 20
MAX_ALIASES = 10


def _refuse(refusal) -> None:
    if refusal is not None:
        raise refusal


# ---------------------------------------------------------------- routes


def _places(value, kind: str) -> list[str]:
    if value in (None, ""):
        value = []
    if isinstance(value, str):  # a form's "osm:n1, osm:n2"
        value = [p for p in (s.strip() for s in value.replace("\n", ",").split(",")) if p]
    if not isinstance(value, list) or len(value) > MAX_PLACES:
        raise Invalid(_("must be a list of at most %(n)d places of the gazetteer") % {"n": MAX_PLACES}, "places")
    places = []
    for i, pid in enumerate(value):
        pid = v.text(pid, f"places[{i}]", max_length=40, required=True)
        if pid not in gazetteer().by_id:
            raise Invalid(_("is not a place of the gazetteer (look it up in /api/v1/places)"), f"places[{i}]")
        places.append(pid)
    need = 1 if kind == Kind.CROSSING else 2
    if len(places) < need:
        raise Invalid(
            _("a crossing is at one place of the gazetteer; a road or an air route runs through two or more")
            if need == 1
            else _("a road or an air route runs through two or more places of the gazetteer, in order"),
            "places",
        )
    return places


def _aliases(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [a for a in (s.strip() for s in value.split("\n")) if a]
    if not isinstance(value, list) or len(value) > MAX_ALIASES:
        raise Invalid(_("must be a list of at most %(n)d names") % {"n": MAX_ALIASES}, "aliases")
    return [v.text(a, f"aliases[{i}]", max_length=100, required=True) for i, a in enumerate(value)]


def _km(value, default: float) -> float:
    if value in (None, ""):
        return default
    try:
        km = float(value)
    except (TypeError, ValueError):
        km = -1.0
    if isinstance(value, bool) or not 0 < km <= 50:  # NaN fails the comparison too
        raise Invalid(_("must be a distance in kilometres, more than 0 and at most 50"), "within_km")
    return km


def _layer(value) -> str:
    code = v.text(value, "layer", max_length=40)
    if code:
        from ceasefire.zones.models import Layer

        if not Layer.objects.filter(code=code).exists():
            raise Invalid(_("no layer has this code"), "layer")
    return code


@command
def record_route(actor: Actor, data: dict) -> Route:
    """A road, a border crossing or an air route, from its source: the secretariat's to record."""
    require_facilitator(actor)
    mechanism()
    kind = v.choice(data.get("kind"), "kind", Kind)
    neighbour = v.choice(data.get("neighbour") or None, "neighbour", Neighbour, required=kind == Kind.CROSSING)
    if neighbour is None:
        neighbour = ""
    payload = {
        "kind": kind,
        **v.bilingual(data, "name", max_length=200, required=True),
        "aliases": _aliases(data.get("aliases")),
        "places": _places(data.get("places"), kind),
        "neighbour": neighbour,
        "layer": _layer(data.get("layer")),
        "within_km": _km(data.get("within_km"), 5.0 if kind == Kind.CROSSING else 2.0),
        "source": v.text(data.get("source"), "source", max_length=2000, required=True),
    }
    return Route.objects.get(id=append("route.recorded", payload, actor).seq)


# ---------------------------------------------------------------- status claims


def claim_refusal(actor: Actor | None):
    """Why `actor` may not put forward a route's status now, or None: the facilitator, or whoever
    speaks for a party while its party takes part. Monitors and observers do not."""
    if facilitates(actor):
        return None
    if not speaks(actor):
        return Forbidden(_("Only the facilitator or whoever speaks for a party puts forward a route's status."))
    return speaker_refusal(actor)


def _agreed_per_source(actor: Actor, value, since: dt.date) -> str | None:
    """A status known only from public sources (the committee announced it): the committee's
    according to the source it cites. The facilitator's only, and only for a day that has passed:
    a status from today on is the parties' to agree, and no source's word stands in for theirs."""
    if value in (None, "", {}):
        return None
    if not facilitates(actor):
        raise Forbidden(_("Only the facilitator records a status as the committee's according to a source."))
    if not isinstance(value, dict):
        raise Invalid(_("must name the source"), "agreed_per_source")
    source = v.text(value.get("source"), "agreed_per_source.source", max_length=2000, required=True)
    if since >= today():
        raise Conflict(
            _("a status from today on becomes the committee's through the parties' positions, not a source"),
            "agreed_per_source",
        )
    return source


@command
def claim_status(actor: Actor, route_id, data: dict) -> StatusClaim:
    """A route's status since a day, with its conditions, who ordered it and its source. A party's
    claim is also its party's approval; it becomes the committee's when every party approves."""
    route = get(Route, route_id, "route")
    _refuse(claim_refusal(actor))
    status = v.choice(data.get("status"), "status", Status)
    since = v.date(data.get("since"), "since", required=True)
    if since > days.latest_today():
        raise Invalid(_("must not be after today: a status says how things stand, not how they will"), "since")
    conditions = v.bilingual(data, "conditions", max_length=5000)
    if status == Status.RESTRICTED and not (conditions["conditions_ar"] or conditions["conditions_en"]):
        raise Invalid(_("say what the restriction is"), "conditions")
    payload = {
        "route": route.id,
        "party": None if facilitates(actor) else actor.party,
        "status": status,
        "since": since.isoformat(),
        **conditions,
        **v.bilingual(data, "ordered_by", max_length=300),
        "source": v.text(data.get("source"), "source", max_length=2000, required=True),
    }
    sourced = _agreed_per_source(actor, data.get("agreed_per_source"), since)
    claim = StatusClaim.objects.get(id=append("route.status_claimed", payload, actor).seq)
    if sourced is not None:
        _agree(claim, StatusClaim.SOURCE, sourced, actor)
    elif payload["party"]:  # a party puts forward what it approves: with one party, that is consensus
        _agree_if_complete(claim)
    claim.refresh_from_db()
    return claim


def position_refusal(actor: Actor | None, claim: StatusClaim):
    return consensus.position_refusal(
        actor, claim.agreed, _("This status is the committee's; its positions can no longer change.")
    )


@command
def take_position(actor: Actor, claim_id, data: dict) -> StatusClaim:
    """The position of the actor's party on a status claim. The position that completes every
    party's approval makes it the committee's, in the same command."""
    claim = get(StatusClaim, claim_id, "claim")
    _refuse(position_refusal(actor, claim))
    append("route.status_position_taken", consensus.position_payload(actor, "claim", claim.id, data), actor)
    _agree_if_complete(claim)
    claim.refresh_from_db()
    return claim


def waiting_for(claim: StatusClaim) -> list[str]:
    return describe(claim.waits(today()))


def _agree_if_complete(claim: StatusClaim) -> None:
    if claim.agreed or claim.waits(today()):
        return
    _agree(claim, StatusClaim.POSITIONS, "", log.COMMITTEE)


def _agree(claim: StatusClaim, through: str, source: str, actor: Actor) -> None:
    """The record states the committee's status, with the whole of what it agreed."""
    append(
        "route.status_agreed",
        {
            "claim": claim.id,
            "route": claim.route_id,
            "status": claim.status,
            "since": claim.since.isoformat(),
            "conditions_ar": claim.conditions_ar,
            "conditions_en": claim.conditions_en,
            "ordered_by_ar": claim.ordered_by_ar,
            "ordered_by_en": claim.ordered_by_en,
            "source": claim.source,
            "through": through,
            "agreed_source": source,
        },
        actor,
    )


def agree_completed(actor: Actor) -> None:
    """After a party's return: every status that waited only for it becomes the committee's."""
    for claim in StatusClaim.objects.filter(agreed=False).order_by("id"):
        _agree_if_complete(claim)
