from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.mechanism import commands
from ceasefire.mechanism.models import Party, Suspension
from tests.conftest import FACILITATOR
from tests.helpers import hold, refused


def decision():
    meeting = commands.record_meeting(
        FACILITATOR, {"title": "Sirte round", "starts_on": "2022-04-01", "city": "Sirte", "country": "Libya"}
    )
    hold(meeting)
    return commands.record_decision(FACILITATOR, meeting.id, {"text": "Reopen the coastal road"})


def test_a_party_suspends_and_resumes_its_participation_and_the_history_stays(actors):
    east = actors["east-head"]
    commands.suspend_participation(east, "east", {"since": "2022-04-09", "reason": "Political demands"})
    assert Party.objects.get(code="east").suspended
    commands.resume_participation(
        east,
        "east",
        {"on": "2022-06-01", "note": "Returned for the Cairo round", "source": "https://example.org/resume"},
    )
    assert not Party.objects.get(code="east").suspended
    commands.suspend_participation(FACILITATOR, "east", {"since": "2023-01-01"})
    history = list(Suspension.objects.filter(party="east").order_by("since"))
    assert [(s.since.isoformat(), s.until and s.until.isoformat()) for s in history] == [
        ("2022-04-09", "2022-06-01"),
        ("2023-01-01", None),
    ]
    assert history[0].reason_en == "Political demands"
    assert (history[0].resumption_note_en, history[0].resumption_source) == (
        "Returned for the Cairo round",
        "https://example.org/resume",
    )


def test_one_party_cannot_suspend_or_resume_the_other(actors):
    with refused(Forbidden):
        commands.suspend_participation(actors["west-head"], "east", {"since": "2022-04-09"})
    with refused(Forbidden):
        commands.suspend_participation(actors["east-member"], "east", {"since": "2022-04-09"})
    commands.suspend_participation(actors["east-head"], "east", {"since": "2022-04-09"})
    with refused(Forbidden):
        commands.resume_participation(actors["west-head"], "east", {"on": "2022-05-01"})


def test_suspension_is_refused_when_it_makes_no_sense(actors):
    east = actors["east-head"]
    with refused(Conflict, "party"):
        commands.resume_participation(east, "east", {"on": "2022-05-01"})
    with refused(Invalid, "since"):
        commands.suspend_participation(east, "east", {"since": "last April"})
    commands.suspend_participation(east, "east", {"since": "2022-04-09"})
    with refused(Conflict, "party"):
        commands.suspend_participation(east, "east", {"since": "2022-04-10"})
    with refused(Invalid, "on"):
        commands.resume_participation(east, "east", {"on": "2022-04-08"})


def test_what_needs_a_suspended_party_waits_and_the_record_goes_on(actors):
    d = decision()
    commands.suspend_participation(actors["east-head"], "east", {"since": "2022-04-09"})
    commands.take_position(actors["west-head"], d.id, {"position": "approve"})
    with refused(Conflict):
        commands.take_position(actors["east-head"], d.id, {"position": "approve"})
    d.refresh_from_db()
    assert not d.adopted
    outcome = d.outcome()
    assert outcome.waiting_for == ("east",) and outcome.suspended == ("east",)
    commands.resume_participation(actors["east-head"], "east", {"on": "2022-06-01"})
    assert commands.take_position(actors["east-head"], d.id, {"position": "approve"}).adopted


def test_a_partys_suspensions_never_overlap(actors):
    east = actors["east-head"]
    commands.suspend_participation(east, "east", {"since": "2022-04-09"})
    commands.resume_participation(east, "east", {"on": "2022-06-01"})
    for inside in ("2022-04-09", "2022-05-15", "2022-05-31", "2021-12-31"):  # within the last period, or before it
        with refused(Conflict, "since") as caught:
            commands.suspend_participation(FACILITATOR, "east", {"since": inside})
        assert "2022-04-09" in str(caught.value) and "2022-06-01" in str(caught.value)
    commands.suspend_participation(east, "east", {"since": "2022-06-01"})  # again from the day it returned
    commands.resume_participation(east, "east", {"on": "2022-07-01"})
    with refused(Conflict, "since"):
        commands.suspend_participation(east, "east", {"since": "2022-06-15"})
    # The other party's periods are its own.
    commands.suspend_participation(actors["west-head"], "west", {"since": "2022-05-01"})
    assert [
        (s.since.isoformat(), s.until and s.until.isoformat())
        for s in Suspension.objects.filter(party="east").order_by("since")
    ] == [
        ("2022-04-09", "2022-06-01"),
        ("2022-06-01", "2022-07-01"),
    ]
