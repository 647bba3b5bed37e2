"""Each form, used by a role that may, appends exactly one event and lands where the user can see it."""

import pytest
from django.urls import reverse

from ceasefire.agreements.models import Agreement, Interpretation, Provision
from ceasefire.mechanism.models import Decision, Meeting, Member, Party
from ceasefire.record.models import Event

pytestmark = pytest.mark.django_db


def accepted(client, url, data, events, **extra):
    before = events()
    response = client.post(url, data, **extra)
    assert response.status_code == 302, (url, response.status_code, response.content[:3000])
    assert events() == before + 1
    return response


def test_the_facilitator_records_a_meeting_and_its_business(world, clients, events):
    c = clients["facilitator"]
    response = accepted(
        c,
        reverse("meeting_new"),
        {
            "title": "الجولة الخامسة",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-02",
            "city": "Sirte",
            "country": "Libya",
        },
        events,
    )
    meeting = Meeting.objects.get(title_ar="الجولة الخامسة")
    assert response["Location"] == reverse("meeting", args=[meeting.reference])
    ref = meeting.reference
    page = c.get(response["Location"])
    assert "الجولة الخامسة" in page.content.decode()
    assert "The meeting has been recorded." in page.content.decode()

    west = [m.id for (party, seat), m in world["members"].items() if party == "west"]
    accepted(c, reverse("meeting_attendance", args=[ref]), {"present": [str(i) for i in west]}, events)
    assert meeting.quorum().present == {"west": 5, "east": 0}
    assert not meeting.quorum().met

    accepted(c, reverse("meeting_agenda", args=[ref]), {"title": "Withdrawal of mercenaries"}, events)
    response = accepted(c, reverse("meeting_decision", args=[ref]), {"text": "Open the coastal road."}, events)
    decision = Decision.objects.get(meeting=meeting)
    assert response["Location"].endswith(f"#decision-{decision.number}")
    accepted(
        c,
        reverse("meeting_action", args=[ref]),
        {"text": "Report on the road", "owner_party": "east", "decision": str(decision.id), "deadline": "2027-01-01"},
        events,
    )
    accepted(c, reverse("meeting_minutes", args=[ref]), {"minutes_ar": "افتُتح الاجتماع.", "minutes_en": ""}, events)
    meeting.refresh_from_db()
    assert meeting.minutes_ar == "افتُتح الاجتماع." and meeting.agenda.count() == 1

    html = c.get(reverse("meeting", args=[ref])).content.decode()
    assert "Withdrawal of mercenaries" in html and "Report on the road" in html and "افتُتح الاجتماع." in html


def test_positions_without_javascript_redirect_back_to_the_decision(world, clients, events):
    past = world["past"].reference
    url = reverse("position", args=[past, world["pending"].number])
    response = accepted(
        clients["west-head"], url, {"confirm": "yes", "position": "approve", "reason": "For the road"}, events
    )
    assert response["Location"] == reverse("meeting", args=[past]) + f"#decision-{world['pending'].number}"
    event = Event.objects.order_by("-seq").first()
    assert event.type == "decision.position_taken" and event.account == "west-head" and event.party == "west"
    assert not Decision.objects.get(id=world["pending"].id).adopted  # the east objects


def test_a_position_through_htmx_swaps_in_the_updated_card(world, clients, events):
    past = world["past"].reference
    url = reverse("position", args=[past, world["pending"].number])
    before = events()
    response = clients["east-head"].post(url, {"confirm": "yes", "position": "approve"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and events() == before + 1
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith("<article")
    assert "waiting for: position of the delegation of Western region not given" in html and 'role="status"' in html
    response = clients["west-head"].post(url, {"confirm": "yes", "position": "approve"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Adopted" in html and "Not adopted" not in html
    assert 'name="position"' not in html  # adopted: no more positions
    assert Decision.objects.get(id=world["pending"].id).adopted


def test_the_owning_party_updates_its_action_item(world, clients, events):
    item = world["overdue"]
    accepted(
        clients["west-member"],
        reverse("action_status", args=[item.id]),
        {"status": "in_progress", "note": "Lists exchanged"},
        events,
    )
    item.refresh_from_db()
    assert item.status == "in_progress" and item.status_note == "Lists exchanged"


def test_the_facilitator_appoints_replaces_and_ends_tenures(world, clients, events):
    c = clients["facilitator"]
    accepted(c, reverse("member_end", args=[world["members"][("east", 4)].id]), {"on": "2026-01-31"}, events)
    accepted(
        c,
        reverse("member_new"),
        {
            "name_ar": "عضو جديد",
            "role": "member",
            "party": "east",
            "seat": "4",
            "tenure_start": "2026-02-01",
            "rank": "عقيد",
        },
        events,
    )
    newcomer = Member.objects.get(name_ar="عضو جديد")
    assert newcomer.rank_ar == "عقيد" and newcomer.seat == 4
    response = accepted(
        c,
        reverse("member_replace", args=[newcomer.id]),
        {"on": "2026-06-01", "name_latin": "Second Newcomer", "title": "Engineer"},
        events,
    )
    successor = Member.objects.get(name_latin="Second Newcomer")
    assert successor.predecessor_id == newcomer.id and successor.seat == 4 and successor.party_id == "east"
    assert response["Location"].endswith(f"#member-{successor.id}")
    html = c.get(reverse("mechanism")).content.decode()
    assert "Succeeded by" in html and "Second Newcomer" in html


def test_a_head_suspends_and_resumes_its_own_party(world, clients, events):
    c = clients["west-head"]
    accepted(c, reverse("party_suspend", args=["west"]), {"since": "2026-05-01", "reason": "Consultations"}, events)
    assert Party.objects.get(code="west").suspended
    html = c.get(reverse("dashboard")).content.decode()
    assert "has suspended its participation" in html
    accepted(c, reverse("party_resume", args=["west"]), {"on": "2026-05-20"}, events)
    assert not Party.objects.get(code="west").suspended


def test_agreements_provisions_and_readings(world, clients, events):
    c = clients["facilitator"]
    response = accepted(
        c, reverse("agreement_new"), {"title": "Security arrangements", "signed_on": "2026-01-10"}, events
    )
    agreement = Agreement.objects.get(title_en="Security arrangements")
    assert response["Location"] == reverse("agreement", args=[agreement.id])
    accepted(
        c,
        reverse("provision_new", args=[agreement.id]),
        {"number": "1", "kind": "item", "text": "Demining", "deadline_months": "2", "deadline": "two months"},
        events,
    )
    provision = Provision.objects.get(agreement=agreement)
    assert provision.due_on.isoformat() == "2026-03-10"
    accepted(
        c, reverse("interpretation_new", args=[provision.id]), {"held_by": "UNSMIL", "reading": "All routes"}, events
    )
    accepted(
        clients["east-head"], reverse("interpretation_new", args=[provision.id]), {"reading": "Main roads only"}, events
    )
    east = Interpretation.objects.get(reading_en="Main roads only")
    assert east.held_by_en == "Eastern region"  # a party's speaker records its own party's reading
    html = c.get(reverse("agreement", args=[agreement.id])).content.decode()
    assert "All routes" in html and "Main roads only" in html and "two months" in html


def test_the_record_lists_events_with_tripoli_time(world, clients):
    event = Event.objects.order_by("-seq").first()
    html = clients["observer"].get(reverse("record")).content.decode()
    assert f'id="event-{event.seq}"' in html
    from zoneinfo import ZoneInfo

    local = event.time.astimezone(ZoneInfo("Africa/Tripoli")).strftime("%Y-%m-%d %H:%M:%S")
    assert local in html
    assert "Reading of a provision added" in html and "Head of delegation" in html and "Eastern region" in html
    assert "east-head" not in html  # observers read the role, never the account
    assert "east-head · Head of delegation" in clients["west-member"].get(reverse("record")).content.decode()


def test_the_record_is_paginated_and_filtered(world, actors, clients):
    from ceasefire.mechanism import commands

    for i in range(60 - Event.objects.count()):
        commands.add_agenda_item(actors["facilitator"], world["past"].id, {"title": f"Item {i}"})
    total = Event.objects.count()
    c = clients["observer"]
    first = c.get(reverse("record")).content.decode()
    assert first.count('<tr id="event-') == 50 and f'id="event-{total - 1}"' in first
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = c.get(reverse("record") + "?page=2").content.decode()
    assert second.count('<tr id="event-') == total - 50 and 'id="event-0"' in second
    assert c.get(reverse("record") + "?page=nonsense").status_code == 200
    only = c.get(reverse("record") + "?type=member.replaced").content.decode()
    assert only.count('<tr id="event-') == 1
