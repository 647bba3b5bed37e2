"""The rules of missing-person cases at the commands: who may take each step in each role (the
refusal functions the pages and the API ask are the ones the commands raise), a suspended party's
delegation, and a status that waited only for a party's return becoming the committee's then."""

import pytest

from ceasefire.errors import CommandError, Conflict, Forbidden
from ceasefire.mechanism import commands as mechanism
from ceasefire.mechanism.accounts import actor_for, create_account
from ceasefire.missing import commands
from ceasefire.missing.models import Identity
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR, PASSWORD
from tests.missing.steps import CASE

STATUS = {"status": "missing", "as_of": "2021-01-10", "source": "s"}


@pytest.fixture
def everyone(actors):
    return {**actors, "monitor": actor_for(create_account("monitor-1", PASSWORD, "monitor", "")), "public": None}


@pytest.mark.parametrize(
    "who, opens, speaks",
    [
        ("west-head", True, True),
        ("west-member", True, False),
        ("east-head", True, True),
        ("east-member", True, False),
        ("monitor", True, False),
        ("facilitator", True, False),
        ("observer", False, False),
        ("public", False, False),
    ],
)
def test_who_may_take_each_step(everyone, who, opens, speaks):
    actor = everyone[who]
    case = commands.open_case(FACILITATOR, CASE)
    claim = commands.claim_status(FACILITATOR, case.id, STATUS)
    assert (commands.claim_refusal(actor) is None) == opens
    assert (commands.position_refusal(actor, claim) is None) == speaks
    before = Event.objects.count()
    for step in (
        lambda: commands.open_case(actor, CASE),
        lambda: commands.claim_status(actor, case.id, STATUS),
    ):
        if opens:
            step()
        else:
            with pytest.raises(Forbidden):
                step()
    if speaks:
        commands.take_position(actor, claim.id, {"position": "abstain"})
    else:
        with pytest.raises(Forbidden):
            commands.take_position(actor, claim.id, {"position": "approve"})
    assert Event.objects.count() == before + (2 if opens else 0) + (1 if speaks else 0)
    if who == "facilitator":
        assert commands.identity(actor, case).identity == Identity.objects.get(commitment=case.commitment).identity
    else:
        with pytest.raises(Forbidden):  # the vault: the facilitator's only, not whoever opened the case
            commands.identity(actor, case)


def test_a_suspended_partys_delegation_waits_and_its_return_completes_the_status(actors):
    case = commands.open_case(FACILITATOR, CASE)
    claim = commands.claim_status(actors["west-head"], case.id, STATUS)  # west approves
    mechanism.suspend_participation(actors["west-head"], "west", {"since": "2022-01-01"})
    for step in (
        lambda: commands.claim_status(actors["west-member"], case.id, STATUS),
        lambda: commands.take_position(actors["west-head"], claim.id, {"position": "object"}),
    ):
        with pytest.raises(CommandError) as refused:
            step()
        assert refused.value.status == Conflict.status
    claim = commands.take_position(actors["east-head"], claim.id, {"position": "approve"})
    assert not claim.agreed and commands.waiting_for(claim)  # what needs the suspended party waits
    mechanism.resume_participation(actors["west-head"], "west", {"on": "2022-02-01"})
    claim.refresh_from_db()
    assert claim.agreed  # its return was all it waited for
