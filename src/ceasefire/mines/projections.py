"""How each mine-action event changes the tables, from the event's content alone.

Audiences: an area and the clearance reports on it are read by observers too, with their sources
(where mines lie is what the public and the observers most need; a clearance claimed is a claim
beside the others, and its verification is the chain's, read as the chain's reports are)."""

import datetime as dt

from ceasefire.record.log import projects

from .models import Area, Clearance


@projects("mine.area_recorded", audience="observers")
def _area(event):
    Area.objects.create(id=event.seq, recorded_at=event.time, **event.payload)


@projects("mine.clearance_reported", audience="observers")
def _clearance(event):
    p = dict(event.payload)
    p["area_id"] = p.pop("area")
    p["claimed_by_id"] = p.pop("claimed_by")
    p["as_of"] = dt.date.fromisoformat(p["as_of"])
    Clearance.objects.create(id=event.seq, recorded_at=event.time, **p)
