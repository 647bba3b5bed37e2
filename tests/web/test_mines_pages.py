"""Mine action on the pages: rival clearance reports side by side, who may post which form, bad
input named by its box with nothing written."""

import pytest
from django.urls import reverse

from ceasefire.mines import commands
from tests import once
from tests.conftest import FACILITATOR

pytestmark = pytest.mark.django_db


@once.fixture
def area(actors):
    a = commands.record_area(FACILITATOR, {"name_en": "Coastal road", "place": "osm:n1185649367", "source": "UNSMIL"})
    commands.report_clearance(
        actors["west-head"], a.id, {"status": "partly", "as_of": "2021-03-01", "extent_en": "3 tons", "source": "[42]"}
    )
    commands.report_clearance(
        FACILITATOR, a.id, {"status": "partly", "as_of": "2021-04-01", "extent_en": "120 km", "source": "[43]"}
    )
    return a


def test_rival_reports_side_by_side(area, clients):
    for who in ("observer", "east-member"):
        html = clients[who].get(reverse("mine_area", args=[area.id])).content.decode()
        assert "3 tons" in html and "120 km" in html
    assert reverse("mine_area", args=[area.id]) in clients["observer"].get(reverse("mine_areas")).content.decode()


@pytest.mark.parametrize("who, status", [("west-member", 200), ("facilitator", 200), ("observer", 403)])
def test_who_may_report_a_clearance(area, clients, who, status):
    assert clients[who].get(reverse("clearance_new", args=[area.id])).status_code == status


def test_bad_clearance_named_by_its_box(area, clients, events):
    before = events()
    r = clients["east-head"].post(
        reverse("clearance_new", args=[area.id]), {"status": "cleared", "as_of": "2099-01-01", "source": "s"}
    )
    assert r.status_code == 422 and 'id="f-as-of-error"' in r.content.decode() and events() == before
    r = clients["east-head"].post(
        reverse("clearance_new", args=[area.id]), {"status": "cleared", "as_of": "2021-07-14", "source": "LibMAC"}
    )
    assert r.status_code == 302 and events() == before + 1
