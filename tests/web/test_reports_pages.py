"""The report pages for every role: what each one reads, what it is refused, what observers never
see (names), and that every page is well formed for assistive technology in both languages."""

import pytest
from django.urls import reverse

from tests.conftest import ROLES

from .a11y import problems
from .reports_world import reports  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

REPORTS = ("received", "inquiry", "tasked", "findings", "disputed", "concluded", "duplicate")


def read_pages(reports):
    return (
        [reverse("reports"), reverse("incidents")]
        + [reverse("report", args=[reports[k].reference]) for k in REPORTS]
        + [reverse("incident", args=[reports[k].incident.reference]) for k in REPORTS]
    )


@pytest.mark.parametrize("username", [name for name in ROLES if name != "observer"])
def test_the_parties_and_the_facilitator_read_every_report(reports, clients, username):
    for url in read_pages(reports):
        response = clients[username].get(url)
        assert response.status_code == 200, url
    html = clients[username].get(reverse("reports")).content.decode()
    for k in REPORTS:
        assert reports[k].reference in html


def test_an_observer_reads_only_what_the_committee_shared_and_no_names(reports, clients):
    c = clients["observer"]
    shared = reports["concluded"]
    html = c.get(reverse("reports")).content.decode()
    assert shared.reference in html
    assert all(reports[k].reference not in html for k in REPORTS if k != "concluded")
    for k in REPORTS:
        expected = 200 if k == "concluded" else 404
        assert c.get(reverse("report", args=[reports[k].reference])).status_code == expected, k
    page = c.get(reverse("report", args=[shared.reference])).content.decode()
    assert "Checkpoint at Bin Jawad" in page and "Violation" in page
    for name in ("west-member", "east-member"):  # submitter, team, sign-offs, stages
        assert name not in page, name
    assert "2 members, with members of every party." in page
    assert 'id="evidence"' not in page and 'id="identities"' not in page
    incidents = c.get(reverse("incidents")).content.decode()
    assert shared.incident.reference in incidents and reports["received"].incident.reference not in incidents
    assert c.get(reverse("incident", args=[reports["received"].incident.reference])).status_code == 404


def test_the_report_page_shows_the_chain_so_far(reports, clients):
    html = clients["west-head"].get(reverse("report", args=[reports["disputed"].reference])).content.decode()
    assert "Disputed: before the committee" in html
    stages = (
        "Received",
        "Preliminary inquiry",
        "Tasked to a joint team",
        "Investigation reported",
        "Findings awaiting",
    )
    for stage in stages:
        assert stage in html
    assert "target 30 days" in html  # the stage it waits in, against its target
    assert "Withdraw the battery" in html and "Three craters facing east" in html
    assert "Dissents" in html and "No crater found" in html and "Agrees" in html
    assert "not signed yet" not in html and "did not sign" in html  # the facilitator, once disputed
    meeting = reports["disputed"].agenda_item.meeting
    assert reverse("meeting", args=[meeting.reference]) in html and "item 1" in html
    assert "alleged" in html
    assert "Civilians injured" in html and "local clinic" in html  # a count, with who gives it


def test_a_report_past_its_stage_target_is_marked_and_on_the_dashboard(reports, clients):
    late = reports["received"]
    html = clients["east-member"].get(reverse("report", args=[late.reference])).content.decode()
    assert "overdue since" in html and "past its target" in html
    listing = clients["east-member"].get(reverse("reports") + "?overdue=1").content.decode()
    assert late.reference in listing and reports["inquiry"].reference not in listing
    dashboard = clients["east-member"].get(reverse("dashboard")).content.decode()
    assert "Reports past their stage's target" in dashboard and late.reference in dashboard
    assert "1 report has waited longer" in dashboard
    assert late.reference not in clients["observer"].get(reverse("dashboard")).content.decode()


def test_the_meeting_page_links_the_disputed_findings_to_their_report(reports, clients):
    r = reports["disputed"]
    url = reverse("meeting", args=[r.agenda_item.meeting.reference])
    html = clients["west-member"].get(url).content.decode()
    assert f"Disputed findings on report {r.reference}" in html
    assert reverse("report", args=[r.reference]) + "#findings" in html
    # The agenda is the parties' (agenda.item_added): an observer reads no item taking up a report
    # not shared with it, and no link to it.
    html = clients["observer"].get(url).content.decode()
    assert f"Disputed findings on report {r.reference}" not in html
    assert reverse("report", args=[r.reference]) not in html
    assert "Nothing of the agenda has been shared with observers yet" in html


def test_duplicates_and_incidents_are_linked_never_deleted(reports, clients):
    original, duplicate = reports["received"], reports["duplicate"]
    html = clients["facilitator"].get(reverse("report", args=[original.reference])).content.decode()
    assert "Duplicated by" in html and duplicate.reference in html
    html = clients["facilitator"].get(reverse("report", args=[duplicate.reference])).content.decode()
    assert "A duplicate of" in html and original.reference in html
    incident = clients["facilitator"].get(reverse("incident", args=[original.incident.reference])).content.decode()
    assert original.reference in incident and duplicate.reference in incident
    duplicate.refresh_from_db()
    assert duplicate.incident_id == original.incident_id


def test_the_list_filters_and_pages(reports, clients):
    c = clients["west-member"]
    html = c.get(reverse("reports") + "?category=raid").content.decode()
    assert reports["disputed"].reference in html and reports["received"].reference not in html
    html = c.get(reverse("reports") + "?status=concluded").content.decode()
    assert reports["concluded"].reference in html and reports["findings"].reference not in html
    html = c.get(reverse("reports") + "?alleged_party=west").content.decode()
    assert reports["inquiry"].reference in html and reports["received"].reference not in html
    html = c.get(reverse("reports") + "?q=Bin+Jawad").content.decode()
    assert reports["concluded"].reference in html and "1 report of 7 matches" in html
    html = c.get(reverse("reports") + "?q=" + reports["tasked"].reference).content.decode()
    assert reports["tasked"].reference in html and reports["received"].reference not in html
    html = c.get(reverse("reports") + "?q=nothing+like+this").content.decode()
    assert "No report matches these filters." in html
    html = c.get(reverse("reports") + "?occurred_from=2021-03-03").content.decode()
    assert "No report matches these filters." in html  # every report is of 2 March 2021


def test_the_list_is_paginated_with_its_filters(reports, actors, clients, monkeypatch):
    from ceasefire.web.views import reports as views

    monkeypatch.setattr(views, "PER_PAGE", 2)  # three reports of shelling
    html = clients["west-member"].get(reverse("reports") + "?category=shelling").content.decode()
    assert "Page 1 of 2" in html and 'href="?category=shelling&amp;page=2"' in html
    html = clients["west-member"].get(reverse("reports") + "?category=shelling&page=2").content.decode()
    assert "Page 2 of 2" in html and html.count('<tr id="report-') == 1


def test_an_empty_list_says_so_and_offers_the_form_to_those_who_file(world, clients):
    html = clients["west-member"].get(reverse("reports")).content.decode()
    assert "No reports yet." in html and reverse("report_new") in html
    html = clients["observer"].get(reverse("reports")).content.decode()
    assert "Nothing has been shared with observers yet." in html and reverse("report_new") not in html
    assert "No reports yet." not in html
    assert (
        "Nothing has been shared with observers yet." in clients["observer"].get(reverse("incidents")).content.decode()
    )


def test_unknown_references_are_not_found(reports, clients):
    c = clients["facilitator"]
    assert c.get("/reports/R-2026-9999/").status_code == 404
    assert c.get("/reports/R-2026-00001/").status_code == 404  # not how the reference is written
    assert c.get("/incidents/I-2026-9999/").status_code == 404
    assert c.get(reverse("evidence", args=[999999])).status_code == 404
    assert c.get(reverse("recommendation_status", args=[999999])).status_code == 404


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_report_page_is_well_formed_for_assistive_technology(reports, clients, lang):
    from .test_reports_forms import step_pages

    for username in ("facilitator", "west-member", "east-member", "observer"):
        c = clients[username]
        c.cookies["django_language"] = lang
        meeting = reports["disputed"].agenda_item.meeting
        urls = read_pages(reports) + [reverse("dashboard"), reverse("meeting", args=[meeting.reference])]
        if username != "observer":
            urls += [reverse("evidence", args=[reports["evidence"].id]), reverse("report_new")]
        urls += [url for url, who in step_pages(reports).items() if username in who]
        for url in urls:
            response = c.get(url)
            if response.status_code == 404 and username == "observer":
                continue
            assert response.status_code == 200, (username, url)
            assert problems(response.content.decode()) == [], (username, url)
