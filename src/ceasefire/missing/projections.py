"""How each missing-person event changes the tables, from the event's content alone.

Who reads what (declared here, applied by ceasefire.audience): a case, the statuses claimed of it
and each party's position stay with the parties (the facilitator and the monitors with them); who
the person is stays in the vault, the facilitator's only. The committee's status of a case is read
by observers too, from its own entry (missing.status_agreed), which carries only the case, the
status and its day. The public reads nothing of missing persons."""

import datetime as dt

from ceasefire.mechanism import consensus
from ceasefire.record.log import projects

from .models import Case, StatusClaim, StatusPosition


@projects("missing.case_opened", audience="parties")
def _opened(event):
    p = dict(event.payload)
    p["missing_since"] = dt.date.fromisoformat(p["missing_since"])
    p["opened_by_id"] = p.pop("opened_by")
    Case.objects.create(id=event.seq, opened_at=event.time, **p)


@projects("missing.status_claimed", audience="parties")
def _claimed(event):
    p = dict(event.payload)
    p["case_id"] = p.pop("case")
    p["claimed_by_id"] = p.pop("claimed_by")
    p["as_of"] = dt.date.fromisoformat(p["as_of"])
    approved_by = p.pop("approved_by")
    StatusClaim.objects.create(id=event.seq, proposed_by=event.account, proposed_at=event.time, **p)
    consensus.project_proposer_approval(StatusPosition, "claim", event.seq, approved_by, event)


@projects("missing.status_position_taken", audience="parties")
def _position(event):
    consensus.project_position(StatusPosition, "claim", event)


# The command that completes every party's approval appends this; nothing here decides.
@projects("missing.status_agreed", audience="observers")
def _agreed(event):
    p = event.payload
    StatusClaim.objects.filter(id=p["claim"]).update(agreed=True, agreed_at=event.time)
