"""What the committee shares with a neighbour's liaison committee (Chad, Niger, Sudan), as CSV or
JSON, and the record's entry of each export (routes.data_shared: its hash, its recipient, the
checkpoint of the record it was made at).

What goes in is only what the committee agreed and shares with observers, read as the observers'
audience reads it (ceasefire.audience), so nothing of the parties' own reaches it and no protected
field either (how a source is described, identities, accounts, evidence): the border crossings with
the recipient and their statuses as the committee agreed them; the reports near those crossings
that the committee shared with observers or published, without their narrative or sources; and the
departures of foreign forces whose verification the committee concluded, with the number the joint
team counted. docs/liaison-export.md documents both formats.
"""

import csv
import hashlib
import io
import json

from django.utils.translation import gettext as _

from ceasefire import days
from ceasefire import validate as v
from ceasefire.errors import Forbidden
from ceasefire.mechanism.commands import mechanism
from ceasefire.record import checkpoints, log
from ceasefire.record.log import Actor, append, command

from . import queries
from .models import LIAISON, Kind, Route, Shared

FORMAT = "ceasefire-liaison-export/1"
AUDIENCE = log.AUDIENCES[1]  # observers: what the committee shares beyond the parties
FORMATS = ("json", "csv")
CSV_COLUMNS = (
    "record",
    "reference",
    "date",
    "name_en",
    "name_ar",
    "status",
    "conditions_en",
    "conditions_ar",
    "place_en",
    "place_ar",
    "latitude",
    "longitude",
    "claimed",
    "verified",
    "source",
)


def share_refusal(actor: Actor | None):
    """Only the facilitator, who keeps the secretariat, makes an export of what the committee shares."""
    from ceasefire.mechanism.permissions import facilitates

    if not facilitates(actor):
        return Forbidden(_("Only the facilitator makes an export for a neighbour's liaison committee."))
    return None


def content(recipient: str) -> dict:
    """What is shared with `recipient`, as the observers' audience reads it."""
    crossings = []
    reports: dict[int, dict] = {}
    for route in Route.objects.filter(kind=Kind.CROSSING, neighbour=recipient).order_by("id"):
        agreed = queries.claims(AUDIENCE, route) or []
        place = route.places[0] if route.places else ""
        g = queries.geometry(route)
        crossings.append(
            {
                "reference": route.reference,
                "name_en": route.name_en,
                "name_ar": route.name_ar,
                "place": place,
                "latitude": g["coordinates"][1] if g["type"] == "Point" else None,
                "longitude": g["coordinates"][0] if g["type"] == "Point" else None,
                "source": route.source,
                "statuses": [
                    {
                        "status": c.status,
                        "since": c.since.isoformat(),
                        "conditions_en": c.conditions_en,
                        "conditions_ar": c.conditions_ar,
                        "ordered_by_en": c.ordered_by_en,
                        "ordered_by_ar": c.ordered_by_ar,
                        "source": c.source,
                    }
                    for c in sorted(agreed, key=lambda c: (c.since, c.id))
                ],
            }
        )
        for r in queries.incidents(AUDIENCE, route):
            reports[r.id] = {
                "reference": r.reference,
                "near": route.reference,
                "occurred_on": days.day_of(r.occurred_at, r.time_known).isoformat(),
                "category": r.category_id,
                "status": r.status,
                "title_en": r.title_en,
                "title_ar": r.title_ar,
                "place_en": r.place_en,
                "place_ar": r.place_ar,
                "latitude": r.latitude,
                "longitude": r.longitude,
            }
    return {
        "crossings": crossings,
        "reports": sorted(reports.values(), key=lambda r: (r["occurred_on"], r["reference"])),
        "departures": _departures(),
    }


def _departures() -> list[dict]:
    """The departures whose verification concluded, with the count the joint team made."""
    from ceasefire.forces.models import Departure
    from ceasefire.forces.verification import by_departure

    departures = list(Departure.objects.select_related("group").order_by("departed_on", "id"))
    found = by_departure(departures, AUDIENCE)
    return [
        {
            "reference": d.reference,
            "group_en": d.group.name_en,
            "group_ar": d.group.name_ar,
            "origin_en": d.group.origin_en,
            "origin_ar": d.group.origin_ar,
            "departed_on": d.departed_on.isoformat(),
            "exit_point_en": d.place_en,
            "exit_point_ar": d.place_ar,
            "claimed": d.claimed,
            "verified": found[d.id].verified,
        }
        for d in departures
        if found[d.id].verified is not None
    ]


def as_csv(data: dict, head: dict) -> bytes:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerow(
        {
            "record": "export",
            "reference": head["format"],
            "name_en": head["recipient"],
            "source": json.dumps(head["checkpoint"]),
        }
    )
    for c in data["crossings"]:
        w.writerow(
            {
                "record": "crossing",
                **{k: c[k] for k in ("reference", "name_en", "name_ar", "latitude", "longitude", "source")},
                "place_en": c["place"],
            }
        )
        for s in c["statuses"]:
            w.writerow(
                {
                    "record": "status",
                    "reference": c["reference"],
                    "date": s["since"],
                    "status": s["status"],
                    "conditions_en": s["conditions_en"],
                    "conditions_ar": s["conditions_ar"],
                    "name_en": s["ordered_by_en"],
                    "name_ar": s["ordered_by_ar"],
                    "source": s["source"],
                }
            )
    for r in data["reports"]:
        w.writerow(
            {
                "record": "report",
                "reference": r["reference"],
                "date": r["occurred_on"],
                "name_en": r["title_en"],
                "name_ar": r["title_ar"],
                "status": r["status"],
                "place_en": r["place_en"],
                "place_ar": r["place_ar"],
                "latitude": r["latitude"],
                "longitude": r["longitude"],
                "source": r["near"],
            }
        )
    for d in data["departures"]:
        w.writerow(
            {
                "record": "departure",
                "reference": d["reference"],
                "date": d["departed_on"],
                "name_en": d["group_en"],
                "name_ar": d["group_ar"],
                "place_en": d["exit_point_en"],
                "place_ar": d["exit_point_ar"],
                "claimed": d["claimed"],
                "verified": d["verified"],
            }
        )
    return out.getvalue().encode("utf-8")


@command
def share(actor: Actor, data: dict) -> tuple[bytes, Shared]:
    """Make the export for `recipient` in `format` (json or csv), and record it: the entry names
    the file's SHA-256, the recipient and the checkpoint of the record the export was read at."""
    refusal = share_refusal(actor)
    if refusal is not None:
        raise refusal
    mechanism()
    recipient = v.choice(data.get("recipient"), "recipient", [str(n) for n in LIAISON])
    fmt = v.choice(data.get("format") or "json", "format", FORMATS)
    cp = checkpoints.sign(log.size())
    head = {
        "format": FORMAT,
        "recipient": recipient,
        "checkpoint": {"size": cp.size, "root": bytes(cp.root).hex()},
    }
    body = content(recipient)
    if fmt == "json":
        blob = json.dumps({**head, **body}, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    else:
        blob = as_csv(body, head)
    payload = {
        "recipient": recipient,
        "sha256": hashlib.sha256(blob).hexdigest(),
        "format": fmt,
        "checkpoint": cp.size,
        "root": bytes(cp.root).hex(),
    }
    shared = Shared.objects.get(id=append("routes.data_shared", payload, actor).seq)
    return blob, shared
