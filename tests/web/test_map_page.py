"""The map page and its cluster fragment: linked from the navigation, accessible, Leaflet from this
server and no tile server unless one is set; a cluster's reports for the reader only; bad input
answered naming the field, in both languages."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.incidents import commands
from ceasefire.incidents.models import Report
from ceasefire.places import grid
from tests.conftest import FACILITATOR
from tests.helpers import signed_in

from .a11y import problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(actors):
    commands.adopt_default_typology(FACILITATOR)
    from tests.samples import REPORT

    return commands.file_report(actors["west-member"], {**REPORT, "title": "Kept with the parties"})


def test_the_page_is_in_the_navigation_and_accessible(clients, kept):
    html = clients["observer"].get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("map")}"' in html
    response = clients["observer"].get(reverse("map"))
    assert response.status_code == 200
    html = response.content.decode()
    assert problems(html) == []
    assert "/static/leaflet/leaflet.js" in html and "/static/web/map.js" in html
    assert "unpkg" not in html and "cdn" not in html.lower()
    config = json.loads(_data(html, "map-config"))
    assert config["tiles"] == ""  # offline by default
    assert config["clusters"] == "/api/v1/map/clusters" and config["base"] == "/api/v1/map/base"
    assert "Kept with the parties" not in html


def _data(html: str, id_: str) -> str:
    start = html.index(f'id="{id_}"')
    start = html.index(">", start) + 1
    return html[start : html.index("</script>", start)]


def test_a_cluster_lists_only_what_the_reader_reads(clients, kept):
    report = Report.objects.get(id=kept.id)
    cell = report.map_cell >> grid.shift(8)
    url = reverse("map_cluster") + f"?zoom=8&cell={cell}"
    west = clients["west-member"].get(url).content.decode()
    assert "Kept with the parties" in west and report.reference in west
    observer = clients["observer"].get(url)
    assert observer.status_code == 200
    assert (
        "Kept with the parties" not in observer.content.decode() and report.reference not in observer.content.decode()
    )


@pytest.mark.parametrize(
    "query, field",
    [
        ("zoom=99&cell=1", "zoom"),
        ("zoom=8&cell=-4", "cell"),
        ("zoom=8&cell=1&occurred_from=2021-02-30", "occurred_from"),
    ],
)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_bad_input_names_the_field(accounts, kept, query, field, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    signed_in(client, accounts["observer"])
    response = client.get(reverse("map_cluster") + "?" + query)
    assert response.status_code == 400
    assert field in response.content.decode() and 'role="alert"' in response.content.decode()


def test_a_cluster_says_a_report_is_known_to_the_month_only(clients, actors):
    """A report known to the month is listed as such, as the list and the report say: no day it does
    not claim."""
    commands.adopt_default_typology(FACILITATOR)
    from tests.samples import REPORT

    filed = commands.file_report(
        actors["west-member"],
        {**REPORT, "title": "Known to the month", "occurred_at": "2021-03-01", "time_precision": 3},
    )
    report = Report.objects.get(id=filed.id)
    url = reverse("map_cluster") + f"?zoom=8&cell={report.map_cell >> grid.shift(8)}"
    html = clients["west-member"].get(url).content.decode()
    assert "Known to the month" in html and "(within a month)</span>, " in html  # no space before the comma
