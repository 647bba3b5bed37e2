"""Missing-person cases over the API: who may open a case, claim its status and give a party's
position, and who may not; rival statuses side by side, the committee's only with every party's
approval; what each reader reads (observers the committee's statuses alone, the public nothing);
the identity never in any answer; bad input refused with a 4xx naming the field, nothing written."""

import pytest

from ceasefire.missing import commands
from ceasefire.missing.models import Case, Identity
from tests.conftest import FACILITATOR

from .conftest import assert_error, events

NAME = "px-missing-person-name-zq"
CASE = {
    "missing_since": "2020-06-05",
    "place": "osm:n1193620130",
    "circumstances_en": "px-circumstances-zq",
    "source": "px-case-source-zq",
    "identity": {"name": NAME, "contact": "px-contact-zq", "relation": "brother", "note": "px-vault-note-zq"},
}
SECRETS = [NAME, "px-contact-zq", "px-vault-note-zq"]


@pytest.fixture
def case(api, mechanism):
    r = api("west-member").post("/missing", CASE)
    assert r.status_code == 201, r.content
    return r.json()


def claim(api, who, case, **change):
    return api(who).post(
        f"/missing/{case['id']}/statuses",
        {"status": "located_alive", "as_of": "2021-01-10", "note_en": "px-status-note-zq", "source": "s", **change},
    )


@pytest.mark.parametrize(
    "who, status",
    [("west-head", 201), ("east-member", 201), ("monitor", 201), ("facilitator", 201), ("observer", 403), (None, 401)],
)
def test_who_may_open_a_case_and_claim_its_status(api, mechanism, monitor, who, status):
    before = events()
    r = api(who).post("/missing", CASE)
    assert r.status_code == status, r.content
    if status != 201:
        assert events() == before and not Identity.objects.exists()
        return
    body = r.json()
    assert body["details"]["place"]["name_en"] == "Al Shwayrif" and body["status"] is None
    assert body["details"]["opened_by"] == {"west-head": "west", "east-member": "east"}.get(who)
    r = claim(api, who, body)
    assert r.status_code == 201 and r.json()["claimed_by"] == {"west-head": "west", "east-member": "east"}.get(who)


def test_observers_may_not_claim_a_status(api, case):
    before = events()
    assert_error(claim(api, "observer", case), 403)
    assert_error(claim(api, None, case), 401)
    assert events() == before


def test_the_identity_goes_to_the_vault_and_no_answer_carries_it(api, case, monitor, actors):
    [kept] = Identity.objects.all()
    assert kept.identity["name"] == NAME and kept.commitment == case["details"]["commitment"]
    assert commands.identity(FACILITATOR, Case.objects.get()).identity["name"] == NAME
    from ceasefire.errors import Forbidden

    with pytest.raises(Forbidden):  # not even whoever opened the case reads it back
        commands.identity(actors["west-member"], Case.objects.get())
    c = claim(api, "west-head", case).json()
    api("east-head").post(f"/missing/statuses/{c['id']}/positions", {"position": "approve"})
    for who in ("west-head", "west-member", "east-head", "facilitator", "monitor", "observer", None):
        for path in ("/missing", f"/missing/{case['id']}", "/record/events?limit=1000"):
            content = api(who).get(path).content.decode()
            assert not any(s in content for s in SECRETS), (who, path)


def test_a_status_is_the_committees_only_when_every_party_approves(api, case, monitor):
    c = claim(api, "west-head", case).json()  # the speaker's claim is its party's approval
    assert not c["agreed"] and [p["party"] for p in c["positions"]] == ["west"] and c["waiting_for"]
    rival = claim(api, "east-member", case, status="found_dead").json()  # a member's claim approves nothing
    assert rival["positions"] == []
    assert_error(api("east-member").post(f"/missing/statuses/{c['id']}/positions", {"position": "approve"}), 403)
    assert_error(api("monitor").post(f"/missing/statuses/{c['id']}/positions", {"position": "approve"}), 403)
    assert_error(api("facilitator").post(f"/missing/statuses/{c['id']}/positions", {"position": "approve"}), 403)
    r = api("east-head").post(f"/missing/statuses/{c['id']}/positions", {"position": "approve"})
    assert r.status_code == 200 and r.json()["agreed"], r.content
    assert_error(api("west-head").post(f"/missing/statuses/{c['id']}/positions", {"position": "object"}), 409)
    seen = api("west-member").get(f"/missing/{case['id']}").json()
    assert seen["status"]["status"] == "located_alive"
    assert [(x["status"], x["agreed"]) for x in seen["details"]["claims"]] == [
        ("found_dead", False),
        ("located_alive", True),
    ]


def test_observers_read_the_committees_statuses_alone_and_the_public_nothing(api, case, mechanism):
    unagreed = api("west-member").post("/missing", {**CASE, "identity": {"name": "other"}}).json()
    assert api("observer").get("/missing").json() == []
    assert_error(api("observer").get(f"/missing/{case['id']}"), 404)
    c = claim(api, "west-head", case).json()
    api("east-head").post(f"/missing/statuses/{c['id']}/positions", {"position": "approve"})
    claim(api, "east-member", case, status="found_dead", note_en="px-rival-zq")
    [seen] = api("observer").get("/missing").json()
    assert seen == {
        "id": case["id"],
        "reference": f"MP-{case['id']}",
        "status": {"claim": c["id"], "status": "located_alive", "as_of": "2021-01-10"},
        "agreed": [{"claim": c["id"], "status": "located_alive", "as_of": "2021-01-10"}],
        "details": None,
    }
    assert_error(api("observer").get(f"/missing/{unagreed['id']}"), 404)
    assert_error(api(None).get("/missing"), 401)
    assert_error(api(None).get(f"/missing/{case['id']}"), 401)


@pytest.mark.parametrize(
    "change, fields",
    [
        ({"missing_since": "2999-01-01"}, ["missing_since"]),
        ({"missing_since": None, "source": ""}, ["missing_since", "source"]),
        ({"place": "osm:nowhere"}, ["place"]),
        ({"place": None}, ["place"]),
        ({"identity": None}, ["identity"]),
        ({"identity": {"contact": "x"}}, ["identity.name"]),
        ({"circumstances_en": "x" * 5001}, ["circumstances_en"]),
    ],
)
def test_bad_cases_are_refused_naming_the_field(api, mechanism, change, fields):
    before = events()
    r = api("facilitator").post("/missing", {**CASE, **change})
    assert r.status_code in (400, 422), r.content
    named = [e["field"] for e in r.json()["detail"]]
    assert all(f in named for f in fields), r.json()
    assert events() == before and not Identity.objects.exists()


def test_a_release_may_name_a_recorded_exchange(api, case, typology):
    x = (
        api("facilitator")
        .post("/exchanges", {"happened_on": "2020-12-25", "place": "osm:n1193620130", "source": "s"})
        .json()
    )
    r = claim(api, "facilitator", case, status="released", exchange=x["id"])
    assert r.status_code == 201 and r.json()["exchange"] == x["id"], r.content


@pytest.mark.parametrize(
    "change, fields",
    [
        ({"status": "vanished"}, ["status"]),
        ({"as_of": "2999-01-01", "source": ""}, ["as_of", "source"]),
        ({"as_of": "yesterday"}, ["as_of"]),
        ({"as_of": "2020-06-04"}, ["as_of"]),  # the day before the person went missing
        ({"status": "released", "exchange": 424242}, ["exchange"]),
        ({"status": "missing", "exchange": 1}, ["exchange"]),
        ({"status": "released", "exchange": "x"}, ["exchange"]),
        ({"note_en": "x" * 5001}, ["note_en"]),
    ],
)
def test_bad_statuses_are_refused_naming_the_field(api, case, change, fields):
    before = events()
    r = claim(api, "west-head", case, **change)
    assert r.status_code in (400, 422), r.content
    named = [e["field"] for e in r.json()["detail"]]
    assert all(f in named for f in fields), r.json()
    assert events() == before


def test_bad_positions_and_unknown_rows(api, case):
    c = claim(api, "west-member", case).json()
    before = events()
    assert_error(
        api("east-head").post(f"/missing/statuses/{c['id']}/positions", {"position": "maybe"}), 422, "position"
    )
    assert_error(api("east-head").post("/missing/statuses/424242/positions", {"position": "approve"}), 404, "claim")
    assert_error(claim(api, "west-head", {"id": 424242}), 404, "case")
    assert_error(api("west-head").get("/missing/424242"), 404, "case")
    assert events() == before


def test_a_status_before_the_person_went_missing_is_refused_in_arabic_too(api, case):
    r = claim(api, "west-head", case, as_of="2020-06-01")
    assert_error(r, 422, "as_of", contains="2020-06-05")
    r = api("west-head", "ar").post(
        f"/missing/{case['id']}/statuses", {"status": "missing", "as_of": "2020-06-01", "source": "s"}
    )
    assert_error(r, 422, "as_of", contains="قبل يوم فقدان الشخص")
