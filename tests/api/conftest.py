"""Fixtures for the API tests: a client per role (bearer token) and a committee with something in it."""

import json
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ceasefire.agreements import commands as agreements
from ceasefire.api.tokens import create_token
from ceasefire.incidents import commands as incidents
from ceasefire.mechanism import commands
from ceasefire.mechanism.accounts import actor_for, create_account
from ceasefire.record.models import Event
from tests import once
from tests.conftest import FACILITATOR, PASSWORD

BASE = "/api/v1"


class Api:
    """A JSON client for /api/v1 with a bearer token, a session, or no credentials at all."""

    def __init__(self, client: Client, token: str | None = None, language: str | None = None):
        self.client = client
        self.headers = {}
        if token is not None:
            self.headers["Authorization"] = f"Bearer {token}"
        if language:
            self.headers["Accept-Language"] = language

    def url(self, path: str) -> str:
        return path if path.startswith(BASE) else BASE + path

    def get(self, path: str, params: dict | None = None, **headers):
        return self.client.get(self.url(path), params or {}, headers={**self.headers, **headers})

    def post(self, path: str, body=None, *, raw: bytes | str | None = None, content_type="application/json", **headers):
        data = raw if raw is not None else (b"" if body is None else json.dumps(body))
        return self.client.post(self.url(path), data, content_type=content_type, headers={**self.headers, **headers})


@once.fixture
def tokens(accounts):
    """username -> a bearer token for that account."""
    return {name: create_token(user, "tests") for name, user in accounts.items()}


@pytest.fixture
def api(tokens):
    """api(username) -> a client with that account's token; api(None) -> no credentials."""

    def make(who: str | None, language: str | None = None) -> Api:
        return Api(Client(), tokens[who] if who else None, language)

    return make


@pytest.fixture
def facilitator(api):
    return api("facilitator")


def events() -> int:
    return Event.objects.count()


def assert_error(response, status: int, field: str | None = ..., *, contains: str | None = None):
    """The answer is `status` with the one error shape; `field`, when given, is among the fields named."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail"}, body
    assert isinstance(body["detail"], list) and body["detail"], body
    for error in body["detail"]:
        assert set(error) == {"field", "message"}, error
        assert isinstance(error["message"], str) and error["message"], error
        assert error["field"] is None or isinstance(error["field"], str), error
    if field is not ...:
        assert field in [e["field"] for e in body["detail"]], body
    if contains is not None:
        assert any(contains in e["message"] for e in body["detail"]), body
    return body["detail"]


@once.fixture
def committee(actors):
    """Three seated members a party (heads in seat 1), a UN facilitator and an envoy on the roster;
    the ceasefire agreement with a provision and a reading of it; a meeting with a decision and an
    action item owned by the western delegation."""
    f = actors["facilitator"]

    def appoint(**fields):
        return commands.appoint_member(f, fields)

    members = {}
    for party, word in (("west", "Western"), ("east", "Eastern")):
        members[f"{party}-head"] = appoint(
            name_latin=f"{word} head", name_ar="رئيس الوفد", role="head", party=party, seat=1
        )
        members[f"{party}-2"] = appoint(name_latin=f"{word} officer 2", role="member", party=party, seat=2)
        members[f"{party}-3"] = appoint(name_latin=f"{word} officer 3", role="member", party=party, seat=3)
    members["un"] = appoint(name_latin="UN ceasefire monitor", role="facilitator")
    members["envoy"] = appoint(name_latin="Envoy", role="observer")
    agreement = agreements.record_agreement(
        f,
        {
            "title_en": "Agreement for a Complete and Permanent Ceasefire in Libya",
            "title_ar": "اتفاق وقف إطلاق النار الدائم في ليبيا",
            "signed_on": "2020-10-23",
            "place": "Geneva",
        },
    )
    provision = agreements.add_provision(
        f,
        agreement.id,
        {"number": "2", "text": "All foreign fighters and mercenaries shall leave Libya.", "deadline_months": 3},
    )
    interpretation = agreements.add_interpretation(
        f, provision.id, {"held_by": "UNSMIL", "reading": "Within three months of signature."}
    )
    meeting = commands.record_meeting(
        f,
        {
            "title": "Fourth round",
            "starts_on": "2020-10-19",
            "ends_on": "2020-10-23",
            "city": "Geneva",
            "country": "Switzerland",
        },
    )
    decision = commands.record_decision(f, meeting.id, {"text": "Open the coastal road"})
    item = commands.add_action_item(
        f, meeting.id, {"text": "Clear the mines on the coastal road", "owner_party": "west", "decision": decision.id}
    )
    return SimpleNamespace(
        members=members,
        agreement=agreement,
        provision=provision,
        interpretation=interpretation,
        meeting=meeting,
        decision=decision,
        item=item,
    )


# ---------------------------------------------------------------- reports and the verification chain


@once.fixture
def typology(mechanism):
    """The default typology, adopted by the facilitator."""
    return incidents.adopt_default_typology(FACILITATOR)


@once.fixture
def monitor(accounts, tokens):
    """A UN monitor's login, beside the six roles: api("monitor") calls with its token."""
    user = create_account("monitor", PASSWORD, "monitor")
    tokens["monitor"] = create_token(user, "tests")
    return actor_for(user)


def upload(client: Api, report_id, name: str, content: bytes, content_type: str = "text/plain", **fields):
    """POST a file to /reports/{id}/evidence as a browser's form would send it."""
    data = {"file": SimpleUploadedFile(name, content, content_type=content_type), **fields}
    return client.client.post(client.url(f"/reports/{report_id}/evidence"), data, headers=client.headers)
