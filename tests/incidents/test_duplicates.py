"""Duplicate candidates for triage: the same category, near in place and in time as precisely as
each report claims, with how alike their words are in either language; only for the facilitator,
only among the reports it reads, and nothing merged by itself."""

import datetime as dt

import pytest

from ceasefire.errors import Forbidden
from ceasefire.incidents import commands, duplicates
from ceasefire.incidents.models import Report
from ceasefire.record.log import Actor
from tests.conftest import FACILITATOR

from . import steps

T = dt.datetime(2021, 3, 2, 3, 40, tzinfo=dt.UTC)
SIRTE = (31.2, 16.58)  # LY-SR
SOUTH_OF_SIRTE = (30.5, 16.5)  # LY-SR too, some 78 km away
ABU_QURAYN = (31.45, 15.25)  # LY-MI


def report(lat=SIRTE[0], lon=SIRTE[1], precision=1, at=T, known=True, time_precision=1, title_ar="", title_en="", **kw):
    """A report as the function reads it (not filed: the rules are pure)."""
    return Report(
        id=kw.pop("id", 1),
        latitude=lat,
        longitude=lon,
        geo_precision=precision if lat is not None else None,
        occurred_at=at,
        time_known=known,
        time_precision=time_precision,
        title_ar=title_ar,
        title_en=title_en,
        narrative_ar=kw.pop("narrative_ar", ""),
        narrative_en=kw.pop("narrative_en", ""),
    )


def north(km: float) -> float:
    """The latitude `km` north of Sirte's."""
    return SIRTE[0] + km / 111.195


# ---------------------------------------------------------------- place


@pytest.mark.parametrize(
    ("km", "a", "b", "near"),
    [
        (9.9, 1, 1, True),  # two points: within NEAR_KM
        (10.2, 1, 1, False),
        (19.9, 2, 1, True),  # "near" a place adds its radius (10 km)
        (20.2, 2, 1, False),
        (29.9, 2, 2, True),  # both near: both radii
        (30.2, 2, 2, False),
    ],
)
def test_near_in_place_is_as_far_as_each_claims(km, a, b, near):
    found, distance, district = duplicates.place(report(precision=a), report(lat=north(km), precision=b))
    assert (found, round(distance, 1), district) == (near, km, "")


def test_a_report_naming_its_district_is_near_only_what_lies_in_that_district():
    district = report(*SOUTH_OF_SIRTE, precision=3)
    # 78 km away, in the same district: near, and no distance claimed that the report does not claim
    assert duplicates.place(district, report(*SIRTE)) == (True, None, "LY-SR")
    assert duplicates.place(report(*SIRTE), district) == (True, None, "LY-SR")
    # a few km across the border of the next district: not near, however close the points
    assert duplicates.place(district, report(*ABU_QURAYN))[0] is False
    assert duplicates.place(report(*ABU_QURAYN, precision=3), report(ABU_QURAYN[0], 15.4))[:2] == (True, None)


def test_without_coordinates_the_place_is_not_compared():
    assert duplicates.place(report(lat=None, lon=None), report()) == (None, None, "")


# ---------------------------------------------------------------- time


@pytest.mark.parametrize(
    ("a", "b", "hours"),
    [
        (report(at=T), report(at=T + dt.timedelta(hours=23)), 23),
        (report(at=T), report(at=T - dt.timedelta(hours=30)), 30),
        # a day only: anywhere in that day where the committee works (Libya: from 22:00 UTC the day before)
        (report(at=dt.datetime(2021, 3, 2, tzinfo=dt.UTC), known=False), report(at=T + dt.timedelta(hours=18)), 0),
        (
            report(at=dt.datetime(2021, 3, 2, tzinfo=dt.UTC), known=False),
            report(at=T + dt.timedelta(hours=20, minutes=20)),
            2,
        ),
        (
            report(at=dt.datetime(2021, 3, 2, tzinfo=dt.UTC), known=False),
            report(at=dt.datetime(2021, 3, 4, 6, tzinfo=dt.UTC)),
            32,
        ),
        # within a week: three days either side of the day given (ACLED's middle of the week)
        (report(at=T, time_precision=2), report(at=T + dt.timedelta(days=3)), 0),
        (report(at=T, time_precision=2), report(at=dt.datetime(2021, 3, 6, 12, tzinfo=dt.UTC)), 14),
        # within a month: any day of it
        (report(at=dt.datetime(2021, 3, 15, tzinfo=dt.UTC), time_precision=3), report(at=T + dt.timedelta(days=28)), 0),
        (
            report(at=dt.datetime(2021, 3, 15, tzinfo=dt.UTC), time_precision=3),
            report(at=dt.datetime(2021, 4, 1, 10, tzinfo=dt.UTC)),
            12,
        ),
    ],
)
def test_hours_apart_are_between_what_each_says_of_its_time(a, b, hours):
    assert duplicates.apart(duplicates.span(a), duplicates.span(b)) == dt.timedelta(hours=hours)
    assert duplicates.apart(duplicates.span(b), duplicates.span(a)) == dt.timedelta(hours=hours)


# ---------------------------------------------------------------- words


def alike(a: Report, b: Report) -> float:
    return duplicates.similarity(duplicates._texts(a), duplicates._texts(b))


def test_arabic_spelling_variants_are_the_same_words():
    a = report(title_ar="قصف مدفعي على الجفرة", narrative_ar="إطلاق قذائف قرب المطار")
    b = report(title_ar="قَصْف مدفعي على الجفره", narrative_ar="اطلاق قذائف قرب المطار")
    assert alike(a, b) == 1.0
    c = report(title_ar="طائرة مسيّرة فوق سرت")
    assert alike(a, c) == 0.0


def test_english_words_compare_case_and_accents_aside_and_common_words_count_for_nothing():
    a = report(title_en="Shelling of the Abyār checkpoint", narrative_en="Three rounds fell at dawn")
    b = report(title_en="shelling at abyar CHECKPOINT", narrative_en="three rounds fell")
    assert alike(a, b) == pytest.approx(6 / 7)  # {shelling, abyar, checkpoint, three, rounds, fell} of those and dawn


def test_words_compare_within_one_language_the_most_alike():
    arabic_only = report(title_ar="قصف مدفعي قرب سرت")
    english_only = report(title_en="Artillery shelling near Sirte")
    assert alike(arabic_only, english_only) == 0.0
    both = report(title_ar="قصف مدفعي قرب سرت", title_en="Mortar fire at the port")
    assert alike(both, arabic_only) == 1.0
    assert alike(both, english_only) == pytest.approx(0.0)


# ---------------------------------------------------------------- candidates of filed reports


def file(actors, who="west-member", **changes):
    return steps.file(actors, who, **changes)


def test_candidates_are_of_the_same_category_near_in_place_and_time_with_why(actors, typology):
    original = file(actors, title="قصف مدفعي على أبو قرين", narrative="سقطت ثلاث قذائف شرق البوابة")
    again = file(actors, "east-member", title="قصف مدفعي على ابو قرين", narrative="سقطت ثلاث قذائف شرق البوابه")
    file(actors, category="firing")  # another category
    file(actors, occurred_at="2021-03-04T05:40+02:00")  # two days later
    file(actors, latitude=31.8, longitude=15.25)  # 39 km north: beyond both radii
    [c] = duplicates.candidates(FACILITATOR, again)
    assert (c.report, c.km, c.district, c.hours, c.similarity, c.earlier) == (original, 0.0, "", 0.0, 1.0, True)
    [c] = duplicates.candidates(FACILITATOR, original)
    assert (c.report, c.earlier) == (again, False)


def test_a_report_without_coordinates_is_a_candidate_only_when_its_words_are_alike(actors, typology):
    placed = file(actors, title="Shelling of the Abu Qurayn checkpoint", narrative="Three rounds fell east of it")
    unplaced = {"latitude": None, "longitude": None, "geo_precision": None}
    alike_ = file(actors, **unplaced, title="Abu Qurayn checkpoint shelling", narrative="three rounds fell")
    file(actors, **unplaced, title="A drone over the port", narrative="Seen at dawn by fishermen")
    [c] = duplicates.candidates(FACILITATOR, placed)
    assert (c.report, c.km, c.district) == (alike_, None, "")
    assert c.similarity >= duplicates.SIMILAR


def test_a_duplicate_is_no_candidate_its_original_stands_for_it(actors, typology):
    original, copy, third = file(actors), file(actors), file(actors)
    commands.triage(FACILITATOR, copy.id, {"decision": "duplicate", "duplicate_of": original.id, "reason": "Same"})
    assert [c.report for c in duplicates.candidates(FACILITATOR, third)] == [original]


def test_the_reports_awaiting_triage_each_with_its_candidates(actors, typology):
    first, second = file(actors), file(actors, "east-member")
    admitted = file(actors)
    commands.triage(FACILITATOR, admitted.id, {"decision": "admissible"})
    queue = duplicates.awaiting_triage(FACILITATOR)
    assert [(r, [c.report for c in found]) for r, found in queue] == [
        (first, [second, admitted]),
        (second, [first, admitted]),
    ]
    assert Report.objects.get(id=second.id).duplicate_of is None  # nothing merged by itself


def test_only_the_facilitator_is_shown_candidates(actors, typology):
    r = file(actors)
    for who in ("west-head", "west-member", "east-head", "east-member", "observer"):
        with pytest.raises(Forbidden):
            duplicates.candidates(actors[who], r)
        with pytest.raises(Forbidden):
            duplicates.awaiting_triage(actors[who])
    with pytest.raises(Forbidden):
        duplicates.awaiting_triage(None)


def test_candidates_are_only_among_the_reports_the_reader_reads(actors, typology, monkeypatch):
    """Were the rule of who triages ever widened, a reader would still be shown only what it reads."""
    shared, kept = file(actors), file(actors)
    commands.set_visibility(FACILITATOR, shared.id, {"visibility": "observers"})
    probe = file(actors)
    monkeypatch.setattr(duplicates, "_refuse", lambda actor: None)
    observer = Actor("observer", role="observer")
    assert [c.report.id for c in duplicates.candidates(observer, probe)] == [shared.id]
    assert kept.id in [c.report.id for c in duplicates.candidates(FACILITATOR, probe)]


def test_reports_that_may_be_one_event_come_together_in_the_queue(actors, typology):
    a = file(actors)
    raid = file(actors, category="raid")
    b = file(actors, "east-member")
    later = file(actors, category="raid", occurred_at="2021-03-05T05:40+02:00")
    c = file(actors, "east-member")
    queue = duplicates.awaiting_triage(FACILITATOR)
    assert [r for r, _found in queue] == [a, b, c, raid, later]


def test_loosely_dated_reports_are_found_as_far_as_their_dates_reach(actors, typology):
    probe = file(actors)  # 2021-03-02 03:40 UTC
    month = file(actors, occurred_at="2021-03-28", time_precision=3)  # March: any day of it
    week = file(actors, occurred_at="2021-03-05", time_precision=2)  # 2 to 8 March
    # 3 March in Libya, some time: from 22:00 UTC on 2 March, 18 h 20 min after at the nearest
    day = file(actors, occurred_at="2021-03-03")
    file(actors, occurred_at="2021-03-04")  # 42 hours after at the nearest
    file(actors, occurred_at="2021-04-01", time_precision=3)  # April
    found = {c.report.id: c.hours for c in duplicates.candidates(FACILITATOR, probe)}
    assert found == {month.id: 0, week.id: 0, day.id: pytest.approx(18 + 1 / 3)}
