"""Who reads which report: the parties' people and the facilitator every report, observers what
the committee shares with them, the public what it publishes; only a closed report is published."""

import pytest

from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.incidents import commands, queries
from ceasefire.incidents.permissions import visible_levels
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import refused

from . import steps

READERS = [
    "west-head",
    "west-member",
    "east-head",
    "east-member",
    "facilitator",
    "east-monitor",
    "un-monitor",
    "observer",
    "public",
]
SEES = {
    "parties": {"parties", "observers", "public"},
    "observers": {"observers", "public"},
    "public": {"public"},
}
AUDIENCE = {**{r: "parties" for r in READERS}, "observer": "observers", "public": "public"}


@pytest.fixture
def by_level(monitors, typology):
    """A concluded report at each visibility level, and an open one shared with observers."""
    reports = {}
    for level in ("parties", "observers", "public"):
        r = steps.advance(monitors, steps.file(monitors), "concluded")
        if level != "parties":
            r = commands.set_visibility(FACILITATOR, r.id, {"visibility": level})
        reports[level] = r
    reports["open"] = commands.set_visibility(FACILITATOR, steps.file(monitors).id, {"visibility": "observers"})
    return reports


def reader(monitors, who):
    return None if who == "public" else monitors[who]


def test_each_reader_sees_the_reports_of_its_levels(monitors, by_level, subtests):
    for who in READERS:
        with subtests.test(who=who):
            levels = SEES[AUDIENCE[who]]
            assert set(visible_levels(reader(monitors, who))) == levels
            expected = {r.id for key, r in by_level.items() if r.visibility in levels}
            assert set(queries.visible(reader(monitors, who)).values_list("id", flat=True)) == expected
            expected_incidents = {r.incident_id for r in by_level.values() if r.visibility in levels}
            assert (
                set(queries.visible_incidents(reader(monitors, who)).values_list("id", flat=True)) == expected_incidents
            )


def test_the_levels_as_a_matrix(monitors, by_level):
    seen = {
        who: sorted(
            key for key, r in by_level.items() if queries.visible(reader(monitors, who)).filter(id=r.id).exists()
        )
        for who in READERS
    }
    assert seen == {
        **{who: ["observers", "open", "parties", "public"] for who in READERS},
        "observer": ["observers", "open", "public"],
        "public": ["public"],
    }


def test_only_a_closed_report_is_published(actors, filed):
    with refused(Conflict, "visibility"):
        commands.set_visibility(FACILITATOR, filed.id, {"visibility": "public"})
    r = commands.set_visibility(FACILITATOR, filed.id, {"visibility": "observers"})
    assert r.visibility == "observers"
    r = steps.advance(actors, r, "findings")
    with refused(Conflict, "visibility"):
        commands.set_visibility(FACILITATOR, r.id, {"visibility": "public"})
    r = steps.advance(actors, r, "concluded")
    assert commands.set_visibility(FACILITATOR, r.id, {"visibility": "public"}).visibility == "public"
    # Withdrawn from the public again: a new event, the record keeps both.
    assert commands.set_visibility(FACILITATOR, r.id, {"visibility": "parties"}).visibility == "parties"
    assert [e.payload["visibility"] for e in Event.objects.filter(type="report.visibility_set").order_by("seq")] == [
        "observers",
        "public",
        "parties",
    ]


@pytest.mark.parametrize("status", ["duplicate", "outside_mandate", "disagreement"])
def test_every_closed_report_may_be_published(actors, filed, status):
    r = steps.advance(actors, steps.file(actors), status)
    assert commands.set_visibility(FACILITATOR, r.id, {"visibility": "public"}).visibility == "public"


def test_bad_visibility_changes(actors, filed):
    with refused(Conflict, "visibility"):
        commands.set_visibility(FACILITATOR, filed.id, {"visibility": "parties"})  # nothing changes
    with refused(Invalid, "visibility"):
        commands.set_visibility(FACILITATOR, filed.id, {"visibility": "everyone"})
    for who in ("west-head", "east-head", "west-member", "observer"):
        with refused(Forbidden):
            commands.set_visibility(actors[who], filed.id, {"visibility": "observers"})
