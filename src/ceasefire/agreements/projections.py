"""How each agreement event changes the tables, from the event's content alone."""

import datetime as dt

from ceasefire.record.log import projects

from .models import Agreement, Interpretation, Provision


def _date(s):
    return dt.date.fromisoformat(s) if s else None


@projects("agreement.recorded", audience="public")
def _agreement(event):
    p = dict(event.payload)
    p["signed_on"] = _date(p["signed_on"])
    Agreement.objects.create(id=event.seq, **p)


@projects("provision.added", audience="public")
def _provision(event):
    p = dict(event.payload)
    p["agreement_id"] = p.pop("agreement")
    p["deadline_on"] = _date(p["deadline_on"])
    Provision.objects.create(id=event.seq, **p)


@projects("provision.interpretation_added", audience="public")
def _interpretation(event):
    p = dict(event.payload)
    p["provision_id"] = p.pop("provision")
    Interpretation.objects.create(id=event.seq, **p)
