"""A layer's GeoJSON is checked before the record's lock is taken, at a bounded cost; a document
nested too deeply or holding a number too long is refused naming `geojson`; a feature's names obey
the rule of every text; the faults and a missing version read wholly in Arabic."""

import time

import pytest
from django.utils import translation

from ceasefire.errors import Invalid, NotFound
from ceasefire.record import log
from ceasefire.zones import commands, geojson, queries
from ceasefire.zones.models import LayerVersion
from tests.helpers import refused

AREA = {"layer": "comb", "kind": "demilitarised_area", "name_en": "Comb (exercise)"}


def slanted_comb(positions: int, west: float = 16.0) -> list:
    """A valid ring of `positions` positions whose long edges are parallel diagonals: every edge's
    box overlaps every other's, the worst case of the crossing check."""
    teeth, d = (positions - 4) // 4, 0.0001
    ring = [[west, 29.0]]
    for k in range(teeth):
        y = 29.0 + 2 * k * d
        ring += [[west + 1, y + 1], [west + 1, y + 1 + d], [west, y + d], [west, y + 2 * d]]
    top = 29.0 + 2 * teeth * d
    ring += [[west - 0.1, top], [west - 0.1, 29.0], [west, 29.0]]
    assert len(ring) == positions
    return ring


def feature(geometry, **names) -> dict:
    return {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": names, "geometry": geometry}]}


def test_a_comb_of_the_caps_size_is_checked_quickly_and_without_the_lock(actors, monkeypatch):
    ring = slanted_comb(geojson.MAX_RING_POSITIONS)
    started = time.perf_counter()
    commands.checked_geojson(feature({"type": "Polygon", "coordinates": [ring]}), geojson.AREAS)
    assert time.perf_counter() - started < 2

    locked = []
    real = geojson.collection

    def spy(*args, **kwargs):
        locked.append(log._active() is not None)  # a batch holds the record's lock
        return real(*args, **kwargs)

    monkeypatch.setattr(geojson, "collection", spy)
    version = commands.propose_version(
        actors["west-head"], {**AREA, "geojson": feature({"type": "Polygon", "coordinates": [ring]})}
    )
    assert version.number == 1 and len(version.geojson["features"][0]["geometry"]["coordinates"][0]) == len(ring)
    assert locked == [False]


def test_a_ring_beyond_the_cap_and_too_much_work_are_refused_quickly(actors):
    big = slanted_comb(geojson.MAX_RING_POSITIONS + 4)
    with refused(Invalid, "geojson.features[0].geometry.coordinates[0]") as caught:
        commands.propose_version(
            actors["west-head"], {**AREA, "geojson": feature({"type": "Polygon", "coordinates": [big]})}
        )
    assert str(geojson.MAX_RING_POSITIONS) in caught.value.message
    # two combs of the cap's size: more edge pairs than a layer may cost
    many = {
        "type": "MultiPolygon",
        "coordinates": [[slanted_comb(geojson.MAX_RING_POSITIONS, w)] for w in (16.0, 18.0)],
    }
    started = time.perf_counter()
    with refused(Invalid, "geojson.features[0].geometry.coordinates[1][0]") as caught:
        commands.propose_version(actors["west-head"], {**AREA, "geojson": feature(many)})
    assert time.perf_counter() - started < 2
    intricate = "the layer's rings are too intricate to check for crossings: draw it with fewer positions"
    assert caught.value.message == commands._message(geojson.Invalid(intricate))
    assert not LayerVersion.objects.exists()


def nested(depth: int) -> str:
    point = '{"type": "Point", "coordinates": [16, 29]}'
    return '{"type": "GeometryCollection", "geometries": [' * depth + point + "]}" * depth


DEEP = nested(900)
SHALLOW_BUT_NESTED = nested(geojson.MAX_NESTING + 1)
LONG_NUMBER = '{"type": "Point", "coordinates": [1' + "0" * 5000 + ", 29]}"
LARGE_INTEGER = '{"type": "Point", "coordinates": [1' + "0" * 400 + ", 29]}"


@pytest.mark.parametrize(
    "text,field",
    [
        (DEEP, "geojson"),
        (SHALLOW_BUT_NESTED, "geojson" + ".geometries[0]" * geojson.MAX_NESTING + ".type"),
        (LONG_NUMBER, "geojson"),
        (LARGE_INTEGER, "geojson.coordinates"),
    ],
    ids=["900 deep", "nested collections", "5000 digits", "400 digits"],
)
def test_documents_that_break_the_reader_are_refused_naming_geojson(actors, text, field):
    points = {"layer": "points", "kind": "assembly_points", "name_en": "Points (exercise)"}
    with refused(Invalid, field):
        commands.propose_version(actors["west-head"], {**points, "geojson": text})


@pytest.mark.parametrize("bad", ["\u202eevil", "nul\x00"], ids=["bidi override", "NUL"])
def test_a_features_names_obey_the_rule_of_every_text(actors, bad):
    square = [[16, 29], [17, 29], [17, 30], [16, 30], [16, 29]]
    with refused(Invalid, "geojson.features[0].properties.name_ar"):
        commands.propose_version(
            actors["west-head"], {**AREA, "geojson": feature({"type": "Polygon", "coordinates": [square]}, name_ar=bad)}
        )


def test_faults_and_a_missing_version_read_wholly_in_arabic(actors):
    with translation.override("ar"):
        with refused(Invalid, "geojson") as caught:
            commands.propose_version(actors["west-head"], {**AREA, "geojson": '{"type": '})
        message = caught.value.message
        assert "السطر 1" in message and "Expecting" not in message, message
        with pytest.raises(NotFound) as missing:
            queries.version(actors["west-head"], "tline", 1)
        assert "النسخة 1 من الطبقة" in missing.value.message and "version" not in missing.value.message
