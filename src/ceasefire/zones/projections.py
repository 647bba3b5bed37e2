"""How each layer event changes the tables, from the event's content alone.

Who reads what (declared here, applied by ceasefire.audience): the versions put forward and each
party's position on them stay with the parties (who said what, and lines not agreed, which may
say where a party's forces stand). A version that binds is read by observers too, from its own
entry (layer.version_bound), which carries the whole of what binds: observers, who need the
committee's zones to read the reports shared with them, read it without the proposals. The public
reads no layer: where the committee's lines run is not published by default, and so the public is
not told whether a published report lies inside one either.
"""

import datetime as dt

from ceasefire.mechanism import consensus
from ceasefire.record.log import parse_time, projects

from .models import Layer, LayerPosition, LayerVersion


def _date(s):
    return dt.date.fromisoformat(s) if s else None


def _layer(p) -> None:
    Layer.objects.get_or_create(
        code=p["layer"], defaults={"kind": p["kind"], "name_ar": p["name_ar"], "name_en": p["name_en"]}
    )


@projects("layer.version_proposed", audience="parties")
def _proposed(event):
    p = event.payload
    _layer(p)
    LayerVersion.objects.create(
        id=event.seq,
        layer_id=p["layer"],
        number=p["number"],
        geojson=p["geojson"],
        within_km=p["within_km"],
        effective_from=_date(p["effective_from"]),
        note_ar=p["note_ar"],
        note_en=p["note_en"],
        source=p["source"],
        party_id=p["party"],
        proposed_by=event.account,
        proposed_at=event.time,
    )
    consensus.project_proposer_approval(LayerPosition, "version", event.seq, p["party"], event)


@projects("layer.position_taken", audience="parties")
def _position(event):
    consensus.project_position(LayerPosition, "version", event)


# The command that completes every party's approval appends this; nothing here decides.
@projects("layer.version_bound", audience="observers")
def _bound(event):
    p = event.payload
    _layer(p)
    LayerVersion.objects.update_or_create(
        id=p["version"],
        defaults={
            "layer_id": p["layer"],
            "number": p["number"],
            "geojson": p["geojson"],
            "within_km": p["within_km"],
            "effective_from": _date(p["effective_from"]),
            "note_ar": p["note_ar"],
            "note_en": p["note_en"],
            "source": p["source"],
            "binding": True,
            "binding_since": parse_time(p["since"]),
            "bound_at": event.time,
        },
    )
