"""A read-only token (`ceasefire token create USER --read-only`, a witness's) reads what its account
may read and nothing more: every operation of the API that is not a read (anything but GET and HEAD)
is refused with 403 naming the token, before anything is done, whatever the account's role."""

import re

import pytest
from django.test import Client

from ceasefire.api.models import Token
from ceasefire.api.tokens import create_token

from .conftest import Api, assert_error, events


def writes() -> list[tuple[str, str]]:
    """(method, path) of every operation that needs credentials and is not a read."""
    schema = Client().get("/api/v1/openapi.json").json()
    return [
        (method, re.sub(r"\{[^}]+\}", "1", path))
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if method not in ("get", "head") and op.get("security")
    ]


def test_a_read_only_token_reads_as_its_account(accounts, committee):
    token = create_token(accounts["west-head"], "witness", read_only=True)
    api = Api(Client(), token)
    assert api.get("/me").json()["username"] == "west-head"
    assert api.get("/meetings").status_code == 200
    assert api.client.head("/api/v1/me", headers=api.headers).status_code != 403
    assert Token.objects.get(name="witness").read_only


@pytest.mark.parametrize("who", ["facilitator", "west-head"])
def test_every_write_is_refused_naming_the_token(accounts, committee, who):
    token = create_token(accounts[who], "west witness", read_only=True)
    client = Client()
    before = events()
    operations = writes()
    assert len(operations) > 20 and ("post", "/api/v1/decisions/1/positions") in operations
    for method, path in operations:
        r = getattr(client, method)(
            path,
            "{}",
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
        )
        assert_error(r, 403, None, contains="The token 'west witness' is read-only")
    assert events() == before


def test_a_token_without_a_name_is_named_by_its_number(accounts, mechanism):
    token = create_token(accounts["west-head"], read_only=True)
    r = Api(Client(), token, "en").post("/meetings", {"title": "x"})
    assert_error(r, 403, None, contains=f"The token #{Token.objects.get().id} is read-only")


def test_a_full_token_still_writes(accounts, mechanism):
    token = create_token(accounts["facilitator"], "script")
    r = Api(Client(), token).post(
        "/meetings", {"title": "Cairo", "starts_on": "2021-01-10", "city": "Cairo", "country": "Egypt"}
    )
    assert r.status_code in (200, 201), r.content
