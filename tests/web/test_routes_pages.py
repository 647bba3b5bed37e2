"""Roads, crossings and borders on the pages: who reads which status, who is offered and may post
which form, rival claims side by side, bad input named next to its box with nothing written, and
the liaison export answered as a file and recorded."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.incidents import commands as incidents
from ceasefire.record.models import Event
from ceasefire.routes import commands
from tests import once
from tests.conftest import FACILITATOR
from tests.routes.steps import COASTAL, CROSSING, OPEN
from tests.samples import REPORT

pytestmark = pytest.mark.django_db


@once.fixture
def roads(actors):
    road = commands.record_route(FACILITATOR, COASTAL)
    crossing = commands.record_route(FACILITATOR, CROSSING)
    agreed = commands.claim_status(actors["west-head"], road.id, OPEN)
    commands.take_position(actors["east-head"], agreed.id, {"position": "approve"})
    rival = commands.claim_status(
        actors["east-head"],
        road.id,
        {**OPEN, "status": "closed", "since": "2022-04-09", "conditions_en": "rival words", "source": "east statement"},
    )
    commands.take_position(actors["west-head"], rival.id, {"position": "object", "reason": "it is open"})
    return {"road": road, "crossing": crossing, "agreed": agreed, "rival": rival}


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_the_parties_read_rival_claims_side_by_side_and_the_committees_status(roads, clients):
    html = page(clients["east-member"], reverse("route", args=[roads["road"].id]))
    assert "No military convoys" in html and "rival words" in html and "east statement" in html
    assert "disputed" in html and "it is open" in html


def test_observers_read_the_committees_status_only(roads, clients):
    html = page(clients["observer"], reverse("route", args=[roads["road"].id]))
    assert "No military convoys" in html and "Every party approved it" in html
    assert "rival words" not in html and "east statement" not in html and "it is open" not in html
    page(clients["observer"], reverse("route_status_position", args=[roads["rival"].id]), 403)


def test_the_border_security_goal_links_the_roads_and_the_borders(roads, clients):
    html = page(clients["observer"], reverse("track_goal", args=["borders"]))
    assert reverse("route", args=[roads["road"].id]) in html and reverse("borders") in html
    html = page(clients["observer"], reverse("borders"))
    assert "Tummo border post" in html and "Niger" in html


def test_anonymous_is_sent_to_sign_in(roads):
    for url in (reverse("routes"), reverse("route", args=[roads["road"].id]), reverse("borders")):
        assert Client().get(url).status_code == 302


@pytest.mark.parametrize(
    "who, offered",
    [("west-head", True), ("east-head", True), ("facilitator", True), ("west-member", False), ("observer", False)],
)
def test_who_is_offered_the_status_form(roads, clients, who, offered):
    html = page(clients[who], reverse("route", args=[roads["road"].id]))
    assert (reverse("route_status_new", args=[roads["road"].id]) in html) == offered
    page(clients[who], reverse("route_status_new", args=[roads["road"].id]), 200 if offered else 403)


def test_a_status_posted_on_the_page_and_bad_input_named_by_its_box(roads, clients, events):
    url = reverse("route_status_new", args=[roads["road"].id])
    before = events()
    response = clients["west-head"].post(url, {"status": "restricted", "since": "2099-01-01", "source": "s"})
    assert response.status_code == 422 and events() == before
    html = response.content.decode()
    assert 'id="f-since-error"' in html and "must not be after today" in html
    response = clients["west-head"].post(
        url, {"status": "open", "since": "2022-07-20", "source": "reopened after six days"}
    )
    assert response.status_code == 302 and events() == before + 1


def test_only_the_facilitator_records_a_route_on_the_page(roads, clients, events):
    page(clients["west-head"], reverse("route_new"), 403)
    before = events()
    response = clients["facilitator"].post(
        reverse("route_new"), {"kind": "road", "name": "Coastal road", "places": "osm:nowhere", "source": "s"}
    )
    assert response.status_code == 422 and events() == before
    assert 'id="f-places-error"' in response.content.decode()
    response = clients["facilitator"].post(
        reverse("route_new"),
        {"kind": "road", "name": "Shwerif–Sebha road", "places": "osm:n1193620130, osm:n260716549", "source": "s"},
    )
    assert response.status_code == 302 and events() == before + 1


def test_the_export_is_the_facilitators_answered_as_a_file_and_recorded(roads, clients, events):
    page(clients["observer"], reverse("border_export"), 403)
    assert (
        clients["west-head"].post(reverse("border_export"), {"recipient": "niger", "format": "csv"}).status_code == 403
    )
    before = events()
    response = clients["facilitator"].post(reverse("border_export"), {"recipient": "egypt", "format": "csv"})
    assert response.status_code == 422 and events() == before
    response = clients["facilitator"].post(reverse("border_export"), {"recipient": "niger", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content
    assert b"Tummo border post" in body and b"east statement" not in body
    entry = Event.objects.get(type="routes.data_shared")
    assert entry.payload["sha256"] == hashlib.sha256(body).hexdigest() and entry.payload["recipient"] == "niger"
    assert entry.payload["sha256"] in page(clients["observer"], reverse("borders"))


def test_the_pages_in_arabic_are_right_to_left(roads, accounts):
    from tests.helpers import signed_in

    c = Client(HTTP_ACCEPT_LANGUAGE="ar")
    signed_in(c, accounts["observer"])
    html = page(c, reverse("route", args=[roads["road"].id]))
    assert 'dir="rtl"' in html and "حالة اللجنة" in html
    # a source is isolated from the Arabic around it: a URL's trailing slash stays at its end
    assert '<dd><bdi class="source"><a href="https://almarsad.co/en/2021/07/30/"' in html


def test_the_borders_page_counts_the_incidents_near_each_land_border_that_the_reader_reads(actors, clients):
    incidents.adopt_default_typology(FACILITATOR)
    convoy = {**REPORT, "title": "Convoy west of the Egyptian border", "latitude": 26.0, "longitude": 24.78}
    incidents.file_report(actors["west-member"], convoy)  # some 20 km from the border
    url = reverse("borders")
    html = clients["west-head"].get(url).content.decode()
    egypt = html[html.index('id="h-egypt"') :]
    assert "Incidents within 50 km of the land border (1)" in egypt
    assert "Convoy west of the Egyptian border" in html
    # the observer reads no report the parties have not shared with observers: none is counted
    html = clients["observer"].get(url).content.decode()
    assert "Convoy west of the Egyptian border" not in html
    assert "No incident within 50 km of the land border." in html


def test_in_arabic_a_route_with_nothing_pending_says_so_in_a_routes_words(roads, accounts):
    """The empty state of a route's claims not agreed (as of a missing person's statuses) speaks of
    nothing pending, not of an assessment: the Arabic once said "no pending assessment"."""
    from tests.helpers import signed_in

    c = Client(HTTP_ACCEPT_LANGUAGE="ar")
    signed_in(c, accounts["west-member"])
    html = page(c, reverse("route", args=[roads["crossing"].id]))
    assert "لا شيء معلّق" in html and "تقييم معلّق" not in html
