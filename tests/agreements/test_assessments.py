"""How far a provision is implemented: each party and the facilitator put forward assessments,
which stand side by side until every party approves one; then the record states the committee's
status in an entry of its own. Nothing is overwritten."""

import datetime as dt

import pytest
from django.utils.translation import override

from ceasefire.agreements import commands, queries
from ceasefire.agreements import implementation as rule
from ceasefire.agreements.models import AgreedStatus, Assessment, Provision
from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound
from ceasefire.mechanism import commands as mechanism
from ceasefire.mechanism.accounts import actor_for, create_account
from ceasefire.record import replay
from ceasefire.record.models import Event
from tests import once
from tests.conftest import FACILITATOR, PASSWORD
from tests.helpers import refused

EAST = {
    "status": 1,
    "as_of": "2021-01-23",
    "reasoning": "Some units returned to their camps.",
    "source": "east statement",
}
WEST = {
    "status": 0,
    "as_of": "2021-01-23",
    "reasoning_ar": "لم يغادر أي من المرتزقة.",
    "evidence": ["https://example.org/west"],
}


@once.fixture
def provision(actors):
    agreement = commands.record_agreement(FACILITATOR, {"title": "Ceasefire", "signed_on": "2020-10-23"})
    return commands.add_provision(
        FACILITATOR,
        agreement.id,
        {"number": "2", "text": "Departure of foreign fighters", "deadline_months": 3, "category": "foreign forces"},
    )


def implementation(provision, reader):
    """As a reader reads it now (a fresh row: nothing cached from before)."""
    return queries.implementation(Provision.objects.get(id=provision.id), reader, dt.date(2026, 1, 1))


def types() -> list[str]:
    return list(Event.objects.order_by("seq").values_list("type", flat=True))


def test_each_partys_assessment_stands_beside_the_others_until_every_party_approves_one(actors, provision):
    start = Event.objects.count()
    east = commands.propose_assessment(actors["east-head"], provision.id, EAST)
    # a party puts forward what it approves: its entry is its position too
    assert types()[start:] == ["assessment.proposed"]
    assert [(p.party_id, p.position, p.given_by) for p in east.positions.all()] == [("east", "approve", "east-head")]
    assert (east.party_id, east.status, east.proposed_by, east.agreed) == ("east", "1", "east-head", False)
    with override("en"):
        assert commands.waiting_for(east) == ["position of the delegation of Western region not given"]
    west = commands.propose_assessment(actors["west-head"], provision.id, WEST)
    assert (west.reasoning_ar, west.evidence) == ("لم يغادر أي من المرتزقة.", ["https://example.org/west"])
    found = implementation(provision, actors["west-head"])
    assert [a.id for a in found.pending] == [west.id, east.id]  # side by side, neither the committee's
    assert (found.current, found.agreed, found.standing.state) == (None, False, rule.DUE)

    # the facilitator's reading of it: both parties approve it, and it is the committee's
    agreed = commands.propose_assessment(
        FACILITATOR, provision.id, {**EAST, "status": "1", "reasoning": "Partial return; no departures."}
    )
    assert agreed.party_id is None and not agreed.positions.exists()
    commands.take_position(actors["west-head"], agreed.id, {"position": "approve", "reason": "accepted"})
    before = Event.objects.count()
    agreed = commands.take_position(actors["east-head"], agreed.id, {"position": "approve"})
    assert agreed.agreed and types()[before:] == ["assessment.position_taken", "assessment.agreed"]
    entry = Event.objects.get(type="assessment.agreed").payload
    # the entry carries what was agreed: observers, who read no proposal, read it from here
    assert entry == {
        "assessment": agreed.id,
        "provision": provision.id,
        "status": "1",
        "as_of": "2021-01-23",
        "reasoning_ar": "",
        "reasoning_en": "Partial return; no departures.",
        "evidence": [],
        "source": "east statement",
    }
    found = implementation(provision, actors["observer"])
    assert (found.current.status, found.agreed, found.assessments) == ("1", True, None)  # observers: no proposals
    assert found.standing.state == rule.OVERDUE  # past its deadline, below full
    # the rival assessments are still there, unchanged and not the committee's
    assert set(Assessment.objects.filter(agreed=False).values_list("id", flat=True)) == {east.id, west.id}
    assert replay.check(progress=None).ok


def test_the_status_history_is_dated_and_sourced_and_nothing_is_overwritten(actors, provision):
    for as_of, status, source in (("2021-01-23", 1, "first"), ("2022-06-01", 3, "second"), ("2021-06-01", 2, "third")):
        a = commands.propose_assessment(
            actors["west-head"], provision.id, {**EAST, "status": status, "as_of": as_of, "source": source}
        )
        commands.take_position(actors["east-head"], a.id, {"position": "approve"})
    history = list(
        AgreedStatus.objects.filter(provision=provision).order_by("-as_of").values_list("as_of", "status", "source")
    )
    assert history == [
        (dt.date(2022, 6, 1), "3", "second"),
        (dt.date(2021, 6, 1), "2", "third"),
        (dt.date(2021, 1, 23), "1", "first"),
    ]
    found = implementation(provision, actors["observer"])
    assert (found.current.status, found.standing.state) == ("3", rule.DONE)  # done, not "passed"
    # a later entry as of an earlier day does not hide the newer status
    assert found.current.source == "second"


def test_an_objection_keeps_it_from_the_committee_until_the_party_approves(actors, provision):
    a = commands.propose_assessment(actors["east-head"], provision.id, EAST)
    a = commands.take_position(actors["west-head"], a.id, {"position": "object", "reason": "no departures at all"})
    assert not a.agreed and a.outcome().objected_by == ("west",)
    with override("en"):
        assert commands.waiting_for(a) == ["the delegation of Western region has not approved"]
    a = commands.take_position(actors["west-head"], a.id, {"position": "approve"})
    assert a.agreed
    with refused(Conflict):  # the committee's: its positions no longer change
        commands.take_position(actors["west-head"], a.id, {"position": "object"})


def test_a_suspended_party_holds_it_up_and_its_return_completes_it(actors, provision):
    a = commands.propose_assessment(actors["east-head"], provision.id, EAST)
    mechanism.suspend_participation(actors["east-head"], "east", {"since": "2022-04-09"})
    with refused(Conflict):
        commands.propose_assessment(actors["east-head"], provision.id, EAST)
    with refused(Conflict):
        commands.take_position(actors["east-head"], a.id, {"position": "approve"})
    a = commands.take_position(actors["west-head"], a.id, {"position": "approve"})
    assert not a.agreed  # its approval, given before, stands; but what needs it waits for its return
    with override("en"):
        assert commands.waiting_for(a) == ["the participation of Eastern region is suspended"]
    mechanism.resume_participation(actors["east-head"], "east", {"on": "2022-05-01"})
    a.refresh_from_db()
    assert a.agreed and Event.objects.order_by("-seq").first().type == "assessment.agreed"
    assert replay.check(progress=None).ok


def test_who_may_put_forward_an_assessment_and_who_may_take_a_position(actors, provision):
    for who in ("west-member", "east-member", "observer"):
        with refused(Forbidden):
            commands.propose_assessment(actors[who], provision.id, EAST)
    monitor = actor_for(create_account("monitor", PASSWORD, "monitor"))
    with refused(Forbidden):
        commands.propose_assessment(monitor, provision.id, EAST)
    a = commands.propose_assessment(FACILITATOR, provision.id, EAST)
    for who in ("west-member", "east-member", "observer", "facilitator"):
        with refused(Forbidden):
            commands.take_position(actors[who], a.id, {"position": "approve"})
    with refused(Forbidden):
        commands.take_position(monitor, a.id, {"position": "approve"})
    # a member the party designates speaks for it
    speaker = actor_for(create_account("west-speaker", PASSWORD, "member", "west", speaks_for_party=True))
    mine = commands.propose_assessment(speaker, provision.id, WEST)
    assert (mine.party_id, mine.proposed_by) == ("west", "west-speaker")
    assert commands.take_position(speaker, a.id, {"position": "abstain"}).outcome().abstained_by == ("west",)


@pytest.mark.parametrize(
    "change, field, error",
    [
        ({"status": 4}, "status", Invalid),
        ({"status": "full"}, "status", Invalid),
        ({"status": True}, "status", Invalid),
        ({"status": None}, "status", Invalid),
        ({"as_of": None}, "as_of", Invalid),
        ({"as_of": "23/01/2021"}, "as_of", Invalid),
        ({"as_of": "2020-10-22"}, "as_of", Invalid),  # before the signature
        ({"as_of": "2099-01-01"}, "as_of", Invalid),  # an assessment is of what is, not what will be
        ({"reasoning": ""}, "reasoning", Invalid),
        ({"reasoning": "x" * 10001}, "reasoning", Invalid),
        ({"evidence": "https://example.org"}, "evidence", Invalid),
        ({"evidence": ["ftp://example.org/x"]}, "evidence[0]", Invalid),
        ({"evidence": ["https://example.org/a", "https://ex ample.org"]}, "evidence[1]", Invalid),
        ({"evidence": ["https://example.org"] * 21}, "evidence", Invalid),
        ({"source": 5}, "source", Invalid),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(actors, provision, change, field, error):
    with refused(error, field):
        commands.propose_assessment(actors["west-head"], provision.id, {**EAST, **change})


def test_unknown_rows_and_bad_positions_are_refused(actors, provision):
    with refused(NotFound, "provision"):
        commands.propose_assessment(actors["west-head"], 424242, EAST)
    with refused(NotFound, "assessment"):
        commands.take_position(actors["west-head"], 424242, {"position": "approve"})
    a = commands.propose_assessment(FACILITATOR, provision.id, EAST)
    with refused(Invalid, "position"):
        commands.take_position(actors["west-head"], a.id, {"position": "maybe"})


def test_the_condition_a_deadline_depends_on(actors, provision):
    for who in ("west-head", "observer"):
        with refused(Forbidden):
            commands.record_condition(actors[who], provision.id, {"condition": "A unified government takes office"})
    with refused(Invalid, "condition"):
        commands.record_condition(FACILITATOR, provision.id, {"status": "met"})
    with refused(Invalid, "status"):
        commands.record_condition(FACILITATOR, provision.id, {"condition": "x", "status": "maybe"})
    with refused(Invalid, "as_of"):
        commands.record_condition(FACILITATOR, provision.id, {"condition": "x", "as_of": "2099-01-01"})
    first = commands.record_condition(FACILITATOR, provision.id, {"condition": "A unified government takes office"})
    assert first.status == "unknown"
    found = implementation(provision, actors["observer"])
    assert (found.standing.state, found.condition.id) == (rule.CONDITIONAL, first.id)
    met = commands.record_condition(
        FACILITATOR,
        provision.id,
        {
            "condition": "A unified government takes office",
            "status": "met",
            "as_of": "2021-03-15",
            "source": "a source",
        },
    )
    found = implementation(provision, actors["observer"])
    assert found.condition.id == met.id and [c.id for c in found.conditions] == [met.id, first.id]  # kept
    assert found.standing.state == rule.DUE  # met: the deadline counts again
