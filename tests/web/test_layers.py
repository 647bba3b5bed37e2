"""The layers' pages: the list and a version's page in both languages, the forms to put a version
forward and to give a party's position (offered to whom the commands accept), a GeoJSON fault shown
at its box with its place, and a report's page saying which binding zone it lies in."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.incidents import commands as incidents
from ceasefire.incidents.models import Category
from ceasefire.record.models import Event
from ceasefire.zones import commands
from ceasefire.zones.models import LayerVersion
from tests.conftest import FACILITATOR
from tests.helpers import signed_in
from tests.samples import REPORT

RING = [[15.0, 31.0], [16.0, 31.0], [16.0, 32.0], [15.0, 32.0], [15.0, 31.0]]
AREA = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name_ar": "مربع أبو قرين", "name_en": "Abu Qurayn box"},
            "geometry": {"type": "Polygon", "coordinates": [RING]},
        }
    ],
}


def client(accounts, who, language="en"):
    return signed_in(Client(HTTP_ACCEPT_LANGUAGE=language), accounts[who])


@pytest.fixture
def bound(actors):
    v = commands.propose_version(
        actors["west-head"],
        {
            "layer": "abu-qurayn",
            "kind": "buffer_zone",
            "name_en": "Abu Qurayn buffer (exercise)",
            "name_ar": "منطقة أبو قرين العازلة (تمرين)",
            "geojson": AREA,
            "effective_from": "2021-01-01",
        },
    )
    return commands.take_position(actors["east-head"], v.id, {"position": "approve"})


def test_the_list_and_the_version_page_read_in_both_languages(accounts, bound, actors):
    rival = commands.propose_version(actors["east-head"], {"layer": "abu-qurayn", "geojson": AREA, "note_en": "wider"})
    commands.take_position(actors["west-head"], rival.id, {"position": "object", "reason": "no"})
    for language, words in (
        ("en", ["Zones and lines", "binding since", "disputed"]),
        ("ar", ["المناطق والخطوط", "متنازع عليه"]),
    ):
        page = client(accounts, "west-member", language).get(reverse("layers"))
        assert page.status_code == 200
        text = page.content.decode()
        assert all(w in text for w in words), (language, [w for w in words if w not in text])
        page = client(accounts, "west-member", language).get(reverse("layer_version", args=["abu-qurayn", 1]))
        assert page.status_code == 200 and ("Abu Qurayn box" in page.content.decode())
    # observers read the binding version, never the disputed one
    observer = client(accounts, "observer")
    assert "disputed" not in observer.get(reverse("layers")).content.decode()
    assert observer.get(reverse("layer_version", args=["abu-qurayn", 2])).status_code == 404


def test_the_forms_are_offered_to_whom_the_commands_accept(accounts, bound):
    url = reverse("layer_version_new")
    for who, status in (("facilitator", 200), ("west-head", 200), ("west-member", 403), ("observer", 403)):
        assert client(accounts, who).get(url).status_code == status, who
    version = reverse("layer_version", args=["abu-qurayn", 1])
    assert "f-position" not in client(accounts, "west-head").get(version).content.decode()  # it binds: nothing to give


def test_a_version_put_forward_by_the_form_and_approved_binds(accounts):
    west = client(accounts, "west-head")
    url = reverse("layer_version_new")
    bad = {**AREA, "features": [{**AREA["features"][0], "geometry": {"type": "Polygon", "coordinates": [RING[:-1]]}}]}
    before = Event.objects.count()
    r = west.post(url, {"layer": "abu-qurayn", "kind": "buffer_zone", "name_en": "Box", "geojson": json.dumps(bad)})
    assert r.status_code == 422
    text = r.content.decode()
    assert "the ring is not closed" in text and "features[0].geometry.coordinates[0]" in text
    assert Event.objects.count() == before
    r = west.post(url, {"layer": "abu-qurayn", "kind": "buffer_zone", "name_en": "Box", "geojson": json.dumps(AREA)})
    assert r.status_code == 302
    version = LayerVersion.objects.get()
    east = client(accounts, "east-head")
    page = reverse("layer_version", args=["abu-qurayn", version.number])
    assert 'name="position"' in east.get(page).content.decode()
    r = east.post(
        reverse("layer_position", args=["abu-qurayn", version.number]), {"confirm": "yes", "position": "approve"}
    )
    assert r.status_code == 302
    assert LayerVersion.objects.get().binding


def test_a_report_page_says_which_zone_it_lies_in_and_the_list_filters_by_it(accounts, actors, bound):
    Category.objects.exists() or incidents.adopt_default_typology(FACILITATOR)
    report = incidents.file_report(actors["west-member"], REPORT)
    page = client(accounts, "west-member").get(reverse("report", args=[report.reference])).content.decode()
    assert "inside Abu Qurayn buffer (exercise) (version 1, binding since 1 January 2021)" in page
    listed = client(accounts, "observer").get(reverse("reports"), {"zone": "abu-qurayn"})
    assert listed.status_code == 200
    listed = client(accounts, "west-member").get(reverse("reports"), {"zone": "abu-qurayn"}).content.decode()
    assert report.reference in listed


def test_a_document_that_breaks_the_reader_is_a_422_on_the_form(accounts):
    west = client(accounts, "west-head")
    deep = '{"type": "GeometryCollection", "geometries": [' * 900 + "]}" * 900
    long_number = '{"type": "Polygon", "coordinates": [[[1' + "0" * 5000 + ", 31]]]}"
    before = Event.objects.count()
    for text, fault in ((deep, "is nested too deeply to be a layer"), (long_number, "holds a number too long")):
        r = west.post(
            reverse("layer_version_new"),
            {"layer": "abu-qurayn", "kind": "buffer_zone", "name_en": "Box", "geojson": text},
        )
        assert r.status_code == 422
        assert fault in r.content.decode()
    assert Event.objects.count() == before


def test_a_mailed_link_names_a_version_by_its_number_in_the_record_alone(accounts):
    west = client(accounts, "west-head")
    r = west.post(
        reverse("layer_version_new"),
        {"layer": "abu-qurayn", "kind": "buffer_zone", "name_en": "Box", "geojson": json.dumps(AREA)},
    )
    assert r.status_code == 302
    version = LayerVersion.objects.get()
    by_id = reverse("layer_version_by_id", args=[version.id])
    assert "abu-qurayn" not in by_id
    assert west.get(by_id).url == reverse("layer_version", args=["abu-qurayn", version.number])
    # who does not read a version that does not bind is not told it exists
    assert client(accounts, "observer").get(by_id).status_code == 404
    assert west.get(reverse("layer_version_by_id", args=[version.id + 1000])).status_code == 404
