"""The "needs you" list: each kind of item for the person the command would take it from now,
under the party for the rest of that party, for nobody else; gone once done."""

import pytest
from django.utils.translation import override

from ceasefire.incidents import commands as reports
from ceasefire.mechanism import commands as mechanism
from ceasefire.needs.collect import collect
from tests.conftest import FACILITATOR
from tests.helpers import signed_in

EVERYONE = (
    "west-head",
    "west-member",
    "east-head",
    "east-member",
    "facilitator",
    "observer",
    "un-monitor",
    "east-monitor",
)


def keys(world, who):
    needs = collect(FACILITATOR if who == "facilitator" else world.actors[who])
    return {n.key for n in needs.yours}, {n.key for n in needs.party}


def expected(world):
    """key -> (who it needs, whose party waits for someone else of it)."""
    w = world
    return {
        f"triage:{w.received.id}": ({"facilitator"}, set()),
        f"investigate:{w.tasked.id}": ({"west-member", "east-member"}, {"west-head", "east-head"}),
        f"confirm:{w.written.id}:{w.written.investigation.id}": ({"west-member"}, {"west-head"}),
        f"draft:{w.investigated.id}": ({"west-member", "east-member"}, {"west-head", "east-head"}),
        f"sign:{w.findings.id}:{w.findings.draft}": (
            {"west-member", "east-member", "facilitator"},
            {"west-head", "east-head"},
        ),
        f"dispute:{w.disputed.id}:{w.disputed.agenda_item_id}": (
            {"west-head", "east-head", "facilitator"},
            {"west-member", "east-member"},
        ),
        f"position:{w.decision.id}": ({"west-head", "east-head"}, {"west-member", "east-member"}),
        f"assessment:{w.assessment.id}": ({"west-head", "east-head"}, {"west-member", "east-member"}),
        f"layer:{w.layer.id}": ({"west-head", "east-head"}, {"west-member", "east-member"}),
        f"imbalance:{w.imbalance.id}": ({"west-head", "east-head"}, {"west-member", "east-member"}),
        f"side:{w.stage.id}": ({"west-head", "east-head"}, {"west-member", "east-member"}),
        f"side:{w.half.id}": ({"west-head"}, {"west-member"}),  # the east reported its side complete
        f"action:{w.action.id}": ({"east-head", "east-member"}, set()),
        f"recommendation:{w.concluded.recommendations.get().id}": ({"east-head", "east-member"}, set()),
    }


def test_each_kind_needs_the_right_people_and_nobody_else(world):
    found = {who: keys(world, who) for who in EVERYONE}
    for key, (yours, party) in expected(world).items():
        assert {who for who in EVERYONE if key in found[who][0]} == yours, key
        assert {who for who in EVERYONE if key in found[who][1]} == party, key
    listed = {k for who in EVERYONE for k in found[who][0] | found[who][1]}
    assert listed == set(expected(world))  # nothing else is listed for anyone
    for who in ("observer", "un-monitor", "east-monitor"):
        assert found[who] == (set(), set()), who


def test_most_urgent_first_with_deadlines(world):
    needs = collect(world.actors["east-head"]).yours
    deadlines = [n.deadline for n in needs if n.deadline]
    assert deadlines == sorted(deadlines) and needs[-1].deadline is None  # the assessment has none: last
    action = next(n for n in needs if n.kind == "action")
    assert action.overdue and str(action.deadline) == "2021-01-01"


def test_done_is_no_longer_needed(world):
    a = world.actors
    reports.sign_findings(a["west-member"], world.findings.id, {"agrees": True, "draft": world.findings.draft})
    sign = f"sign:{world.findings.id}:{world.findings.draft}"
    assert sign not in keys(world, "west-member")[0] and sign not in keys(world, "west-head")[1]
    assert sign in keys(world, "east-member")[0] and sign in keys(world, "facilitator")[0]
    mechanism.take_position(a["west-head"], world.decision.id, {"position": "approve"})
    position = f"position:{world.decision.id}"
    assert position not in keys(world, "west-head")[0] and position not in keys(world, "west-member")[1]
    assert position in keys(world, "east-head")[0]
    reports.confirm_investigation(a["west-member"], world.written.id, {"investigation": world.written.investigation.id})
    assert not any(k.startswith("confirm:") for k in keys(world, "west-member")[0])
    reports.triage(FACILITATOR, world.received.id, {"decision": "admissible"})
    assert f"triage:{world.received.id}" not in keys(world, "facilitator")[0]
    assert f"task:{world.received.id}" in keys(world, "facilitator")[0]  # the next step needs the secretariat


def test_the_withdrawal_plan_needs_each_party_until_it_gives_its_word(world):
    from ceasefire.forces import commands as forces

    a = world.actors
    imbalance, side = f"imbalance:{world.imbalance.id}", f"side:{world.stage.id}"
    east = next(n for n in collect(a["east-head"]).yours if n.key == imbalance)
    with override("en"):
        assert east.label == "A position on an imbalance in the withdrawal"
    with override("ar"):
        assert east.label == "موقف من اختلال في التوازن في الانسحاب"
    assert east.path == f"/withdrawal/#stage-{world.stage.id}" and east.deadline is None
    forces.take_imbalance_position(a["west-head"], world.imbalance.id, {"position": "approve"})
    forces.report_side(a["west-head"], world.stage.id, {"complete": False, "as_of": "2021-10-20"})
    assert imbalance not in keys(world, "west-head")[0] and imbalance not in keys(world, "west-member")[1]
    assert side in keys(world, "west-head")[0]  # its side is reported, not complete: the stage still waits on it
    assert imbalance in keys(world, "east-head")[0] and side in keys(world, "east-head")[0]
    assert not any(
        k == f"side:{world.later.id}" for who in EVERYONE for k in set().union(*keys(world, who))
    )  # not its turn
    forces.report_side(a["west-head"], world.half.id, {"complete": True, "as_of": "2021-10-21"})
    assert f"side:{world.half.id}" not in keys(world, "west-head")[0]  # complete on every side: nobody's


def test_a_suspended_party_waits_under_the_party(world):
    """The command refuses a suspended party's position: listed for the party, not as the head's to do."""
    a = world.actors
    mechanism.suspend_participation(
        a["west-head"], "west", {"since": mechanism.today().isoformat(), "reason": "Consultations"}
    )
    yours, party = keys(world, "west-head")
    assert f"position:{world.decision.id}" not in yours and f"position:{world.decision.id}" in party


def test_dashboard_and_nav_count(client, world, accounts):
    signed_in(client, accounts["east-head"])
    n = collect(world.actors["east-head"]).count
    for lang in ("en", "ar"):
        client.cookies["django_language"] = lang
        page = client.get("/").content.decode()
        assert 'id="h-needs"' in page and world.disputed.reference in page
        assert f'<span class="count">{n}</span>' in page
    with override("en"):
        client.cookies["django_language"] = "en"
        page = client.get("/needs/").content.decode()
        assert (
            f'aria-label="Needs you: {n} items"' in page
            and "A position on a decision" in page
            and "Waiting for your party" in page
        )


def test_observer_sees_a_clear_empty_state(client, world, accounts):
    signed_in(client, accounts["observer"])
    client.cookies["django_language"] = "en"
    page = client.get("/needs/").content.decode()
    assert (
        "Nothing here needs you" in page and 'class="count"' not in page and 'aria-label="Needs you: 0 items"' in page
    )
    assert world.disputed.reference not in page


def test_api_lists_the_callers_needs(client, world, accounts):
    signed_in(client, accounts["west-member"])
    body = client.get("/api/v1/me/needs").json()
    assert body["count"] == len(body["yours"]) == len(keys(world, "west-member")[0])
    assert {n["kind"] for n in body["yours"]} == {"investigate", "confirm", "draft", "sign"}
    assert {n["kind"] for n in body["party"]} == {"dispute", "position", "assessment", "layer", "imbalance", "side"}
    assert all(n["url"].startswith("http://testserver/") for n in body["yours"])
    signed_in(client, accounts["observer"])
    assert client.get("/api/v1/me/needs").json() == {"count": 0, "yours": [], "party": []}


@pytest.mark.parametrize("who", ["observer", "un-monitor"])
def test_no_part_no_need(world, who):
    assert keys(world, who) == (set(), set())


def test_how_one_hears_of_it_is_ones_own_choice(client, world, accounts):
    from ceasefire.needs.models import Preference

    signed_in(client, accounts["west-member"])
    client.cookies["django_language"] = "en"
    bad = client.post("/needs/", {"email": "not an address", "language": "fr"})
    assert bad.status_code == 422
    page = bad.content.decode()
    assert 'id="email-error"' in page and "must be Arabic or English" in page
    assert not Preference.objects.filter(user=accounts["west-member"]).exists()
    good = client.post("/needs/", {"email": "wm@example.org", "language": "en", "digest": "on"})
    assert good.status_code == 302
    pref = Preference.objects.get(user=accounts["west-member"])
    assert (pref.language, pref.digest, pref.user.email) == ("en", True, "wm@example.org")
