"""A disputed report before the committee: settled only by a decision every party approved, or
closed with the disagreement on record once a proposal met an objection or an abstention."""

import pytest
from django.db import transaction

from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.incidents import commands
from ceasefire.mechanism import commands as mechanism
from ceasefire.mechanism.models import Decision
from ceasefire.record import log
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import refused

from . import steps


@pytest.fixture
def disputed(actors, filed):
    steps.meeting_held()  # today, each party's quorum present: a decision is adopted once every party approves
    return steps.advance(actors, filed, "disputed")


def propose(r, text="The findings stand"):
    return commands.propose_settlement(FACILITATOR, r.id, {"text": text})


def position(actors, r, head, value):
    return mechanism.take_position(actors[head], r.decision_id, {"position": value})


def test_settled_by_a_decision_every_party_approved(actors, disputed):
    with refused(Conflict, "decision"):  # no proposal yet
        commands.settle(FACILITATOR, disputed.id, {})
    r = propose(disputed)
    d = r.decision
    # What the parties approve names the findings it makes binding, attribution included.
    assert d.meeting_id == r.agenda_item.meeting_id
    drafted = Event.objects.filter(type="findings.drafted").latest("seq").seq
    assert (
        d.text_en
        == f"The committee upholds the findings on {r.reference} as drafted in entry #{drafted} of the record.\n\nThe findings stand"
    )
    assert r.reference in d.text_ar and str(drafted) in d.text_ar
    assert "Eastern region" not in d.text_en  # the draft's contents stay with the parties: observers read decisions
    with refused(Conflict, "decision"):
        commands.settle(FACILITATOR, r.id, {})
    position(actors, r, "west-head", "approve")
    with refused(Conflict, "decision"):  # one party's approval adopts nothing
        commands.settle(FACILITATOR, r.id, {})
    position(actors, r, "east-head", "approve")
    r = commands.settle(FACILITATOR, r.id, {"note": "Adopted at the next round"})
    assert (r.status, r.closing_note_en, r.decision_id) == ("concluded", "Adopted at the next round", d.id)


def test_the_facilitators_word_settles_nothing_only_every_partys_position_does(actors, disputed):
    said_so = {"source": "the facilitator says so"}
    r = commands.propose_settlement(
        FACILITATOR, disputed.id, {"text_en": "The findings stand", "adopted_per_source": said_so}
    )
    assert not r.decision.adopted and not Event.objects.filter(type="decision.adopted").exists()
    assert set(Event.objects.filter(type="decision.recorded").latest("seq").payload) == {
        "meeting",
        "number",
        "text_ar",
        "text_en",
        "source",
    }
    with refused(Conflict, "decision"):
        commands.settle(FACILITATOR, r.id, {})
    # A proposal a source says was adopted (as a record written otherwise could hold) binds no party.
    with transaction.atomic():
        log.append(
            "decision.adopted",
            {"decision": r.decision_id, "through": "source", "source": said_so["source"], "on": None},
            FACILITATOR,
        )
    assert Decision.objects.get(id=r.decision_id).adopted
    with refused(Conflict, "decision"):
        commands.settle(FACILITATOR, r.id, {})


def test_a_new_draft_cannot_undo_the_committees_decision(actors, disputed):
    r = propose(disputed)
    redraft = {"findings": [{"allegation": "Shelling", "result": "no_violation"}]}
    position(actors, r, "west-head", "approve")
    position(actors, r, "east-head", "approve")
    with refused(Conflict, "decision"):
        commands.draft_findings(FACILITATOR, r.id, redraft)
    assert commands.settle(FACILITATOR, r.id, {}).status == "concluded"


def test_no_new_draft_while_a_proposal_is_pending_and_the_facilitators_once_it_failed(actors, disputed):
    r = propose(disputed)
    redraft = {"findings": [{"allegation": "Shelling", "result": "insufficient"}]}
    with refused(Conflict, "decision"):  # the committee has it before it
        commands.draft_findings(FACILITATOR, r.id, redraft)
    position(actors, r, "east-head", "object")
    with refused(Forbidden):  # a party's member does not take it back from the committee
        commands.draft_findings(actors["east-member"], r.id, redraft)
    r = commands.draft_findings(FACILITATOR, r.id, redraft)
    assert (r.status, r.decision_id, r.agenda_item_id) == ("findings", None, None)


def test_a_proposal_needs_the_report_on_an_agenda(actors, filed):
    r = steps.advance(actors, filed, "disputed")
    assert r.agenda_item_id is None
    with refused(Conflict, "report"):
        propose(r)


def test_one_proposal_at_a_time_and_a_new_one_once_it_failed(actors, disputed):
    r = propose(disputed)
    with refused(Conflict, "decision"):
        propose(r, "Another text")
    position(actors, r, "west-head", "approve")
    with refused(Conflict, "decision"):
        propose(r, "Another text")
    position(actors, r, "east-head", "object")
    first = r.decision_id
    r = propose(r, "The findings stand, without attribution")
    assert r.decision_id != first and Decision.objects.filter(id__in=[first, r.decision_id]).count() == 2
    position(actors, r, "east-head", "abstain")
    r = propose(r, "A third text")  # an abstention fails it too
    position(actors, r, "west-head", "approve")
    position(actors, r, "east-head", "approve")
    with refused(Conflict, "decision"):  # adopted: settle it, do not propose again
        propose(r, "A fourth text")
    assert commands.settle(FACILITATOR, r.id, {}).status == "concluded"


def test_a_proposal_is_a_decision_with_its_text(actors, disputed):
    with refused(Invalid, "text"):
        propose(disputed, "")


def test_disagreement_needs_an_objection_or_an_abstention(actors, disputed):
    with refused(Conflict, "decision"):
        commands.record_disagreement(FACILITATOR, disputed.id, {"note": "No agreement"})
    r = propose(disputed)
    with refused(Conflict, "decision"):  # nobody has spoken yet
        commands.record_disagreement(FACILITATOR, r.id, {"note": "No agreement"})
    position(actors, r, "west-head", "approve")
    with refused(Conflict, "decision"):
        commands.record_disagreement(FACILITATOR, r.id, {"note": "No agreement"})
    position(actors, r, "east-head", "object")
    with refused(Invalid, "note"):
        commands.record_disagreement(FACILITATOR, r.id, {})
    r = commands.record_disagreement(FACILITATOR, r.id, {"note": "The east holds that no shell fell"})
    assert (r.status, r.closed, r.closing_note_en) == ("disagreement", True, "The east holds that no shell fell")


def test_an_abstention_is_a_disagreement_too(actors, disputed):
    r = propose(disputed)
    position(actors, r, "west-head", "abstain")
    assert commands.record_disagreement(FACILITATOR, r.id, {"note": "The west abstained"}).status == "disagreement"


def test_an_adopted_decision_is_settled_not_a_disagreement(actors, disputed):
    r = propose(disputed)
    position(actors, r, "west-head", "approve")
    position(actors, r, "east-head", "approve")
    with refused(Conflict, "decision"):
        commands.record_disagreement(FACILITATOR, r.id, {"note": "No agreement"})


OTHERS = ["west-head", "west-member", "east-head", "east-member", "observer"]


def test_only_the_facilitator_proposes_settles_or_records_the_disagreement(actors, disputed, subtests):
    for who in OTHERS:
        with subtests.test(who=who), refused(Forbidden):
            commands.propose_settlement(actors[who], disputed.id, {"text": "The findings stand"})
    r = propose(disputed)
    position(actors, r, "west-head", "approve")
    position(actors, r, "east-head", "approve")
    for who in OTHERS:
        with subtests.test(who=who):
            with refused(Forbidden):
                commands.settle(actors[who], r.id, {})
            with refused(Forbidden):
                commands.record_disagreement(actors[who], r.id, {"note": "x"})
