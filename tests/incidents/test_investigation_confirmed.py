"""The investigation report is the team's only once a member of every party on the team has
confirmed it, each confirmation naming the entry it confirms; the obstruction report a denied
access calls for is filed at that moment, in the same transaction, never by one member alone."""

import pytest

from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.incidents import commands
from ceasefire.incidents.models import Confirmation, Report
from ceasefire.record import replay
from ceasefire.record.log import append
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import refused

from . import steps

DENIED = {
    **steps.INVESTIGATION,
    "access": "denied",
    "site_visited": False,
    "visited_on": None,
    "denied_by_party": "west",
}
DENIED = {k: v for k, v in DENIED.items() if v is not None}


@pytest.fixture
def tasked(actors, filed):
    return steps.advance(actors, filed, "tasked")


def types_since(seq):
    return list(Event.objects.filter(seq__gte=seq).order_by("seq").values_list("type", flat=True))


def test_one_member_alone_files_neither_the_teams_report_nor_an_obstruction(actors, tasked):
    r = commands.report_investigation(actors["east-member"], tasked.id, DENIED)
    assert r.status == "tasked" and not Report.objects.filter(related_report=r).exists()
    assert list(r.investigation.confirmations.values_list("party", "username")) == [("east", "east-member")]
    with refused(Conflict, "investigation"):  # the east has confirmed it by writing it
        steps.confirm(actors["east-member"], r)
    before = Event.objects.count()
    r = steps.confirm(actors["west-member"], r)
    # The last party's confirmation makes it the team's and files the obstruction, in one transaction.
    assert r.status == "investigated"
    assert types_since(before) == ["report.investigation_confirmed", "report.filed"]
    confirming = Event.objects.get(seq=before)
    assert confirming.payload == {"report": r.id, "investigation": r.investigation.id, "party": "west"}
    o = Report.objects.get(related_report=r)
    assert (o.source_type, o.alleged_party_id, o.submitted_by) == ("joint_team", "west", "west-member")


def test_a_new_draft_replaces_one_not_yet_confirmed_and_its_confirmations(actors, tasked):
    first = commands.report_investigation(actors["east-member"], tasked.id, DENIED).investigation.id
    r = commands.report_investigation(actors["west-member"], tasked.id, steps.INVESTIGATION)
    assert r.investigation.id > first and r.status == "tasked"
    assert list(Confirmation.objects.values_list("party", flat=True)) == ["west"]
    with refused(Conflict, "investigation"):  # the east read the first draft: its confirmation of it is refused
        commands.confirm_investigation(actors["east-member"], r.id, {"investigation": first})
    r = steps.confirm(actors["east-member"], r)
    assert r.status == "investigated" and not Report.objects.filter(related_report=r).exists()  # access was granted
    with refused(Conflict, "status"):  # the team's report is not rewritten
        commands.report_investigation(actors["east-member"], r.id, steps.INVESTIGATION)


def test_a_confirmation_names_the_entry_it_confirms(actors, tasked):
    r = commands.report_investigation(actors["east-member"], tasked.id, steps.INVESTIGATION)
    for data in ({}, {"investigation": ""}, {"investigation": "the last one"}, {"investigation": -3}):
        with refused(Invalid, "investigation"):
            commands.confirm_investigation(actors["west-member"], r.id, data)
    with refused(Conflict, "investigation"):
        commands.confirm_investigation(actors["west-member"], r.id, {"investigation": r.investigation.id + 1})
    assert steps.confirm(actors["west-member"], r).status == "investigated"


def test_only_a_party_member_on_the_team_confirms(actors, monitors, tasked):
    r = commands.report_investigation(FACILITATOR, tasked.id, DENIED)
    assert not r.investigation.confirmations.exists()  # the facilitator writes for the team, confirms for no party
    for who in ("west-head", "east-head", "observer", "un-monitor", "east-monitor"):
        with refused(Forbidden):
            steps.confirm(monitors[who], r)
    with refused(Forbidden):
        steps.confirm(FACILITATOR, r)
    r = steps.confirm(actors["west-member"], r)
    assert r.status == "tasked" and not Report.objects.filter(related_report=r).exists()
    r = steps.confirm(actors["east-member"], r)
    assert r.status == "investigated" and Report.objects.get(related_report=r).submitted_by == "east-member"


def test_nothing_to_confirm_before_the_team_wrote_it(actors, tasked):
    with refused(Conflict, "investigation"):
        commands.confirm_investigation(actors["west-member"], tasked.id, {"investigation": tasked.id})
    assert commands.confirm_refusal(actors["west-member"], tasked).field == "investigation"


def test_an_entry_from_before_confirmations_stays_the_teams_report_on_replay(actors, tasked):
    """The record states the rule it was written under: an investigation entry without
    `confirms_for` (written before confirmations) moved the report on by itself, and still does."""
    payload = {
        "report": tasked.id,
        "site_visited": False,
        "visited_on": None,
        "access": "granted",
        "denied_by_party": None,
        "denied_by_ar": "",
        "denied_by_en": "",
        "methods_ar": "",
        "methods_en": "Interviews",
        "evidence_ar": "",
        "evidence_en": "",
        "limitations_ar": "",
        "limitations_en": "",
    }
    append("report.investigated", payload, actors["east-member"])
    tasked.refresh_from_db()
    assert tasked.status == "investigated"
    assert replay.check(progress=None).ok
