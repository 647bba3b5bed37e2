"""Filing a report: every field checked and named when wrong, the source fixed by who files,
numbered per year, and each report opening an incident of its own."""

import datetime as dt

from ceasefire.errors import Forbidden, Invalid, NotFound
from ceasefire.incidents import commands
from ceasefire.incidents.models import Casualty, Incident, Report, StageTime
from ceasefire.record.log import Actor
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import refused

from .conftest import NOW, REPORT


def file(actor, **changes):
    data = {**REPORT, **changes}
    return commands.file_report(actor, {k: v for k, v in data.items() if v is not ...})


def test_a_delegate_files_a_claim_that_keeps_everything_it_says(actors, typology, clock):
    r = file(actors["west-member"])
    assert (r.status, r.reference, r.submitted_by, r.received_at) == ("received", "R-2026-0001", "west-member", NOW)
    assert (r.source_type, r.source_party_id) == ("delegation", "west")
    assert (r.title_en, r.category_id, r.place_en, r.place_ar) == (
        "Shelling near Abu Qurayn",
        "shelling",
        "Abu Qurayn",
        "أبو قرين",
    )
    assert r.occurred_at == dt.datetime(2021, 3, 2, 3, 40, tzinfo=dt.UTC) and r.time_known and r.time_precision == 1
    assert (r.latitude, r.longitude, r.geo_precision) == (31.45, 15.25, 2)
    assert (r.alleged_party_id, r.affected_party_id, r.controlled_by_id) == ("east", "west", None)
    assert r.narrative_en.startswith("Three rounds")
    assert [(c.kind, c.group, c.count, c.source) for c in r.casualties.all()] == [
        ("injured", "civilian", 2, "local clinic")
    ]
    assert [(s.stage, s.entered_by, s.entered_at, s.left_at) for s in StageTime.objects.filter(report=r)] == [
        ("received", "west-member", NOW, None)
    ]
    event = Event.objects.get(seq=r.id)
    assert (event.type, event.actor, event.account, event.party) == ("report.filed", "member", "west-member", "west")


MISSING = [
    ({"title": ...}, "title"),
    ({"title": "   "}, "title"),
    ({"category": ...}, "category"),
    ({"narrative": ...}, "narrative"),
    ({"narrative": "", "narrative_ar": "", "narrative_en": ""}, "narrative"),
    ({"occurred_at": ...}, "occurred_at"),
    ({"latitude": ..., "longitude": ..., "place_en": ..., "place_ar": ...}, "place"),
]


def test_what_is_required_is_named_when_missing(actors, typology, subtests):
    for changes, field in MISSING:
        with subtests.test(changes=changes, field=field):
            with refused(Invalid, field):
                file(actors["west-member"], **changes)


WRONG = [
    ({"title": 42}, "title"),
    ({"title_en": ["a"]}, "title_en"),
    ({"category": ["shelling"]}, "category"),
    ({"category": "no-such-kind"}, "category"),
    ({"narrative": {"en": "x"}}, "narrative"),
    ({"occurred_at": 20210302}, "occurred_at"),
    ({"occurred_at": "yesterday"}, "occurred_at"),
    ({"occurred_at": "2021-02-30"}, "occurred_at"),
    ({"occurred_at": "2021-03-02T05:40"}, "occurred_at"),  # a time needs its offset
    ({"occurred_at": "1899-12-31"}, "occurred_at"),
    ({"occurred_at": "0001-01-01T00:30+01:00"}, "occurred_at"),
    ({"occurred_at": "9999-12-31T23:30-01:00"}, "occurred_at"),
    ({"latitude": "north"}, "latitude"),
    ({"latitude": True}, "latitude"),
    ({"latitude": [31]}, "latitude"),
    ({"longitude": "nan"}, "longitude"),
    ({"longitude": "inf"}, "longitude"),
    ({"latitude": 10**400}, "latitude"),
    ({"geo_precision": "exact"}, "geo_precision"),
    ({"geo_precision": 4}, "geo_precision"),
    ({"time_precision": 0}, "time_precision"),
    ({"time_precision": 4}, "time_precision"),
    ({"time_precision": 1.5}, "time_precision"),
    ({"alleged_unit": 128}, "alleged_unit"),
    ({"place_en": "Sirte\u202e"}, "place_en"),
    ({"casualties": "two dead"}, "casualties"),
    ({"casualties": [3]}, "casualties[0]"),
    ({"casualties": [{"kind": "missing", "count": 1}]}, "casualties[0].kind"),
    ({"casualties": [{"kind": "killed", "group": "police", "count": 1}]}, "casualties[0].group"),
    ({"casualties": [{"kind": "killed", "count": -1}]}, "casualties[0].count"),
    ({"casualties": [{"kind": "killed", "count": "many"}]}, "casualties[0].count"),
    ({"casualties": [{"kind": "killed", "count": True}]}, "casualties[0].count"),
    ({"casualties": [{"kind": "killed", "count": 1, "source": 7}]}, "casualties[0].source"),
    ({"casualties": [{"kind": "killed", "count": 1}] * 13}, "casualties"),
    ({"source_identity": "Ali"}, "source_identity"),
]


def test_wrong_types_and_values_are_named(actors, typology, subtests):
    for changes, field in WRONG:
        with subtests.test(changes=changes, field=field):
            with refused(Invalid, field):
                file(actors["west-member"], **changes)


PARTY_FIELDS = ["alleged_party", "affected_party", "controlled_by"]


def test_a_party_that_does_not_exist_is_named(actors, typology, subtests):
    for field in PARTY_FIELDS:
        with subtests.test(field=field):
            with refused(NotFound, field):
                file(actors["west-member"], **{field: "south"})


def test_a_retired_category_takes_no_new_report(actors, typology):
    commands.define_category(
        FACILITATOR, {"code": "shelling", "group": "military", "name": "Shelling", "retired": True}
    )
    with refused(Invalid, "category"):
        file(actors["west-member"])


OUT_OF_RANGE = [
    (90.01, 15, "latitude"),
    (-91, 15, "latitude"),
    (31, 180.5, "longitude"),
    (31, -181, "longitude"),
    ("95", "15", "latitude"),
]


def test_coordinates_out_of_range_are_refused(actors, typology, subtests):
    for latitude, longitude, field in OUT_OF_RANGE:
        with subtests.test(latitude=latitude, longitude=longitude, field=field):
            with refused(Invalid, field):
                file(actors["west-member"], latitude=latitude, longitude=longitude)


def test_coordinates_at_the_edges_and_as_text_are_taken(actors, typology):
    r = file(actors["west-member"], latitude=-90, longitude=180)
    assert (r.latitude, r.longitude) == (-90.0, 180.0)
    r = file(actors["west-member"], latitude=" 32.1 ", longitude="13.2")
    assert (r.latitude, r.longitude) == (32.1, 13.2)


ONE_COORDINATE = [("longitude", "longitude"), ("latitude", "latitude")]


def test_one_coordinate_alone_is_refused(actors, typology, subtests):
    for missing, field in ONE_COORDINATE:
        with subtests.test(missing=missing, field=field):
            with refused(Invalid, field):
                file(actors["west-member"], **{missing: None})


def test_a_place_name_alone_or_coordinates_alone_say_where(actors, typology):
    r = file(actors["west-member"], latitude=..., longitude=..., geo_precision=...)
    assert (r.latitude, r.geo_precision, r.place_en) == (None, None, "Abu Qurayn")
    r = file(actors["west-member"], place_en=..., place_ar=..., geo_precision=...)
    assert (r.latitude, r.geo_precision, r.place_en) == (31.45, 1, "")  # exact unless said otherwise
    with refused(Invalid, "geo_precision"):
        file(actors["west-member"], latitude=..., longitude=..., geo_precision=2)


def test_dates_in_the_future_are_refused_times_with_their_offset(actors, typology, clock):
    # NOW is 12:00 UTC, 14:00 in Libya (+02:00); a device's clock may run five minutes ahead.
    west = actors["west-member"]
    with refused(Invalid, "occurred_at"):
        file(west, occurred_at="2026-03-02")
    with refused(Invalid, "occurred_at"):
        file(west, occurred_at="2026-03-01T14:06+02:00")
    with refused(Invalid, "occurred_at"):
        file(west, occurred_at="2026-03-01T12:06Z")
    with refused(Invalid, "occurred_at"):
        file(west, occurred_at="2026-03-01T10:06-02:00")
    assert file(west, occurred_at="2026-03-01").occurred_at == dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    r = file(west, occurred_at="2026-03-01T14:04+02:00")
    assert r.occurred_at == dt.datetime(2026, 3, 1, 12, 4, tzinfo=dt.UTC)
    assert file(west, occurred_at="2026-03-01T11:59:59Z").time_known


def test_today_in_libya_is_not_the_future_when_utc_is_still_at_yesterday(actors, typology, clock):
    clock.set(dt.datetime(2026, 3, 1, 22, 30, tzinfo=dt.UTC))  # 00:30 on 2 March in Tripoli
    r = file(actors["west-member"], occurred_at="2026-03-02")
    assert r.occurred_at.date() == dt.date(2026, 3, 2)
    with refused(Invalid, "occurred_at"):
        file(actors["west-member"], occurred_at="2026-03-03")


def test_time_and_its_precision(actors, typology):
    west = actors["west-member"]
    r = file(west, occurred_at="2021-03-02")
    assert (r.occurred_at, r.time_known, r.time_precision) == (dt.datetime(2021, 3, 2, tzinfo=dt.UTC), False, 1)
    r = file(west, occurred_at="2021-03-02T23:30-01:00", time_precision=2)
    assert (r.occurred_at, r.time_known, r.time_precision) == (dt.datetime(2021, 3, 3, 0, 30, tzinfo=dt.UTC), True, 2)
    assert file(west, time_precision="3").time_precision == 3


def test_casualties_are_claims_of_their_source(actors, typology):
    r = file(
        actors["east-member"],
        casualties=[
            {"kind": "killed", "group": "military", "count": 3, "source": "hospital"},
            {"kind": "injured", "count": "0"},
        ],
    )
    assert sorted((c.kind, c.group, c.count, c.source) for c in Casualty.objects.filter(report=r)) == [
        ("injured", "unknown", 0, ""),
        ("killed", "military", 3, "hospital"),
    ]
    assert not file(actors["east-member"], casualties=None).casualties.exists()


# ---------------------------------------------------------------- who the report comes from


DELEGATES = ["west-head", "west-member", "east-head", "east-member"]


def test_a_delegate_files_for_its_own_delegation_only(actors, typology, subtests):
    for who in DELEGATES:
        with subtests.test(who=who):
            party = who.split("-")[0]
            other = "east" if party == "west" else "west"
            r = file(actors[who], source_type="delegation", source_party=party)
            assert (r.source_type, r.source_party_id) == ("delegation", party)
            assert (file(actors[who]).source_type, file(actors[who]).source_party_id) == ("delegation", party)
            for source_type in ("media", "ngo", "public", "joint_team", "un_monitor"):
                with refused(Invalid, "source_type"):
                    file(actors[who], source_type=source_type)
            with refused(Invalid, "source_party"):
                file(actors[who], source_party=other)


def test_a_monitor_files_as_its_joint_team_or_as_the_un(monitors, typology):
    r = file(monitors["east-monitor"])
    assert (r.source_type, r.source_party_id) == ("joint_team", None)  # a monitor never speaks for its party
    r = file(monitors["un-monitor"])
    assert (r.source_type, r.source_party_id) == ("un_monitor", None)
    assert file(monitors["un-monitor"], source_type="joint_team").source_type == "joint_team"
    for source_type in ("delegation", "media", "public", "ngo"):
        with refused(Invalid, "source_type"):
            file(monitors["east-monitor"], source_type=source_type)
    for party in ("west", "east"):
        with refused(Invalid, "source_party"):
            file(monitors["east-monitor"], source_party=party)


def test_the_facilitator_must_say_where_a_report_came_from(actors, typology):
    with refused(Invalid, "source_type"):
        file(FACILITATOR)
    with refused(Invalid, "source_type"):
        file(FACILITATOR, source_type="rumour")
    r = file(FACILITATOR, source_type="media", source="Libya Observer, 3 March")
    assert (r.source_type, r.source_party_id, r.source_en, r.submitted_by) == (
        "media",
        None,
        "Libya Observer, 3 March",
        "facilitator",
    )
    r = file(FACILITATOR, source_type="delegation", source_party="east")
    assert (r.source_type, r.source_party_id) == ("delegation", "east")
    with refused(Invalid, "source_party"):
        file(FACILITATOR, source_type="delegation")
    with refused(Invalid, "source_party"):
        file(FACILITATOR, source_type="public", source_party="west")
    with refused(NotFound, "source_party"):
        file(FACILITATOR, source_type="delegation", source_party="south")


STRANGERS = ["observer", "no-role", "anonymous"]


def test_observers_and_strangers_do_not_file(actors, typology, subtests):
    for who in STRANGERS:
        with subtests.test(who=who):
            actor = {"observer": actors["observer"], "no-role": Actor("someone"), "anonymous": None}[who]
            with refused(Forbidden):
                file(actor)


# ---------------------------------------------------------------- numbers and incidents


def test_reports_and_incidents_are_numbered_per_year(actors, typology, clock):
    west, east = actors["west-member"], actors["east-member"]
    assert [file(west).reference for _ in range(2)] == ["R-2026-0001", "R-2026-0002"]
    clock.set(dt.datetime(2027, 1, 1, 0, 0, 1, tzinfo=dt.UTC))
    first = file(east)
    assert (first.reference, first.year, first.number) == ("R-2027-0001", 2027, 1)
    assert first.incident.reference == "I-2027-0001"
    assert file(west).reference == "R-2027-0002"
    assert sorted(Incident.objects.values_list("year", "number")) == [(2026, 1), (2026, 2), (2027, 1), (2027, 2)]
    # The year is the year received, not the year of the event.
    assert file(west, occurred_at="2021-03-02").reference == "R-2027-0003"
    assert str(Report.objects.get(year=2026, number=2)) == "R-2026-0002"


def test_each_report_opens_an_incident_of_its_own(actors, typology):
    a = file(actors["west-member"])
    b = file(actors["east-member"], title="Shelling at Abu Qurayn", place_en="Abu Qurayn")
    assert a.incident_id != b.incident_id
    for r in (a, b):
        incident = Incident.objects.get(id=r.incident_id)
        assert list(incident.reports.all()) == [r]
        assert (incident.title_en, incident.opened_at, incident.merged_into_id) == (r.title_en, r.received_at, None)
    assert Incident.objects.count() == Report.objects.count() == 2


def test_without_a_typology_no_category_is_known(actors):
    with refused(Invalid, "category"):
        file(actors["west-member"])
