"""Foreign forces on the pages: the register, a group's rival claims, a departure and its
verification, the withdrawal plan's stages, the progress chart; who is offered which form, who may
post it, and bad input named next to its box with nothing written."""

import re

import pytest
from django.urls import reverse

from ceasefire.errors import Invalid
from ceasefire.forces import commands
from ceasefire.forces.models import Departure, Informant
from ceasefire.incidents import commands as incidents
from tests import once
from tests.conftest import FACILITATOR
from tests.forces.steps import DEPARTURE, GROUP, verify

pytestmark = pytest.mark.django_db


@once.fixture
def forces(actors):
    incidents.adopt_default_typology(FACILITATOR)
    group = commands.register_group(actors["west-head"], GROUP)
    commands.claim_presence(
        actors["west-head"],
        group.id,
        {
            "place": "icao:HL77",
            "from_on": "2022-05-27",
            "best": 7000,
            "confidence": "low",
            "source": "SOHR, via Libya Review",
        },
    )
    commands.claim_presence(
        actors["east-head"],
        group.id,
        {
            "place": "icao:HL77",
            "from_on": "2022-05-27",
            "low": 100,
            "high": 900,
            "confidence": "medium",
            "source": "east statement",
        },
    )
    verified = commands.claim_departure(actors["east-head"], group.id, DEPARTURE)
    verify(actors, verified)
    pending = commands.claim_departure(
        actors["west-head"], group.id, {**DEPARTURE, "claimed": 700, "departed_on": "2021-05-15"}
    )
    plan = commands.record_plan(FACILITATOR, {"title_en": "Action plan", "agreed_on": "2021-10-08", "source": "[17]"})
    stage = commands.add_stage(FACILITATOR, plan.id, {"title_en": "Pull back to assembly points", "source": "[18]"})
    commands.report_side(
        actors["west-head"], stage.id, {"complete": True, "as_of": "2021-12-01", "note": "west pulled back"}
    )
    return {"group": group, "verified": verified, "pending": pending, "plan": plan, "stage": stage}


def page(clients, who, url, status=200) -> str:
    response = clients[who].get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_the_parties_read_rival_claims_side_by_side(forces, clients):
    html = page(clients, "east-member", reverse("force_group", args=[forces["group"].id]))
    assert "7000" in html and "900" in html and "SOHR, via Libya Review" in html and "east statement" in html
    assert "Al Watiya Air Base" in html
    assert 'href="/forces/%d/presence/new/"' % forces["group"].id in html


def test_observers_read_the_register_and_departures_not_the_presence_claims(forces, clients):
    html = page(clients, "observer", reverse("force_group", args=[forces["group"].id]))
    assert "Syrian fighters" in html and "7000" not in html and "SOHR" not in html
    assert "/presence/new/" not in html and "/departures/new/" not in html
    page(clients, "observer", reverse("presence_new", args=[forces["group"].id]), 403)
    html = page(clients, "observer", reverse("departure", args=[forces["verified"].id]))
    assert "not verified" in html  # the parties' verification report is not shared with them
    assert "Ask for a joint team" not in html


def test_a_departure_shows_its_verification_and_the_progress_chart_counts_it(forces, clients):
    html = page(clients, "west-member", reverse("departure", args=[forces["verified"].id]))
    assert "Concluded" in html and "280 verified" in html
    html = page(clients, "west-head", reverse("departure", args=[forces["pending"].id]))
    assert reverse("departure_verify", args=[forces["pending"].id]) in html
    html = page(clients, "facilitator", reverse("withdrawal_progress"))
    # rival claims side by side, never one sum; the chart's scale is the largest claim (700)
    assert "Western region: 700 claimed to have left in 1 departures" in html
    assert "Eastern region: 300 claimed to have left in 1 departures" in html
    assert "1000" not in html
    assert "280 verified in 1 of 2 departures claimed." in html
    assert re.search(r'<rect class="verified" x="0" y="5" width="40(\.0)?"', html), html[html.index("<svg") :][:400]
    assert "<script" not in html[html.index("<main") :] and "style=" not in html
    html = page(clients, "observer", reverse("withdrawal_progress"))
    assert "Western region: 700 claimed to have left in 1 departures" in html
    assert "0 verified in 0 of 2 departures claimed." in html


def test_the_stage_shows_each_side_and_what_it_waits_for(forces, clients):
    html = page(clients, "west-member", reverse("withdrawal"))
    assert "Complete on one side only" in html and "the side of Eastern region is not complete" in html
    assert reverse("stage_side", args=[forces["stage"].id]) not in html  # a member does not speak for the party
    html = page(clients, "east-head", reverse("withdrawal"))
    assert reverse("stage_side", args=[forces["stage"].id]) in html
    html = page(clients, "observer", reverse("withdrawal"))
    assert "Complete on one side only" not in html and "Not complete" in html and "west pulled back" not in html


@pytest.mark.parametrize(
    "who, status", [("west-member", 403), ("observer", 403), ("facilitator", 403), ("east-head", 200)]
)
def test_who_is_offered_the_side_form(forces, clients, who, status):
    page(clients, who, reverse("stage_side", args=[forces["stage"].id]), status)


def test_a_departure_form_names_the_bad_field_and_writes_nothing(forces, clients, events):
    url = reverse("departure_new", args=[forces["group"].id])
    before = events()
    response = clients["east-member"].post(
        url,
        {
            "claimed": "many",
            "departed_on": "2021-11-11",
            "place": "icao:HLGD",
            "confidence": "low",
            "source": "s",
            "informant_name": "Salem",
        },
    )
    assert response.status_code == 422
    assert re.search(r'id="f-claimed-error"[^>]*>must be a whole number', response.content.decode())
    assert events() == before and not Informant.objects.exists()
    response = clients["east-member"].post(
        url,
        {
            "claimed": "40",
            "departed_on": "2021-11-11",
            "place": "icao:HLGD",
            "confidence": "low",
            "source": "s",
            "informant_name": "Salem",
        },
    )
    assert response.status_code == 302 and events() == before + 1
    d = Departure.objects.order_by("-id").first()
    assert (d.claimed, d.claimed_by_id, Informant.objects.get().entry) == (40, "east", d.id)
    assert "Salem" not in page(clients, "facilitator", reverse("departure", args=[d.id]))


def test_asking_for_the_verification_files_a_report_in_the_chain(forces, clients, events):
    url = reverse("departure_verify", args=[forces["pending"].id])
    page(clients, "observer", url, 403)
    before = events()
    response = clients["west-member"].post(url, {"note": "count at Ghardabiya"})
    assert response.status_code == 302 and events() == before + 1
    html = page(clients, "west-member", response["Location"])
    assert "What this report verifies" in html and forces["pending"].reference in html
    page(clients, "east-head", url, 409)  # a verification is open already


def test_an_informant_without_a_name_is_marked_on_the_name_field(forces, clients, events):
    before = events()
    response = clients["east-member"].post(
        reverse("departure_new", args=[forces["group"].id]),
        {
            "claimed": "40",
            "departed_on": "2021-11-11",
            "place": "icao:HLGD",
            "confidence": "low",
            "source": "s",
            "informant_contact": "+218 91 000 0000",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert re.search(r'id="f-informant-name-error"[^>]*>is required', html), re.findall(r'class="error[^<]*<', html)
    assert events() == before


def test_a_presence_claim_ending_in_the_future_is_refused(forces, clients, events):
    before = events()
    with pytest.raises(Invalid) as refused:
        commands.claim_presence(
            FACILITATOR,
            forces["group"].id,
            {
                "from_on": "2022-01-01",
                "until_on": "2099-01-01",
                "best": 10,
                "confidence": "low",
                "source": "s",
                "place": "icao:HLGD",
            },
        )
    assert refused.value.field == "until_on" and events() == before


def test_the_progress_with_no_departure_says_so_once_without_empty_charts(clients):
    html = page(clients, "observer", reverse("withdrawal_progress"))
    main = html[html.index("<main") :]
    assert "No departure recorded yet." in main
    assert "0 verified in 0 of 0" not in main and "<svg" not in main
