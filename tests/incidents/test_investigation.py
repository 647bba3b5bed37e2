"""The team's investigation report; access denied, in whole or in part, is recorded as an
obstruction report of its own, linked to the report the team was verifying, once every party on
the team has confirmed the report (test_investigation_confirmed.py)."""

import datetime as dt

import pytest

from ceasefire.errors import Conflict, Invalid, NotFound
from ceasefire.incidents import commands
from ceasefire.incidents.models import Investigation, Report
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import refused

from . import steps


@pytest.fixture
def tasked(actors, filed):
    return steps.advance(actors, filed, "tasked")


def investigate(actors, r, who="east-member", **changes):
    """`who` writes it and a member of the other party confirms it: the team's report."""
    data = {**steps.INVESTIGATION, **changes}
    r = commands.report_investigation(actors[who], r.id, {k: v for k, v in data.items() if v is not None})
    return steps.confirm(actors["west-member" if who.startswith("east") else "east-member"], r)


def test_access_granted_records_the_investigation_only(actors, tasked):
    before = Event.objects.count()
    r = investigate(actors, tasked, limitations="Rain had covered the tracks", evidence="Photos of three craters")
    assert r.status == "investigated" and Event.objects.count() == before + 2  # written, confirmed
    i = Investigation.objects.get(report=r)
    assert (i.site_visited, i.visited_on, i.access, i.submitted_by) == (
        True,
        dt.date(2021, 3, 4),
        "granted",
        "east-member",
    )
    assert (i.methods_en, i.evidence_en, i.limitations_en, i.denied_by_party_id) == (
        "Crater analysis, interviews",
        "Photos of three craters",
        "Rain had covered the tracks",
        None,
    )
    assert not Report.objects.filter(related_report=r).exists()


@pytest.mark.parametrize("access", ["denied", "partial"])
def test_access_denied_is_an_obstruction_report_against_whoever_denied_it(actors, tasked, access):
    before = Event.objects.count()
    r = investigate(
        actors,
        tasked,
        access=access,
        site_visited=access == "partial",
        visited_on="2021-03-05" if access == "partial" else None,
        denied_by_party="west",
        denied_by="Brigade 166 at the Abu Qurayn gate",
    )
    assert r.status == "investigated"
    assert [e.type for e in Event.objects.filter(seq__gte=before).order_by("seq")] == [
        "report.investigated",
        "report.investigation_confirmed",
        "report.filed",
    ]
    o = Report.objects.get(related_report=r)
    assert (o.category_id, o.status, o.alleged_party_id, o.alleged_unit) == (
        "access-denied",
        "received",
        "west",
        "Brigade 166 at the Abu Qurayn gate",
    )
    assert (o.source_type, o.source_party_id, o.submitted_by) == (
        "joint_team",
        None,
        "west-member",
    )  # its last confirmation
    assert o.title_en == f"Access denied to the joint team verifying {r.reference}" and o.title_ar
    assert (
        o.narrative_en
        == f"Access denied to the joint team verifying {r.reference}. Denied by: Brigade 166 at the Abu Qurayn gate"
    )
    assert (
        r.reference in o.narrative_ar and "Brigade 166 at the Abu Qurayn gate" in o.narrative_ar
    )  # a sentence in both languages
    assert (o.latitude, o.longitude, o.place_en) == (r.latitude, r.longitude, r.place_en)
    assert o.occurred_at.date() == (dt.date(2021, 3, 5) if access == "partial" else dt.datetime.now(dt.UTC).date())
    # An incident of its own, pointing to the report it came from; the chain starts for it too.
    assert o.incident_id != r.incident_id and o.incident.related_report_id == r.id
    assert commands.triage(FACILITATOR, o.id, {"decision": "admissible"}).status == "inquiry"


def test_a_denial_by_a_party_alone_or_by_a_named_unit_alone_is_enough(actors, tasked, typology):
    r = investigate(
        actors, tasked, who="west-member", access="denied", site_visited=False, visited_on=None, denied_by_party="east"
    )
    o = Report.objects.get(related_report=r)
    assert (o.alleged_party_id, o.alleged_unit, o.source_type) == ("east", "", "joint_team")
    other = steps.advance(actors, steps.file(actors), "tasked")
    r = investigate(
        actors, other, who="west-member", access="denied", site_visited=False, visited_on=None, denied_by_ar="كتيبة 128"
    )
    o = Report.objects.get(related_report=r)
    assert (o.alleged_party_id, o.alleged_unit) == (None, "كتيبة 128")
    assert o.narrative_ar.startswith(o.title_ar) and o.narrative_ar.endswith("كتيبة 128")
    assert o.narrative_en.endswith("Denied by: كتيبة 128")


def test_the_facilitator_may_report_for_the_team(actors, tasked):
    r = commands.report_investigation(
        FACILITATOR, tasked.id, {**steps.INVESTIGATION, "access": "denied", "denied_by_party": "east"}
    )
    r = steps.confirm(actors["west-member"], r)
    assert r.status == "tasked" and not Report.objects.filter(related_report=r).exists()  # the east has not confirmed
    r = steps.confirm(actors["east-member"], r)
    o = Report.objects.get(related_report=r)
    assert (o.submitted_by, o.source_type, o.alleged_party_id) == ("east-member", "joint_team", "east")


BAD_INVESTIGATIONS = [
    ({"access": "denied"}, Invalid, "denied_by"),
    ({"access": "partial", "denied_by": "  "}, Invalid, "denied_by"),
    ({"access": "granted", "denied_by_party": "east"}, Invalid, "denied_by"),
    ({"access": "granted", "denied_by": "Brigade 128"}, Invalid, "denied_by"),
    ({"access": "refused"}, Invalid, "access"),
    ({"access": None}, Invalid, "access"),
    ({"denied_by_party": "south", "access": "denied"}, NotFound, "denied_by_party"),
    ({"site_visited": None}, Invalid, "site_visited"),
    ({"site_visited": "maybe"}, Invalid, "site_visited"),
    ({"visited_on": None}, Invalid, "visited_on"),
    ({"visited_on": "2021-03-01"}, Invalid, "visited_on"),  # before the shelling
    ({"visited_on": "2099-01-01"}, Invalid, "visited_on"),
    ({"visited_on": "4 March"}, Invalid, "visited_on"),
    ({"methods": None}, Invalid, "methods"),
    ({"limitations": 5}, Invalid, "limitations"),
]


def test_bad_investigation_reports_are_named(actors, tasked, subtests):
    for changes, error, field in BAD_INVESTIGATIONS:
        with subtests.test(changes=changes, error=error, field=field):
            with refused(error, field):
                commands.report_investigation(
                    actors["east-member"],
                    tasked.id,
                    {k: v for k, v in {**steps.INVESTIGATION, **changes}.items() if v is not None},
                )


def test_not_visited_needs_no_date(actors, tasked):
    r = investigate(actors, tasked, site_visited="false", visited_on=None)
    assert (r.investigation.site_visited, r.investigation.visited_on) == (False, None)


def test_without_an_obstruction_category_a_denial_is_refused_and_nothing_written(actors, tasked):
    commands.define_category(
        FACILITATOR, {"code": "access-denied", "group": "obstruction", "name": "Denial of access", "retired": True}
    )
    r = commands.report_investigation(
        actors["east-member"], tasked.id, {**steps.INVESTIGATION, "access": "denied", "denied_by_party": "east"}
    )
    with refused(Conflict, "access"):  # at the confirmation that makes it the team's
        steps.confirm(actors["west-member"], r)
    tasked.refresh_from_db()
    assert tasked.status == "tasked" and not Investigation.objects.get().confirmations.filter(party="west").exists()
    # Any other category of the obstruction group takes it.
    commands.define_category(
        FACILITATOR, {"code": "monitors-blocked", "group": "obstruction", "name": "Monitors blocked"}
    )
    r = investigate(actors, tasked, access="denied", denied_by_party="east")
    assert Report.objects.get(related_report=r).category_id == "monitors-blocked"
