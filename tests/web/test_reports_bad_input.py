"""Input the chain's commands refuse comes back on the report forms: the message next to the box it
concerns, what the user typed kept, a 4xx status, nothing written. Never a 500."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from ceasefire.incidents import commands
from ceasefire.web.views.base import today
from tests.conftest import FACILITATOR

from .reports_world import reports  # noqa: F401  (fixture)
from .test_reports_writes import FORM

pytestmark = pytest.mark.django_db

LATER = (today() + dt.timedelta(days=2)).isoformat()  # in the future wherever the server is


def refused(client, url, data, events, status=422):
    before = events()
    response = client.post(url, data)
    assert response.status_code == status, (url, response.status_code, response.content.decode()[:3000])
    assert events() == before
    return response.content.decode()


def error_at(html, field_id) -> str:
    """The error shown next to a box, and the box marked invalid and described by it."""
    match = re.search(rf'<p class="error" id="{field_id}-error">([^<]*)</p>', html)
    assert match, f"no error shown next to {field_id}"
    tied = rf'id="{field_id}"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*{field_id}-error'
    group = rf'<fieldset class="field has-error" id="{field_id}" aria-describedby="[^"]*{field_id}-error'
    assert re.search(tied, html) or re.search(group, html), f"{field_id} is not tied to its error"
    assert f'href="#{field_id}"' in html  # the summary at the top links to it
    return match.group(1)


@pytest.fixture
def typology(world):
    return commands.adopt_default_typology(FACILITATOR)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": ""}, "f-title", "is required"),
        ({"category": ""}, "f-category", "is required"),
        ({"category": "teleportation"}, "f-category", "is not a category"),
        ({"occurred_on": ""}, "f-occurred-on", "is required"),
        ({"occurred_on": LATER, "occurred_time": ""}, "f-occurred-on", "is in the future"),
        ({"occurred_on": LATER}, "f-occurred-on", "is in the future"),
        ({"occurred_on": "02/03/2021"}, "f-occurred-on", "must be a date"),
        ({"occurred_time": "25:99"}, "f-occurred-on", "must be a date"),
        ({"latitude": "north"}, "f-latitude", "must be a number"),
        ({"latitude": "95"}, "f-latitude", "must be between -90"),
        ({"longitude": ""}, "f-longitude", "give both latitude and longitude"),
        ({"latitude": "", "longitude": "", "geo_precision": "", "place": ""}, "f-place", "say where"),
        ({"cas_injured_military": "-1"}, "f-cas-injured-military", "must be at least 0"),
        ({"cas_killed_civilian": "many"}, "f-cas-killed-civilian", "must be a whole number"),
        ({"identity_name": ""}, "f-identity-name", "is required"),
        ({"narrative": "\u202eevil"}, "f-narrative", "direction-control"),
    ],
)
def test_a_refused_report_names_the_box_and_keeps_the_input(typology, clients, events, changes, field, message):
    html = refused(clients["west-member"], reverse("report_new"), {**FORM, **changes}, events)
    assert message in error_at(html, field)
    assert "Abu Qurayn" in html or changes.get("place") == ""  # what was typed comes back
    assert "Brigade 128" in html


def test_a_delegate_files_for_its_own_delegation_whatever_is_posted(typology, clients, events):
    html = clients["west-member"].get(reverse("report_new")).content.decode()
    assert 'name="source_type"' not in html and "You file for your delegation: Western region." in html
    forged = {**FORM, "source_type": "media", "source_party": "east"}
    response = clients["west-member"].post(reverse("report_new"), forged)
    assert response.status_code == 302
    from ceasefire.incidents.models import Report

    assert Report.objects.get().source_type == "delegation" and Report.objects.get().source_party_id == "west"


def test_the_steps_refuse_bad_input_next_to_the_box(reports, clients, events):
    fac, west, east = clients["facilitator"], clients["west-member"], clients["east-member"]
    ref = {k: r.reference for k, r in reports.items() if k != "evidence"}

    triage = reverse("report_triage", args=[ref["received"]])
    html = refused(fac, triage, {"decision": "duplicate", "duplicate_of": "R-2026-9999", "reason": "x"}, events)
    assert "no report has this reference" in error_at(html, "f-duplicate-of")
    html = refused(fac, triage, {"decision": "duplicate", "duplicate_of": "the other one", "reason": "x"}, events)
    assert "reference" in error_at(html, "f-duplicate-of")
    html = refused(fac, triage, {"decision": "outside_mandate"}, events)
    assert "is required" in error_at(html, "f-reason")
    html = refused(fac, triage, {}, events)
    assert "choose one: admissible" in error_at(html, "f-decision")

    html = refused(fac, reverse("report_task", args=[ref["inquiry"]]), {"team": ["west-member", "west-head"]}, events)
    assert "every party" in error_at(html, "f-team")
    assert re.search(r'value="west-head" checked', html)

    url = reverse("report_investigation", args=[ref["tasked"]])
    html = refused(east, url, {"site_visited": "true", "visited_on": "2021-03-04", "access": "granted"}, events)
    assert "is required" in error_at(html, "f-methods")
    html = refused(east, url, {"site_visited": "false", "access": "denied", "methods": "Phone calls"}, events)
    assert "say who denied access" in error_at(html, "f-denied-by")
    html = refused(
        east, url, {"site_visited": "true", "visited_on": LATER, "access": "granted", "methods": "x"}, events
    )
    assert "is in the future" in error_at(html, "f-visited-on")

    url = reverse("report_findings", args=[ref["findings"]])
    html = refused(west, url, {"shape": "1", "f0-result": "violation"}, events)
    assert "is required" in error_at(html, "f-f0-allegation")
    cleared = {"shape": "1", "f0-allegation": "x", "f0-result": "no_violation", "f0-attributed_to": "east"}
    html = refused(west, url, cleared, events)
    assert "only a violation is attributed" in error_at(html, "f-f0-attributed-to")
    html = refused(
        west,
        url,
        {
            "shape": "2,2",
            "f0-allegation": "x",
            "f0-result": "violation",
            "f1-allegation": "y",
            "f1-result": "violation",
            "f1-r1-addressee_party": "east",
        },
        events,
    )
    assert "is required" in error_at(html, "f-f1-r1-text")  # the second block's second recommendation

    html = refused(east, reverse("report_sign", args=[ref["findings"]]), {"confirm": "yes", "agrees": "false"}, events)
    assert "is required" in error_at(html, "f-reasons")

    url = reverse("report_visibility", args=[ref["received"]])
    html = refused(fac, url, {"visibility": "public"}, events, status=409)
    assert "only a report the chain has closed is published" in error_at(html, "f-visibility")


def test_forged_posts_meet_the_commands(reports, clients, events):
    ref = {k: r.reference for k, r in reports.items() if k != "evidence"}
    triage = reverse("report_triage", args=[ref["received"]])
    html = refused(clients["west-head"], triage, {"decision": "admissible"}, events, status=403)
    assert "This was not saved" in html
    refused(
        clients["west-head"],
        reverse("report_sign", args=[ref["findings"]]),
        {"confirm": "yes", "agrees": "true"},
        events,
        status=403,
    )
    team = {"team": ["west-member", "east-member"]}
    refused(clients["facilitator"], reverse("report_task", args=[ref["received"]]), team, events, status=409)
    refused(clients["facilitator"], reverse("report_settle", args=[ref["disputed"]]), {}, events, status=409)
    before = events()
    assert clients["observer"].post(triage, {"decision": "admissible"}).status_code == 404
    assert clients["observer"].post(reverse("report_new"), FORM).status_code == 403
    assert events() == before


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("occurred_from=yesterday", "f-occurred-from", "must be a date"),
        ("occurred_from=2021-03-05&occurred_to=2021-03-01", "f-occurred-to", "must not be before"),
        ("status=lost", "f-status", "must be one of"),
    ],
)
def test_a_bad_filter_is_named_and_lists_nothing(reports, clients, query, field, message):
    response = clients["west-member"].get(reverse("reports") + "?" + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in error_at(html, field)
    assert '<tr id="report-' not in html


def test_a_bad_box_in_the_url_is_not_a_500(reports, clients):
    response = clients["west-member"].get(reverse("reports") + "?bbox=1,2,3")
    assert response.status_code == 400 and "four numbers" in response.content.decode()
    assert clients["west-member"].get(reverse("reports") + "?page=-4").status_code == 200
    response = clients["west-member"].post(
        reverse("report_findings", args=[reports["findings"].reference]), {"shape": "x,9999", "add": "rec-77"}
    )
    assert response.status_code == 200
