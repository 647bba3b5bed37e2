import pytest

from ceasefire.errors import Forbidden, Invalid, NotFound
from ceasefire.mechanism import commands
from tests.conftest import FACILITATOR
from tests.helpers import refused

PARIS = {
    "title": "JMC meeting in Paris",
    "starts_on": "2023-07-17",
    "ends_on": "2023-07-18",
    "city": "Paris",
    "country": "France",
}


def test_a_meeting_needs_no_more_than_title_dates_and_place(mechanism):
    meeting = commands.record_meeting(FACILITATOR, PARIS)
    assert meeting.number == 1 and meeting.reference == "M-2023-0001"
    assert (meeting.title_en, meeting.city_en, meeting.country_en) == ("JMC meeting in Paris", "Paris", "France")
    assert commands.record_meeting(FACILITATOR, {**PARIS, "starts_on": "2023-08-01", "ends_on": ""}).number == 2


def test_text_typed_in_a_browser_keeps_its_lines(mechanism):
    meeting = commands.record_meeting(FACILITATOR, {**PARIS, "summary": "First line\r\nSecond line\rThird"})
    assert meeting.summary_en == "First line\nSecond line\nThird"
    rlm = commands.record_meeting(FACILITATOR, {**PARIS, "title": "اجتماع \u200fباريس"})  # marks are fine
    assert rlm.title_ar == "اجتماع \u200fباريس"


def test_arabic_text_lands_in_the_arabic_field(mechanism):
    meeting = commands.record_meeting(FACILITATOR, {**PARIS, "title": "اجتماع باريس", "city": "باريس"})
    assert meeting.title_ar == "اجتماع باريس" and meeting.title_en == ""
    assert meeting.city_ar == "باريس"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"title": "a\ud800b"}, "title"),
        ({"title": "Sirte \u202eetriS"}, "title"),
        ({"starts_on": "0999-01-01"}, "starts_on"),
        ({"starts_on": "2101-01-01"}, "starts_on"),
        ({"title": 42}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"title": "bad\x00title"}, "title"),
        ({"starts_on": "17/07/2023"}, "starts_on"),
        ({"starts_on": "2023-02-30"}, "starts_on"),
        ({"starts_on": None}, "starts_on"),
        ({"ends_on": "2023-07-16"}, "ends_on"),
        ({"ends_on": "2023-12-31"}, "ends_on"),
        ({"city": ""}, "city"),
        ({"country": None}, "country"),
    ],
)
def test_bad_meeting_input_is_refused_naming_the_field(mechanism, change, field):
    with refused(Invalid, field):
        commands.record_meeting(FACILITATOR, {**PARIS, **change})


def test_only_the_secretariat_records_meetings(actors):
    for name in ("west-head", "east-member", "observer"):
        with refused(Forbidden):
            commands.record_meeting(actors[name], PARIS)


def seat(party, n, name):
    return commands.appoint_member(FACILITATOR, {"name_latin": name, "role": "member", "party": party, "seat": n})


def test_attendance_per_seat_gives_the_quorum_per_party(mechanism):
    meeting = commands.record_meeting(FACILITATOR, PARIS)
    west = [seat("west", n, f"W{n}") for n in (1, 2, 3)]
    east = [seat("east", n, f"E{n}") for n in (1, 2)]
    commands.record_attendance(FACILITATOR, meeting.id, {"present": [m.id for m in west + east]})
    q = meeting.quorum()
    assert not q.met and q.present == {"west": 3, "east": 2} and q.short == {"east": 1}
    east.append(seat("east", 3, "E3"))
    commands.record_attendance(FACILITATOR, meeting.id, {"present": [m.id for m in west + east]})
    assert meeting.quorum().met
    assert meeting.attendance.count() == 6
    monitor = commands.appoint_member(FACILITATOR, {"name_latin": "M", "role": "monitor", "party": "east"})
    commands.record_attendance(FACILITATOR, meeting.id, {"present": [m.id for m in west + east[:2]] + [monitor.id]})
    assert meeting.quorum().short == {"east": 1}  # a monitor holds no seat: not part of the quorum


def test_attendance_refuses_unknown_doubled_or_out_of_tenure_members(mechanism):
    meeting = commands.record_meeting(FACILITATOR, PARIS)
    w1 = seat("west", 1, "W1")
    with refused(NotFound, "present[1]"):
        commands.record_attendance(FACILITATOR, meeting.id, {"present": [w1.id, 12345]})
    with refused(Invalid, "present"):
        commands.record_attendance(FACILITATOR, meeting.id, {"present": [w1.id, w1.id]})
    with refused(Invalid, "present"):
        commands.record_attendance(FACILITATOR, meeting.id, {"present": str(w1.id)})
    commands.end_tenure(FACILITATOR, w1.id, {"on": "2023-01-01"})
    with refused(Invalid, "present[0]"):
        commands.record_attendance(FACILITATOR, meeting.id, {"present": [w1.id]})


def test_agenda_and_minutes(mechanism):
    meeting = commands.record_meeting(FACILITATOR, PARIS)
    first = commands.add_agenda_item(FACILITATOR, meeting.id, {"title": "Border security"})
    second = commands.add_agenda_item(FACILITATOR, meeting.id, {"title": "سحب القوات الأجنبية"})
    assert (first.number, second.number) == (1, 2) and second.title_ar == "سحب القوات الأجنبية"
    commands.record_minutes(FACILITATOR, meeting.id, {"minutes_en": "Opened at 10:00.", "minutes_ar": "افتتح"})
    meeting.refresh_from_db()
    assert meeting.minutes_en == "Opened at 10:00."
    with refused(Invalid, "minutes"):
        commands.record_minutes(FACILITATOR, meeting.id, {})
    with refused(NotFound, "meeting"):
        commands.add_agenda_item(FACILITATOR, 9999, {"title": "x"})
