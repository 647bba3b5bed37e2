"""Establishing the committee over the API: the facilitator alone, and once. (A module of its own:
it starts from an empty record, where the others start from a committee built once.)"""

from django.test import Client

from ceasefire.api.tokens import create_token
from ceasefire.mechanism.accounts import create_account
from tests.conftest import PASSWORD

from .conftest import Api, assert_error, events

ESTABLISH = {
    "name_en": "Joint Military Commission",
    "name_ar": "اللجنة العسكرية المشتركة",
    "parties": [
        {"code": "west", "name_en": "Western region", "name_ar": "المنطقة الغربية", "seats": 5},
        {"code": "east", "name_en": "Eastern region", "name_ar": "المنطقة الشرقية", "seats": 5},
    ],
}


def test_only_the_facilitator_establishes_the_mechanism_and_only_once(db):
    facilitator = Api(Client(), create_token(create_account("un", PASSWORD, "facilitator")))
    observer = Api(Client(), create_token(create_account("envoy", PASSWORD, "observer")))
    assert_error(observer.get("/mechanism"), 404, None)
    assert_error(observer.post("/mechanism", ESTABLISH), 403, None)
    assert_error(Api(Client()).post("/mechanism", ESTABLISH), 401, None)
    assert events() == 2  # the two accounts' enrollments
    r = facilitator.post("/mechanism", ESTABLISH)
    assert r.status_code == 201, r.content
    assert [p["code"] for p in r.json()["parties"]] == ["west", "east"]
    assert events() == 3
    assert_error(facilitator.post("/mechanism", ESTABLISH), 409, None)
    assert events() == 3
    assert observer.get("/mechanism").json()["name_en"] == "Joint Military Commission"
