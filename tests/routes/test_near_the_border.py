"""Incidents near a land border: a report within settings.BORDER_KM of Libya's land border with a
neighbour (cut from the shipped outline) is near it; one just beyond is not; one on the sea coast
is near no neighbour's border. Each reader counts only the reports it may read."""

import math

import pytest

from ceasefire.incidents import commands as incidents
from ceasefire.incidents.models import Report
from ceasefire.places.borders import land_borders
from ceasefire.places.gazetteer import outline
from ceasefire.routes import queries
from ceasefire.routes.models import Neighbour
from ceasefire.zones import checks
from tests.conftest import FACILITATOR
from tests.samples import REPORT

pytestmark = pytest.mark.django_db

# South of Kufra the Egyptian border runs along the meridian 24.981245 E (the outline's vertices):
# a point at latitude 26 lies its distance west of it, measured along the parallel.
EGYPT_LON = 24.981245


def west_of_egypt(km: float) -> float:
    return EGYPT_LON - km / (111.195 * math.cos(math.radians(26.0)))


@pytest.fixture(autouse=True)
def typology(actors):
    incidents.adopt_default_typology(FACILITATOR)


def file(actors, lat, lon, title):
    return incidents.file_report(actors["west-member"], {**REPORT, "title": title, "latitude": lat, "longitude": lon})


def test_the_land_borders_run_from_the_egyptian_coast_round_to_ras_ajdir():
    borders = land_borders()
    assert list(borders) == ["egypt", "sudan", "chad", "niger", "algeria", "tunisia"]
    assert sorted(borders) == sorted(Neighbour.values)
    lines = list(borders.values())
    for a, b in zip(lines, lines[1:], strict=False):  # each starts where the one before ends
        assert a["coordinates"][-1] == b["coordinates"][0]
    ring = outline()["features"][0]["geometry"]["coordinates"][0]
    assert lines[-1]["coordinates"][-1] == ring[0]  # Ras Ajdir, where the coast starts
    land = sum(len(g["coordinates"]) - 1 for g in lines)
    coast = lines[0]["coordinates"][0]
    assert land + ring.index(coast) == len(ring) - 1  # the rest of the ring is the sea coast


def test_a_report_just_inside_the_distance_is_near_the_border_and_one_just_beyond_is_not(actors, settings):
    assert settings.BORDER_KM == 50
    inside = file(actors, 26.0, west_of_egypt(49.5), "Inside")
    beyond = file(actors, 26.0, west_of_egypt(50.5), "Beyond")
    reports = Report.objects.all()
    assert queries.near_land_border("egypt", reports) == [inside.id]
    assert queries.near_land_border("sudan", reports) == []
    settings.BORDER_KM = 51  # the distance is the deployment's to set
    assert sorted(queries.near_land_border("egypt", reports)) == sorted([inside.id, beyond.id])


def test_a_report_on_the_sea_coast_is_near_no_border(actors):
    # Tobruk's harbour: on the coast, some 115 km from the Egyptian border where it meets the sea
    file(actors, 32.075, 23.975, "Tobruk harbour")
    file(actors, 31.21, 16.59, "Sirte")
    reports = Report.objects.all()
    assert all(queries.near_land_border(n, reports) == [] for n in Neighbour.values)


def test_a_report_placed_by_its_district_only_is_near_no_border(actors):
    r = file(actors, 26.0, west_of_egypt(10), "District only")
    Report.objects.filter(id=r.id).update(geo_precision=checks.DISTRICT_ONLY)
    assert queries.near_land_border("egypt", Report.objects.all()) == []
