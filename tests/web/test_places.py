"""The gazetteer on the pages: suggestions for the filing form's place box, a chosen place filed
with both its names, and a report page naming the district and nearest place of its coordinates."""

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.incidents import commands
from ceasefire.incidents.models import Report
from tests.conftest import FACILITATOR

from .a11y import Page, problems
from .test_reports_writes import FORM, accepted

pytestmark = pytest.mark.django_db

ATTRIBUTION = "OpenStreetMap contributors"


def suggest(client, typed):
    response = client.get(reverse("place_suggestions"), {"place": typed}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("typed", ["سرت", "Sirte", "surt", "سـرت"])
def test_suggestions_in_either_script(world, clients, typed):
    html = suggest(clients["west-member"], typed)
    assert 'data-place-ar="سرت"' in html and 'data-place-en="Sirte"' in html
    assert 'data-precision="1"' in html and 'data-latitude="31.2' in html
    if typed != "surt":  # a spelling of the town only: the district is not called so
        # the district of Sirte too, offered at the district's precision and named as a district
        assert 'data-place-en="Sirte district"' in html and 'data-place-ar="شعبية سرت"' in html
        assert 'data-precision="3"' in html and "places found" in html
    assert 'role="status"' in html
    assert all(button.get("type") == "button" for button, _ in Page(html).all("button"))  # never submits the form


def test_suggestions_in_arabic_speak_arabic(world, accounts):
    from tests.helpers import signed_in

    c = signed_in(Client(HTTP_ACCEPT_LANGUAGE="ar"), accounts["east-member"])
    html = suggest(c, "الجفره")
    assert 'data-name="شعبية الجفرة"' in html  # what the box shows once chosen: the reader's language
    assert "places found" not in html and "أماكن" in html  # the status, translated


def test_nothing_found_and_nothing_typed(world, clients):
    html = suggest(clients["west-member"], "qqqzzz")
    assert "No place of that name in the gazetteer" in html and "<button" not in html
    html = suggest(clients["west-member"], "")
    assert "<button" not in html and "No place" not in html
    assert "<button" not in suggest(clients["west-member"], "a\x00b")  # never a 500


def test_suggestions_need_a_login(world):
    response = Client().get(reverse("place_suggestions"), {"place": "sirte"})
    assert response.status_code == 302


def test_the_form_offers_the_place_box_with_its_attribution(world, clients):
    html = clients["west-member"].get(reverse("report_new")).content.decode()
    assert 'hx-get="/places/suggestions/"' in html and 'aria-controls="place-suggestions"' in html
    assert 'name="place_ar"' in html and 'name="place_en"' in html
    assert ATTRIBUTION in html and "CC BY-IGO" in html
    assert problems(html) == []


def test_a_chosen_place_is_filed_with_both_names_and_its_precision(world, actors, clients, events):
    commands.adopt_default_typology(FACILITATOR)
    data = {
        **FORM,
        "place": "Sirte",
        "place_ar": "سرت",
        "place_en": "Sirte",
        "latitude": "31.2089",
        "longitude": "16.5887",
        "geo_precision": "1",
    }
    accepted(clients["west-member"], reverse("report_new"), data, events)
    r = Report.objects.get()
    assert (r.place_ar, r.place_en, r.latitude, r.longitude, r.geo_precision) == ("سرت", "Sirte", 31.2089, 16.5887, 1)


def test_an_error_on_a_hidden_name_is_shown_at_the_place_box(world, actors, clients, events):
    commands.adopt_default_typology(FACILITATOR)
    before = events()
    response = clients["west-member"].post(reverse("report_new"), {**FORM, "place_ar": "x" * 201})
    assert response.status_code == 422 and events() == before
    html = response.content.decode()
    assert 'id="f-place-error"' in html


def test_the_report_page_names_the_district_and_nearest_place(world, actors, clients):
    commands.adopt_default_typology(FACILITATOR)
    r = commands.file_report(
        actors["west-member"],
        {
            "title": "Shots",
            "category": "firing",
            "occurred_at": "2021-03-02",
            "latitude": 31.215,
            "longitude": 16.58,
            "geo_precision": 2,
            "narrative": "Shots were heard.",
        },
    )
    html = clients["west-member"].get(reverse("report", args=[r.reference])).content.decode()
    assert "District" in html and ">سرت</bdi>" in html and ">Sirte</span>" in html
    assert "Nearest place" in html and "km away" in html
    assert ATTRIBUTION in html
    assert problems(html) == []


def test_a_report_without_coordinates_shows_no_district(world, actors, clients):
    commands.adopt_default_typology(FACILITATOR)
    r = commands.file_report(
        actors["west-member"],
        {
            "title": "Shots",
            "category": "firing",
            "occurred_at": "2021-03-02",
            "place": "سرت",
            "narrative": "Shots.",
        },
    )
    html = clients["west-member"].get(reverse("report", args=[r.reference])).content.decode()
    assert "Nearest place" not in html and ATTRIBUTION not in html
