"""`GET /reports/{id}` answers what the reader may do now (`may`) and why not (`why_not`), from the
commands' own refusal functions; someone with no part in a step learns nothing of the report's
state from the answer."""

from django.contrib.auth import get_user_model

from ceasefire.incidents import commands
from ceasefire.incidents.models import Report
from ceasefire.mechanism.accounts import actor_for

from .endpoints import at

STEPS = set(commands.REFUSALS)


def test_may_is_the_commands_answer_for_every_reader(api, actors, typology):
    reports = [at(actors, stage) for stage in ("inquiry", "tasked", "findings", "disputed", "concluded")]
    commands.set_visibility(actors["facilitator"], reports[-1].id, {"visibility": "public"})
    for who in ("facilitator", "west-member", "east-member", "west-head", "observer", None):
        actor = actor_for(get_user_model().objects.get(username=who)) if who else None
        for r in reports:
            r = Report.objects.get(id=r.id)
            response = api(who).get(f"/reports/{r.id}")
            if response.status_code == 404:  # not shared with this reader
                continue
            body = response.json()
            refusals = commands.refusals(actor, r)
            assert set(body["may"]) == STEPS
            assert body["may"] == {step: refusal is None for step, refusal in refusals.items()}, (who, r.status)
            assert body["why_not"] == {s: x.message for s, x in refusals.items() if x is not None}, (who, r.status)
            assert body["draft"] == r.draft


def test_what_a_role_may_do_now(api, actors, typology):
    r = at(actors, "findings")
    fac = api("facilitator", language="en").get(f"/reports/{r.id}").json()
    assert fac["may"]["sign"] and not fac["may"]["triage"] and fac["may"]["draft_findings"]
    assert r.reference in fac["why_not"]["triage"]  # at stage "findings": the command's own words
    west = api("west-member", language="en").get(f"/reports/{r.id}").json()
    assert west["may"]["sign"] and not west["may"]["triage"] and "facilitator" in west["why_not"]["triage"]
    head = api("west-head").get(f"/reports/{r.id}").json()
    assert not head["may"]["sign"] and not head["may"]["confirm_investigation"]


def test_the_public_and_observers_learn_nothing_of_the_state_from_why_not(api, actors, typology):
    r = at(actors, "concluded")
    commands.set_visibility(actors["facilitator"], r.id, {"visibility": "public"})
    for who in ("observer", None):
        body = api(who).get(f"/reports/{r.id}").json()
        assert not any(body["may"].values())
        for reason in body["why_not"].values():
            assert r.reference not in reason and "concluded" not in reason.lower()
