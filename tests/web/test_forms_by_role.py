"""Forms and the links to them are shown only to the roles whose commands would accept them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def page(clients, username, url) -> str:
    response = clients[username].get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_facilitator_is_offered_the_secretariat_forms(world, clients):
    past = world["past"].reference
    html = page(clients, "facilitator", reverse("meeting", args=[past]))
    for name in ("meeting_attendance", "meeting_agenda", "meeting_decision", "meeting_minutes", "meeting_action"):
        assert reverse(name, args=[past]) in html, name
    assert reverse("action_status", args=[world["overdue"].id]) in html
    assert 'name="position"' not in html  # the facilitator speaks for no party

    html = page(clients, "facilitator", reverse("mechanism"))
    member = world["members"][("west", 2)]
    for url in (
        reverse("member_new"),
        reverse("member_replace", args=[member.id]),
        reverse("member_end", args=[member.id]),
        reverse("party_suspend", args=["west"]),
        reverse("party_suspend", args=["east"]),
    ):
        assert url in html, url

    assert reverse("meeting_new") in page(clients, "facilitator", reverse("meetings"))
    assert reverse("agreement_new") in page(clients, "facilitator", reverse("agreements"))
    html = page(clients, "facilitator", reverse("agreement", args=[world["agreement"].id]))
    assert reverse("provision_new", args=[world["agreement"].id]) in html
    assert reverse("interpretation_new", args=[world["withdrawal"].id]) in html


def test_a_head_of_delegation_gives_positions_and_readings_for_its_own_party(world, clients):
    past = world["past"].reference
    html = page(clients, "west-head", reverse("meeting", args=[past]))
    pending = reverse("position", args=[past, world["pending"].number])
    adopted = reverse("position", args=[past, world["adopted"].number])
    assert f'action="{pending}"' in html and f'hx-post="{pending}"' in html
    assert adopted not in html  # adopted: positions no longer change
    assert reverse("meeting_decision", args=[past]) not in html
    assert reverse("meeting_attendance", args=[past]) not in html
    assert reverse("action_status", args=[world["overdue"].id]) in html  # owned by the west
    assert reverse("action_status", args=[world["later"].id]) not in html  # owned by a named body

    html = page(clients, "west-head", reverse("mechanism"))
    assert reverse("party_suspend", args=["west"]) in html
    assert reverse("party_suspend", args=["east"]) not in html
    assert reverse("member_new") not in html
    assert reverse("member_replace", args=[world["members"][("west", 2)].id]) not in html

    html = page(clients, "west-head", reverse("agreement", args=[world["agreement"].id]))
    assert reverse("interpretation_new", args=[world["withdrawal"].id]) in html
    assert reverse("provision_new", args=[world["agreement"].id]) not in html

    assert reverse("meeting_new") not in page(clients, "west-head", reverse("meetings"))
    assert reverse("agreement_new") not in page(clients, "west-head", reverse("agreements"))


def test_the_position_form_appears_only_where_the_party_can_still_speak(world, clients):
    past = world["past"].reference
    pending = reverse("position", args=[past, world["pending"].number])
    # The east has objected; its head may still change the position.
    assert pending in page(clients, "east-head", reverse("meeting", args=[past]))


def test_a_delegation_member_updates_its_party_action_items_only(world, clients):
    past = world["past"].reference
    html = page(clients, "west-member", reverse("meeting", args=[past]))
    assert reverse("action_status", args=[world["overdue"].id]) in html
    assert 'name="position"' not in html
    html = page(clients, "east-member", reverse("meeting", args=[past]))
    assert reverse("action_status", args=[world["overdue"].id]) not in html
    html = page(clients, "west-member", reverse("agreement", args=[world["agreement"].id]))
    assert reverse("interpretation_new", args=[world["withdrawal"].id]) not in html


def test_an_observer_is_offered_no_form(world, clients):
    urls = [
        reverse("dashboard"),
        reverse("mechanism"),
        reverse("meetings"),
        reverse("meeting", args=[world["past"].reference]),
        reverse("agreements"),
        reverse("agreement", args=[world["agreement"].id]),
        reverse("record"),
        reverse("witnesses"),
        reverse("event", args=[0]),
    ]
    for url in urls:
        html = page(clients, "observer", url)
        assert 'method="post"' not in html.replace(f'action="{reverse("set_language")}" method="post"', "").replace(
            f'action="{reverse("logout")}" method="post"', ""
        ), url


def test_a_designated_speaker_is_offered_the_position_form(world, accounts, clients):
    account = accounts["west-member"].account
    account.speaks_for_party = True
    account.save()
    past = world["past"].reference
    html = page(clients, "west-member", reverse("meeting", args=[past]))
    assert reverse("position", args=[past, world["pending"].number]) in html
