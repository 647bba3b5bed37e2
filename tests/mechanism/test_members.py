import pytest

from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound
from ceasefire.mechanism import commands
from ceasefire.mechanism.models import Member
from tests.conftest import FACILITATOR
from tests.helpers import refused


def appoint(**fields):
    data = {"name_latin": "Officer A", "role": "member", "party": "west", "seat": 2, **fields}
    return commands.appoint_member(FACILITATOR, data)


def test_appointing_seats_a_member_for_a_party(mechanism):
    member = appoint(name_ar="الضابط أ", rank_en="Colonel")
    assert member.party_id == "west" and member.seat == 2 and member.current
    assert member.rank_en == "Colonel" and member.name_ar == "الضابط أ"


def test_a_seat_has_one_holder_at_a_time(mechanism):
    appoint()
    with refused(Conflict, "seat"):
        appoint(name_latin="Officer B")
    appoint(name_latin="Officer B", party="east")  # the same seat number of the other party


def test_a_party_has_one_head_of_delegation(mechanism):
    appoint(role="head", seat=1)
    with refused(Conflict, "role"):
        appoint(role="head", seat=3, name_latin="Second head")


@pytest.mark.parametrize(
    "fields, error, field",
    [
        ({"seat": 6}, Invalid, "seat"),
        ({"seat": None}, Invalid, "seat"),
        ({"party": ""}, Invalid, "party"),
        ({"party": "south"}, NotFound, "party"),
        ({"role": "general"}, Invalid, "role"),
        ({"role": "facilitator", "party": "", "seat": 1}, Invalid, "seat"),
        ({"name_latin": "", "name_ar": ""}, Invalid, "name_ar"),
        ({"tenure_start": "2020-13-01"}, Invalid, "tenure_start"),
    ],
)
def test_a_bad_appointment_is_refused_naming_the_field(mechanism, fields, error, field):
    with refused(error, field):
        appoint(**fields)


def test_a_facilitator_or_observer_sits_outside_the_party_seats(mechanism):
    facilitator = appoint(role="facilitator", party="", seat=None, name_latin="UN officer")
    observer = appoint(role="observer", party="", seat=None, name_latin="Envoy")
    assert facilitator.seat is None and observer.party is None


def test_only_the_facilitator_keeps_the_roster(actors):
    with refused(Forbidden):
        commands.appoint_member(actors["west-head"], {"name_latin": "X", "role": "member", "party": "west", "seat": 2})


def test_replacing_a_member_keeps_the_history(mechanism):
    old = appoint(role="head", seat=1, tenure_start="2020-02-01")
    new = commands.replace_member(FACILITATOR, old.id, {"on": "2022-05-01", "successor": {"name_latin": "Officer C"}})
    old.refresh_from_db()
    assert old.tenure_end.isoformat() == "2022-05-01" and not old.current
    assert (new.party_id, new.seat, new.role) == ("west", 1, "head")
    assert new.tenure_start.isoformat() == "2022-05-01"
    assert new.predecessor == old and old.successor == new
    assert Member.objects.count() == 2


@pytest.mark.parametrize(
    "elsewhere, field",
    [
        ({"party": "west"}, "party"),
        ({"seat": 2}, "seat"),
        ({"role": "head"}, "role"),
        ({"tenure_start": "2019-01-01"}, "tenure_start"),
    ],
)
def test_a_successor_takes_exactly_the_predecessors_place(mechanism, elsewhere, field):
    old = appoint(party="east", seat=4, tenure_start="2021-01-01")
    with refused(Invalid, f"successor.{field}"):
        commands.replace_member(
            FACILITATOR, old.id, {"on": "2022-01-01", "successor": {"name_latin": "C", **elsewhere}}
        )
    same = {"name_latin": "C", "party": "east", "seat": "4", "role": "member", "tenure_start": "2022-01-01"}
    new = commands.replace_member(FACILITATOR, old.id, {"on": "2022-01-01", "successor": same})
    assert (new.party_id, new.seat, new.role, new.tenure_start.isoformat()) == ("east", 4, "member", "2022-01-01")


def test_a_replacement_date_cannot_precede_the_tenure(mechanism):
    old = appoint(tenure_start="2021-01-01")
    with refused(Invalid, "on"):
        commands.replace_member(FACILITATOR, old.id, {"on": "2020-12-31", "successor": {"name_latin": "C"}})
    with refused(Invalid, "successor"):
        commands.replace_member(FACILITATOR, old.id, {"on": "2021-12-31"})


def test_ending_a_tenure_frees_the_seat(mechanism):
    member = appoint()
    commands.end_tenure(FACILITATOR, member.id, {"on": "2023-01-01"})
    with refused(Conflict, "member"):
        commands.end_tenure(FACILITATOR, member.id, {"on": "2023-01-02"})
    assert appoint(name_latin="Officer D").seat == 2


def test_an_unknown_member_is_named(mechanism):
    with refused(NotFound, "member"):
        commands.end_tenure(FACILITATOR, 999, {"on": "2023-01-01"})
    with refused(NotFound, "member"):
        commands.end_tenure(FACILITATOR, "abc", {"on": "2023-01-01"})
    with refused(NotFound, "party"):
        commands.suspend_participation(FACILITATOR, "ea\x00st", {"since": "2023-01-01"})
