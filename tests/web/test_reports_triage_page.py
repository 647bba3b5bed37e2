"""The facilitator's triage queue: the reports awaiting triage with their likely duplicates and
why, ticked and triaged in one action behind a confirmation box; refused to every other role."""

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.incidents import commands
from ceasefire.incidents.models import Report
from tests.conftest import FACILITATOR, ROLES
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

URL = reverse("reports_triage")
SHELLING = {
    "title": "Shelling of the Abu Qurayn checkpoint",
    "category": "shelling",
    "occurred_at": "2021-03-02T05:40+02:00",
    "latitude": 31.45,
    "longitude": 15.25,
    "geo_precision": 1,
    "place_en": "Abu Qurayn",
    "narrative": "Three rounds of artillery fell east of the checkpoint.",
}


@pytest.fixture
def filed(actors):
    """An original and three reports of the same shelling, and one of something else."""
    commands.adopt_default_typology(FACILITATOR)
    original = commands.file_report(actors["west-member"], SHELLING)
    copies = [
        commands.file_report(actors[who], {**SHELLING, "latitude": 31.45 + k / 200})
        for k, who in enumerate(("east-member", "west-head", "east-head"), 1)
    ]
    other = commands.file_report(actors["west-member"], {**SHELLING, "category": "raid", "title": "A raid on a farm"})
    return original, copies, other


def client(accounts, who, language="en"):
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    signed_in(c, accounts[who])
    return c


def test_the_queue_shows_each_pending_report_with_its_candidates_and_why(accounts, filed):
    original, copies, other = filed
    page = client(accounts, "facilitator").get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    for r in (original, *copies, other):
        assert f'name="reports" value="{r.id}"' in html
    # the original's candidates, with why: 0.6 km apart (31.45 + 1/200), times coincide, words alike
    assert "0.6 km apart" in html and "their times may coincide" in html and "words 100% alike" in html
    assert "received earlier" in html and "received later" in html
    assert "No likely duplicate found." in html  # the raid has none
    assert 'type="checkbox" id="f-confirm" name="confirm" value="yes" required' in html


def test_three_duplicates_of_one_original_in_one_action(accounts, filed, events):
    original, copies, _other = filed
    before = events()
    data = {
        "reports": [str(r.id) for r in copies],
        "decision": "duplicate",
        "duplicate_of": str(original.id),
        "reason": "The same shelling, reported four times",
        "confirm": "yes",
    }
    facilitator = client(accounts, "facilitator")
    response = facilitator.post(URL, data)
    assert response.status_code == 302 and response["Location"] == URL
    assert events() == before + 3
    assert {Report.objects.get(id=r.id).duplicate_of_id for r in copies} == {original.id}
    page = facilitator.get(URL).content.decode()
    assert "3 reports triaged." in page
    assert f'value="{copies[0].id}"' not in page.split('id="f-duplicate-of"')[0]  # out of the queue
    assert "3 reports triaged as its duplicates already." in page


def test_nothing_is_triaged_without_the_confirmation_and_every_fault_is_said(accounts, filed, events):
    original, copies, _other = filed
    before = events()
    response = client(accounts, "facilitator").post(
        URL, {"reports": [str(copies[0].id)], "decision": "duplicate", "duplicate_of": str(original.id)}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Tick the box to confirm" in html and "reason" in html.lower()
    assert f'value="{copies[0].id}" checked' in html  # the selection is kept
    assert events() == before


def test_one_report_that_may_not_be_triaged_is_named_and_nothing_is_written(accounts, filed, events):
    original, copies, _other = filed
    commands.triage(FACILITATOR, copies[1].id, {"decision": "admissible"})
    before = events()
    data = {
        "reports": [str(r.id) for r in copies],
        "decision": "duplicate",
        "duplicate_of": str(original.id),
        "reason": "Same",
        "confirm": "yes",
    }
    response = client(accounts, "facilitator").post(URL, data)
    assert response.status_code == 409
    assert copies[1].reference in response.content.decode()
    assert events() == before
    assert Report.objects.filter(id__in=[copies[0].id, copies[2].id], status="received").count() == 2


def test_arabic(accounts, filed):
    html = client(accounts, "facilitator", "ar").get(URL).content.decode()
    assert 'dir="rtl"' in html and "بلاغات بانتظار الفرز" in html


@pytest.mark.parametrize("who", [w for w in ROLES if w != "facilitator"])
def test_every_other_role_is_refused(accounts, filed, events, who):
    before = events()
    c = client(accounts, who)
    assert c.get(URL).status_code == 403
    original, copies, _other = filed
    data = {"reports": [str(copies[0].id)], "decision": "admissible", "confirm": "yes"}
    assert c.post(URL, data).status_code == 403
    assert events() == before
    assert reverse("reports_triage") not in c.get(reverse("reports")).content.decode()


def test_without_login_it_asks_for_one(db):
    assert Client().get(URL).status_code == 302


def test_the_empty_queue_says_so(accounts, mechanism):
    html = client(accounts, "facilitator").get(URL).content.decode()
    assert "No report awaits triage." in html and 'name="reports"' not in html


def test_linked_from_the_list_and_the_dashboard_for_the_facilitator(accounts, filed):
    c = client(accounts, "facilitator")
    assert "Triage: 5 reports await it" in c.get(reverse("reports")).content.decode()
    assert URL in c.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_well_formed_for_assistive_technology_with_distinct_ids(accounts, filed, language):
    from .a11y import problems

    c = client(accounts, "facilitator", language)
    original, copies, _other = filed
    refused = {"reports": [str(copies[0].id)], "decision": "duplicate", "duplicate_of": str(original.id)}
    for response in (c.get(URL), c.post(URL, refused)):
        html = response.content.decode()
        assert problems(html) == []
        ids = [part.split('"')[0] for part in html.split(' id="')[1:]]
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'role="alert"' in html
