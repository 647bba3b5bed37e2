"""The public page in the reader's language: a text the author wrote only in the other language is
marked as such, and a report is shown as precise as its source claims, in numbers as coordinates
are written."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ceasefire.incidents.models import Report


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def english_only(actors):
    """A published report written in English only, placed near a place, known to the month."""
    from ceasefire.incidents import commands as incidents
    from tests.samples import REPORT

    fac = actors["facilitator"]
    incidents.adopt_default_typology(fac)
    filed = {**REPORT, "title": "Shots fired near Sirte", "occurred_at": "2021-03-01", "time_precision": 3}
    filed["latitude"], filed["longitude"] = 31.2089, 16.5887
    r = incidents.file_report(actors["west-member"], filed)
    incidents.triage(fac, r.id, {"decision": "outside_mandate", "reason": "not a violation of the agreement"})
    incidents.set_visibility(fac, r.id, {"visibility": "public"})
    cache.clear()
    return Report.objects.get(id=r.id)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/public/", "/public/reports/", "report"])
def test_an_english_text_on_an_arabic_page_says_its_language(english_only, path):
    """A reader of Arabic (and a screen reader) is told which runs are in English; the report is known
    to the month and placed near a place, and the page says no more; its coordinates are written
    as numbers are in coordinates (a point, not the Arabic decimal comma)."""
    if path == "report":
        path = reverse("public_report", args=[english_only.reference])
    text = _text(Client().get(path + "?lang=ar"))
    assert '<span lang="en" dir="ltr">Shots fired near Sirte</span>' in text
    after = "</dd>" if "/R-" in path else " · "  # the report's facts; a row of the list
    assert f"(في غضون شهر)</span>{after}" in text  # within a month: no day is claimed
    if "/R-" in path:
        assert '<div class="prose" lang="en" dir="ltr"><p>Three rounds' in text
        assert '<span class="coords" dir="ltr">31.2089, 16.5887</span>' in text
        assert "(بالقرب منه)" in text  # near the place
        assert "31,209" not in text
        assert "جرحى مدنيون: 2" in text


@pytest.mark.django_db
@pytest.mark.parametrize("lang, caption", [("en", "The map as a table"), ("ar", "الخريطة في جدول")])
def test_the_public_map_is_a_table_too(english_only, lang, caption):
    """The map is a picture: a reader who does not see it reads its cells and counts as a table."""
    text = _text(Client().get(f"/public/?lang={lang}"))
    assert f"<summary>{caption}</summary>" in text
    row = '<th scope="row"><span dir="ltr">31–32°</span></th><td data-label="{}"><span dir="ltr">16–17°</span></td>'
    assert row.format("Longitude" if lang == "en" else "خط الطول") in text
