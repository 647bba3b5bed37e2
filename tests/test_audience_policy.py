"""The audience policy's rules, at their boundaries: a field is read by whoever may read the event
type that sets it; a row's sharing widens what it may widen; some fields never leave the parties."""

import pytest
from django.utils.translation import override

from ceasefire import audience
from ceasefire.audience import BINDING, NEVER, SHARED, Set
from ceasefire.record.log import Actor

EVERYONE = ("parties", "observers", "public")


@pytest.mark.parametrize("who", EVERYONE)
def test_a_field_follows_the_audience_of_the_event_that_sets_it(who):
    assert audience.reads(who, "meeting", "minutes") is (who == "parties")  # meeting.minutes: parties
    assert audience.reads(who, "meeting", "attendance") is (who != "public")  # meeting.attendance: observers
    assert audience.reads(who, "decision") is (who != "public")  # decision.recorded: observers
    assert audience.reads(who, "decision", "positions") is (who == "parties")
    assert audience.reads(who, "action_item") is (who == "parties")
    assert audience.reads(who, "witness_key") is True  # witness.key_registered: public


def test_an_event_type_the_record_does_not_know_is_the_parties_only(monkeypatch):
    monkeypatch.setitem(audience.FIELDS, "meeting", {**audience.FIELDS["meeting"], "x": Set("no.such_type", SHARED)})
    assert [audience.reads(who, "meeting", "x") for who in EVERYONE] == [True, False, False]


@pytest.mark.parametrize(
    "shared_with, readers",
    [("parties", {"parties"}), ("observers", {"parties", "observers"}), ("public", set(EVERYONE))],
)
def test_sharing_a_row_widens_what_it_may_widen_and_no_further(shared_with, readers):
    for who in EVERYONE:
        assert audience.reads(who, "report", shared_with=shared_with) is (who in readers)
        assert audience.reads(who, "agenda_item", shared_with=shared_with) is (who in readers)
        assert audience.reads(who, "report", shared_with=None) is (who == "parties")


@pytest.mark.parametrize("shared_with", ["observers", "public"])
def test_a_drafts_attribution_widens_only_once_binding(shared_with):
    for field in ("attribution", "recommendations"):
        assert audience.reads("observers", "finding", field, shared_with=shared_with, binding=False) is False
        assert audience.reads("observers", "finding", field, shared_with=shared_with, binding=True) is True
        assert audience.reads("observers", "finding", field, shared_with="parties", binding=True) is False
        assert audience.reads("parties", "finding", field, shared_with="parties", binding=False) is True
    assert audience.reads("observers", "finding", shared_with=shared_with, binding=False) is True  # the rest of it


@pytest.mark.parametrize("field", ["source", "casualty_source", "accounts", "evidence", "identities"])
def test_what_names_people_never_leaves_the_parties(field):
    assert audience.FIELDS["report"][field].widens == NEVER
    for shared_with in EVERYONE:
        assert audience.reads("parties", "report", field, shared_with=shared_with) is True
        assert audience.reads("observers", "report", field, shared_with=shared_with) is False
        assert audience.reads("public", "report", field, shared_with=shared_with) is False
    assert audience.reads("observers", "witness_key", "accounts") is False


def test_every_rule_names_an_audience_rule_the_policy_knows():
    for fields in audience.FIELDS.values():
        for rule in fields.values():
            assert rule.widens in (None, SHARED, BINDING, NEVER)


def test_readers_and_their_audiences():
    assert audience.audience(None) == "public"
    assert audience.audience(Actor("o", role="observer")) == "observers"
    for role, party in (("head", "west"), ("member", "east"), ("monitor", ""), ("facilitator", "")):
        assert audience.audience(Actor("x", party=party, role=role)) == "parties"
    assert audience.levels("parties") == EVERYONE
    assert audience.levels("observers") == ("observers", "public")
    assert audience.levels("public") == ("public",)
    with pytest.raises(ValueError):
        audience.audience("everyone")


@pytest.mark.django_db
def test_readers_outside_the_parties_see_an_account_as_its_role_and_party(accounts):
    observer, public = Actor("observer", role="observer"), None
    assert audience.account(Actor("west-head", party="west", role="head"), "east-head") == "east-head"
    with override("en"):
        assert audience.account(observer, "east-head") == "Head of delegation · Eastern region"
        assert audience.account(public, "facilitator") == "Facilitator"
        assert audience.account(public, "nobody-we-know") == "someone on the committee"
    assert audience.account(public, "") == ""
