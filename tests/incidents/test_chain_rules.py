"""The verification chain's pure rules (incidents/chain.py), tested directly at their boundaries as
mechanism/parity.py is: which step may start from which status, the sign-off's outcome, a joint
team, the investigation's confirmations, and when a stage is overdue. No database."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.incidents import chain

PARTIES = ("west", "east")
F = chain.FACILITATOR

# Every step and the only statuses it may start from, written out: a status added to or dropped
# from any of them is a change of the chain, and fails here.
ALLOWED_FROM = {
    "triage": {"received"},
    "task": {"inquiry"},
    "investigate": {"tasked"},
    "confirm_investigation": {"tasked"},
    "draft_findings": {"investigated", "findings", "disputed"},
    "sign": {"findings"},
    "settle": {"disputed"},
    "record_disagreement": {"disputed"},
}


def test_the_statuses_are_the_stages_and_the_closed_ones():
    assert chain.STAGES == ("received", "inquiry", "tasked", "investigated", "findings", "disputed")
    assert chain.CLOSED == ("concluded", "duplicate", "outside_mandate", "disagreement")
    assert chain.STATUSES == chain.STAGES + chain.CLOSED and not set(chain.STAGES) & set(chain.CLOSED)


def test_each_step_starts_only_from_its_statuses():
    assert set(chain.STEPS) == set(ALLOWED_FROM)
    for step, starts in ALLOWED_FROM.items():
        for status in chain.STATUSES:
            assert chain.allowed(step, status) == (status in starts), (step, status)


@pytest.mark.parametrize("step", ["settle", "record_disagreement"])
def test_the_committee_settles_only_what_is_disputed(step):
    for status in ("findings", "investigated", "concluded", "disagreement"):
        assert not chain.allowed(step, status)
    assert chain.allowed(step, "disputed")


def test_findings_follow_the_teams_report_never_the_tasking():
    assert not chain.allowed("draft_findings", "tasked")
    assert not chain.allowed("draft_findings", "inquiry")
    assert chain.allowed("draft_findings", "investigated")


def test_a_closed_report_takes_no_step():
    for status in chain.CLOSED:
        assert chain.next_step(status) == ()
        assert not any(chain.allowed(step, status) for step in chain.STEPS)


def test_the_next_steps_of_each_status_in_the_chains_order():
    assert {s: chain.next_step(s) for s in chain.STAGES} == {
        "received": ("triage",),
        "inquiry": ("task",),
        "tasked": ("investigate", "confirm_investigation"),
        "investigated": ("draft_findings",),
        "findings": ("draft_findings", "sign"),
        "disputed": ("draft_findings", "settle", "record_disagreement"),
    }


def test_triage_leads_to_an_inquiry_or_closes():
    assert chain.TRIAGE == {"admissible": "inquiry", "duplicate": "duplicate", "outside_mandate": "outside_mandate"}
    assert chain.TRIAGE["admissible"] in chain.STAGES
    assert chain.TRIAGE["duplicate"] in chain.CLOSED and chain.TRIAGE["outside_mandate"] in chain.CLOSED


# ---------------------------------------------------------------- sign-offs


def test_every_party_and_the_facilitator_agreeing_concludes():
    o = chain.signoffs(PARTIES, {"west": True, "east": True, F: True})
    assert (o.concluded, o.disputed, o.agreed, o.dissenting, o.waiting_for, o.facilitator_agreed) == (
        True,
        False,
        ("west", "east"),
        (),
        (),
        True,
    )


@pytest.mark.parametrize("missing", ["west", "east", F])
def test_one_side_short_of_agreement_concludes_nothing(missing):
    given_ = {s: True for s in (*PARTIES, F) if s != missing}
    o = chain.signoffs(PARTIES, given_)
    assert not o.concluded and not o.disputed and o.waiting_for == (missing,)
    assert o.facilitator_agreed == (missing != F)


@pytest.mark.parametrize("dissenting", ["west", "east", F])
def test_one_dissent_from_any_side_disputes_even_when_the_others_agree(dissenting):
    o = chain.signoffs(PARTIES, {s: s != dissenting for s in (*PARTIES, F)})
    assert o.disputed and not o.concluded and o.dissenting == (dissenting,)


def test_a_dissent_disputes_before_the_others_have_signed():
    o = chain.signoffs(PARTIES, {"east": False})
    assert o.disputed and o.dissenting == ("east",) and o.waiting_for == ("west", F) and o.agreed == ()


def test_nobody_has_signed_yet():
    o = chain.signoffs(PARTIES, {})
    assert not o.concluded and not o.disputed and o.waiting_for == ("west", "east", F) and not o.facilitator_agreed


@pytest.mark.parametrize("side", ["south", "WEST", "facilitator", None, " "])
def test_a_sign_off_from_an_unknown_side_is_refused(side):
    with pytest.raises(ValueError):
        chain.signoffs(PARTIES, {side: True})
    with pytest.raises(ValueError):  # even beside every known side agreeing
        chain.signoffs(PARTIES, {"west": True, "east": True, F: True, side: True})


def test_no_parties_no_sign_off():
    with pytest.raises(ValueError):
        chain.signoffs((), {F: True})


def test_the_facilitator_alone_or_the_parties_alone_conclude_nothing():
    assert not chain.signoffs(PARTIES, {F: True}).concluded
    assert not chain.signoffs(PARTIES, {"west": True, "east": True}).concluded
    assert not chain.signoffs(("west", "east", "south"), {"west": True, "east": True, F: True}).concluded


sides = st.dictionaries(st.sampled_from(["west", "east", F]), st.booleans())


@given(sides)
def test_concluded_exactly_when_all_agree_disputed_exactly_when_one_dissents(given_):
    o = chain.signoffs(PARTIES, given_)
    assert o.concluded == (given_ == {"west": True, "east": True, F: True})
    assert o.disputed == (False in given_.values())
    assert not (o.concluded and o.disputed)
    assert set(o.waiting_for) == {"west", "east", F} - set(given_)
    assert set(o.agreed) == {p for p in PARTIES if given_.get(p) is True}


# ---------------------------------------------------------------- the team


def test_a_joint_team_has_a_member_of_every_party():
    assert chain.joint(["west", "east"], PARTIES)
    assert chain.joint(["west", "east", None, "west"], PARTIES)
    assert not chain.joint(["west"], PARTIES)
    assert not chain.joint(["west", None], PARTIES)  # a monitor counts for no party
    assert not chain.joint([None, None], PARTIES)
    assert not chain.joint([], PARTIES)
    assert chain.joint(["west", "east", "south"], PARTIES)


def test_the_investigation_waits_for_every_party_on_the_team():
    assert chain.unconfirmed(["west", "east", None], []) == ("east", "west")
    assert chain.unconfirmed(["west", "east", None], ["east"]) == ("west",)
    assert chain.unconfirmed(["west", "east"], ["east", "west"]) == ()
    assert chain.unconfirmed(["west", "east", "east"], ["west", "east", "south"]) == ()
    assert chain.unconfirmed([None], []) == ()


# ---------------------------------------------------------------- stage targets


ENTERED = dt.datetime(2021, 3, 2, 8, 30, tzinfo=dt.UTC)
TICK = dt.timedelta(microseconds=1)


def test_the_default_targets():
    assert chain.TARGET_DAYS == {
        "received": 2,
        "inquiry": 5,
        "tasked": 14,
        "investigated": 7,
        "findings": 7,
        "disputed": 30,
    }
    assert set(chain.TARGET_DAYS) == set(chain.STAGES)


@pytest.mark.parametrize("days", [1, 2, 7, 30])
def test_a_stage_is_due_exactly_its_target_after_it_was_entered(days):
    assert chain.due(ENTERED, days) == ENTERED + dt.timedelta(days=days)


@pytest.mark.parametrize("status", chain.STAGES)
@pytest.mark.parametrize("days", [1, 7])
def test_a_stage_is_overdue_right_after_its_target_not_a_day_later(status, days):
    due = ENTERED + dt.timedelta(days=days)
    assert not chain.overdue(status, ENTERED, days, ENTERED)
    assert not chain.overdue(status, ENTERED, days, due - TICK)
    assert not chain.overdue(status, ENTERED, days, due)  # at its target: on time
    assert chain.overdue(status, ENTERED, days, due + TICK)
    assert chain.overdue(status, ENTERED, days, due + dt.timedelta(hours=1))
    assert chain.overdue(status, ENTERED, days, due + dt.timedelta(days=1))


@pytest.mark.parametrize("status", chain.CLOSED)
def test_a_closed_report_is_never_overdue(status):
    for late in (dt.timedelta(days=1), dt.timedelta(days=365)):
        assert not chain.overdue(status, ENTERED, 2, ENTERED + late)
