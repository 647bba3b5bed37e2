"""A party's quorum at a meeting counts its seats held by a member recorded present, counted when
the quorum is: not a member whose tenure, as the record now holds it, did not overlap the meeting,
and not one seat twice because it changed hands during the meeting."""

import pytest
from django.utils.translation import override

from ceasefire.mechanism import commands
from tests.conftest import FACILITATOR

GENEVA = {
    "title": "Geneva round",
    "starts_on": "2021-10-08",
    "ends_on": "2021-10-10",
    "city": "Geneva",
    "country": "Switzerland",
}


def seat(party, number, **more):
    return commands.appoint_member(
        FACILITATOR, {"name_latin": f"{party} {number}", "role": "member", "party": party, "seat": number, **more}
    )


@pytest.fixture
def meeting(mechanism):
    return commands.record_meeting(FACILITATOR, GENEVA)


def approved(actors, meeting):
    d = commands.record_decision(FACILITATOR, meeting.id, {"text": "Adopt the action plan"})
    for party in ("west", "east"):
        d = commands.take_position(actors[f"{party}-head"], d.id, {"position": "approve"})
    return d


def test_attendance_of_a_member_whose_tenure_ended_before_the_meeting_does_not_count(actors, meeting):
    west = [seat("west", n) for n in (1, 2, 3)]
    east = [seat("east", n) for n in (1, 2, 3)]
    commands.record_attendance(FACILITATOR, meeting.id, {"present": [m.id for m in west + east]})
    assert meeting.present_per_party() == {"west": 3, "east": 3}
    # The record later says west's third member had left the week before: that attendance was not his.
    commands.end_tenure(FACILITATOR, west[2].id, {"on": "2021-10-01"})
    assert meeting.present_per_party() == {"west": 2, "east": 3}
    d = approved(actors, meeting)
    assert not d.adopted
    with override("en"):
        assert commands.waiting_for(d) == ["quorum of the delegation of Western region not recorded"]


def test_a_tenure_ending_on_the_first_day_or_starting_on_the_last_still_counts(actors, meeting):
    leaving = seat("west", 1)
    commands.end_tenure(FACILITATOR, leaving.id, {"on": "2021-10-08"})
    arriving = seat("west", 1, tenure_start="2021-10-10")
    east = [seat("east", n) for n in (1, 2)]
    commands.record_attendance(FACILITATOR, meeting.id, {"present": [leaving.id, arriving.id] + [m.id for m in east]})
    # Both sat in seat 1, on different days: one seat.
    assert meeting.present_per_party() == {"west": 1, "east": 2}


def test_a_seat_that_changed_hands_during_the_meeting_counts_once(actors, meeting):
    west = [seat("west", n) for n in (1, 2)]
    east = [seat("east", n) for n in (1, 2, 3)]
    successor = commands.replace_member(
        FACILITATOR, west[1].id, {"on": "2021-10-09", "successor": {"name_latin": "west 2 (successor)"}}
    )
    present = [m.id for m in west + east] + [successor.id]
    commands.record_attendance(FACILITATOR, meeting.id, {"present": present})
    assert meeting.present_per_party() == {"west": 2, "east": 3}  # three members, two seats
    d = approved(actors, meeting)
    assert not d.adopted
    with override("en"):
        assert commands.waiting_for(d) == ["quorum of the delegation of Western region not recorded"]
    # The third seat arrives: the attendance that completes the quorum adopts it.
    third = seat("west", 3)
    commands.record_attendance(FACILITATOR, meeting.id, {"present": present + [third.id]})
    d.refresh_from_db()
    assert d.adopted and meeting.present_per_party() == {"west": 3, "east": 3}
