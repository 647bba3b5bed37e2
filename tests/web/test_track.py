"""The military track's pages: an overview of the three goals and a page per goal, each gathered
from what the record holds, each as the reader may read it; the counts are the rule's
(agreements.implementation.standing), and a goal with nothing recorded says so."""

import pytest
from django.urls import reverse

from ceasefire.agreements import commands as agreements
from ceasefire.agreements import implementation as rule
from ceasefire.agreements.models import Provision
from ceasefire.agreements.queries import today
from ceasefire.forces import commands as forces
from ceasefire.forces import track
from ceasefire.incidents import commands as incidents
from ceasefire.zones import commands as zones
from tests import once
from tests.conftest import FACILITATOR
from tests.forces.steps import DEPARTURE, GROUP, verify

from .test_layers import AREA

pytestmark = pytest.mark.django_db

PRESENCE_SOURCE = "only-the-parties-read-this-presence"


@once.fixture
def goals(world, actors):
    """Beside the web world's agreement: a sovereignty provision the parties assess apart (disputed),
    a foreign-forces provision past its deadline at an agreed status below full (overdue), a group
    with a party's presence claim, two departures (one verified), a plan whose one stage is complete
    on one side, and a border area put forward by one party only (not binding)."""
    fac, heads = FACILITATOR, (actors["west-head"], actors["east-head"])
    a = world["agreement"].id
    sovereign = agreements.add_provision(
        fac, a, {"number": "S1", "text": "No foreign power decides.", "category": "Sovereignty"}
    )
    agreements.propose_assessment(heads[0], sovereign.id, {"status": 1, "as_of": "2021-03-01", "reasoning": "little"})
    agreements.propose_assessment(heads[1], sovereign.id, {"status": 2, "as_of": "2021-03-01", "reasoning": "more"})
    late = agreements.add_provision(
        fac,
        a,
        {
            "number": "F1",
            "text": "Foreign fighters leave.",
            "deadline_months": "3",
            "category": "disengagement and foreign forces",
        },
    )
    agreed = agreements.propose_assessment(fac, late.id, {"status": 0, "as_of": "2021-02-01", "reasoning": "none left"})
    for head in heads:
        agreements.take_position(head, agreed.id, {"position": "approve"})
    incidents.adopt_default_typology(fac)
    group = forces.register_group(heads[0], GROUP)
    forces.claim_presence(
        heads[0],
        group.id,
        {
            "place_name_en": "Planted base",
            "from_on": "2022-05-27",
            "best": 7000,
            "confidence": "low",
            "source": PRESENCE_SOURCE,
        },
    )
    verify(actors, forces.claim_departure(heads[1], group.id, DEPARTURE))
    pending = forces.claim_departure(heads[0], group.id, {**DEPARTURE, "claimed": 700, "departed_on": "2021-05-15"})
    plan = forces.record_plan(fac, {"title_en": "Action plan", "agreed_on": "2021-10-08", "source": "[17]"})
    stage = forces.add_stage(fac, plan.id, {"title_en": "Pull back to assembly points", "source": "[18]"})
    forces.report_side(heads[0], stage.id, {"complete": True, "as_of": "2021-12-01"})
    zones.propose_version(
        heads[0], {"layer": "unbound-border", "kind": "border_area", "name_en": "Unbound border strip", "geojson": AREA}
    )
    return {"pending": pending, "sovereign": sovereign, "late": late}


def page(clients, who, url, status=200) -> str:
    response = clients[who].get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def expected_overdue(goal) -> int:
    """Overdue as the rule says it, worked out here from the committee's statuses."""
    themes = {t.lower() for t in goal.themes}
    n = 0
    for p in Provision.objects.all():
        if p.category.lower() not in themes:
            continue
        current = p.agreed_statuses.order_by("-as_of", "-id").first()
        condition = p.conditions.order_by("-id").first()
        found = rule.standing(
            p.due_on, today(), current.status if current else None, condition.status if condition else None
        )
        n += found.state == rule.OVERDUE
    return n


@pytest.mark.parametrize("who", ["facilitator", "west-member", "observer"])
def test_every_goal_renders_for_each_reader_with_the_rules_counts(goals, clients, who):
    html = page(clients, who, reverse("track"))
    assert all(str(g.title) in html for g in track.GOALS.values())
    assert 'href="/track/"' in html and 'aria-current="page">Military track' in html
    for goal in track.GOALS.values():
        html = page(clients, who, reverse("track_goal", args=[goal.slug]))
        n = expected_overdue(goal)
        assert (f"{n} overdue" in html) if n else ("none overdue" in html), goal.slug
    html = page(clients, who, reverse("track_goal", args=["sovereignty"]))
    assert "Syrian fighters" in html and "§F1" in html and "§S1" in html
    assert ("1 disputed" in html) == (who != "observer")  # the assessments stay with the parties


def test_the_parties_read_what_observers_do_not(goals, clients):
    sovereignty, borders = reverse("track_goal", args=["sovereignty"]), reverse("track_goal", args=["borders"])
    html = page(clients, "west-member", sovereignty)
    assert "Planted base" in html and "2 · Intermediate" in html
    html = page(clients, "observer", sovereignty)
    assert "Planted base" not in html and PRESENCE_SOURCE not in html and "2 · Intermediate" not in html
    assert "Unbound border strip" in page(clients, "east-member", borders)
    html = page(clients, "observer", borders)
    assert "Unbound border strip" not in html and "No border area or crossing is recorded yet." in html


def test_the_withdrawal_gathers_stages_progress_and_what_awaits_verification(goals, clients):
    url = reverse("track_goal", args=["withdrawal"])
    html = page(clients, "east-head", url)
    assert "Complete on one side only" in html and "0 of 1 complete" in html
    assert "Eastern region: 300 claimed to have left; Western region: 700 claimed to have left; 280 verified." in html
    awaiting = html[html.index("Awaiting verification") :]
    assert reverse("departure", args=[goals["pending"].id]) in awaiting and "no verification asked yet" in awaiting
    html = page(clients, "observer", url)
    assert "Complete on one side only" not in html and "Not complete" in html
    # the verification report is not shared with observers: nothing counts as verified for them
    assert "Eastern region: 300 claimed to have left; Western region: 700 claimed to have left; 0 verified." in html


def test_a_goal_with_nothing_recorded_says_so_and_an_unknown_goal_is_404(goals, clients):
    html = page(clients, "facilitator", reverse("track_goal", args=["borders"]))
    assert "No provision of this goal's themes is recorded yet." in html and "none overdue" in html
    page(clients, "facilitator", reverse("track_goal", args=["nowhere"]), 404)


def test_the_public_reads_no_group_no_departure_no_stage_status(goals):
    assert (
        track.groups(None) == [] and track.awaiting(None) is None and track.layers(None, track.GOALS["borders"]) is None
    )
    found = track.provisions(None, track.GOALS["sovereignty"])
    assert found.disputed is None and found.agreed is None and len(found.rows) == 2


@pytest.mark.parametrize("url", [reverse("track"), reverse("track_goal", args=["withdrawal"])])
def test_with_no_departure_the_withdrawal_says_so_not_0_verified(clients, url):
    html = page(clients, "observer", url)
    assert "No departure recorded yet." in html and "0 verified" not in html
