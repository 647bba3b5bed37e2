"""What is still one side's words stays with the parties: a shared duplicate shows observers its own
title, not the hidden original's; a draft's attribution and the casualty figures' sources are not
shown beyond the parties; the record tells observers, not the public, what was shared."""

from ceasefire.incidents import commands as incidents
from ceasefire.incidents.models import Report
from ceasefire.record.log import readable
from tests.conftest import FACILITATOR

from .endpoints import advance, file_report

SECRET = "Shelling by Brigade 128 at the depot"


def test_a_shared_duplicate_names_its_incident_after_itself(actors, typology, api):
    original = file_report(actors, title=SECRET)
    dup = file_report(actors, who="east-member", title="Shelling reported")
    incidents.triage(
        FACILITATOR, dup.id, {"decision": "duplicate", "duplicate_of": original.id, "reason": "same event"}
    )
    incidents.set_visibility(FACILITATOR, dup.id, {"visibility": "observers"})
    for who in ("observer",):
        listed = api(who).get("/incidents").json()["items"]
        assert [i["title"] for i in listed] == ["Shelling reported"]
        one = api(who).get(f"/incidents/{original.incident_id}").json()
        assert one["title"] == "Shelling reported" and SECRET not in str(one)
    assert api("east-member").get(f"/incidents/{original.incident_id}").json()["title"] == SECRET
    assert api(None).get(f"/incidents/{original.incident_id}").status_code == 404


def test_a_drafts_attribution_is_not_shown_beyond_the_parties(actors, typology, api):
    r = file_report(
        actors, casualties=[{"kind": "killed", "group": "civilian", "count": 1, "source": "Nurse at the clinic"}]
    )
    advance(actors, r.id, "findings")
    incidents.set_visibility(FACILITATOR, r.id, {"visibility": "observers"})
    seen = api("observer").get(f"/reports/{r.id}").json()
    [finding] = seen["findings"]
    assert (finding["binding"], finding["attributed_to"]) == (False, None)
    assert [c["source"] for c in seen["casualties"]] == [""]
    full = api("west-head").get(f"/reports/{r.id}").json()
    assert (full["findings"][0]["binding"], full["findings"][0]["attributed_to"]) == (False, "east")
    assert full["casualties"][0]["source"] == "Nurse at the clinic"
    for who in ("west-member", "east-member", "facilitator"):
        incidents.sign_findings(actors[who], r.id, {"agrees": True, "draft": Report.objects.get(id=r.id).draft})
    [finding] = api("observer").get(f"/reports/{r.id}").json()["findings"]
    assert (finding["binding"], finding["attributed_to"]) == (True, "east")


def test_sharing_is_in_the_record_for_observers_not_the_public():
    assert readable("report.visibility_set", "observers")
    assert not readable("report.visibility_set", "public")
