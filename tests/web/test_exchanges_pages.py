"""Detainee exchanges on the pages: rival numbers side by side, who is offered which form and may
post it, bad input named next to its box with nothing written, identities never on a page."""

import pytest
from django.urls import reverse

from ceasefire.exchanges import commands
from ceasefire.incidents import commands as incidents
from tests import once
from tests.conftest import FACILITATOR

pytestmark = pytest.mark.django_db


@once.fixture
def swap(actors):
    incidents.adopt_default_typology(FACILITATOR)
    x = commands.record_exchange(
        FACILITATOR,
        {"happened_on": "2020-12-25", "place": "osm:n1193620130", "mediators_en": "Elders", "source": "UNSMIL"},
    )
    commands.claim_numbers(actors["west-head"], x.id, {"released": {"west": 15, "east": 33}, "source": "sources told"})
    commands.claim_numbers(FACILITATOR, x.id, {"total": 48, "source": "Sputnik"})
    commands.record_person(FACILITATOR, x.id, {"released_by": "west", "identity": {"name": "px-name-never-shown"}})
    return x


def test_rival_numbers_side_by_side_and_no_identity(swap, clients):
    for who in ("east-member", "observer", "facilitator"):
        html = clients[who].get(reverse("exchange", args=[swap.id])).content.decode()
        assert "sources told" in html and "Sputnik" in html and "48" in html
        assert "px-name-never-shown" not in html
    assert "Released by" in clients["west-member"].get(reverse("exchange", args=[swap.id])).content.decode()
    assert "Released by" not in clients["observer"].get(reverse("exchange", args=[swap.id])).content.decode()


@pytest.mark.parametrize("who, status", [("west-member", 200), ("facilitator", 200), ("observer", 403)])
def test_who_may_claim_numbers(swap, clients, who, status):
    assert clients[who].get(reverse("exchange_numbers_new", args=[swap.id])).status_code == status


def test_only_the_facilitator_records_a_person(swap, clients):
    assert clients["west-head"].get(reverse("exchange_person_new", args=[swap.id])).status_code == 403
    assert clients["facilitator"].get(reverse("exchange_person_new", args=[swap.id])).status_code == 200


def test_bad_numbers_are_named_by_their_box_and_nothing_written(swap, clients, events):
    before = events()
    r = clients["east-head"].post(
        reverse("exchange_numbers_new", args=[swap.id]),
        {"released_west": "1", "released_east": "2", "total": "9", "source": "s"},
    )
    assert r.status_code == 422 and 'id="f-total-error"' in r.content.decode() and events() == before
    r = clients["east-head"].post(
        reverse("exchange_numbers_new", args=[swap.id]), {"released_west": "1", "source": "s"}
    )
    assert r.status_code == 302 and events() == before + 1


def test_the_track_overview_links_the_exchanges(swap, clients):
    assert reverse("exchanges") in clients["observer"].get(reverse("track")).content.decode()
    assert "Al Shwayrif" in clients["observer"].get(reverse("exchanges")).content.decode()
