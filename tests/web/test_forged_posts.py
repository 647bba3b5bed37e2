"""A POST the form would never have been shown for still meets the command: 403, and nothing is written."""

import pytest
from django.urls import reverse

from ceasefire.mechanism.models import Decision, Meeting
from ceasefire.record import note

pytestmark = pytest.mark.django_db

WITNESS_VKEY = note.generate_cosigner_key("forged.example/witness")[1]
ASSESSMENT = {"status": "1", "as_of": "2021-01-23", "reasoning": "Ours"}


def forged(world):
    """(username, url, data) a role may not send."""
    past = world["past"].reference
    member = world["members"][("west", 2)].id
    return [
        (
            "west-head",
            reverse("meeting_new"),
            {"title": "Ours", "starts_on": "2026-01-01", "city": "x", "country": "y"},
        ),
        (
            "west-member",
            reverse("meeting_new"),
            {"title": "Ours", "starts_on": "2026-01-01", "city": "x", "country": "y"},
        ),
        ("observer", reverse("meeting_decision", args=[past]), {"text": "Observers decide"}),
        ("east-head", reverse("meeting_attendance", args=[past]), {"present": []}),
        ("east-member", reverse("meeting_agenda", args=[past]), {"title": "Item"}),
        ("west-head", reverse("meeting_minutes", args=[past]), {"minutes_en": "Rewritten"}),
        ("west-head", reverse("meeting_action", args=[past]), {"text": "Do it", "owner_party": "east"}),
        (
            "observer",
            reverse("position", args=[past, world["pending"].number]),
            {"confirm": "yes", "position": "approve"},
        ),
        (
            "west-member",
            reverse("position", args=[past, world["pending"].number]),
            {"confirm": "yes", "position": "approve"},
        ),
        (
            "facilitator",
            reverse("position", args=[past, world["pending"].number]),
            {"confirm": "yes", "position": "approve"},
        ),
        ("east-member", reverse("action_status", args=[world["overdue"].id]), {"status": "done"}),
        ("west-head", reverse("action_status", args=[world["later"].id]), {"status": "done"}),
        ("west-head", reverse("member_new"), {"name_latin": "Mine", "role": "member", "party": "west", "seat": "5"}),
        ("east-head", reverse("member_replace", args=[member]), {"on": "2026-01-01", "name_latin": "Someone"}),
        ("observer", reverse("member_end", args=[member]), {"on": "2026-01-01"}),
        ("west-head", reverse("party_suspend", args=["east"]), {"since": "2026-01-01"}),
        ("east-member", reverse("party_suspend", args=["east"]), {"since": "2026-01-01"}),
        ("observer", reverse("agreement_new"), {"title": "A treaty"}),
        ("west-head", reverse("provision_new", args=[world["agreement"].id]), {"number": "9", "text": "More"}),
        ("west-member", reverse("interpretation_new", args=[world["withdrawal"].id]), {"reading": "Ours"}),
        (
            "observer",
            reverse("interpretation_new", args=[world["withdrawal"].id]),
            {"reading": "Mine", "held_by": "Me"},
        ),
        ("west-member", reverse("assessment_new", args=[world["withdrawal"].id]), ASSESSMENT),
        ("observer", reverse("assessment_new", args=[world["withdrawal"].id]), ASSESSMENT),
        ("west-head", reverse("condition_new", args=[world["withdrawal"].id]), {"condition_en": "Unified government"}),
        (
            "observer",
            reverse("assessment_position", args=[world["assessment"].id]),
            {"confirm": "yes", "position": "approve"},
        ),
        (
            "west-member",
            reverse("assessment_position", args=[world["assessment"].id]),
            {"confirm": "yes", "position": "approve"},
        ),
        (
            "facilitator",
            reverse("assessment_position", args=[world["assessment"].id]),
            {"confirm": "yes", "position": "approve"},
        ),
        ("east-head", reverse("witness_key_party", args=["west"]), {"vkey": WITNESS_VKEY}),
        ("west-member", reverse("witness_key_party", args=["west"]), {"vkey": WITNESS_VKEY}),
        ("facilitator", reverse("witness_key_party", args=["west"]), {"vkey": WITNESS_VKEY}),
        ("west-head", reverse("witness_key_mission"), {"vkey": WITNESS_VKEY}),
        ("observer", reverse("witness_key_mission"), {"vkey": WITNESS_VKEY}),
    ]


def test_forged_posts_are_refused_with_403_and_append_nothing(world, clients, events):
    for username, url, data in forged(world):
        before = events()
        response = clients[username].post(url, data)
        assert response.status_code == 403, (username, url, response.status_code)
        assert events() == before, (username, url)
        assert 'role="alert"' in response.content.decode(), (username, url)


def test_a_forged_htmx_position_gets_403_and_the_card_says_why(world, clients, events):
    past = world["past"].reference
    before = events()
    response = clients["observer"].post(
        reverse("position", args=[past, world["pending"].number]),
        {"confirm": "yes", "position": "approve"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "<html" not in html and 'id="decision-2"' in html
    assert "Only the head of a delegation" in html
    assert 'name="position"' not in html
    assert events() == before


def test_a_refused_post_leaves_the_projections_as_they_were(world, clients):
    meetings = Meeting.objects.count()
    clients["west-head"].post(
        reverse("meeting_new"), {"title": "Ours", "starts_on": "2026-01-01", "city": "x", "country": "y"}
    )
    assert Meeting.objects.count() == meetings
    clients["observer"].post(
        reverse("position", args=[world["past"].reference, 2]), {"confirm": "yes", "position": "approve"}
    )
    assert not Decision.objects.get(id=world["pending"].id).positions.filter(party_id="west").exists()
