"""An entry names its actor's role and party; the account only by a commitment that the parties open
with the secret of its account.enrolled entry (log.account_of)."""

import base64
import hashlib
import json

from ceasefire.mechanism import commands
from ceasefire.record import log, replay
from ceasefire.record.log import Actor
from ceasefire.record.models import Enrollment, Event
from tests.conftest import FACILITATOR

MEETING = {"title": "Round", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}


def entry(seq: int) -> dict:
    return json.loads(bytes(Event.objects.get(seq=seq).body))


def opening(username: str, role: str, party: str = "") -> bytes:
    e = Event.objects.get(seq=Enrollment.objects.get(username=username, role=role, party=party).seq)
    return base64.b64decode(e.payload["secret"])


def test_an_entry_names_the_role_and_party_and_commits_to_the_account(actors):
    meeting = commands.record_meeting(FACILITATOR, MEETING)
    decision = commands.record_decision(FACILITATOR, meeting.id, {"text": "Open the road"})
    commands.take_position(actors["east-head"], decision.id, {"position": "object", "reason": "Too soon"})
    data = entry(Event.objects.filter(type="decision.position_taken").latest("seq").seq)
    assert (data["actor"], data["party"]) == ("head", "east")
    assert b"east-head" not in bytes(Event.objects.get(seq=data["seq"]).body)
    secret = opening("east-head", "head", "east")
    assert (
        data["account"]
        == hashlib.sha256(b"ceasefire account\x00" + secret + data["seq"].to_bytes(8, "big")).hexdigest()
    )
    assert log.account_of(data) == "east-head" == Event.objects.get(seq=data["seq"]).account


def test_two_entries_of_one_account_cannot_be_linked_by_their_commitments(mechanism):
    first = commands.record_meeting(FACILITATOR, MEETING)
    second = commands.record_meeting(FACILITATOR, MEETING)
    a, b = entry(first.id), entry(second.id)
    assert a["actor"] == b["actor"] == "facilitator" and a["account"] != b["account"]
    assert log.account_of(a) == log.account_of(b) == "facilitator"


def test_the_enrollment_is_for_the_parties_only_and_comes_before_the_first_entry(mechanism):
    assert log.readable(log.ENROLLED, "parties") and not log.readable(log.ENROLLED, "observers")
    stranger = Actor("new-facilitator", role="facilitator")
    before = Event.objects.count()
    meeting = commands.record_meeting(stranger, MEETING)
    enrolled, recorded = Event.objects.filter(seq__gte=before).order_by("seq")
    assert (enrolled.type, recorded.seq) == (log.ENROLLED, meeting.id)
    assert enrolled.payload["username"] == "new-facilitator" and len(base64.b64decode(enrolled.payload["secret"])) == 32
    assert recorded.account == "new-facilitator"
    commands.record_meeting(stranger, MEETING)  # enrolled once
    assert Enrollment.objects.filter(username="new-facilitator").count() == 1


def test_an_account_whose_role_changes_is_enrolled_again(mechanism):
    as_member = Actor("someone", party="west", role="member")
    as_head = Actor("someone", party="west", role="head")
    log.enroll(as_member)
    log.enroll(as_head)
    log.enroll(as_head)  # nothing more
    assert sorted(Enrollment.objects.filter(username="someone").values_list("role", flat=True)) == ["head", "member"]
    meeting = commands.record_meeting(FACILITATOR, MEETING)
    assert Event.objects.get(seq=meeting.id).account == "facilitator"


def test_a_commitment_no_enrollment_opens_names_nobody(mechanism):
    meeting = commands.record_meeting(FACILITATOR, MEETING)
    data = entry(meeting.id)
    assert log.account_of({**data, "account": "00" * 32}) == ""
    assert log.account_of({**data, "actor": "head"}) == ""  # an enrollment of another role does not open it


def test_entries_before_version_4_named_the_account(mechanism):
    old = {"v": 3, "seq": 7, "type": "meeting.recorded", "actor": "east-head", "party": "east", "payload": {}}
    assert log.account_of(old) == "east-head"


def test_a_system_actor_is_named_in_the_clear_and_never_enrolled(mechanism):
    loader = Actor("scenario:test", role="facilitator", system=True)
    meeting = commands.record_meeting(loader, MEETING)
    data = entry(meeting.id)
    assert (data["actor"], data["account"]) == ("scenario:test", None)
    assert log.account_of(data) == "scenario:test"
    assert not Enrollment.objects.filter(username="scenario:test").exists()


def test_replay_rebuilds_the_enrollments(actors):
    commands.record_meeting(FACILITATOR, MEETING)
    assert Enrollment.objects.count() >= 6  # the fixture's accounts, the facilitator among them
    result = replay.check(progress=None)
    assert result.ok, result.difference


def test_pages_say_what_a_system_actor_is_and_show_the_account_to_the_parties_only(actors):
    from django.utils import translation

    from ceasefire.audience import entry_actor

    loaded = Event.objects.get(
        seq=commands.record_meeting(Actor("scenario:test", role="facilitator", system=True), MEETING).id
    )
    by_head = Event.objects.get(seq=commands.record_meeting(FACILITATOR, MEETING).id)
    with translation.override("en"):
        assert entry_actor(None, loaded) == "Scenario loader (test, public sources)"
        assert entry_actor(actors["observer"], by_head) == "Facilitator"
        assert entry_actor(actors["west-member"], by_head) == "facilitator · Facilitator"


def test_an_enrollment_changed_in_the_database_stops_every_write(actors):
    """Else someone with the database could swap a secret for one action, put it back, and leave a
    signed entry that opens to nobody, or to another account, with no checker the wiser."""
    from django.utils import translation

    from ceasefire.errors import Conflict

    commands.record_meeting(FACILITATOR, MEETING)
    before = Event.objects.count()
    Enrollment.objects.filter(username="facilitator").update(secret=bytes(32))
    try:
        with translation.override("en"):
            commands.record_meeting(FACILITATOR, MEETING)
    except Conflict as e:
        assert "the enrollment of facilitator does not match its entry" in e.message and "replay --check" in e.message
    else:
        raise AssertionError("a write went through with an enrollment the record does not sign")
    assert Event.objects.count() == before


def test_an_enrollment_deleted_in_the_database_is_named_and_the_record_still_replays(actors):
    Enrollment.objects.filter(username="facilitator").delete()
    meeting = commands.record_meeting(FACILITATOR, MEETING)  # enrolled again, with a new secret
    assert Event.objects.filter(type=log.ENROLLED, seq__lt=meeting.id).count() >= 2
    result = replay.check(progress=None)
    assert not result.ok and result.difference.startswith("record.Enrollment:")
    replay.rebuild()
    assert Enrollment.objects.filter(username="facilitator").count() == 2
    assert Event.objects.get(seq=meeting.id).account == "facilitator" and replay.check(progress=None).ok
