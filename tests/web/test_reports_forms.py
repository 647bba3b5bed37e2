"""Each step's form is offered only to whom the command would accept it from, and only when the
chain has reached that step; a page opened by anyone else says why (403 for the role, 409 for the
moment)."""

import pytest
from django.urls import reverse

from ceasefire.incidents.models import IdentityCommitment, Recommendation
from tests.conftest import ROLES

from .reports_world import reports  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

TEAM = ("facilitator", "west-member", "east-member")


def step_pages(reports) -> dict[str, tuple[str, ...]]:
    """Each step's page on the report at that step, with the roles that may use it now."""
    ref = {k: r.reference for k, r in reports.items() if k != "evidence"}
    rec = Recommendation.objects.get(report=reports["concluded"])
    identity = IdentityCommitment.objects.get(report=reports["received"])
    return {
        reverse("report_triage", args=[ref["received"]]): ("facilitator",),
        reverse("report_task", args=[ref["inquiry"]]): ("facilitator",),
        reverse("report_investigation", args=[ref["tasked"]]): TEAM,
        reverse("report_findings", args=[ref["findings"]]): TEAM,
        reverse("report_sign", args=[ref["findings"]]): TEAM,
        reverse("report_findings", args=[ref["disputed"]]): (
            "facilitator",
        ),  # before the committee: no party takes it back
        reverse("report_propose", args=[ref["disputed"]]): ("facilitator",),
        reverse("report_visibility", args=[ref["received"]]): ("facilitator",),
        reverse("report_identities", args=[ref["received"]]): ("facilitator",),
        reverse("identity_erase", args=[identity.id]): ("facilitator",),
        reverse("report_evidence", args=[ref["received"]]): tuple(r for r in ROLES if r != "observer"),
        reverse("recommendation_status", args=[rec.id]): ("facilitator", "east-head", "east-member"),
    }


def test_each_step_page_opens_for_whom_may_use_it_and_refuses_the_others(reports, clients):
    for url, allowed in step_pages(reports).items():
        for username in ROLES:
            status = clients[username].get(url).status_code
            if username in allowed:
                assert status == 200, (url, username, status)
            else:
                assert status in (403, 404), (url, username, status)


def test_a_step_the_chain_has_not_reached_says_why(reports, clients):
    ref = {k: r.reference for k, r in reports.items() if k != "evidence"}
    for name, report in (
        ("report_triage", "inquiry"),
        ("report_task", "received"),
        ("report_sign", "disputed"),
        ("report_settle", "disputed"),
        ("report_disagreement", "disputed"),
        ("report_investigation", "findings"),
        ("report_propose", "findings"),
    ):
        response = clients["facilitator"].get(reverse(name, args=[ref[report]]))
        assert response.status_code == 409, (name, report)
        assert "Not possible now" in response.content.decode()
    response = clients["east-member"].get(reverse("report_sign", args=[ref["disputed"]]))
    assert response.status_code == 409
    response = clients["west-member"].get(reverse("report_evidence", args=[ref["concluded"]]))
    assert response.status_code == 409 and "it takes no more evidence" in response.content.decode()


def links(clients, username, report) -> str:
    return clients[username].get(reverse("report", args=[report.reference])).content.decode()


def test_the_report_page_offers_only_the_steps_open_to_the_reader_now(reports, clients):
    ref = {k: r.reference for k, r in reports.items() if k != "evidence"}
    html = links(clients, "facilitator", reports["received"])
    assert reverse("report_triage", args=[ref["received"]]) in html
    assert reverse("report_task", args=[ref["received"]]) not in html
    assert reverse("report_triage", args=[ref["received"]]) not in links(clients, "west-head", reports["received"])

    tasked = reverse("report_investigation", args=[ref["tasked"]])
    assert tasked in links(clients, "east-member", reports["tasked"])  # on the team
    assert tasked not in links(clients, "east-head", reports["tasked"])  # not on it

    sign = reverse("report_sign", args=[ref["findings"]])
    for username in TEAM:
        assert sign in links(clients, username, reports["findings"]), username
    assert sign not in links(clients, "west-head", reports["findings"])

    disputed = links(clients, "facilitator", reports["disputed"])
    assert reverse("report_propose", args=[ref["disputed"]]) in disputed
    assert reverse("report_settle", args=[ref["disputed"]]) not in disputed
    assert reverse("report_propose", args=[ref["disputed"]]) not in links(clients, "west-head", reports["disputed"])

    rec = Recommendation.objects.get(report=reports["concluded"])
    assert reverse("recommendation_status", args=[rec.id]) in links(clients, "east-member", reports["concluded"])
    assert reverse("recommendation_status", args=[rec.id]) not in links(clients, "west-member", reports["concluded"])

    assert reverse("report_identities", args=[ref["received"]]) in links(clients, "facilitator", reports["received"])
    assert reverse("report_identities", args=[ref["received"]]) not in links(clients, "west-head", reports["received"])
    assert reverse("report_visibility", args=[ref["received"]]) not in links(clients, "west-head", reports["received"])
    assert 'enctype="multipart/form-data"' in links(clients, "west-head", reports["received"])
    assert 'enctype="multipart/form-data"' not in links(clients, "west-head", reports["concluded"])  # closed


def test_an_observer_is_offered_no_form_on_a_shared_report(reports, clients):
    html = links(clients, "observer", reports["concluded"])
    assert 'method="post"' not in html.replace(f'action="{reverse("set_language")}" method="post"', "").replace(
        f'action="{reverse("logout")}" method="post"', ""
    )
    assert clients["observer"].get(reverse("report_new")).status_code == 403


def test_only_the_facilitator_reads_the_vault(reports, clients):
    url = reverse("report_identities", args=[reports["received"].reference])
    html = clients["facilitator"].get(url).content.decode()
    assert "Hamid the shepherd" in html and "+218 91 000 0000" in html
    for username in ("west-head", "west-member", "east-head", "east-member"):
        assert clients[username].get(url).status_code == 403
        page = links(clients, username, reports["received"])
        assert "Hamid" not in page and "1 protected identity" in page
    assert clients["observer"].get(url).status_code == 404  # the report is not shared with it


def test_once_the_committee_decides_nobody_redrafts(reports, actors, clients, monkeypatch):
    import datetime as dt

    from ceasefire.incidents import commands
    from ceasefire.mechanism import commands as mechanism
    from ceasefire.record import log
    from tests.conftest import FACILITATOR
    from tests.helpers import hold

    r = reports["disputed"]
    redraft = reverse("report_findings", args=[r.reference])
    assert redraft in links(clients, "facilitator", r) and redraft not in links(clients, "west-member", r)
    r = commands.propose_settlement(FACILITATOR, r.id, {"text": "Findings upheld"})
    assert redraft not in links(clients, "facilitator", r)  # the proposal is before the committee
    meeting = r.decision.meeting  # its day comes, with each party's quorum present
    monkeypatch.setattr(log, "_clock", lambda: dt.datetime.combine(meeting.starts_on, dt.time(9), dt.UTC))
    hold(meeting)
    for head in ("west-head", "east-head"):
        mechanism.take_position(actors[head], r.decision_id, {"position": "approve"})
    assert redraft not in links(clients, "facilitator", r)
    response = clients["facilitator"].get(redraft)
    assert response.status_code == 409 and "it is settled, not redrafted" in response.content.decode()
    assert reverse("report_settle", args=[r.reference]) in links(clients, "facilitator", r)
