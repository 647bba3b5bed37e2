"""GET /reports: each filter, their combination and the pages, by which reports come back."""

import datetime as dt

import pytest

from ceasefire.incidents import commands as incidents
from ceasefire.record import log

from .conftest import assert_error
from .endpoints import REPORT


@pytest.fixture
def world(actors, typology):
    """Four reports, newest last: `shelling` and `tripoli` received, `sirte` (no coordinates) and
    `raid` in preliminary inquiry."""

    def file(who, **changes):
        return incidents.file_report(actors[who], {**REPORT, **changes})

    shelling = file("west-member")
    tripoli = file(
        "east-member",
        title="Drone over Tripoli",
        category="air-strike",
        alleged_party="west",
        affected_party="east",
        occurred_at="2021-05-10",
        latitude=32.89,
        longitude=13.19,
        place_en="Tripoli",
        place_ar="طرابلس",
        narrative="A drone struck a depot.",
    )
    sirte = file(
        "east-head",
        title="Shots at the gate",
        category="firing",
        occurred_at="2020-12-01",
        latitude=None,
        longitude=None,
        geo_precision=None,
        place_en="Sirte",
        place_ar="سرت",
        alleged_unit="Brigade 128",
        narrative="Shots were heard.",
    )
    raid = file(
        "west-head",
        title="Night raid",
        category="raid",
        occurred_at="2021-03-02T21:59+00:00",  # 23:59 in Libya: the last minute of the committee's 2 March
        latitude=31.2,
        longitude=16.5,
    )
    for r in (sirte, raid):
        incidents.triage(actors["facilitator"], r.id, {"decision": "admissible"})
    return {"shelling": shelling.id, "tripoli": tripoli.id, "sirte": sirte.id, "raid": raid.id}


def names(world, answer) -> list[str]:
    by_id = {v: k for k, v in world.items()}
    return [by_id[item["id"]] for item in answer["items"]]


def listed(api, world, who="west-member", **params):
    r = api(who).get("/reports", params)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] >= len(body["items"])
    return names(world, body)


def test_without_a_filter_every_report_newest_first(api, world):
    assert listed(api, world) == ["raid", "sirte", "tripoli", "shelling"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status": "received"}, ["tripoli", "shelling"]),
        ({"status": "inquiry"}, ["raid", "sirte"]),
        ({"status": "concluded"}, []),
        ({"category": "air-strike"}, ["tripoli"]),
        ({"category": "no-such-code"}, []),
        ({"alleged_party": "west"}, ["tripoli"]),
        ({"alleged_party": "east"}, ["raid", "sirte", "shelling"]),
        ({"occurred_from": "2021-03-02"}, ["raid", "tripoli", "shelling"]),
        # both days included, whatever the hour
        ({"occurred_to": "2021-03-02"}, ["raid", "sirte", "shelling"]),
        ({"occurred_from": "2021-03-02", "occurred_to": "2021-03-02"}, ["raid", "shelling"]),
        ({"occurred_from": "2021-03-03", "occurred_to": "2021-05-09"}, []),
        ({"bbox": "15,31,16,32"}, ["shelling"]),
        ({"bbox": "13,31,17,33"}, ["raid", "tripoli", "shelling"]),
        ({"bbox": "-180,-90,180,90"}, ["raid", "tripoli", "shelling"]),  # sirte has no coordinates
        ({"q": "tripoli"}, ["tripoli"]),
        ({"q": "طرابلس"}, ["tripoli"]),
        ({"q": "Brigade 128"}, ["sirte"]),
        ({"q": "artillery"}, ["raid", "shelling"]),  # in the narrative
        ({"q": "nothing like this"}, []),
        ({"status": "inquiry", "alleged_party": "east", "bbox": "16,31,17,32"}, ["raid"]),
        ({"category": "shelling", "occurred_from": "2021-03-03"}, []),
    ],
)
def test_each_filter(api, world, params, expected):
    assert listed(api, world, **params) == expected


def test_a_reference_finds_its_report(api, world):
    number = api("west-member").get(f"/reports/{world['tripoli']}").json()["number"]
    assert listed(api, world, q=number) == ["tripoli"]
    assert listed(api, world, q=number.lower()) == ["tripoli"]


def test_pages(api, world):
    first = api("east-member").get("/reports", {"limit": 3}).json()
    assert (first["count"], first["limit"], first["offset"]) == (4, 3, 0)
    assert names(world, first) == ["raid", "sirte", "tripoli"]
    second = api("east-member").get("/reports", {"limit": 3, "offset": 3}).json()
    assert (second["count"], names(world, second)) == (4, ["shelling"])
    assert api("east-member").get("/reports", {"offset": 10}).json() == {
        "count": 4,
        "limit": 50,
        "offset": 10,
        "items": [],
    }
    # the count is of what the filters match, not of a page
    assert api("east-member").get("/reports", {"status": "received", "limit": 1}).json()["count"] == 2


def later(monkeypatch, days: float):
    now = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    monkeypatch.setattr(log, "_clock", lambda: now)


def test_overdue(api, world, monkeypatch):
    assert listed(api, world, overdue="true") == []
    later(monkeypatch, 3)  # received: 2 days; inquiry: 5
    assert listed(api, world, overdue="true") == ["tripoli", "shelling"]
    assert listed(api, world, overdue="false") == ["raid", "sirte", "tripoli", "shelling"]
    item = api("west-member").get("/reports", {"overdue": "true"}).json()["items"][0]
    assert item["overdue"] is True and item["due_at"]
    later(monkeypatch, 6)
    assert listed(api, world, overdue="true") == ["raid", "sirte", "tripoli", "shelling"]
    assert listed(api, world, overdue="true", status="inquiry") == ["raid", "sirte"]


def test_the_overdue_list_puts_the_latest_first(api, world, actors, monkeypatch):
    incidents.set_stage_target(actors["facilitator"], {"stage": "inquiry", "days": 1})
    later(monkeypatch, 3)  # inquiry due after 1 day: 2 days late; received after 2: 1 day late
    body = api("west-member").get("/reports/overdue").json()
    assert body["count"] == 4
    assert names(world, body) == ["sirte", "raid", "shelling", "tripoli"]
    assert names(world, api("west-member").get("/reports/overdue", {"status": "received", "limit": 1}).json()) == [
        "shelling"
    ]
    later(monkeypatch, 1.5)
    assert names(world, api("west-member").get("/reports/overdue").json()) == ["sirte", "raid"]


def test_a_stage_past_its_target_shows_as_overdue_in_the_report(api, world, monkeypatch):
    later(monkeypatch, 3)
    stage = api("west-member").get(f"/reports/{world['raid']}").json()["stages"]
    assert [(s["stage"], s["overdue"]) for s in stage] == [("received", False), ("inquiry", False)]
    stage = api("west-member").get(f"/reports/{world['shelling']}").json()["stages"]
    assert [(s["stage"], s["overdue"]) for s in stage] == [("received", True)]
    assert 2.9 < stage[0]["days"] < 3.1


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "closed"}, "status"),
        ({"alleged_party": "EAST"}, "alleged_party"),
        ({"occurred_from": "2021-02-30"}, "occurred_from"),
        ({"occurred_from": "02/03/2021"}, "occurred_from"),
        ({"occurred_to": "yesterday"}, "occurred_to"),
        ({"occurred_from": "2021-03-02", "occurred_to": "2021-03-01"}, "occurred_to"),
        ({"bbox": "15,31,16"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "15,31,16,95"}, "bbox"),
        ({"bbox": "16,31,15,32"}, "bbox"),
        ({"bbox": "nan,31,16,32"}, "bbox"),
        ({"q": "x" * 201}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"category": "a\x00b"}, "category"),
        ({"overdue": "maybe"}, "overdue"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10**20}, "offset"),
    ],
)
def test_a_bad_parameter_is_named(api, world, params, field):
    assert_error(api("west-member").get("/reports", params), 422, field)
    assert_error(api(None).get("/reports/overdue" if "overdue" not in params else "/reports", params), 422, field)
