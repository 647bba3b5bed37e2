"""Recommendations of concluded findings are tracked to closure: the addressed party reports its
progress, the facilitator closes them (done or ignored)."""

import pytest

from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound
from ceasefire.incidents import commands
from ceasefire.incidents.models import Recommendation
from tests.conftest import FACILITATOR
from tests.helpers import refused

from . import steps

RECS = [
    {"addressee_party": "east", "text": "Withdraw the battery"},
    {"addressee_en": "UNSMIL", "text": "Visit again in May"},
]


@pytest.fixture
def recs(actors, filed):
    r = steps.advance(actors, filed, "investigated")
    r = commands.draft_findings(
        actors["west-member"],
        r.id,
        {"findings": [{"allegation": "Shelling", "result": "violation", "recommendations": RECS}]},
    )
    return r, list(Recommendation.objects.filter(report=r).order_by("id"))


def status(actor, rec, value, **data):
    return commands.set_recommendation_status(actor, rec.id, {"status": value, **data})


def test_followed_up_only_once_the_findings_are_concluded(actors, recs):
    r, (to_east, _) = recs
    with refused(Conflict, "recommendation"):
        status(FACILITATOR, to_east, "in_progress")
    steps.advance(actors, r, "concluded")
    assert status(FACILITATOR, to_east, "in_progress").status == "in_progress"


def test_the_addressed_party_reports_progress_and_the_facilitator_closes(actors, recs):
    r, (to_east, to_unsmil) = recs
    steps.advance(actors, r, "concluded")
    rec = status(actors["east-member"], to_east, "in_progress", note="Battery moved 10 km back")
    assert (rec.status, rec.status_note) == ("in_progress", "Battery moved 10 km back")
    rec = status(actors["east-head"], to_east, "in_progress", note="Battery moved 20 km back")
    assert rec.status_note == "Battery moved 20 km back"
    for value in ("done", "ignored"):
        with refused(Forbidden, "status"):
            status(actors["east-head"], to_east, value)
    assert status(FACILITATOR, to_east, "done").status == "done"
    assert status(FACILITATOR, to_unsmil, "ignored", note="Overtaken by events").status == "ignored"
    assert status(FACILITATOR, to_unsmil, "open").status == "open"  # reopened


OTHERS = ["west-head", "west-member", "observer"]


def test_another_party_or_an_observer_does_not_update_it(actors, recs, subtests):
    r, (to_east, to_unsmil) = recs
    steps.advance(actors, r, "concluded")
    for who in OTHERS:
        with subtests.test(who=who):
            for rec in (to_east, to_unsmil):
                with refused(Forbidden):
                    status(actors[who], rec, "in_progress")


def test_a_recommendation_to_no_party_is_the_facilitators_to_follow(actors, recs):
    r, (_, to_unsmil) = recs
    steps.advance(actors, r, "concluded")
    for who in ("east-head", "west-head"):
        with refused(Forbidden):
            status(actors[who], to_unsmil, "in_progress")
    assert status(FACILITATOR, to_unsmil, "in_progress").status == "in_progress"


def test_bad_updates_are_named(actors, recs):
    r, (to_east, _) = recs
    steps.advance(actors, r, "concluded")
    with refused(Invalid, "status"):
        status(FACILITATOR, to_east, "finished")
    with refused(Conflict, "status"):
        status(FACILITATOR, to_east, "open")  # nothing changes
    with refused(Invalid, "note"):
        status(FACILITATOR, to_east, "in_progress", note=["moved"])
    with refused(NotFound, "recommendation"):
        commands.set_recommendation_status(FACILITATOR, 424242, {"status": "done"})
