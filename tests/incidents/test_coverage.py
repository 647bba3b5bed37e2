"""Coverage (incidents/coverage.py): who records it and whose claim it is, how its days are counted,
what observers and the public read of it, that every count carries it, and that it replays."""

import datetime as dt

import pytest

from django.utils import translation

from ceasefire.errors import CommandError, Forbidden
from ceasefire.incidents import coverage, queries, stats
from ceasefire.incidents.models import Coverage
from ceasefire.record import replay
from ceasefire.record.models import Event, Head
from tests.helpers import refused

@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


SIRTE = {"area_en": "Sirte", "area_ar": "سرت"}


@pytest.mark.django_db
def test_who_records_coverage_and_whose_claim_it_is(monitors, typology):
    a = monitors
    mission = coverage.record_coverage(a["facilitator"], {"kind": "deployed", **SIRTE, "starts_on": "2021-01-01", "ends_on": "2021-01-09"})
    assert mission.claimed_by_id is None and mission.recorded_by == "facilitator" and mission.visibility == "parties"
    assert coverage.record_coverage(a["un-monitor"], {"kind": "no_access", **SIRTE, "starts_on": "2021-01-25", "ends_on": "2021-01-26"}).claimed_by_id is None
    # a monitor from a party's ranks records for the mission, never for its party
    assert coverage.record_coverage(a["east-monitor"], {"kind": "deployed", **SIRTE, "starts_on": "2021-01-05", "ends_on": "2021-01-12"}).claimed_by_id is None
    claim = coverage.record_coverage(
        a["west-head"], {"kind": "denied", **SIRTE, "starts_on": "2021-01-20", "ends_on": "2021-01-22", "denied_by": "east", "source": "our patrol"}
    )
    assert claim.claimed_by_id == "west" and claim.denied_by_id == "east"
    assert coverage.record_coverage(a["east-member"], {"kind": "deployed", "area": "الجفرة", "starts_on": "2021-01-03", "ends_on": "2021-01-03"}).claimed_by_id == "east"
    with refused(Forbidden):
        coverage.record_coverage(a["observer"], {"kind": "deployed", **SIRTE, "starts_on": "2021-01-01", "ends_on": "2021-01-02"})
    with refused(Forbidden):
        coverage.share_coverage(a["west-head"], claim.id, {"visibility": "observers"})
    for data, field in (
        ({"kind": "seen", **SIRTE, "starts_on": "2021-01-01", "ends_on": "2021-01-02"}, "kind"),
        ({"kind": "deployed", "starts_on": "2021-01-01", "ends_on": "2021-01-02"}, "area"),
        ({"kind": "deployed", **SIRTE, "starts_on": "2021-01-03", "ends_on": "2021-01-02"}, "ends_on"),
        ({"kind": "deployed", **SIRTE, "starts_on": "2021-01-01", "ends_on": "2022-06-02"}, "ends_on"),
        ({"kind": "deployed", **SIRTE, "starts_on": "2999-01-01", "ends_on": "2999-01-02"}, "starts_on"),
        ({"kind": "deployed", **SIRTE, "starts_on": "2021-02-30", "ends_on": "2021-03-02"}, "starts_on"),
        ({"kind": "deployed", **SIRTE, "starts_on": "2021-01-01", "ends_on": "2021-01-02", "denied_by": "east"}, "denied_by"),
        ({"kind": "denied", **SIRTE, "starts_on": "2021-01-01", "ends_on": "2021-01-02", "denied_by": "north"}, "denied_by"),
    ):
        with refused(CommandError, field):
            coverage.record_coverage(a["facilitator"], data)

    # the mission's days are counted once where its records overlap; a party's claim stands apart
    fac = coverage.summary(a["facilitator"], dt.date(2021, 1, 1), dt.date(2021, 1, 31))
    lines = {(line.area, line.kind, line.claimed_by.code if line.claimed_by else None): (line.days, line.of) for line in fac.lines}
    assert lines == {
        ("Sirte", "deployed", None): (12, 31),
        ("Sirte", "no_access", None): (2, 31),
        ("Sirte", "denied", "west"): (3, 31),
        ("الجفرة", "deployed", "east"): (1, 31),
    }
    # nothing shared yet: observers are told so, never a bare count
    assert coverage.summary(a["observer"], dt.date(2021, 1, 1), dt.date(2021, 1, 31)).lines == []
    assert coverage.sentences(coverage.summary(a["observer"], dt.date(2021, 1, 1), dt.date(2021, 1, 31))) == ["No coverage shared for this period."]
    coverage.share_coverage(a["facilitator"], mission.id, {"visibility": "observers"})
    with refused(CommandError, "visibility"):
        coverage.share_coverage(a["facilitator"], mission.id, {"visibility": "observers"})
    seen = coverage.summary(a["observer"], dt.date(2021, 1, 1), dt.date(2021, 1, 31))
    assert [(line.area, line.days) for line in seen.lines] == [("Sirte", 9)]
    assert coverage.sentence(seen.lines[0]) == "Sirte: monitors reached it on 9 of 31 days"
    west = next(line for line in fac.lines if line.claimed_by)
    assert "a claim" in coverage.sentence(west)
    assert coverage.summary(None, dt.date(2021, 1, 1), dt.date(2021, 1, 31)).lines == []

    # every count carries the coverage of its period, and by month each row its month's
    counts = stats.count(a["facilitator"], queries.Filters(occurred_from=dt.date(2021, 1, 1), occurred_to=dt.date(2021, 1, 31)), ("month",))
    assert counts.coverage.days == 31 and len(counts.coverage.lines) == 4

    result = replay.check(progress=None)
    assert result.events == Event.objects.count() == Head.objects.get(id=1).size
    assert result.ok, result.difference
    assert {"coverage.recorded", "coverage.visibility_set"} <= set(Event.objects.values_list("type", flat=True))
    assert Coverage.objects.count() == 5
