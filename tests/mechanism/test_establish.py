import pytest

from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.mechanism import commands
from ceasefire.mechanism.models import Mechanism, Party
from ceasefire.record.log import Actor
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import refused


def two_parties(**overrides):
    data = {
        "name": "Joint Military Commission",
        "parties": [
            {"code": "west", "name": "Western region", "seats": 5},
            {"code": "east", "name": "المنطقة الشرقية", "seats": 5},
        ],
    }
    data.update(overrides)
    return data


def test_establishing_records_the_committee_and_its_parties(db):
    mechanism = commands.establish(FACILITATOR, two_parties())
    assert mechanism.name_en == "Joint Military Commission"
    parties = list(Party.objects.order_by("order"))
    assert [p.code for p in parties] == ["west", "east"]
    assert [p.quorum for p in parties] == [3, 3]
    assert parties[1].name_ar == "المنطقة الشرقية" and parties[1].name_en == ""
    enrolled, event = Event.objects.order_by("seq")  # the facilitator's first act enrolls it
    assert (enrolled.type, enrolled.seq, enrolled.payload["username"]) == ("account.enrolled", 0, "facilitator")
    assert (
        event.type == "mechanism.established"
        and event.seq == 1
        and (event.actor, event.account) == ("facilitator", "facilitator")
    )


def test_a_mechanism_is_established_once(db):
    commands.establish(FACILITATOR, two_parties())
    with refused(Conflict):
        commands.establish(FACILITATOR, two_parties())
    assert Mechanism.objects.count() == 1


def test_only_the_facilitator_establishes(db):
    with refused(Forbidden):
        commands.establish(Actor("west-head", "west", "head"), two_parties())


@pytest.mark.parametrize(
    "parties, field",
    [
        ([{"code": "west", "name": "W", "seats": 5}, {"code": "east", "name": "E", "seats": 4}], "parties"),
        ([{"code": "west", "name": "W", "seats": 5}, {"code": "west", "name": "E", "seats": 5}], "parties"),
        ([{"code": "West Side", "name": "W", "seats": 5}], "parties[0].code"),
        ([{"code": "west", "seats": 5}], "parties[0].name"),
        ([{"code": "west", "name": "W", "seats": "five"}], "parties[0].seats"),
        ([{"code": "west", "name": "W", "seats": 0}], "parties[0].seats"),
        ([{"code": "west", "name": "W", "seats": 5, "quorum": 6}], "parties[0].quorum"),
        ([], "parties"),
        ("west,east", "parties"),
        (["west"], "parties[0]"),
    ],
)
def test_a_bad_configuration_is_refused_naming_the_field(db, parties, field):
    with refused(Invalid, field):
        commands.establish(FACILITATOR, two_parties(parties=parties))


def test_a_name_is_required_in_one_language_at_least(db):
    with refused(Invalid, "name"):
        commands.establish(FACILITATOR, two_parties(name="  "))
