"""Input a command refuses comes back on the form: the message next to the field it names, the
user's input kept, the status of the error, and nothing written. Never a 500."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def refused(client, url, data, events, status=422, **extra):
    before = events()
    response = client.post(url, data, **extra)
    assert response.status_code == status, (url, response.status_code, response.content[:2000])
    assert events() == before
    return response.content.decode()


def field_error(html, field) -> str:
    """The error shown next to a field, tied to it by aria-describedby."""
    match = re.search(rf'<p class="error" id="f-{field}-error">([^<]*)</p>', html)
    assert match, f"no error shown next to {field}"
    assert re.search(rf'id="f-{field}"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*f-{field}-error', html)
    return match.group(1)


def test_a_meeting_without_a_title_comes_back_with_the_field_error_and_the_input(world, clients, events):
    html = refused(
        clients["facilitator"],
        reverse("meeting_new"),
        {"title": "", "starts_on": "2026-03-01", "city": "Sirte", "country": "Libya", "summary": "كل شيء"},
        events,
    )
    assert "is required" in field_error(html, "title")
    assert 'value="Sirte"' in html and 'value="2026-03-01"' in html and "كل شيء" in html
    assert 'role="alert"' in html and 'href="#f-title"' in html  # the summary links to the field


def test_a_bad_date_is_named(world, clients, events):
    html = refused(
        clients["facilitator"],
        reverse("meeting_new"),
        {"title": "x", "starts_on": "1 March", "city": "Sirte", "country": "Libya"},
        events,
    )
    assert "YYYY-MM-DD" in field_error(html, "starts-on")


def test_a_meeting_ending_before_it_begins(world, clients, events):
    html = refused(
        clients["facilitator"],
        reverse("meeting_new"),
        {"title": "x", "starts_on": "2026-03-05", "ends_on": "2026-03-01", "city": "S", "country": "L"},
        events,
    )
    assert field_error(html, "ends-on")


def test_a_provision_with_two_deadlines(world, clients, events):
    html = refused(
        clients["facilitator"],
        reverse("provision_new", args=[world["agreement"].id]),
        {"number": "7", "text": "Demining", "deadline_on": "2026-01-01", "deadline_months": "2"},
        events,
    )
    assert "not both" in field_error(html, "deadline-months")


def test_a_held_seat_is_a_conflict_named_at_the_seat(world, clients, events):
    html = refused(
        clients["facilitator"],
        reverse("member_new"),
        {"name_latin": "Newcomer", "role": "member", "party": "west", "seat": "2"},
        events,
        status=409,
    )
    assert "replace its holder" in field_error(html, "seat")
    assert 'value="Newcomer"' in html


def test_a_member_without_a_name(world, clients, events):
    html = refused(clients["facilitator"], reverse("member_new"), {"role": "observer"}, events)
    assert field_error(html, "name-ar")


def test_a_replacement_names_the_successor_field(world, clients, events):
    member = world["members"][("west", 3)]
    html = refused(clients["facilitator"], reverse("member_replace", args=[member.id]), {"on": "2026-01-01"}, events)
    assert field_error(html, "name-ar")  # successor.name_ar, shown at the successor's name


def test_a_position_that_is_not_one(world, clients, events):
    url = reverse("position", args=[world["past"].reference, world["pending"].number])
    html = refused(clients["west-head"], url, {"confirm": "yes", "position": "maybe"}, events)
    assert "must be one of" in html
    assert re.search(r'id="d\d+-f-position-error"', html)


def test_a_bad_position_through_htmx_swaps_the_card_with_the_error(world, clients, events):
    url = reverse("position", args=[world["past"].reference, world["pending"].number])
    html = refused(
        clients["west-head"], url, {"confirm": "yes", "reason": "no choice made"}, events, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in html and 'class="decision card' in html
    assert "no choice made" in html  # what was typed stays


def test_an_attendance_list_naming_nobody_known_is_404_on_the_form(world, clients, events):
    html = refused(
        clients["facilitator"],
        reverse("meeting_attendance", args=[world["past"].reference]),
        {"present": ["999999"]},
        events,
        status=404,
    )
    assert "does not exist" in html


def test_an_action_item_needs_an_owner_and_a_text(world, clients, events):
    url = reverse("meeting_action", args=[world["past"].reference])
    html = refused(clients["facilitator"], url, {"text": "Clear mines"}, events)
    assert "owner" in field_error(html, "owner")
    html = refused(clients["facilitator"], url, {"owner_party": "east"}, events)
    assert field_error(html, "text")


def test_nothing_changes_is_a_conflict(world, clients, events):
    item = world["later"]
    html = refused(
        clients["facilitator"], reverse("action_status", args=[item.id]), {"status": "open", "note": ""}, events, 409
    )
    assert field_error(html, "status")


def test_resuming_a_party_that_takes_part_is_a_conflict(world, clients, events):
    html = refused(
        clients["facilitator"], reverse("party_resume", args=["west"]), {"on": "2026-01-01"}, events, status=409
    )
    assert "not suspended" in html


def test_control_characters_are_refused(world, clients, events):
    html = refused(
        clients["facilitator"], reverse("meeting_agenda", args=[world["past"].reference]), {"title": "a\x00b"}, events
    )
    assert "control characters" in field_error(html, "title")


def test_errors_come_in_arabic_for_an_arabic_reader(world, clients, events):
    c = clients["facilitator"]
    c.cookies["django_language"] = "ar"
    html = refused(c, reverse("meeting_new"), {"starts_on": "2026-03-01", "city": "س", "country": "ل"}, events)
    assert "is required" not in field_error(html, "title")
