"""What a claim of the military track carries, checked once for every app that takes claims
(forces, exchanges, mines, routes): the day it speaks of (never in the future), a count, a place,
its source, and who claims it. Each failure names the field at fault."""

import datetime as dt

from django.utils.translation import gettext as _

from ceasefire import days
from ceasefire import validate as v
from ceasefire.incidents import commands as incidents
from ceasefire.mechanism.models import Role
from ceasefire.places.gazetteer import gazetteer
from ceasefire.record.log import Actor

MAX_COUNT = 1_000_000


def day(data: dict, field: str, *, required: bool = True) -> dt.date | None:
    found = v.date(data.get(field), field, required=required)
    if found and found > days.latest_today():
        return v.refuse(_("is in the future"), field)
    return found


def count(data: dict, field: str, *, required: bool = False) -> int | None:
    value = data.get(field)
    if isinstance(value, str):  # an Arabic phone keyboard types ٣٠٠ for 300
        value = value.strip().translate(incidents.PHONE_DIGITS)
    return v.integer(value, field, minimum=0, maximum=MAX_COUNT, required=required)


def place(data: dict, *, required: bool) -> dict:
    """Where: a place of the gazetteer (`place`, its id), or names and coordinates, or both."""
    pid = v.text(data.get("place"), "place", max_length=40)
    names = v.bilingual(data, "place_name", max_length=200)
    out = {
        "place_id": pid,
        "place_ar": names["place_name_ar"],
        "place_en": names["place_name_en"],
        "latitude": None,
        "longitude": None,
    }
    if pid:
        found = gazetteer().by_id.get(pid)
        if found is None:
            return v.refuse(_("is not a place of the gazetteer (look it up in /api/v1/places)"), "place", out)
        out.update(
            place_ar=out["place_ar"] or found.name_ar,
            place_en=out["place_en"] or found.name_en,
            latitude=found.latitude,
            longitude=found.longitude,
        )
    elif required and not (out["place_ar"] or out["place_en"]):
        v.refuse(_("say where: a place of the gazetteer, or its name"), "place")
    return out


def source(data: dict) -> str:
    return v.text(data.get("source"), "source", max_length=2000, required=True)


def claimed_by(actor: Actor) -> str | None:
    """A delegate claims for its party; a monitor or the facilitator for the mission (never a party)."""
    return actor.party or None if actor.role in (Role.HEAD, Role.MEMBER) else None
