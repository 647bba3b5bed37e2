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
    # Entries written before readings said who recorded them: only a party's speaker had a party.
    recorded_by = p.pop("recorded_by", None) or (Interpretation.PARTY if event.party else Interpretation.FACILITATOR)
    party = p.pop("party", None) or (event.party or None if recorded_by == Interpretation.PARTY else None)
    Interpretation.objects.create(id=event.seq, party_id=party, recorded_by=recorded_by, **p)
