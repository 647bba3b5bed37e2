"""How each agreement event changes the tables, from the event's content alone.

The agreement, its provisions, their readings and the conditions their deadlines depend on are
public. How far a provision is implemented: the assessments put forward and each party's position
on them stay with the parties (who said what); the committee's agreed status is read by observers
too, from its own entry (assessment.agreed), which carries what was agreed.
"""

import datetime as dt

from ceasefire.mechanism import consensus
from ceasefire.record.log import projects

from .models import AgreedStatus, Agreement, Assessment, AssessmentPosition, Condition, Interpretation, Provision


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


@projects("provision.condition_recorded", audience="public")
def _condition(event):
    p = dict(event.payload)
    p["provision_id"] = p.pop("provision")
    p["as_of"] = _date(p["as_of"])
    Condition.objects.create(id=event.seq, recorded_at=event.time, **p)


@projects("assessment.proposed", audience="parties")
def _assessment(event):
    p = dict(event.payload)
    p["provision_id"] = p.pop("provision")
    p["party_id"] = p.pop("party")
    p["as_of"] = _date(p["as_of"])
    Assessment.objects.create(id=event.seq, proposed_by=event.account, proposed_at=event.time, **p)
    # a party puts forward what it approves: the entry is its position too
    consensus.project_proposer_approval(AssessmentPosition, "assessment", event.seq, p["party_id"], event)


@projects("assessment.position_taken", audience="parties")
def _assessment_position(event):
    consensus.project_position(AssessmentPosition, "assessment", event)


# The command that completes every party's approval appends this; nothing here decides.
@projects("assessment.agreed", audience="observers")
def _agreed(event):
    p = dict(event.payload)
    Assessment.objects.filter(id=p["assessment"]).update(agreed=True, agreed_at=event.time)
    p["assessment_id"] = p.pop("assessment")
    p["provision_id"] = p.pop("provision")
    p["as_of"] = _date(p["as_of"])
    AgreedStatus.objects.create(id=event.seq, agreed_at=event.time, **p)
