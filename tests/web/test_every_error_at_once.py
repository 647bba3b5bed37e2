"""A form refused says at once everything wrong with it, not one field per submit; so does the API."""

import json

import pytest
from django.urls import reverse

from ceasefire.incidents import commands
from tests.conftest import FACILITATOR

from .reports_world import reports  # noqa: F401  (fixture)
from .test_reports_bad_input import error_at, refused
from .test_reports_writes import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def typology(world):
    return commands.adopt_default_typology(FACILITATOR)


def test_a_report_with_four_faults_names_all_four(typology, clients, events):
    spoilt = {**FORM, "title": "", "category": "teleportation", "latitude": "north", "narrative": "\u202eevil"}
    html = refused(clients["west-member"], reverse("report_new"), spoilt, events)
    assert "is required" in error_at(html, "f-title")
    assert "is not a category" in error_at(html, "f-category")
    assert "must be a number" in error_at(html, "f-latitude")
    assert "direction-control" in error_at(html, "f-narrative")
    # a wrong latitude is said as wrong, not as coordinates missing
    assert "say where" not in html and "give both" not in html


def test_a_meeting_with_three_faults_names_all_three(world, clients, events):
    html = refused(
        clients["facilitator"],
        reverse("meeting_new"),
        {"title": "", "starts_on": "1 March", "city": "", "country": "Libya"},
        events,
    )
    assert "is required" in error_at(html, "f-title")
    assert "YYYY-MM-DD" in error_at(html, "f-starts-on")
    assert "is required" in error_at(html, "f-city")


def post_json(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json", headers={"Accept-Language": "en"})


def test_the_api_names_every_field_at_fault_and_writes_nothing(world, clients, events):
    before = events()
    r = post_json(
        clients["facilitator"],
        "/api/v1/meetings",
        {"title": "", "starts_on": "2026-03-05", "ends_on": "2026-03-01", "country": "x" * 101},
    )
    assert r.status_code == 422, r.content
    said = {e["field"]: e["message"] for e in r.json()["detail"]}
    assert said == {
        "title": "is required, in Arabic or in English",
        "ends_on": "must not be before the first day",
        "city": "is required, in Arabic or in English",
        "country": "is longer than 100 characters",
    }
    assert events() == before


def test_one_fault_is_one_error(world, clients):
    r = post_json(
        clients["facilitator"], "/api/v1/meetings", {"title": "t", "starts_on": "2026-03-01", "city": "Sirte"}
    )
    assert r.status_code == 422
    assert r.json()["detail"] == [{"field": "country", "message": "is required, in Arabic or in English"}]


def test_a_text_refused_in_one_language_is_not_also_said_missing(world, clients, events):
    r = post_json(
        clients["facilitator"],
        "/api/v1/meetings",
        {"title_en": "\u202eFourth", "starts_on": "2026-03-01", "city": "Sirte", "country": "Libya"},
    )
    assert [e["field"] for e in r.json()["detail"]] == ["title_en"]
    r = post_json(clients["facilitator"], "/api/v1/members", {"name_latin": "\u202eSalem", "role": "observer"})
    assert [e["field"] for e in r.json()["detail"]] == ["name_latin"]
