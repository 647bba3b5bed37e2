"""A right password alone reaches nothing: every page of web/urls.py and every operation of the API,
with every method, answers a session that still owes its second factor exactly as it answers a
browser that never signed in (the same status, the same redirect, and its username nowhere the
browser does not read it too). So do
the sessions of heads, members and the facilitator: one waiting to set up its app, one waiting
for its code, and one signed in by other means than the sign-in pages (force_login), unverified.

Only the steps of signing in itself (the password, the code, setting up the app, signing out,
the language) treat such a session differently, as they must."""

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.api.main import api
from ceasefire.web.urls import urlpatterns
from tests.conftest import PASSWORD
from tests.helpers import BACKEND, authenticator
from tests.web.backoff_helpers import password_only

pytestmark = pytest.mark.django_db

SIGNING_IN = {"login", "logout", "set_language", "sign_in_code", "two_factor_set_up"}
# a value of the right shape for each converter: nobody's answer comes before any lookup
SAMPLE = {
    "IntConverter": 1, "SlugConverter": "west",
    "MeetingRef": "M-2020-0001", "ReportRef": "R-2026-0001", "IncidentRef": "I-2026-0001",
    "StringConverter": "2021-01",  # a situation report's period (and an issued one's hash)
}  # fmt: skip


def pages() -> list[str]:
    out = []
    for pattern in urlpatterns:
        if pattern.name in SIGNING_IN:
            continue
        kwargs = {name: SAMPLE[type(conv).__name__] for name, conv in pattern.pattern.converters.items()}
        out.append(reverse(pattern.name, kwargs=kwargs))
    return out


def operations() -> list[tuple[str, str]]:
    out = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            for param in operation.get("parameters", []):
                if param["in"] == "path":
                    path = path.replace("{" + param["name"] + "}", "1")
            out.append((method, path))
    return out


def answers(client) -> dict[tuple[str, str], tuple[int, str, str]]:
    """(method, path) -> (status, where it redirects, the body) for every page and operation."""
    out = {}
    for path in pages():
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            out[(method, path)] = (response.status_code, response.get("Location", ""), _body(response))
    for method, path in operations():
        response = (
            getattr(client, method)(path, "{}", content_type="application/json")
            if method != "get"
            else client.get(path)
        )
        out[(method, path)] = (response.status_code, response.get("Location", ""), _body(response))
    return out


def _body(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode(errors="replace")


def test_a_session_owing_its_second_factor_reaches_what_nobody_reaches(accounts):
    nobody = answers(Client(HTTP_ACCEPT_LANGUAGE="en"))
    assert len(nobody) > 150
    assert any(status == 302 for status, _, _ in nobody.values()) and any(s == 401 for s, _, _ in nobody.values())

    waiting_to_set_up = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert password_only(waiting_to_set_up, "west-head", PASSWORD)["Location"] == reverse("two_factor_set_up")
    authenticator(accounts["facilitator"])
    waiting_for_code = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert password_only(waiting_for_code, "facilitator", PASSWORD)["Location"] == reverse("sign_in_code")
    unverified = Client(HTTP_ACCEPT_LANGUAGE="en")
    unverified.force_login(accounts["east-member"], backend=BACKEND)

    for who, client in (
        ("west-head", waiting_to_set_up),
        ("facilitator", waiting_for_code),
        ("east-member", unverified),
    ):
        seen = answers(client)
        differ = [(key, nobody[key][:2], seen[key][:2]) for key in nobody if nobody[key][:2] != seen[key][:2]]
        assert not differ, f"{who}: answered otherwise than to nobody: {differ[:5]}"
        named = [key for key, (_, _, body) in seen.items() if who in body and who not in nobody[key][2]]
        assert not named, f"{who}: named on {named[:5]}"
    # ... and the two waiting still wait: walking everything ended neither sign-in.
    assert waiting_for_code.get(reverse("sign_in_code")).status_code == 200
    assert waiting_to_set_up.get(reverse("two_factor_set_up")).status_code == 200
