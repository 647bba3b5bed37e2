"""Sign-off: each party through its own member on the team, and the facilitator, once per side;
a dissent gives reasons and puts the report on the committee's next meeting agenda by itself."""

import datetime as dt

import pytest

from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.incidents import commands
from ceasefire.incidents.models import SignOff
from ceasefire.mechanism import commands as mechanism
from ceasefire.mechanism.accounts import actor_for, create_account
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR, PASSWORD
from tests.helpers import refused

from . import steps


@pytest.fixture
def findings(actors, filed):
    return steps.advance(actors, filed, "findings")


def sign(actor, r, agrees=True, **data):
    return steps.sign(actor, r, agrees, **data)


def test_findings_conclude_when_every_party_and_the_facilitator_agree(actors, findings):
    r = sign(actors["east-member"], findings)
    assert r.status == "findings"
    r = sign(FACILITATOR, r)
    assert r.status == "findings"  # the west has not signed
    r = sign(actors["west-member"], r, reasons="Agreed after the site visit")
    assert r.status == "concluded"
    assert sorted(SignOff.objects.filter(report=r).values_list("side", "username", "agrees", "reasons_en")) == [
        ("", "facilitator", True, ""),
        ("east", "east-member", True, ""),
        ("west", "west-member", True, "Agreed after the site visit"),
    ]


def test_both_parties_without_the_facilitator_do_not_conclude(actors, findings):
    sign(actors["west-member"], findings)
    r = sign(actors["east-member"], findings)
    assert r.status == "findings"


OUTSIDERS = ["west-head", "east-head", "observer"]


def test_only_members_of_the_team_sign(actors, findings, subtests):
    for who in OUTSIDERS:
        with subtests.test(who=who):
            with refused(Forbidden):
                sign(actors[who], findings)


def test_a_monitor_not_on_the_team_does_not_sign(monitors, findings):
    for who in ("east-monitor", "un-monitor"):
        with refused(Forbidden):
            sign(monitors[who], findings)


def test_a_member_signs_for_its_own_party_and_one_signature_per_side(actors, filed):
    west2 = actor_for(create_account("west-2", PASSWORD, "member", "west"))
    r = steps.advance(actors, filed, "inquiry")
    r = commands.task_team(FACILITATOR, r.id, {"team": ["west-member", "west-2", "east-member"]})
    r = steps.advance(actors, r, "findings")
    sign(actors["west-member"], r)
    with refused(Conflict, "agrees"):  # the west has signed: another western member cannot sign again
        sign(west2, r, agrees=False, reasons="I disagree")
    with refused(Conflict, "agrees"):
        sign(actors["west-member"], r)
    sign(FACILITATOR, r)
    with refused(Conflict, "agrees"):
        sign(FACILITATOR, r)
    assert list(SignOff.objects.filter(report=r).values_list("side", "username")) == [
        ("west", "west-member"),
        ("", "facilitator"),
    ]


def test_a_un_monitor_on_the_team_signs_for_no_party(monitors, filed):
    r = steps.advance(monitors, filed, "inquiry")
    r = commands.task_team(FACILITATOR, r.id, {"team": ["west-member", "east-member", "un-monitor"]})
    r = steps.advance(monitors, r, "findings")
    with refused(Forbidden):
        sign(monitors["un-monitor"], r)


def test_a_dissent_needs_reasons(actors, findings):
    for data in ({}, {"reasons": "  "}, {"reasons_en": ""}):
        with refused(Invalid, "reasons"):
            sign(actors["east-member"], findings, agrees=False, **data)
    with refused(Invalid, "agrees"):
        commands.sign_findings(actors["east-member"], findings.id, {"reasons": "?", "draft": findings.draft})
    with refused(Invalid, "agrees"):
        commands.sign_findings(actors["east-member"], findings.id, {"agrees": "perhaps", "draft": findings.draft})
    r = sign(actors["east-member"], findings, agrees="false", reasons_ar="لم يُعثر على أي حفرة")
    assert (r.status, r.signoffs.get().reasons_ar) == ("disputed", "لم يُعثر على أي حفرة")


def test_a_suspended_party_cannot_sign(actors, findings):
    mechanism.suspend_participation(actors["east-head"], "east", {"since": "2021-03-10"})
    with refused(Conflict):
        sign(actors["east-member"], findings)
    sign(actors["west-member"], findings)
    r = sign(FACILITATOR, findings)
    assert r.status == "findings"  # what needs the east waits
    mechanism.resume_participation(actors["east-head"], "east", {"on": "2021-04-01"})
    assert sign(actors["east-member"], r).status == "concluded"


def test_a_dispute_goes_on_the_next_meetings_agenda(actors, findings):
    steps.meeting_past()
    later = steps.meeting_ahead(60, "Later round")
    following = steps.meeting_ahead(10, "Next round")
    mechanism.add_agenda_item(FACILITATOR, following.id, {"title": "Coastal road"})
    sign(actors["west-member"], findings)
    r = sign(actors["east-member"], findings, agrees=False, reasons="No crater was found")
    assert r.status == "disputed"
    item = r.agenda_item
    assert (item.meeting_id, item.number) == (following.id, 2) and item.meeting_id != later.id
    assert item.title_en == f"Disputed findings on report {r.reference}"  # not its title: observers read agendas
    assert r.reference in item.title_ar


def test_the_facilitators_dissent_disputes_too(actors, findings):
    r = sign(FACILITATOR, findings, agrees=False, reasons="The evidence does not support the attribution")
    assert r.status == "disputed"
    with refused(Conflict, "status"):  # a disputed report takes no more signatures
        sign(actors["west-member"], r)


def test_with_no_meeting_ahead_the_next_meeting_recorded_takes_the_dispute(actors, findings):
    r = sign(actors["east-member"], findings, agrees=False, reasons="No crater was found")
    assert (r.status, r.agenda_item_id) == ("disputed", None)
    steps.meeting_past()  # a meeting already held does not take it
    r.refresh_from_db()
    assert r.agenda_item_id is None
    before = Event.objects.count()
    meeting = steps.meeting_ahead(20)
    r.refresh_from_db()
    assert r.agenda_item.meeting_id == meeting.id and r.agenda_item.number == 1
    put = Event.objects.get(seq=before + 1)
    assert (put.type, put.actor, put.payload["report"]) == ("report.put_on_agenda", "facilitator", r.id)
    # A later meeting does not take it again; a nearer one does: the dispute goes to the first ahead.
    steps.meeting_ahead(40)
    assert Event.objects.filter(type="report.put_on_agenda").count() == 1
    nearer = steps.meeting_ahead(5)
    r.refresh_from_db()
    assert r.agenda_item.meeting_id == nearer.id
    assert Event.objects.filter(type="report.put_on_agenda").count() == 2


def test_a_meeting_ending_today_is_still_the_next_one(actors, findings):
    today = dt.date.today()
    meeting = mechanism.record_meeting(
        FACILITATOR,
        {
            "title": "Today",
            "starts_on": (today - dt.timedelta(days=2)).isoformat(),
            "ends_on": today.isoformat(),
            "city": "Sirte",
            "country": "Libya",
        },
    )
    r = sign(actors["east-member"], findings, agrees=False, reasons="No crater was found")
    assert r.agenda_item.meeting_id == meeting.id
