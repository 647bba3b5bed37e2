"""Input as browsers and hostile clients really send it: never a 500, never a wrong page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.mechanism.models import Meeting

pytestmark = pytest.mark.django_db


def test_textarea_lines_typed_in_a_browser_are_kept(world, clients):
    response = clients["facilitator"].post(
        reverse("meeting_minutes", args=[world["past"].reference]), {"minutes_en": "Opened.\r\nAdjourned."}
    )
    assert response.status_code == 302
    assert Meeting.objects.get(id=world["past"].id).minutes_en == "Opened.\nAdjourned."


@pytest.mark.parametrize("query", ["?type=%00", "?type=no.such", "?page=abc", "?page=999999999999"])
def test_the_record_page_takes_any_query(world, clients, query):
    response = clients["observer"].get(reverse("record") + query)
    assert response.status_code == 200
    assert b"meeting.recorded" in response.content


def test_an_overlong_username_is_refused_by_the_form(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(reverse("login"), {"username": "x" * 300, "password": "whatever"})
    assert response.status_code == 200
    assert b"at most 150 characters" in response.content


def test_a_decision_card_swapped_by_htmx_shows_the_committees_time(world, clients):
    """The fragment htmx swaps in shows times in Africa/Tripoli (UTC+2), as whole pages do."""
    past, pending = world["past"], world["pending"]
    card = (
        clients["west-head"]
        .post(
            reverse("position", args=[past.reference, pending.number]),
            {"confirm": "yes", "position": "object"},
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )
    given_at = pending.positions.get(party="west").given_at
    local, utc = given_at.astimezone(ZoneInfo("Africa/Tripoli")), given_at.astimezone(dt.UTC)
    assert local.strftime("%H:%M") in card
    assert utc.strftime("%H:%M") not in card
