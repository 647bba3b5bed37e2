"""Authentication: bearer tokens for scripts, the session (with CSRF) for the browser; 401 when the
credentials are missing or wrong, 403 when the login has no account on the committee."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ceasefire.api.tokens import create_token
from tests.helpers import signed_in

from .conftest import Api, assert_error, events
from .endpoints import REPORT_PUBLIC_OPERATIONS

MEETING = {"title": "Cairo", "starts_on": "2021-01-10", "city": "Cairo", "country": "Egypt"}


def test_the_openapi_schema_is_public_and_describes_both_ways_in():
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["info"]["title"] == "ceasefire" and schema["info"]["version"] == "1"
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["BearerToken"].items()
    assert schemes["Session"]["in"] == "cookie"
    for path in (
        "/api/v1/mechanism",
        "/api/v1/meetings",
        "/api/v1/decisions/{decision_id}/positions",
        "/api/v1/record/events",
    ):
        assert path in schema["paths"], path
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids)) and "take_position" in ids
    # Everything but the schema itself asks for credentials, or says they are optional ({}): what
    # anyone may check the record with. A witness's cosignature needs none: its signature is its credential.
    public = {
        ("get", "/api/v1/record/checkpoint"),
        ("get", "/api/v1/record/log-key"),
        ("get", "/api/v1/record/proof/inclusion"),
        ("get", "/api/v1/record/proof/consistency"),
        ("get", "/api/v1/record/entries"),
        ("get", "/api/v1/mechanism/witness-keys"),
        ("get", "/api/v1/places"),  # the gazetteer: public reference data
        # the withdrawal plan and its stages, which the committee published (their status is not public)
        ("get", "/api/v1/withdrawal/plans"),
        ("get", "/api/v1/withdrawal/plans/{plan_id}"),
        ("get", "/api/v1/withdrawal/stages/{stage_id}"),
        *REPORT_PUBLIC_OPERATIONS,  # what the committee shared or published of its reports
        # the map of the same reports (tests/api/test_map.py)
        ("get", "/api/v1/map/base"),  # reference data
        ("get", "/api/v1/map/clusters"),
        ("get", "/api/v1/map/cluster"),
        ("get", "/api/v1/reports.geojson"),
        ("get", "/api/v1/translations"),  # the parties' to read: the public's list is empty
        ("get", "/api/v1/publications"),  # what the facilitator published: anyone reads it
        # roads, crossings and the borders: a route recorded is public (its status claims are not)
        ("get", "/api/v1/routes"),
        ("get", "/api/v1/routes/{route_id}"),
        ("get", "/api/v1/routes/{route_id}/incidents"),  # the reports the reader may read near it
        ("get", "/api/v1/borders"),
    }
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if (method, path) == ("post", "/api/v1/record/checkpoint/cosignatures"):
                assert not op.get("security")
            elif (method, path) in public:
                assert op["security"][-1] == {} and {"BearerToken": []} in op["security"], path
            else:
                assert op.get("security") and {} not in op["security"], (method, path)


def test_the_api_namespace_reverses():
    from django.urls import reverse

    assert reverse("api:openapi-json") == "/api/v1/openapi.json"


@pytest.mark.parametrize("path", ["/mechanism", "/meetings", "/record/events", "/me"])
def test_no_credentials_is_401_with_a_challenge(db, path):
    r = Api(Client()).get(path)
    assert_error(r, 401, None)
    assert r["WWW-Authenticate"] == 'Bearer realm="ceasefire"'


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-token",
        "Bearer ",
        "Bearer",
        "bearer cf_wrong",
        "Basic dXNlcjpwYXNz",
        "Token cf_something",
        "cf_something",
        "Bearer " + "x" * 10_000,
    ],
)
def test_a_wrong_authorization_header_is_401(accounts, header):
    before = events()
    client = Client()
    assert_error(client.get("/api/v1/mechanism", headers={"Authorization": header}), 401, None)
    r = client.post("/api/v1/meetings", MEETING, content_type="application/json", headers={"Authorization": header})
    assert_error(r, 401, None)
    assert events() == before


def test_a_token_is_made_once_and_only_its_hash_is_kept(accounts):
    import hashlib

    from ceasefire.api.models import Token

    token = create_token(accounts["west-head"], "laptop")
    assert isinstance(token, str) and len(token) >= 40
    row = Token.objects.get(name="laptop")
    assert row.user == accounts["west-head"] and row.created is not None and row.last_used is None
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in str(value) for value in Token.objects.values_list("digest", "name"))
    assert create_token(accounts["west-head"], "laptop") != token  # a new one each time


def test_a_token_lets_its_user_in_as_that_user_and_notes_its_use(accounts):
    from ceasefire.api.models import Token

    token = create_token(accounts["east-head"], "script")
    r = Api(Client(), token).get("/me")
    assert r.status_code == 200
    assert r.json() == {"username": "east-head", "role": "head", "party": "east", "speaks_for_party": True}
    assert Token.objects.get(name="script").last_used is not None
    assert Api(Client(), token).get("/me").json()["username"] == "east-head"


def test_every_role_knows_who_it_is(api):
    for who, (role, party) in {
        "west-member": ("member", "west"),
        "facilitator": ("facilitator", None),
        "observer": ("observer", None),
    }.items():
        assert api(who).get("/me").json() == {"username": who, "role": role, "party": party, "speaks_for_party": False}


def test_a_token_may_carry_no_name_but_not_a_bad_one(accounts):
    from ceasefire.errors import Invalid

    assert create_token(accounts["observer"])
    with pytest.raises(Invalid) as e:
        create_token(accounts["observer"], "x" * 101)
    assert e.value.field == "name"


def test_a_revoked_token_or_a_deactivated_user_is_401(accounts):
    from ceasefire.api.tokens import revoke_tokens

    token = create_token(accounts["west-member"], "old")
    other = create_token(accounts["west-member"], "new")
    assert revoke_tokens(accounts["west-member"], "old") == 1
    assert_error(Api(Client(), token).get("/me"), 401, None)
    assert Api(Client(), other).get("/me").status_code == 200
    get_user_model().objects.filter(username="west-member").update(is_active=False)
    assert_error(Api(Client(), other).get("/me"), 401, None)


def test_a_login_without_an_account_is_403_by_token_and_by_session(db):
    user = get_user_model().objects.create_user("stranger", password=None)
    assert_error(Api(Client(), create_token(user)).get("/mechanism"), 403, None)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert_error(client.get("/api/v1/mechanism"), 403, None)


def session(user, **kw) -> Client:
    return signed_in(Client(**kw), user)


def test_the_browser_session_reads(accounts, committee):
    r = session(accounts["observer"]).get(f"/api/v1/decisions/{committee.decision.id}")
    assert r.status_code == 200 and r.json()["id"] == committee.decision.id


def test_the_browser_session_writes_only_with_the_csrf_token(accounts, mechanism):
    client = session(accounts["facilitator"], enforce_csrf_checks=True)
    before = events()
    r = client.post("/api/v1/meetings", MEETING, content_type="application/json", headers={"Accept-Language": "en"})
    assert_error(r, 403, None, contains="CSRF")
    assert events() == before
    secret = "abcdefghijklmnopqrstuvwxyzABCDEF"  # a CSRF secret: 32 letters or digits
    client.cookies["csrftoken"] = secret
    r = client.post("/api/v1/meetings", MEETING, content_type="application/json", headers={"X-CSRFToken": "wrong" * 7})
    assert_error(r, 403, None)
    assert events() == before
    r = client.post("/api/v1/meetings", MEETING, content_type="application/json", headers={"X-CSRFToken": secret})
    assert r.status_code == 201, r.content
    assert events() == before + 1


def test_the_session_speaks_for_its_own_role_only(accounts, committee):
    r = session(accounts["east-member"]).post(
        f"/api/v1/decisions/{committee.decision.id}/positions", {"position": "approve"}, content_type="application/json"
    )
    assert_error(r, 403, None)
    r = session(accounts["east-head"]).post(
        f"/api/v1/decisions/{committee.decision.id}/positions", {"position": "approve"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["positions"][1]["given_by"] == "east-head"


def test_a_token_needs_no_csrf_token(api, mechanism):
    client = Client(enforce_csrf_checks=True)
    r = Api(client, create_token(get_user_model().objects.get(username="facilitator"))).post("/meetings", MEETING)
    assert r.status_code == 201


def test_a_wrong_token_is_refused_even_beside_a_good_session(accounts):
    client = session(accounts["facilitator"])
    assert_error(client.get("/api/v1/me", headers={"Authorization": "Bearer cf_wrong"}), 401, None)
    assert client.get("/api/v1/me").status_code == 200


def test_an_unknown_endpoint_is_a_json_404(api):
    assert_error(api("observer").get("/no/such/thing"), 404, None)
    assert_error(api("observer").get("/meetings/"), 404, None)
    assert_error(Client().get("/api/v1/nothing-here"), 404, None)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_method_an_endpoint_does_not_take_is_a_json_405(api, method, mechanism):
    r = getattr(Client(), method)("/api/v1/meetings", headers=api("facilitator").headers)
    assert_error(r, 405, None)
    assert set(r["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
