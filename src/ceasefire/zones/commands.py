"""Putting forward a version of one of the committee's layers, and each party's position on it.

A version binds only when every party approves it, under the rule of every matter the parties
settle by consensus (mechanism.consensus): a party that puts a version forward approves it; the
position that completes every party's approval makes it binding in the same command, and the
record states it (layer.version_bound, with what binds and since when), so that observers, who do
not read the proposals, read the binding layers from that entry alone, and replay applies it as
it says, whatever the rule is by then.
"""

import datetime as dt

from django.db.models import Max
from django.utils.translation import gettext as _

from ceasefire import days
from ceasefire import validate as v
from ceasefire.errors import Forbidden, Invalid
from ceasefire.mechanism import consensus
from ceasefire.mechanism.commands import describe, get, mechanism, speaker_refusal, today
from ceasefire.mechanism.permissions import facilitates, speaks
from ceasefire.record import log
from ceasefire.record.log import Actor, append, command

from . import geojson
from .models import FAMILY, Kind, Layer, LayerVersion


def proposal_refusal(actor: Actor):
    """Why `actor` may not put forward a version of a layer now (the error to raise), or None: the
    facilitator, or a party's speaker while its party takes part. Monitors and observers do not.
    The pages ask it too."""
    if facilitates(actor):
        return None
    if not speaks(actor):
        return Forbidden(_("Only the facilitator or whoever speaks for a party may put forward a version of a layer."))
    return speaker_refusal(actor)


def position_refusal(actor: Actor, version: LayerVersion):
    """Why `actor` may not give its party's position on `version` now, or None. Pages ask it too."""
    return consensus.position_refusal(
        actor, version.binding, _("This version binds; its positions can no longer change.")
    )


def _message(e: geojson.Invalid) -> str:
    """A geojson fault in the reader's language: the known messages translated, the values put in."""
    translated = {
        "is not UTF-8 text": _("is not UTF-8 text"),
        "is not valid JSON from line %(line)d, column %(column)d": _(
            "is not valid JSON from line %(line)d, column %(column)d"
        ),
        "is nested too deeply to be a layer": _("is nested too deeply to be a layer"),
        "holds a number too long to be a coordinate": _("holds a number too long to be a coordinate"),
        "GeometryCollections are nested more than %(n)d deep": _("GeometryCollections are nested more than %(n)d deep"),
        "a ring holds at most %(n)d positions: draw a longer border as several areas": _(
            "a ring holds at most %(n)d positions: draw a longer border as several areas"
        ),
        "the layer's rings are too intricate to check for crossings: draw it with fewer positions": _(
            "the layer's rings are too intricate to check for crossings: draw it with fewer positions"
        ),
        "must be a GeoJSON object (a FeatureCollection)": _("must be a GeoJSON object (a FeatureCollection)"),
        "must be a list of features": _("must be a list of features"),
        "%(type)s is not a GeoJSON type: give a FeatureCollection": _(
            "%(type)s is not a GeoJSON type: give a FeatureCollection"
        ),
        "holds no feature: a layer draws at least one": _("holds no feature: a layer draws at least one"),
        "holds more than %(n)d features": _("holds more than %(n)d features"),
        "must be a Feature": _("must be a Feature"),
        "must be an object or null": _("must be an object or null"),
        "must be a text of at most 200 characters": _("must be a text of at most 200 characters"),
        "must be a geometry: a feature of a layer draws something": _(
            "must be a geometry: a feature of a layer draws something"
        ),
        "must be a non-empty list of geometries": _("must be a non-empty list of geometries"),
        "%(type)s is not a GeoJSON geometry type": _("%(type)s is not a GeoJSON geometry type"),
        "this layer is drawn with %(allowed)s, not %(type)s": _("this layer is drawn with %(allowed)s, not %(type)s"),
        "must be a non-empty list": _("must be a non-empty list"),
        "a position must be [longitude, latitude] (and an optional height), in numbers": _(
            "a position must be [longitude, latitude] (and an optional height), in numbers"
        ),
        "longitude %(value)s is out of range (-180 to 180)": _("longitude %(value)s is out of range (-180 to 180)"),
        "latitude %(value)s is out of range (-90 to 90): are longitude and latitude swapped?": _(
            "latitude %(value)s is out of range (-90 to 90): are longitude and latitude swapped?"
        ),
        "the layer holds more than %(n)d positions": _("the layer holds more than %(n)d positions"),
        "must be a list of positions": _("must be a list of positions"),
        "a line needs at least two positions": _("a line needs at least two positions"),
        "a polygon must be a non-empty list of rings": _("a polygon must be a non-empty list of rings"),
        "a ring needs at least four positions (the last repeating the first)": _(
            "a ring needs at least four positions (the last repeating the first)"
        ),
        "the ring is not closed: its last position %(last)s must repeat its first %(first)s": _(
            "the ring is not closed: its last position %(last)s must repeat its first %(first)s"
        ),
        "the ring crosses itself: its edge %(a)d meets its edge %(b)d": _(
            "the ring crosses itself: its edge %(a)d meets its edge %(b)d"
        ),
    }.get(e.message, e.message)
    return translated % e.values if e.values else translated


class Checked(dict):
    """A FeatureCollection that `checked_geojson` checked for `family`: what the command appends."""

    family: str


def checked_geojson(document, family: str) -> Checked:
    """The document (text, bytes or parsed JSON) as a checked FeatureCollection, or Invalid naming
    the field `geojson` and the path of the fault inside it."""
    try:
        if isinstance(document, (str, bytes)):
            document = geojson.loads(document)
        checked = Checked(geojson.collection(document, family, name=_name))
    except geojson.Invalid as e:
        raise Invalid(_message(e), f"geojson.{e.path}" if e.path else "geojson") from None
    checked.family = family
    return checked


def _name(value: str, path: str) -> str:
    """A feature's name is a text of the record like any other (no control or direction-override
    characters): the rule of every text, naming its place in the document."""
    return v.text(value, f"geojson.{path}", max_length=200)


def _family_expected(data: dict) -> str | None:
    """The geometry family the proposal's GeoJSON will be checked for, read without the record's
    lock; None when the kind is not settled (the command then refuses the kind first)."""
    try:
        code = _code(data.get("layer"))
    except Invalid:
        return None
    layer = Layer.objects.filter(code=code).first()
    kind = data.get("kind") or (layer.kind if layer else None)
    if kind not in Kind.values or (layer is not None and kind != layer.kind):
        return None
    return FAMILY[kind]


def propose_version(actor: Actor, data: dict) -> LayerVersion:
    """A version of a layer (`layer`, its code; a new code starts a layer of `kind`, named by
    `name_ar`/`name_en`), drawn by `geojson`. A party's version is also its party's approval.

    The GeoJSON is checked before the record's lock is taken: a check costs up to a second (see
    geojson.MAX_EDGE_PAIRS), and other users' writes must not wait on it."""
    refusal = proposal_refusal(actor)
    if refusal is not None:
        raise refusal
    data = dict(data)
    document, family = data.get("geojson"), _family_expected(data)
    if family and document not in (None, "") and not isinstance(document, Checked):
        data["geojson"] = checked_geojson(document, family)
    return _propose_version(actor, data)


def _code(value) -> str:
    code = v.text(value, "layer", max_length=40, required=True)
    if not code.isascii() or not code.replace("-", "").isalnum() or code != code.lower():
        raise Invalid(_("must be lower-case letters, digits and dashes"), "layer")
    return code


@command
def _propose_version(actor: Actor, data: dict) -> LayerVersion:
    """propose_version, under the record's lock."""
    refusal = proposal_refusal(actor)
    if refusal is not None:
        raise refusal
    mechanism()
    code = _code(data.get("layer"))
    layer = Layer.objects.filter(code=code).first()
    kind = v.choice(data.get("kind") or (layer.kind if layer else None), "kind", Kind.values)
    names = v.bilingual(data, "name", max_length=200)
    if layer is None:
        if not (names["name_ar"] or names["name_en"]):
            raise Invalid(_("a new layer needs a name, in Arabic or English"), "name")
    else:
        if kind != layer.kind:
            raise Invalid(
                _("layer %(code)s is a %(kind)s; a version of it draws the same")
                % {"code": code, "kind": layer.get_kind_display()},
                "kind",
            )
        if (names["name_ar"] and names["name_ar"] != layer.name_ar) or (
            names["name_en"] and names["name_en"] != layer.name_en
        ):
            raise Invalid(_("a layer keeps the name its first version gave it"), "name")
        names = {"name_ar": layer.name_ar, "name_en": layer.name_en}
    family = FAMILY[kind]
    within = data.get("within_km")
    if family == geojson.AREAS:
        if within not in (None, ""):
            raise Invalid(_("an area is checked by what lies inside it: leave out the distance"), "within_km")
        within = None
    else:
        within = _km(within)
    effective = v.date(data.get("effective_from"), "effective_from")
    if effective is not None and effective > today():
        raise Invalid(_("must not be after today: a version binds from a day that has come"), "effective_from")
    fc = data.get("geojson")
    if fc in (None, ""):
        raise Invalid(_("give the layer's GeoJSON: a FeatureCollection"), "geojson")
    if not (isinstance(fc, Checked) and fc.family == family):
        # checked before the lock for another kind (a layer begun meanwhile), or given unchecked by a
        # caller inside a batch: checked here, at a cost the caps of geojson bound
        fc = checked_geojson(fc, family)
    number = (LayerVersion.objects.filter(layer_id=code).aggregate(n=Max("number"))["n"] or 0) + 1
    payload = {
        "layer": code,
        "kind": kind,
        **names,
        "number": number,
        "geojson": dict(fc),
        "within_km": within,
        "effective_from": v.iso(effective),
        **v.bilingual(data, "note", max_length=5000),
        "source": v.text(data.get("source"), "source", max_length=2000),
        "party": None if facilitates(actor) else actor.party,
    }
    version = LayerVersion.objects.get(id=append("layer.version_proposed", payload, actor).seq)
    if payload["party"]:  # a party puts forward what it approves: with one party, that binds it
        _bind_if_complete(version)
        version.refresh_from_db()
    return version


def _km(value) -> float:
    if value in (None, ""):
        return 1.0  # a report within a kilometre of a line or a point is on it
    try:
        km = float(value)
    except (TypeError, ValueError):
        km = -1.0
    if isinstance(value, bool) or not 0 < km <= 50:  # NaN fails the comparison too
        raise Invalid(_("must be a distance in kilometres, more than 0 and at most 50"), "within_km")
    return km


@command
def take_position(actor: Actor, version_id, data: dict) -> LayerVersion:
    """The position of the actor's party on a version. The position that completes every party's
    approval makes it binding, in the same command."""
    version = get(LayerVersion, version_id, "version")
    refusal = position_refusal(actor, version)
    if refusal is not None:
        raise refusal
    append("layer.position_taken", consensus.position_payload(actor, "version", version.id, data), actor)
    _bind_if_complete(version)
    version.refresh_from_db()
    return version


def waiting_for(version: LayerVersion) -> list[str]:
    """What `version` waits for before it binds, in the reader's language."""
    return describe(version.waits(today()))


def _bind_if_complete(version: LayerVersion) -> None:
    """The record states that the version binds, with what binds and since when: the day the
    proposal named, else this entry's own time."""
    if version.binding or version.waits(today()):
        return
    # A day named binds from its first moment where the committee works (its time zone).
    since = (
        dt.datetime.combine(version.effective_from, dt.time(), days.zone()) if version.effective_from else log._clock()
    )
    layer = version.layer
    append(
        "layer.version_bound",
        {
            "version": version.id,
            "layer": layer.code,
            "kind": layer.kind,
            "name_ar": layer.name_ar,
            "name_en": layer.name_en,
            "number": version.number,
            "geojson": version.geojson,
            "within_km": version.within_km,
            "effective_from": v.iso(version.effective_from),
            "note_ar": version.note_ar,
            "note_en": version.note_en,
            "source": version.source,
            "since": log.format_time(since),
        },
        log.COMMITTEE,
    )


def bind_completed(actor: Actor) -> None:
    """After a party's return: every version that waited only for it binds."""
    for version in LayerVersion.objects.filter(binding=False).select_related("layer").order_by("id"):
        _bind_if_complete(version)
