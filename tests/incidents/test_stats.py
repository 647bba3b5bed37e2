"""Counts (incidents/stats.py), in the domain, the page and the API: each count against a count by
hand and against a brute-force count over the same rows, for every reader; observers and the public
count only what they may read; an attribution counts only once binding; each number links to the
list of what it counts; `by` and `unit` are checked. Coverage: test_coverage.py."""

import datetime as dt
import itertools
from collections import Counter

import pytest

from ceasefire import audience
from ceasefire.errors import Invalid
from ceasefire.incidents import commands, queries, stats
from ceasefire.incidents.models import Report
from tests import once
from tests.conftest import FACILITATOR
from tests.helpers import signed_in
from tests.incidents.steps import FINDINGS, advance, file

DIMENSIONS = ("category", "alleged_party", "attributed_party", "status", "month")
# readers: each role of the committee, and the public (None)
READERS = ("facilitator", "west-member", "east-head", "un-monitor", "observer", None)


@once.fixture
def history(monitors, typology):
    """Five reports, by hand:
    A shelling, alleged east, 2021-01-05: concluded, the east held responsible; published.
    B shelling, alleged east, 2021-01-20: findings drafted against the east, not signed; shared with observers.
    C air strike, alleged west, 2021-02-03: concluded, the west held responsible; the parties' only.
    D firing, no party alleged, 2021-02-10: received; the parties' only.
    E shelling, alleged east, 2021-01-06 (by the east): a duplicate of A, in A's incident; shared with observers.
    """
    a = monitors
    A = advance(a, file(a, occurred_at="2021-01-05"), "concluded")
    commands.set_visibility(FACILITATOR, A.id, {"visibility": "public"})
    B = advance(a, file(a, occurred_at="2021-01-20"), "findings")
    commands.set_visibility(FACILITATOR, B.id, {"visibility": "observers"})
    C = advance(
        a,
        file(
            a,
            "east-member",
            category="air-strike",
            alleged_party="west",
            affected_party="east",
            occurred_at="2021-02-03",
            title="pxairstrikezq",
        ),
        "investigated",
    )
    against_west = {"findings": [{**FINDINGS["findings"][0], "attributed_to": "west", "recommendations": []}]}
    C = commands.draft_findings(a["west-member"], C.id, against_west)
    for who in (a["west-member"], a["east-member"], FACILITATOR):
        C.refresh_from_db()
        C = commands.sign_findings(who, C.id, {"agrees": True, "draft": C.draft})
    D = file(a, "un-monitor", category="firing", alleged_party="", occurred_at="2021-02-10")
    E = file(a, "east-member", occurred_at="2021-01-06")
    commands.triage(FACILITATOR, E.id, {"decision": "duplicate", "duplicate_of": A.id, "reason": "the same shelling"})
    commands.set_visibility(FACILITATOR, E.id, {"visibility": "observers"})
    return {k: Report.objects.get(id=r.id) for k, r in zip("ABCDE", (A, B, C, D, E), strict=True)}


def reader(actors, who):
    return actors[who] if who else None


def rows(counts) -> dict:
    return {tuple(r.values[d] for d in counts.by): r.count for r in counts.rows}


ALL = queries.Filters()


@pytest.mark.django_db
def test_counts_by_hand_for_the_parties(history, monitors):
    fac = monitors["facilitator"]
    assert stats.count(fac, ALL).total == 5
    assert rows(stats.count(fac, ALL, ("alleged_party",))) == {("east",): 3, ("west",): 1, (None,): 1}
    assert rows(stats.count(fac, ALL, ("category",))) == {("shelling",): 3, ("air-strike",): 1, ("firing",): 1}
    # B's draft holds the east responsible, but a draft binds no one: only A and C count
    assert rows(stats.count(fac, ALL, ("attributed_party",))) == {("east",): 1, ("west",): 1, (None,): 3}
    assert rows(stats.count(fac, ALL, ("status",))) == {
        ("concluded",): 2,
        ("findings",): 1,
        ("duplicate",): 1,
        ("received",): 1,
    }
    assert rows(stats.count(fac, ALL, ("month",))) == {("2021-01",): 3, ("2021-02",): 2}
    assert rows(stats.count(fac, ALL, ("month", "alleged_party"))) == {
        ("2021-01", "east"): 3,
        ("2021-02", "west"): 1,
        ("2021-02", None): 1,
    }
    # E merged into A's incident: four incidents, two of them alleged against the east
    incidents = stats.count(fac, ALL, ("alleged_party",), stats.INCIDENTS)
    assert incidents.total == 4 and rows(incidents) == {("east",): 2, ("west",): 1, (None,): 1}
    findings = stats.count(fac, ALL, ("attributed_party", "result"), stats.FINDINGS)
    assert findings.total == 2 and rows(findings) == {("east", "violation"): 1, ("west", "violation"): 1}


@pytest.mark.django_db
def test_observers_and_the_public_count_only_what_they_may_read(history, monitors):
    observer = monitors["observer"]
    assert stats.count(observer, ALL).total == 3  # A, B, E
    assert rows(stats.count(observer, ALL, ("alleged_party",))) == {("east",): 3}
    assert rows(stats.count(observer, ALL, ("category",))) == {("shelling",): 3}
    assert rows(stats.count(observer, ALL, ("attributed_party",))) == {("east",): 1, (None,): 2}
    assert rows(stats.count(observer, ALL, ("month",))) == {("2021-01",): 3}
    assert stats.count(observer, ALL, (), stats.INCIDENTS).total == 2
    assert stats.count(observer, ALL, (), stats.FINDINGS).total == 1
    assert rows(stats.count(None, ALL, ("status",))) == {("concluded",): 1}
    assert stats.count(None, ALL, ("attributed_party",), stats.FINDINGS).total == 1
    # a filter cannot make a hidden report count: C is the west's only allegation
    assert stats.count(observer, queries.Filters(alleged_party="west")).total == 0
    assert stats.count(None, queries.Filters(attributed_party="west")).total == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", READERS)
def test_every_count_is_the_brute_force_count_of_what_the_reader_reads(history, monitors, who):
    actor = reader(monitors, who)
    seen = list(Report.objects.prefetch_related("findings"))
    seen = [r for r in seen if audience.report_reads(actor, r)]

    def value(r, name):
        if name == "category":
            return [r.category_id]
        if name == "alleged_party":
            return [r.alleged_party_id]
        if name == "status":
            return [r.status]
        if name == "month":
            return [r.occurred_at.astimezone(dt.UTC).strftime("%Y-%m")]
        # what a binding finding holds the party responsible for, where the reader reads the attribution
        held = sorted(
            {
                f.attributed_to_id
                for f in r.findings.all()
                if f.result == "violation"
                and f.attributed_to_id
                and r.status == "concluded"
                and audience.finding_reads(actor, r, "attribution")
            }
        )
        return held or [None]

    for n in (1, 2):
        for by in itertools.permutations(DIMENSIONS, n):
            expected = Counter()
            for r in seen:
                for key in set(itertools.product(*(value(r, d) for d in by))):
                    expected[key] += 1
            assert rows(stats.count(actor, ALL, by)) == dict(expected), by
    assert stats.count(actor, ALL).total == len(seen)
    assert stats.count(actor, ALL, (), stats.INCIDENTS).total == len({r.incident_id for r in seen})


@pytest.mark.django_db
def test_each_row_names_the_list_that_shows_what_it_counts(history, monitors):
    fac = monitors["facilitator"]
    counts = stats.count(fac, queries.Filters(category="shelling"), ("attributed_party", "month"))
    for row in counts.rows:
        params = stats.list_filters(counts, row)
        listed = queries.search(queries.visible(fac), queries.Filters.parse(params))
        assert listed.count() == row.count, (params, row)


@pytest.mark.django_db
def test_by_names_known_dimensions_only():
    with pytest.raises(Invalid) as e:
        stats.parse_by("category,district")
    assert e.value.field == "by"
    for bad in (["month", "month"], "result", "category,status,month,alleged_party", [3]):
        with pytest.raises(Invalid) as e:
            stats.parse_by(bad)
        assert e.value.field == "by", bad
    assert stats.parse_by(["category", "month"]) == stats.parse_by("category, month") == ("category", "month")
    assert stats.parse_by("result", stats.FINDINGS) == ("result",)
    with pytest.raises(Invalid) as e:
        stats.parse_unit("people")
    assert e.value.field == "unit"


# ---------------------------------------------------------------- the page


def page_client(accounts, who, language="en"):
    from django.test import Client

    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    if who:
        signed_in(c, accounts[who])
    return c


def table(html: str) -> str:
    start = html.find("<table")
    return html[start : html.find("</table>", start)] if start >= 0 else ""


@pytest.mark.django_db
def test_the_page_counts_links_each_number_to_its_list_and_shows_the_coverage(history, accounts):
    import re

    from django.urls import reverse

    from tests.web.a11y import problems

    c = page_client(accounts, "facilitator")
    html = c.get(reverse("stats"), {"by": ["alleged_party", "month"]}).content.decode()
    assert "5 reports" in html and "No coverage recorded for this period." in html
    assert problems(html) == []
    links = re.findall(r'<td data-label="Count" class="num"><a href="([^"]+)">(\d+)</a>', table(html))
    assert sorted(int(n) for _, n in links) == [1, 1, 3]
    for url, n in links:
        listed = c.get(url.replace("&amp;", "&")).content.decode()
        assert re.search(rf"\b{n} reports? of 5 match", listed), url
    assert "<svg" in html and "style=" not in html  # the chart is drawn without inline style (strict CSP)
    assert "pxairstrikezq" not in html
    arabic = page_client(accounts, "facilitator", "ar").get(reverse("stats")).content.decode()
    assert 'dir="rtl"' in arabic and problems(arabic) == []


@pytest.mark.django_db
def test_an_observer_page_counts_nothing_kept_with_the_parties(history, accounts):
    from django.urls import reverse

    c = page_client(accounts, "observer")
    for by in ("category", "alleged_party", "attributed_party", "status", "month"):
        response = c.get(reverse("stats"), {"by": by})
        assert response.status_code == 200
        rows = table(response.content.decode())
        assert rows and "Air or drone strike" not in rows and "Firing" not in rows and "Western region" not in rows
        assert "2021-02" not in rows and "Received" not in rows
    html = c.get(reverse("stats")).content.decode()
    assert "3 reports" in html and "No coverage shared for this period." in html
    assert "pxairstrikezq" not in html


@pytest.mark.django_db
def test_a_bad_dimension_is_named_on_the_page(history, accounts):
    from django.urls import reverse

    response = page_client(accounts, "facilitator").get(reverse("stats"), {"by": "district"})
    assert response.status_code == 400
    assert 'id="f-by-error"' in response.content.decode()


# ---------------------------------------------------------------- the API


def api_get(accounts, who, path, params=None):
    from django.test import Client

    from ceasefire.api.tokens import create_token

    headers = {"Authorization": f"Bearer {create_token(accounts[who], 'stats')}"} if who else {}
    headers["Accept-Language"] = "en"
    return Client().get("/api/v1" + path, params or {}, headers=headers)


@pytest.mark.django_db
def test_the_api_counts_with_the_list_filters_and_says_what_it_counts(history, accounts):
    r = api_get(accounts, "facilitator", "/stats", {"by": "alleged_party,month", "category": "shelling"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["counts"] == "reports" and body["by"] == ["alleged_party", "month"] and body["total"] == 3
    assert [(row["values"], row["count"]) for row in body["rows"]] == [
        ({"alleged_party": "east", "month": "2021-01"}, 3)
    ]
    assert body["rows"][0]["coverage"]["text"] == ["No coverage recorded for this period."]
    assert body["coverage"]["text"] and body["coverage"]["period_from"] == "2021-01-01"
    incidents = api_get(accounts, "facilitator", "/stats", {"by": ["alleged_party"], "unit": "incidents"}).json()
    assert incidents["counts"] == "incidents" and incidents["total"] == 4
    # the list's filters, parsed by the list's own rule: a bad one is named as the list names it
    bad = api_get(accounts, "facilitator", "/stats", {"occurred_from": "2021-02-01", "occurred_to": "2021-01-01"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "occurred_to"
    assert api_get(accounts, "facilitator", "/reports", {"attributed_party": "-"}).json()["count"] == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, field",
    [
        ({"by": "district"}, "by"),
        ({"by": "result"}, "by"),
        ({"by": "month,month"}, "by"),
        ({"unit": "people"}, "unit"),
    ],
)
def test_the_api_names_a_bad_by_or_unit(history, accounts, params, field):
    r = api_get(accounts, None, "/stats", params)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["detail"]] == [field]


@pytest.mark.django_db
def test_the_api_counts_for_observers_and_the_public_only_what_they_read(history, accounts):
    for who, total in (("observer", 3), (None, 1)):
        for by in DIMENSIONS:
            body = api_get(accounts, who, "/stats", {"by": by}).json()
            assert sum(row["count"] for row in body["rows"]) >= body["total"] == total
            text = str(body)
            assert "west" not in text and "air-strike" not in text and "firing" not in text and "2021-02" not in text
