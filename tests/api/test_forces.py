"""Foreign forces over the API: who may register, claim, plan, speak for a side, ask for a
verification (and who may not), what each reader reads, and bad input refused with a 4xx naming the
field, nothing written."""

import pytest

from ceasefire.forces.models import Informant
from ceasefire.incidents import chain

from .conftest import assert_error, events

GROUP = {
    "kind": "pmc",
    "name_en": "Wagner Group",
    "origin_en": "Russia",
    "sponsor_en": "claimed: Russian state",
    "source": "https://www.defenceweb.co.za/security/national-security/thousand-plus-russian-military-group-personnel-in-libya-un/",
}
PRESENCE = {
    "place": "icao:HL69",
    "from_on": "2020-05-01",
    "low": 800,
    "best": 1000,
    "high": 1200,
    "confidence": "medium",
    "source": "UN Panel of Experts, May 2020",
    "informant": {"name": "px-informant-zq"},
}
DEPARTURE = {
    "claimed": 300,
    "departed_on": "2021-11-11",
    "place": "icao:HLGD",
    "confidence": "low",
    "source": "LNA-side JMC members",
}
PLAN = {
    "title_en": "Action plan",
    "agreed_on": "2021-10-08",
    "principles_en": "gradual, balanced, synchronised, sequenced",
    "source": "https://libya360.wordpress.com/2021/10/08/",
}
STAGE = {
    "title_en": "Pull back to assembly points",
    "conditions_en": "Points in two cities",
    "source": "218TV via Libya Herald",
}


@pytest.fixture
def group(api, typology):
    r = api("facilitator").post("/forces", GROUP)
    assert r.status_code == 201, r.content
    return r.json()


@pytest.fixture
def stage(api):
    plan = api("facilitator").post("/withdrawal/plans", PLAN).json()
    r = api("facilitator").post(f"/withdrawal/plans/{plan['id']}/stages", STAGE)
    assert r.status_code == 201, r.content
    return r.json()


@pytest.mark.parametrize(
    "who, status", [("west-head", 201), ("east-member", 201), ("monitor", 201), ("facilitator", 201), ("observer", 403)]
)
def test_who_may_register_and_claim(api, monitor, typology, who, status):
    r = api(who).post("/forces", GROUP)
    assert r.status_code == status, r.content
    if status != 201:
        return
    g = r.json()
    assert g["claimed_by"] == {"west-head": "west", "east-member": "east"}.get(who)
    r = api(who).post(f"/forces/{g['id']}/presence", PRESENCE)
    assert r.status_code == 201, r.content
    assert (r.json()["place"]["name_en"], r.json()["best"], r.json()["informant"]) == ("Al Jufra Air Base", 1000, True)
    r = api(who).post(f"/forces/{g['id']}/departures", DEPARTURE)
    assert r.status_code == 201 and r.json()["verification"]["status"] == ""


def test_the_public_claims_nothing(api, group):
    before = events()
    assert_error(api(None).post("/forces", GROUP), 401)
    assert_error(api("observer").post(f"/forces/{group['id']}/departures", DEPARTURE), 403)
    assert_error(api("observer").post(f"/forces/{group['id']}/presence", PRESENCE), 403)
    assert events() == before


def test_rival_claims_stand_side_by_side_and_the_informant_stays_in_the_vault(api, group):
    api("west-head").post(f"/forces/{group['id']}/presence", PRESENCE)
    api("east-head").post(
        f"/forces/{group['id']}/presence", {**PRESENCE, "low": 100, "best": 200, "high": 300, "informant": None}
    )
    seen = api("west-member").get(f"/forces/{group['id']}").json()
    assert sorted((p["claimed_by"], p["best"]) for p in seen["presence"]) == [("east", 200), ("west", 1000)]
    assert Informant.objects.get().identity["name"] == "px-informant-zq"
    for who in ("west-member", "observer", "facilitator"):
        assert "px-informant-zq" not in api(who).get(f"/forces/{group['id']}").content.decode()
    observed = api("observer").get(f"/forces/{group['id']}").json()
    assert (
        observed["presence"] is None and observed["source"] == GROUP["source"]
    )  # presence claims stay with the parties
    assert_error(api(None).get(f"/forces/{group['id']}"), 401)


@pytest.mark.parametrize(
    "body, field",
    [
        ({**GROUP, "kind": "army"}, "kind"),
        ({**GROUP, "name_en": ""}, "name"),
        ({**GROUP, "source": ""}, "source"),
        ({**GROUP, "colour": "red"}, "colour"),
    ],
)
def test_bad_groups_are_refused_naming_the_field(api, typology, body, field):
    before = events()
    r = api("facilitator").post("/forces", body)
    assert r.status_code in (400, 422), r.content
    assert field in [e["field"] for e in r.json()["detail"]], r.json()
    assert events() == before


@pytest.mark.parametrize(
    "change, field",
    [
        ({"place": "osm:nowhere"}, "place"),
        ({"place": None}, "place"),
        ({"low": 2000}, "low"),
        ({"high": 10}, "high"),
        ({"best": -1}, "best"),
        ({"best": "many"}, "best"),
        ({"from_on": "2999-01-01"}, "from_on"),
        ({"until_on": "2019-01-01"}, "until_on"),
        ({"until_on": "2099-01-01"}, "until_on"),
        ({"confidence": "sure"}, "confidence"),
        ({"informant": {"contact": "x"}}, "informant.name"),
    ],
)
def test_bad_presence_claims_are_refused_naming_the_field(api, group, change, field):
    before = events()
    r = api("west-head").post(f"/forces/{group['id']}/presence", {**PRESENCE, **change})
    assert r.status_code in (400, 422), r.content
    assert field in [e["field"] for e in r.json()["detail"]], r.json()
    assert events() == before and not Informant.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"claimed": None}, "claimed"),
        ({"claimed": 10**9}, "claimed"),
        ({"departed_on": "2021-13-01"}, "departed_on"),
        ({"place": "", "place_name": ""}, "place"),
    ],
)
def test_bad_departures_are_refused_naming_the_field(api, group, change, field):
    before = events()
    r = api("east-head").post(f"/forces/{group['id']}/departures", {**DEPARTURE, **change})
    assert r.status_code in (400, 422), r.content
    assert field in [e["field"] for e in r.json()["detail"]], r.json()
    assert events() == before


def test_every_fault_of_a_claim_is_named_at_once(api, group):
    before = events()
    bad = {"claimed": -1, "departed_on": "2021-13-01", "place": "nowhere", "confidence": "sure", "source": ""}
    r = api("east-head").post(f"/forces/{group['id']}/departures", {**DEPARTURE, **bad})
    assert r.status_code == 422, r.content
    assert sorted(e["field"] for e in r.json()["detail"]) == sorted(bad)
    bad = {"from_on": "2020-05-10", "until_on": "2020-05-01", "low": 900, "best": 800, "confidence": ""}
    r = api("east-head").post(f"/forces/{group['id']}/presence", {**PRESENCE, **bad})
    assert r.status_code == 422, r.content
    assert sorted(e["field"] for e in r.json()["detail"]) == ["confidence", "low", "until_on"]
    assert events() == before


def test_a_missing_group_is_a_404(api, typology):
    assert_error(api("west-head").post("/forces/424242/departures", DEPARTURE), 404, "group")


# ---------------------------------------------------------------- the plan and its stages


@pytest.mark.parametrize("who", ["west-head", "east-member", "monitor", "observer"])
def test_only_the_facilitator_records_the_plan(api, monitor, who):
    before = events()
    assert_error(api(who).post("/withdrawal/plans", PLAN), 403)
    assert events() == before


def test_the_plan_is_public_its_stages_status_is_not(api, stage):
    plans = api(None).get("/withdrawal/plans").json()
    assert [s["title"] for s in plans[0]["stages"]] == [STAGE["title_en"]]
    assert plans[0]["stages"][0]["status"] is None and plans[0]["stages"][0]["sides"] is None
    assert api("observer").get(f"/withdrawal/stages/{stage['id']}").json()["status"] == "pending"


def test_a_stage_completes_only_when_every_side_is_complete(api, stage):
    url = f"/withdrawal/stages/{stage['id']}/sides"
    r = api("west-head", language="en").post(url, {"complete": True, "as_of": "2021-12-01", "source": "west statement"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "in_progress"
    assert api("observer").get(f"/withdrawal/stages/{stage['id']}").json()["status"] == "pending"
    assert r.json()["waiting_for"] == ["the side of Eastern region is not complete"]
    r = api("east-head").post(url, {"complete": True, "as_of": "2021-12-02"})
    assert r.json()["status"] == "complete"
    assert api("observer").get(f"/withdrawal/stages/{stage['id']}").json()["status"] == "complete"
    assert_error(api("east-head").post(url, {"complete": False, "as_of": "2021-12-03"}), 409, "stage")


@pytest.mark.parametrize(
    "who, status", [("west-member", 403), ("monitor", 403), ("observer", 403), ("facilitator", 403)]
)
def test_only_a_partys_speaker_reports_its_side(api, monitor, stage, who, status):
    before = events()
    assert_error(
        api(who).post(f"/withdrawal/stages/{stage['id']}/sides", {"complete": True, "as_of": "2021-12-01"}), status
    )
    assert events() == before


def test_a_party_never_speaks_for_the_other_side(api, stage):
    before = events()
    r = api("west-head").post(
        f"/withdrawal/stages/{stage['id']}/sides", {"complete": True, "as_of": "2021-12-01", "party": "east"}
    )
    assert_error(r, 403, "party")
    assert events() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"as_of": "2021-12-01"}, "complete"),
        ({"complete": True}, "as_of"),
        ({"complete": "yes", "as_of": "2021-12-01"}, "complete"),
    ],
)
def test_bad_sides_are_refused_naming_the_field(api, stage, body, field):
    before = events()
    r = api("west-head").post(f"/withdrawal/stages/{stage['id']}/sides", body)
    assert r.status_code in (400, 422) and field in [e["field"] for e in r.json()["detail"]], r.content
    assert events() == before


def test_an_imbalance_is_recorded_only_when_every_party_approves(api, stage):
    r = api("west-head").post(
        f"/withdrawal/stages/{stage['id']}/imbalances", {"text": "The east's points are not ready"}
    )
    assert r.status_code == 201, r.content
    imbalance = r.json()
    assert imbalance["recorded"] is False and imbalance["positions"] == [
        {"party": "west", "position": "approve", "reason": ""}
    ]
    assert_error(api("east-head").post(f"/withdrawal/stages/{stage['id']}/imbalances", {"text": "again"}), 409, "stage")
    assert_error(api("observer").get(f"/withdrawal/imbalances/{imbalance['id']}"), 404, "imbalance")
    assert_error(
        api("facilitator").post(f"/withdrawal/imbalances/{imbalance['id']}/positions", {"position": "approve"}), 403
    )
    r = api("east-head").post(f"/withdrawal/imbalances/{imbalance['id']}/positions", {"position": "object"})
    assert r.json()["recorded"] is False
    assert api("west-head").get(f"/withdrawal/stages/{stage['id']}").json()["status"] == "pending"
    r = api("east-head").post(f"/withdrawal/imbalances/{imbalance['id']}/positions", {"position": "approve"})
    assert r.json()["recorded"] is True
    assert api("observer").get(f"/withdrawal/stages/{stage['id']}").json()["status"] == "imbalance"


# ---------------------------------------------------------------- verification and progress


def test_a_departure_is_verified_through_the_reports_chain(api, group):
    d = api("east-head").post(f"/forces/{group['id']}/departures", DEPARTURE).json()
    assert d["may_request_verification"] is False or d["may_request_verification"] is True
    assert api("observer").get(f"/departures/{d['id']}").json()["may_request_verification"] is False
    assert_error(api("observer").post(f"/departures/{d['id']}/verification", {}), 403)
    assert_error(api("east-head").post(f"/departures/{d['id']}/verification", {"category": "nothing"}), 422, "category")
    r = api("east-head").post(f"/departures/{d['id']}/verification", {"note": "Please count at the gate"})
    assert r.status_code == 201, r.content
    report = r.json()
    assert report["subject"]["kind"] == "departure" and report["subject"]["id"] == d["id"]
    assert report["status"] == chain.RECEIVED
    assert_error(api("west-head").post(f"/departures/{d['id']}/verification", {}), 409, "departure")
    fac = api("facilitator")
    assert fac.post(f"/reports/{report['id']}/triage", {"decision": "admissible"}).status_code == 200
    assert fac.post(f"/reports/{report['id']}/team", {"team": ["west-member", "east-member"]}).status_code == 200
    r = api("west-member").post(
        f"/reports/{report['id']}/investigation",
        {"site_visited": True, "visited_on": "2021-11-12", "access": "granted", "methods": "Counted"},
    )
    assert r.status_code == 200, r.content
    r = api("east-member").post(
        f"/reports/{report['id']}/investigation/confirmations", {"investigation": r.json()["investigation"]["entry"]}
    )
    assert r.status_code == 200, r.content
    findings = {"findings": [{"allegation": "300 left", "result": "no_violation", "count": 250}]}
    r = api("west-member").post(f"/reports/{report['id']}/findings", findings)
    assert r.status_code == 200, r.content
    assert r.json()["findings"][0]["count"] == 250
    draft = r.json()["draft"]
    for who in ("west-member", "east-member", "facilitator"):
        r = api(who).post(f"/reports/{report['id']}/signoffs", {"agrees": True, "draft": draft})
        assert r.status_code == 200, r.content
    assert r.json()["status"] == chain.CONCLUDED
    seen = api("west-head").get(f"/departures/{d['id']}").json()["verification"]
    assert (seen["status"], seen["verified"], seen["report_id"]) == ("concluded", 250, report["id"])
    progress = api("west-head").get("/withdrawal/progress").json()
    assert progress["overall"] == {
        "claims": [{"claimant": "east", "claimed": 300, "departures": 1}],
        "verified": 250,
        "departures": 1,
        "verified_departures": 1,
    }
    assert progress["groups"][0]["name"] == "Wagner Group"
    # observers read the claim, not the parties' report nor its count until the committee shares it
    assert api("observer").get("/withdrawal/progress").json()["overall"]["verified"] == 0
    assert api("observer").get(f"/departures/{d['id']}").json()["verification"]["status"] == ""
    assert_error(api(None).get("/withdrawal/progress"), 401)


def test_a_count_belongs_to_a_verification_only(api, group, typology):
    from tests.samples import REPORT

    r = api("west-member").post("/reports", REPORT).json()
    fac = api("facilitator")
    fac.post(f"/reports/{r['id']}/triage", {"decision": "admissible"})
    fac.post(f"/reports/{r['id']}/team", {"team": ["west-member", "east-member"]})
    inv = (
        api("west-member")
        .post(
            f"/reports/{r['id']}/investigation",
            {"site_visited": True, "visited_on": "2021-03-04", "access": "granted", "methods": "Counted"},
        )
        .json()
    )
    api("east-member").post(
        f"/reports/{r['id']}/investigation/confirmations", {"investigation": inv["investigation"]["entry"]}
    )
    before = events()
    answer = api("west-member").post(
        f"/reports/{r['id']}/findings", {"findings": [{"allegation": "a", "result": "violation", "count": 3}]}
    )
    assert_error(answer, 422, "findings[0].count")
    assert events() == before
