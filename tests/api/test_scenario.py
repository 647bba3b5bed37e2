"""A committee driven over the API alone, from its establishment to an adopted decision; the record
it leaves replays to the same state."""

from django.test import Client

from ceasefire.api.tokens import create_token
from ceasefire.mechanism.accounts import create_account
from ceasefire.record import replay
from tests.conftest import PASSWORD

from .conftest import Api


def ok(response, status=200):
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_everything_over_the_api_and_the_record_replays(db):
    un = Api(Client(), create_token(create_account("un", PASSWORD, "facilitator")), language="en")
    ok(
        un.post(
            "/mechanism",
            {
                "name_en": "5+5 Joint Military Commission",
                "name_ar": "اللجنة العسكرية المشتركة 5+5",
                "facilitator": "UNSMIL",
                "parties": [
                    {
                        "code": "west",
                        "name_en": "Government of National Accord",
                        "name_ar": "حكومة الوفاق الوطني",
                        "seats": 5,
                    },
                    {"code": "east", "name_en": "Libyan National Army", "name_ar": "القيادة العامة", "seats": 5},
                ],
            },
        ),
        201,
    )
    west = Api(Client(), create_token(create_account("w", PASSWORD, "head", "west")))
    east = Api(Client(), create_token(create_account("e", PASSWORD, "head", "east")))

    ids = {}
    for party in ("west", "east"):
        for seat in range(1, 6):
            member = ok(
                un.post(
                    "/members",
                    {
                        "name_latin": f"{party} {seat}",
                        "role": "head" if seat == 1 else "member",
                        "party": party,
                        "seat": seat,
                    },
                ),
                201,
            )
            ids[(party, seat)] = member["id"]
    successor = ok(
        un.post(f"/members/{ids[('east', 5)]}/replace", {"on": "2020-09-01", "successor": {"name_ar": "خلف"}}), 201
    )
    ok(un.post(f"/members/{ids[('west', 5)]}/leave", {"on": "2020-09-01"}))

    agreement = ok(un.post("/agreements", {"title": "Ceasefire agreement", "signed_on": "2020-10-23"}), 201)
    provision = ok(
        un.post(
            f"/agreements/{agreement['id']}/provisions",
            {"number": "2", "text": "Mercenaries leave", "deadline_months": 3},
        ),
        201,
    )
    ok(west.post(f"/provisions/{provision['id']}/interpretations", {"reading": "All of them"}), 201)
    ok(east.post(f"/provisions/{provision['id']}/interpretations", {"reading": "Both sides' alike"}), 201)

    meeting = ok(
        un.post(
            "/meetings",
            {
                "title": "Geneva",
                "starts_on": "2020-10-19",
                "ends_on": "2020-10-23",
                "city": "Geneva",
                "country": "Switzerland",
            },
        ),
        201,
    )
    m = meeting["id"]
    present = [ids[("west", s)] for s in (1, 2, 3)] + [ids[("east", s)] for s in (1, 2)] + [successor["id"]]
    assert ok(un.post(f"/meetings/{m}/attendance", {"present": present}))["quorum"]["met"] is True
    ok(un.post(f"/meetings/{m}/agenda", {"title": "Withdrawal of forces"}), 201)
    decision = ok(un.post(f"/meetings/{m}/decisions", {"text": "All forces return to their camps"}), 201)
    ok(west.post(f"/decisions/{decision['id']}/positions", {"position": "approve"}))
    assert ok(east.post(f"/decisions/{decision['id']}/positions", {"position": "approve"}))["adopted"] is True
    item = ok(
        un.post(
            f"/meetings/{m}/action-items",
            {"text": "Withdraw from the front", "owner_party": "east", "decision": decision["id"]},
        ),
        201,
    )
    ok(east.post(f"/action-items/{item['id']}/status", {"status": "in_progress"}))
    ok(un.post(f"/meetings/{m}/minutes", {"minutes": "Signed."}))
    ok(east.post("/parties/east/suspend", {"since": "2021-03-01"}))
    ok(un.post("/parties/east/resume", {"on": "2021-04-01"}))

    record = ok(un.get("/record/events", {"limit": 1000}))
    assert record["size"] == len(record["events"]) == 29 + 3  # the adoption is an event of its own; 3 accounts enrolled
    assert [e["type"] for e in record["events"]].count("decision.adopted") == 1
    assert record["events"][-1]["type"] == "party.resumed"

    result = replay.check(progress=None)
    assert result.ok, result.difference
    assert result.events == 29 + 3
