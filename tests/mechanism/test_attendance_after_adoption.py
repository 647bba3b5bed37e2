"""Once a decision of a meeting is adopted through the parties' positions, the quorum it was adopted
with stands: a corrected list of who was present may add members, never take back one recorded
present then (else the page would show an adopted decision beside a quorum that was not there)."""

import pytest

from ceasefire.errors import Conflict
from ceasefire.mechanism import commands
from ceasefire.mechanism.models import Member
from tests.conftest import FACILITATOR
from tests.helpers import hold

MEETING = {
    "title": "Fourth round",
    "starts_on": "2020-10-19",
    "ends_on": "2020-10-23",
    "city": "Geneva",
    "country": "Switzerland",
}


@pytest.fixture
def adopted(actors):
    meeting = commands.record_meeting(FACILITATOR, MEETING)
    decision = commands.record_decision(FACILITATOR, meeting.id, {"text": "Open the coastal road"})
    hold(meeting)
    for head in ("west-head", "east-head"):
        commands.take_position(actors[head], decision.id, {"position": "approve"})
    decision.refresh_from_db()
    assert decision.adopted
    return meeting


def present(meeting) -> list[int]:
    return sorted(meeting.attendance.values_list("member_id", flat=True))


def test_who_made_the_quorum_is_not_taken_back(adopted):
    before = present(adopted)
    with pytest.raises(Conflict) as refused:
        commands.record_attendance(FACILITATOR, adopted.id, {"present": before[1:]})
    assert refused.value.field == "present"
    assert present(adopted) == before


def test_someone_missed_may_be_added(adopted):
    before = present(adopted)
    late = commands.appoint_member(FACILITATOR, {"name_latin": "UN monitor (made up)", "role": "monitor"})
    commands.record_attendance(FACILITATOR, adopted.id, {"present": [*before, late.id]})
    assert present(adopted) == sorted([*before, late.id])


def test_before_any_adoption_the_list_is_replaced_whole(actors):
    meeting = commands.record_meeting(FACILITATOR, MEETING)
    commands.record_decision(FACILITATOR, meeting.id, {"text": "Open the coastal road"})
    hold(meeting)
    first = present(meeting)
    commands.record_attendance(FACILITATOR, meeting.id, {"present": first[1:]})
    assert present(meeting) == first[1:]
    assert Member.objects.filter(id=first[0]).exists()
