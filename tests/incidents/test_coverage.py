"""Coverage (incidents/coverage.py): who records it and whose claim it is, how its days are counted,
what observers and the public read of it, that every count carries it, and that it replays."""

import datetime as dt

import pytest
from django.utils import translation

from ceasefire.errors import CommandError, Forbidden
from ceasefire.incidents import coverage, queries, stats
from ceasefire.incidents.models import Coverage
from ceasefire.record import replay
from ceasefire.record.models import Event, Head
from tests.helpers import refused, signed_in


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


SIRTE = {"area_en": "Sirte", "area_ar": "سرت"}


@pytest.mark.django_db
def test_who_records_coverage_and_whose_claim_it_is(monitors, typology):
    a = monitors
    mission = coverage.record_coverage(
        a["facilitator"], {"kind": "deployed", **SIRTE, "starts_on": "2021-01-01", "ends_on": "2021-01-09"}
    )
    assert mission.claimed_by_id is None and mission.recorded_by == "facilitator" and mission.visibility == "parties"
    assert (
        coverage.record_coverage(
            a["un-monitor"], {"kind": "no_access", **SIRTE, "starts_on": "2021-01-25", "ends_on": "2021-01-26"}
        ).claimed_by_id
        is None
    )
    # a monitor from a party's ranks records for the mission, never for its party
    assert (
        coverage.record_coverage(
            a["east-monitor"], {"kind": "deployed", **SIRTE, "starts_on": "2021-01-05", "ends_on": "2021-01-12"}
        ).claimed_by_id
        is None
    )
    claim = coverage.record_coverage(
        a["west-head"],
        {
            "kind": "denied",
            **SIRTE,
            "starts_on": "2021-01-20",
            "ends_on": "2021-01-22",
            "denied_by": "east",
            "source": "our patrol",
        },
    )
    assert claim.claimed_by_id == "west" and claim.denied_by_id == "east"
    assert (
        coverage.record_coverage(
            a["east-member"], {"kind": "deployed", "area": "الجفرة", "starts_on": "2021-01-03", "ends_on": "2021-01-03"}
        ).claimed_by_id
        == "east"
    )
    with refused(Forbidden):
        coverage.record_coverage(
            a["observer"], {"kind": "deployed", **SIRTE, "starts_on": "2021-01-01", "ends_on": "2021-01-02"}
        )
    with refused(Forbidden):
        coverage.share_coverage(a["west-head"], claim.id, {"visibility": "observers"})
    for data, field in (
        ({"kind": "seen", **SIRTE, "starts_on": "2021-01-01", "ends_on": "2021-01-02"}, "kind"),
        ({"kind": "deployed", "starts_on": "2021-01-01", "ends_on": "2021-01-02"}, "area"),
        ({"kind": "deployed", **SIRTE, "starts_on": "2021-01-03", "ends_on": "2021-01-02"}, "ends_on"),
        ({"kind": "deployed", **SIRTE, "starts_on": "2021-01-01", "ends_on": "2022-06-02"}, "ends_on"),
        ({"kind": "deployed", **SIRTE, "starts_on": "2999-01-01", "ends_on": "2999-01-02"}, "starts_on"),
        ({"kind": "deployed", **SIRTE, "starts_on": "2021-02-30", "ends_on": "2021-03-02"}, "starts_on"),
        (
            {"kind": "deployed", **SIRTE, "starts_on": "2021-01-01", "ends_on": "2021-01-02", "denied_by": "east"},
            "denied_by",
        ),
        (
            {"kind": "denied", **SIRTE, "starts_on": "2021-01-01", "ends_on": "2021-01-02", "denied_by": "north"},
            "denied_by",
        ),
    ):
        with refused(CommandError, field):
            coverage.record_coverage(a["facilitator"], data)

    # the mission's days are counted once where its records overlap; a party's claim stands apart
    fac = coverage.summary(a["facilitator"], dt.date(2021, 1, 1), dt.date(2021, 1, 31))
    lines = {
        (line.area, line.kind, line.claimed_by.code if line.claimed_by else None): (line.days, line.of)
        for line in fac.lines
    }
    assert lines == {
        ("Sirte", "deployed", None): (12, 31),
        ("Sirte", "no_access", None): (2, 31),
        ("Sirte", "denied", "west"): (3, 31),
        ("الجفرة", "deployed", "east"): (1, 31),
    }
    # nothing shared yet: observers are told so, never a bare count
    assert coverage.summary(a["observer"], dt.date(2021, 1, 1), dt.date(2021, 1, 31)).lines == []
    assert coverage.sentences(coverage.summary(a["observer"], dt.date(2021, 1, 1), dt.date(2021, 1, 31))) == [
        "No coverage shared for this period."
    ]
    coverage.share_coverage(a["facilitator"], mission.id, {"visibility": "observers"})
    with refused(CommandError, "visibility"):
        coverage.share_coverage(a["facilitator"], mission.id, {"visibility": "observers"})
    seen = coverage.summary(a["observer"], dt.date(2021, 1, 1), dt.date(2021, 1, 31))
    assert [(line.area, line.days) for line in seen.lines] == [("Sirte", 9)]
    assert coverage.sentence(seen.lines[0]) == "Sirte: monitors reached it on 9 of 31 days"
    west = next(line for line in fac.lines if line.claimed_by)
    assert "a claim" in coverage.sentence(west)
    assert coverage.summary(None, dt.date(2021, 1, 1), dt.date(2021, 1, 31)).lines == []

    # every count carries the coverage of its period, and by month each row its month's
    counts = stats.count(
        a["facilitator"],
        queries.Filters(occurred_from=dt.date(2021, 1, 1), occurred_to=dt.date(2021, 1, 31)),
        ("month",),
    )
    assert counts.coverage.days == 31 and len(counts.coverage.lines) == 4

    result = replay.check(progress=None)
    assert result.events == Event.objects.count() == Head.objects.get(id=1).size
    assert result.ok, result.difference
    assert {"coverage.recorded", "coverage.visibility_set"} <= set(Event.objects.values_list("type", flat=True))
    assert Coverage.objects.count() == 5


@pytest.mark.django_db
def test_coverage_through_the_api_and_the_pages(monitors, typology, accounts):
    import json

    from django.test import Client
    from django.urls import reverse

    from ceasefire.api.tokens import create_token
    from tests.web.a11y import problems

    def api(who):
        c = Client()
        headers = {"Authorization": f"Bearer {create_token(accounts[who], 'cov')}"} if who else {}
        headers["Accept-Language"] = "en"
        return lambda method, path, body=None: (
            c.post("/api/v1" + path, json.dumps(body), content_type="application/json", headers=headers)
            if method == "post"
            else c.get("/api/v1" + path, headers=headers)
        )

    body = {
        "kind": "denied",
        "area": "Sirte",
        "starts_on": "2021-01-20",
        "ends_on": "2021-01-22",
        "denied_by": "east",
        "source": "pxcoveragesourcezq",
        "note": "Checkpoint 50 turned the patrol back",
    }
    made = api("west-head")("post", "/coverage", body)
    assert made.status_code == 201, made.content
    assert made.json()["claimed_by"] == "west" and made.json()["source_en"] == "pxcoveragesourcezq"
    assert api("observer")("post", "/coverage", body).status_code == 403
    assert api(None)("post", "/coverage", body).status_code == 401
    bad = api("facilitator")("post", "/coverage", {**body, "ends_on": "2021-01-01"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "ends_on"
    assert api("observer")("get", "/coverage").json() == []
    shared = api("facilitator")("post", f"/coverage/{made.json()['id']}/visibility", {"visibility": "observers"})
    assert shared.status_code == 200, shared.content
    assert (
        api("west-head")("post", f"/coverage/{made.json()['id']}/visibility", {"visibility": "public"}).status_code
        == 403
    )
    [seen] = api("observer")("get", "/coverage").json()
    assert seen["claimed_by"] == "west" and seen["source_en"] is None and seen["recorded_by"] != "west-head"
    assert api(None)("get", "/coverage").json() == []
    assert len(api("west-head")("get", "/coverage?from=2021-01-22&to=2021-01-30").json()) == 1
    assert api("west-head")("get", "/coverage?from=2021-01-23").json() == []
    backwards = api("west-head")("get", "/coverage?from=2021-01-23&to=2021-01-01")
    assert backwards.status_code == 422 and backwards.json()["detail"][0]["field"] == "to"
    stats_text = api("observer")("get", "/stats?occurred_from=2021-01-01&occurred_to=2021-01-31").json()["coverage"][
        "text"
    ]
    assert stats_text == ["Sirte: access denied on 3 of 31 days (as Western region says: a claim)"]

    fac = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in(fac, accounts["facilitator"])
    listed = fac.get(reverse("coverage")).content.decode()
    assert "A claim of Western region" in listed and "pxcoveragesourcezq" in listed and problems(listed) == []
    form = fac.get(reverse("coverage_new"))
    assert form.status_code == 200 and problems(form.content.decode()) == []
    done = fac.post(
        reverse("coverage_new"), {"kind": "deployed", "area": "سرت", "starts_on": "2021-01-02", "ends_on": "2021-01-04"}
    )
    assert done.status_code == 302
    refused_form = fac.post(
        reverse("coverage_new"),
        {"kind": "deployed", "area": "Sirte", "starts_on": "2021-01-05", "ends_on": "2021-01-04"},
    )
    assert refused_form.status_code == 422 and 'id="f-ends-on-error"' in refused_form.content.decode()

    observer = Client(HTTP_ACCEPT_LANGUAGE="ar")
    signed_in(observer, accounts["observer"])
    assert observer.get(reverse("coverage_new")).status_code == 403
    page = observer.get(reverse("coverage")).content.decode()
    assert "pxcoveragesourcezq" not in page and "west-head" not in page and problems(page) == []
    assert observer.get(reverse("coverage_visibility", args=[made.json()["id"]])).status_code == 403
