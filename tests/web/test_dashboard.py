"""The dashboard: parity of the delegations, the next meeting, open action items, deadlines."""

import re

import pytest
from django.urls import reverse

from ceasefire.agreements import commands as agreements
from ceasefire.mechanism import commands
from ceasefire.web.views.base import today

from .conftest import iso

pytestmark = pytest.mark.django_db


def dashboard(clients, username="observer") -> str:
    response = clients[username].get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def section(html, heading_id) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_balanced_delegations(world, clients):
    html = section(dashboard(clients), "h-delegations")
    assert "Balanced" in html and "5 of 5" in html
    assert "عبد الله الغربي" in html and "خالد الشرقي" in html


def test_a_vacant_seat_unbalances_the_delegations(world, actors, clients):
    commands.end_tenure(actors["facilitator"], world["members"][("east", 3)].id, {"on": "2026-01-01"})
    html = section(dashboard(clients), "h-delegations")
    assert "Not balanced" in html and "4 of 5" in html


def test_a_suspension_is_announced(world, actors, clients):
    commands.suspend_participation(actors["east-head"], "east", {"since": "2026-04-01"})
    html = dashboard(clients)
    assert "Eastern region has suspended its participation since 1 April 2026." in html
    assert "suspended" in section(html, "h-delegations")


def test_the_next_meeting(world, clients):
    html = section(dashboard(clients), "h-next")
    assert world["upcoming"].reference in html and "Sirte" in html


def test_no_meeting_scheduled(mechanism, actors, clients):
    past = commands.record_meeting(
        actors["facilitator"], {"title": "Earlier", "starts_on": iso(-1), "city": "Tunis", "country": "Tunisia"}
    )
    html = section(dashboard(clients), "h-next")
    assert "None scheduled." in html and past.reference in html  # the last one, for reference


def test_open_action_items_with_the_overdue_highlighted(world, actors, clients):
    commands.add_action_item(actors["facilitator"], world["past"].id, {"text": "Already done", "owner": "UNSMIL"})
    from ceasefire.mechanism.models import ActionItem

    done = ActionItem.objects.get(text_en="Already done")
    commands.set_action_status(actors["facilitator"], done.id, {"status": "done"})
    commands.set_action_status(actors["facilitator"], world["later"].id, {"status": "in_progress"})
    html = section(dashboard(clients, "east-member"), "h-actions")
    assert "Already done" not in html
    assert "Open the coastal road" in html and "In progress" in html
    overdue = re.search(r'<tr class="overdue">(.*?)</tr>', html, re.S).group(1)
    assert "Exchange prisoners" in overdue and "overdue" in overdue
    assert html.index("Exchange prisoners") < html.index("Open the coastal road")  # by deadline


def test_deadlines_passed_and_near(world, actors, clients):
    agreements.add_provision(
        actors["facilitator"], world["agreement"].id, {"number": "9", "text": "Far off", "deadline_on": iso(90)}
    )
    html = section(dashboard(clients), "h-deadlines")
    # past its deadline with the committee's status below full: overdue, in red
    [overdue] = re.findall(r'<tr class="overdue">(.*?)</tr>', html, re.S)
    assert "within three months of signature" in overdue and "23 January 2021" in overdue and "overdue by" in overdue
    assert "1 · Minimal" in overdue and "as of 23 January 2021" in overdue
    assert re.search(r'data-label="Rival readings">2<', overdue)
    # counted from the committee's today as the page counts it, which a run past midnight in Libya moves
    days = (world["near"].deadline_on - today()).days
    assert "Exchange of detainees." in html and f"due in {days} days" in html
    assert "Far off" not in html and "sovereignty" not in html
    assert "passed" not in html


def test_a_deadline_reached_is_not_a_deadline_missed(world, actors, clients):
    """An immediate ceasefire with no agreed status is due, not overdue; once the committee agrees
    it is fully implemented, it is done and leaves the list."""
    fac = actors["facilitator"]
    ceasefire = agreements.add_provision(
        fac, world["agreement"].id, {"number": "1", "text": "Immediate ceasefire", "deadline_months": 0}
    )
    html = section(dashboard(clients), "h-deadlines")
    row = re.search(r"<tr>((?:(?!</tr>).)*Immediate ceasefire.*?)</tr>", html, re.S).group(1)
    assert "deadline reached" in row and "no status agreed yet" in row and "badge bad" not in row
    done = agreements.propose_assessment(
        actors["west-head"], ceasefire.id, {"status": 3, "as_of": "2020-10-24", "reasoning": "Holding"}
    )
    agreements.take_position(actors["east-head"], done.id, {"position": "approve"})
    html = section(dashboard(clients), "h-deadlines")
    assert "Immediate ceasefire" not in html
    page = clients["observer"].get(reverse("provision", args=[ceasefire.id])).content.decode()
    assert '<span class="badge ok">done</span>' in page and "3 · Full" in page


def test_the_dashboard_rolls_up_the_committees_statuses(world, clients):
    html = section(dashboard(clients, "observer"), "h-deadlines")
    assert "1 · Minimal: 1" in html and "Not assessed: 2" in html and "Of 3 provisions" in html


def test_an_empty_committee(mechanism, accounts, clients):
    html = dashboard(clients, "facilitator")
    assert "No open action items." in html and "None scheduled." in html
    assert "No provision is past its deadline, near it, or waiting on an event." in html
    assert reverse("meeting_new") in html
    assert reverse("meeting_new") not in dashboard(clients, "west-head")


def test_before_the_committee_is_set_up(db, django_user_model):
    from django.test import Client

    from ceasefire.mechanism.accounts import create_account
    from tests.conftest import PASSWORD
    from tests.helpers import signed_in

    user = create_account("secretariat", PASSWORD, "facilitator")
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in(c, user)
    for url in ("dashboard", "mechanism", "meetings", "agreements", "record"):
        response = c.get(reverse(url))
        assert response.status_code == 200, url
    assert "No committee has been set up yet." in c.get(reverse("dashboard")).content.decode()
    assert reverse("meeting_new") not in c.get(reverse("meetings")).content.decode()


def test_observers_are_told_action_items_stay_with_the_parties(world, clients):
    html = section(dashboard(clients), "h-actions")
    assert "Action items stay with the parties." in html
    assert "Exchange prisoners" not in html and "Open the coastal road" not in html
