"""Missing-person cases on the pages: the list with counts by the committee's status and its empty
states, a case with rival claims side by side, who is offered which form and may post it, the
position given with its confirmation box, bad input named next to its box with nothing written,
the identity never on a page, English and Arabic."""

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.missing import commands
from ceasefire.missing.models import Case, Identity
from tests import once
from tests.conftest import FACILITATOR
from tests.helpers import signed_in
from tests.missing.steps import CASE

pytestmark = pytest.mark.django_db
NAME = "px-name-never-shown"


@once.fixture
def case(actors):
    c = commands.open_case(actors["west-member"], {**CASE, "identity": {"name": NAME, "note": "px-vault-note"}})
    agreed = commands.claim_status(
        actors["west-head"], c.id, {"status": "missing", "as_of": "2020-07-01", "source": "s1"}
    )
    commands.take_position(actors["east-head"], agreed.id, {"position": "approve"})
    commands.claim_status(
        actors["east-member"],
        c.id,
        {"status": "found_dead", "as_of": "2021-01-10", "note_en": "rival note", "source": "s2"},
    )
    commands.claim_status(FACILITATOR, c.id, {"status": "located_alive", "as_of": "2021-02-01", "source": "ICRC"})
    return c


def test_the_empty_list(actors, clients):
    html = clients["west-member"].get(reverse("missing")).content.decode()
    assert "No missing-person case opened yet." in html and reverse("missing_new") in html
    html = clients["observer"].get(reverse("missing")).content.decode()
    assert "No status of a missing-person case agreed yet." in html and reverse("missing_new") not in html


def test_the_list_counts_by_the_committees_status(case, clients):
    for who in ("west-member", "observer"):
        html = clients[who].get(reverse("missing")).content.decode()
        assert case.reference in html and "Missing: <strong>1</strong>" in html, who
    assert "Al Shwayrif" in clients["west-member"].get(reverse("missing")).content.decode()
    assert "Al Shwayrif" not in clients["observer"].get(reverse("missing")).content.decode()
    assert reverse("missing") in clients["observer"].get(reverse("track")).content.decode()


def test_rival_claims_side_by_side_and_never_the_identity(case, clients):
    for who in ("west-member", "east-head", "facilitator"):
        html = clients[who].get(reverse("missing_case", args=[case.id])).content.decode()
        assert "rival note" in html and "ICRC" in html and "Found dead" in html and "Located alive" in html
        assert NAME not in html and "px-vault-note" not in html
    html = clients["observer"].get(reverse("missing_case", args=[case.id])).content.decode()
    assert "Missing" in html and "rival note" not in html and "ICRC" not in html and "Al Shwayrif" not in html
    assert NAME not in html


def test_observers_do_not_find_a_case_without_an_agreed_status(actors, clients):
    c = commands.open_case(FACILITATOR, CASE)
    assert clients["observer"].get(reverse("missing_case", args=[c.id])).status_code == 404


def test_the_public_reads_nothing(case):
    r = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("missing_case", args=[case.id]))
    assert r.status_code == 302  # to sign in


@pytest.mark.parametrize(
    "who, status", [("west-member", 200), ("east-head", 200), ("facilitator", 200), ("observer", 403)]
)
def test_who_may_open_a_case_and_claim_a_status(case, clients, who, status):
    assert clients[who].get(reverse("missing_new")).status_code == status
    assert clients[who].get(reverse("missing_status_new", args=[case.id])).status_code == status


def test_opening_a_case_keeps_the_identity_in_the_vault(actors, clients, events):
    before = events()
    r = clients["east-member"].post(
        reverse("missing_new"),
        {"missing_since": "2999-01-01", "place": "", "source": "", "identity_name": ""},
    )
    html = r.content.decode()
    assert r.status_code == 422 and events() == before and not Identity.objects.exists()
    for box in ("missing_since", "place", "source", "identity_name"):
        assert f'id="f-{box.replace("_", "-")}-error"' in html, box
    r = clients["east-member"].post(
        reverse("missing_new"),
        {"missing_since": "2020-06-05", "place": "osm:n1193620130", "source": "s", "identity_name": NAME},
    )
    assert r.status_code == 302 and events() == before + 1
    [kept] = Identity.objects.all()
    assert kept.identity["name"] == NAME and kept.commitment == Case.objects.get().commitment
    assert NAME not in clients["east-member"].get(r["Location"]).content.decode()


def test_a_position_asks_for_its_confirmation(case, clients, events):
    claim = case.claims.get(status="found_dead")
    url = reverse("missing_status_position", args=[claim.id])
    assert clients["east-member"].get(url).status_code == 403
    assert clients["observer"].get(url).status_code == 403
    html = clients["west-head"].get(url).content.decode()
    assert f"entry #{claim.id}" in html and case.reference in html
    before = events()
    r = clients["west-head"].post(url, {"position": "object"})
    assert r.status_code == 422 and events() == before
    r = clients["west-head"].post(url, {"position": "object", "confirm": "yes"})
    assert r.status_code == 302 and events() == before + 1
    agreed = case.claims.get(agreed=True)
    assert clients["west-head"].get(reverse("missing_status_position", args=[agreed.id])).status_code == 409


def test_arabic(case, accounts):
    c = Client(HTTP_ACCEPT_LANGUAGE="ar")
    signed_in(c, accounts["west-member"])
    c.post(reverse("set_language"), {"language": "ar"})
    pages = {
        reverse("missing"): "المفقودون",
        reverse("missing_case", args=[case.id]): "ملف الشخص المفقود",
        reverse("missing_new"): "فتح ملف شخص مفقود",
    }
    for path, title in pages.items():
        html = c.get(path).content.decode()
        assert 'dir="rtl"' in html and "Missing" not in html and title in html, path
