"""Every step of the chain through its form, with the Django test client: each appends its event(s)
and lands on the report, where the user sees the result."""

import datetime as dt

import pytest
from django.urls import reverse

from ceasefire.incidents import commands
from ceasefire.incidents.models import IdentityCommitment, ProtectedIdentity, Recommendation, Report
from ceasefire.mechanism import commands as mechanism
from ceasefire.mechanism.models import Decision
from ceasefire.record import log
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR

from .reports_world import SHELLING, reports  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def accepted(client, url, data, events, n=1):
    before = events()
    response = client.post(url, data)
    assert response.status_code == 302, (url, response.status_code, response.content.decode()[:3000])
    assert events() == before + n
    return response


FORM = {
    "title": "قصف قرب أبو قرين",
    "category": "shelling",
    "source": "A shepherd nearby",
    "occurred_on": "2021-03-02",
    "occurred_time": "05:40",
    "time_precision": "1",
    "latitude": "31.45",
    "longitude": "15.25",
    "geo_precision": "2",
    "place": "Abu Qurayn",
    "controlled_by": "west",
    "alleged_party": "east",
    "alleged_unit": "Brigade 128",
    "affected_party": "west",
    "cas_killed_civilian": "1",
    "cas_injured_military": "3",
    "cas_source": "Local clinic",
    "narrative": "Three rounds fell east of the checkpoint.",
    "identity_name": "Hamid",
    "identity_contact": "+218 91 000 0000",
}


def test_a_delegate_files_a_report_through_the_form(world, actors, clients, events):
    commands.adopt_default_typology(FACILITATOR)
    response = accepted(clients["west-member"], reverse("report_new"), FORM, events)
    r = Report.objects.get()
    assert response["Location"] == reverse("report", args=[r.reference])
    assert r.title_ar == "قصف قرب أبو قرين" and r.place_en == "Abu Qurayn" and r.alleged_unit == "Brigade 128"
    assert r.source_type == "delegation" and r.source_party_id == "west" and r.submitted_by == "west-member"
    assert r.occurred_at == dt.datetime(2021, 3, 2, 3, 40, tzinfo=dt.UTC) and r.time_known  # 05:40 in Tripoli
    assert (r.latitude, r.longitude, r.geo_precision) == (31.45, 15.25, 2)
    counts = {(c.kind, c.group): (c.count, c.source) for c in r.casualties.all()}
    assert counts == {("killed", "civilian"): (1, "Local clinic"), ("injured", "military"): (3, "Local clinic")}
    vault = ProtectedIdentity.objects.get(report_id=r.id)
    assert vault.identity["name"] == "Hamid" and vault.identity["contact"] == "+218 91 000 0000"
    event = Event.objects.order_by("-seq").first()
    assert "Hamid" not in str(event.payload) and event.payload["source_commitment"] == vault.commitment
    page = clients["west-member"].get(response["Location"]).content.decode()
    assert "The report has been filed." in page and "Received" in page and "Hamid" not in page


def test_a_day_alone_is_filed_without_a_time(world, actors, clients, events):
    commands.adopt_default_typology(FACILITATOR)
    data = {
        "title": "Checkpoint",
        "category": "unauthorised-checkpoint",
        "occurred_on": "2021-03-02",
        "time_precision": "2",
        "place": "Sirte",
        "narrative": "A new checkpoint.",
        "source_type": "media",
    }
    accepted(clients["facilitator"], reverse("report_new"), data, events)
    r = Report.objects.get()
    assert not r.time_known and r.time_precision == 2 and r.latitude is None and r.source_type == "media"
    assert not IdentityCommitment.objects.exists()


def test_the_chain_through_its_forms(reports, world, actors, clients, events, monkeypatch):
    fac, west, east = clients["facilitator"], clients["west-member"], clients["east-member"]
    r = reports["received"]
    ref = r.reference

    # A later report found to duplicate this one, triaged by its reference.
    dup = commands.file_report(actors["east-member"], {**SHELLING, "title": "Again"})
    accepted(
        fac,
        reverse("report_triage", args=[dup.reference]),
        {"decision": "duplicate", "duplicate_of": ref, "reason": "The same shelling"},
        events,
    )
    dup.refresh_from_db()
    assert dup.status == "duplicate" and dup.duplicate_of_id == r.id

    accepted(fac, reverse("report_triage", args=[ref]), {"decision": "admissible"}, events)
    response = accepted(
        fac,
        reverse("report_task", args=[ref]),
        {"team": ["west-member", "east-member"], "instructions": "Go", "due_on": "2031-01-01"},
        events,
    )
    assert response["Location"].endswith("#team")
    # Access partly denied: the investigation, written by the east's member; once the west's member
    # confirms it (the button names the entry), it is the team's, and an obstruction report of its own.
    accepted(
        east,
        reverse("report_investigation", args=[ref]),
        {
            "site_visited": "true",
            "visited_on": "2021-03-04",
            "access": "partial",
            "denied_by_party": "east",
            "denied_by": "Brigade 128",
            "methods": "Crater analysis",
            "limitations": "No access to the ridge",
        },
        events,
    )
    assert not Report.objects.filter(related_report=r).exists()
    r.refresh_from_db()
    page = west.get(reverse("report", args=[ref])).content.decode()
    assert reverse("report_confirm", args=[ref]) in page
    assert reverse("report_confirm", args=[ref]) not in east.get(reverse("report", args=[ref])).content.decode()
    form = west.get(reverse("report_confirm", args=[ref])).content.decode()
    assert (
        f'<input type="hidden" name="investigation" value="{r.investigation.id}">' in form and "Crater analysis" in form
    )
    accepted(west, reverse("report_confirm", args=[ref]), {"investigation": str(r.investigation.id)}, events, n=2)
    obstruction = Report.objects.get(related_report=r)
    assert obstruction.category_id == "access-denied" and obstruction.alleged_party_id == "east"
    assert obstruction.reference in fac.get(reverse("report", args=[ref])).content.decode()

    # Findings: a button adds a block without writing anything; two findings, three recommendations.
    url = reverse("report_findings", args=[ref])
    before = events()
    response = west.post(url, {"shape": "1", "add": "finding", "f0-allegation": "Shelling"})
    assert response.status_code == 200 and events() == before
    html = response.content.decode()
    assert 'name="shape" value="1,1"' in html and "f1-allegation" in html and ">Shelling</textarea>" in html
    accepted(
        west,
        url,
        {
            "shape": "1,2",
            "f0-allegation": "Shelling by the east",
            "f0-result": "violation",
            "f0-attributed_to": "east",
            "f0-reasoning": "Craters facing east",
            "f0-r0-addressee_party": "east",
            "f0-r0-text": "Withdraw the battery",
            "f0-r0-due_on": "2031-04-01",
            "f1-allegation": "Casualties among civilians",
            "f1-result": "insufficient",
            "f1-r0-addressee": "Joint medical team",
            "f1-r0-text": "Collect the clinic's records",
            "f1-r1-addressee_party": "west",
            "f1-r1-text": "Share the clinic's records",
        },
        events,
    )
    r.refresh_from_db()
    assert r.status == "findings"
    findings = list(r.findings.order_by("number"))
    assert [f.result for f in findings] == ["violation", "insufficient"] and findings[0].attributed_to_id == "east"
    assert Recommendation.objects.filter(report=r).count() == 3

    # West agrees, east dissents: disputed, on the next meeting's agenda.
    assert (
        f'<input type="hidden" name="draft" value="{r.draft}">'
        in west.get(reverse("report_sign", args=[ref])).content.decode()
    )
    accepted(
        west, reverse("report_sign", args=[ref]), {"confirm": "yes", "agrees": "true", "draft": str(r.draft)}, events
    )
    accepted(
        east,
        reverse("report_sign", args=[ref]),
        {"confirm": "yes", "agrees": "false", "reasons": "No crater", "draft": str(r.draft)},
        events,
    )
    r.refresh_from_db()
    assert r.status == "disputed" and r.agenda_item.meeting_id == world["upcoming"].id

    # A proposal; the heads approve; the facilitator settles.
    # Two events: the decision put before the committee, and the report's link to it.
    response = accepted(fac, reverse("report_propose", args=[ref]), {"text": "Findings upheld"}, events, n=2)
    decision = Decision.objects.get(text_en__endswith="\n\nFindings upheld")  # after the findings it upholds
    meeting = reverse("meeting", args=[world["upcoming"].reference])
    assert response["Location"] == meeting + f"#decision-{decision.number}"
    for head in ("west-head", "east-head"):
        mechanism.take_position(actors[head], decision.id, {"position": "approve"})
    # Approved by both, it waits for its meeting: the report's page does not call it adopted.
    page = fac.get(reverse("report", args=[ref])).content.decode()
    assert "Not adopted" in page and reverse("report_settle", args=[ref]) not in page
    # The meeting's day: the attendance with each party's quorum completes the decision (two events:
    # the attendance and the adoption it brings).
    first_day = world["upcoming"].starts_on
    monkeypatch.setattr(log, "_clock", lambda: dt.datetime.combine(first_day, dt.time(9), dt.UTC))
    present = [str(m.id) for (party, seat), m in world["members"].items() if seat <= 3]
    accepted(fac, reverse("meeting_attendance", args=[world["upcoming"].reference]), {"present": present}, events, n=2)
    assert Decision.objects.get(id=decision.id).adopted
    accepted(fac, reverse("report_settle", args=[ref]), {"note": "Settled"}, events)
    r.refresh_from_db()
    assert r.status == "concluded" and r.closing_note_en == "Settled"

    # The addressed party reports progress; the facilitator closes it.
    rec = Recommendation.objects.get(report=r, addressee_party="east")
    accepted(east, reverse("recommendation_status", args=[rec.id]), {"status": "in_progress", "note": "Moving"}, events)
    accepted(fac, reverse("recommendation_status", args=[rec.id]), {"status": "done", "note": "Verified"}, events)
    rec.refresh_from_db()
    assert rec.status == "done"

    # The facilitator shares it with the observers, who can now read it.
    assert clients["observer"].get(reverse("report", args=[ref])).status_code == 404
    accepted(fac, reverse("report_visibility", args=[ref]), {"visibility": "observers"}, events)
    assert clients["observer"].get(reverse("report", args=[ref])).status_code == 200


def test_a_failed_proposal_ends_in_a_recorded_disagreement(reports, actors, clients, events):
    r = reports["disputed"]
    fac = clients["facilitator"]
    accepted(fac, reverse("report_propose", args=[r.reference]), {"text": "Findings upheld"}, events, n=2)
    r.refresh_from_db()
    mechanism.take_position(actors["west-head"], r.decision_id, {"position": "approve"})
    mechanism.take_position(actors["east-head"], r.decision_id, {"position": "object"})
    html = fac.get(reverse("report", args=[r.reference])).content.decode()
    assert reverse("report_disagreement", args=[r.reference]) in html
    assert reverse("report_propose", args=[r.reference]) in html  # another proposal may follow
    assert reverse("report_settle", args=[r.reference]) not in html
    accepted(fac, reverse("report_disagreement", args=[r.reference]), {"note": "The parties disagree"}, events)
    r.refresh_from_db()
    assert r.status == "disagreement"
    assert "The parties disagree" in fac.get(reverse("report", args=[r.reference])).content.decode()


def test_the_facilitator_protects_and_erases_a_witness(reports, clients, events):
    r = reports["inquiry"]
    url = reverse("report_identities", args=[r.reference])
    accepted(clients["facilitator"], url, {"identity_name": "Fatima", "identity_relation": "Saw the drone"}, events)
    c = IdentityCommitment.objects.get(report=r)
    assert ProtectedIdentity.objects.get(commitment=c.commitment).identity["relation"] == "Saw the drone"
    assert "Fatima" in clients["facilitator"].get(url).content.decode()
    accepted(clients["facilitator"], reverse("identity_erase", args=[c.id]), {"reason": "A threat to her"}, events)
    assert not ProtectedIdentity.objects.filter(commitment=c.commitment).exists()
    html = clients["facilitator"].get(url).content.decode()
    assert "Fatima" not in html and "erased on" in html and c.commitment in html


def test_a_monitor_files_as_a_joint_team_or_the_un(world, events):
    from django.test import Client

    from ceasefire.mechanism.accounts import create_account
    from tests.conftest import PASSWORD
    from tests.helpers import signed_in

    commands.adopt_default_typology(FACILITATOR)
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in(c, create_account("un-monitor", PASSWORD, "monitor"))
    html = c.get(reverse("report_new")).content.decode()
    assert 'value="joint_team"' in html and 'value="un_monitor"' in html and 'value="media"' not in html
    identity = {k: "" for k in FORM if k.startswith("identity_")}
    accepted(c, reverse("report_new"), {**FORM, **identity, "source_type": "un_monitor"}, events)
    r = Report.objects.get()
    assert r.source_type == "un_monitor" and r.source_party_id is None and r.submitted_by == "un-monitor"
    assert not ProtectedIdentity.objects.exists()
