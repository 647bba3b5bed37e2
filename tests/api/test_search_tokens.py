"""The reports' text search against the rule itself, over many terms: on PostgreSQL the keys come
from each report's words and pairs of adjacent words (queries.token_keys, text_index.TOKENS_SQL),
not from LIKE, and must be exactly the reports whose search column holds a term; on SQLite the
same list is read from the FTS5 table. The terms are cut from the reports' own columns at every
place (inside words, across words, at a line's end, whole words), so that near misses abound."""

import random

import pytest
from django.db import connection

from ceasefire.incidents import commands as incidents
from ceasefire.incidents import queries
from ceasefire.incidents.models import Report
from ceasefire.places.gazetteer import search_terms
from tests import once
from tests.samples import REPORT

LONG = "ب" * 60 + "سرت" + "ب" * 60  # a word longer than SearchWord keeps, holding سرت
TEXTS = [
    {"title": "اشتباك في الجفرة", "place_ar": "الجفرة", "narrative": "قصف قرب القاعدة الجوية"},
    {"title": "اشتباكات بسرت ليلا", "narrative": "القاعدة الجوية الجنوبية"},
    {"title": "Convoy seen near Jufra airbase", "narrative": "An oil terminal convoy, Brigade 128"},
    {"title": "Brigade 1280 left the oil terminals", "narrative": "the convoy stopped"},
    {"title": "Patrol in the desert", "narrative": "A patrol crossed the desert at km ٦٠.", "place_en": "Sirte"},
    {"title": "Shots near the port", "place_ar": "سرت", "narrative": "oil\nterminal"},
    {"title": "Leaflets inserted under doors", "narrative": LONG + " الجوية"},
    {"title": "طائرة مسيّرة فوق المعسكر", "narrative": "wadi zamzam wadi zamzam2 wadizamzam"},
    {"title": "A A A", "narrative": "a aa aaa aaaa"},
    {"title": "x"},
]
PLAIN = {"place_en": "", "place_ar": "", "narrative": "Nothing further was reported.", "alleged_unit": ""}


@once.fixture
def written(actors, typology):
    return [incidents.file_report(actors["west-member"], {**REPORT, **PLAIN, **t}).id for t in TEXTS]


def terms(columns: list[str]) -> list[str]:
    """Every whole word and pair of words of the columns, with and without the spaces around them,
    and slices of them cut at random (a fixed seed), inside words and across them."""
    rng = random.Random(11)
    out: set[str] = set()
    for column in columns:
        for line in column.split("\n"):
            words = line.split()
            for i, w in enumerate(words):
                out |= {w, f" {w} ", f" {w}", f"{w} ", w[1:], w[:-1]}
                if i + 1 < len(words):
                    pair = f"{w} {words[i + 1]}"
                    out |= {pair, f" {pair} ", pair[1:], pair[:-1], f"{pair[2:]} "}
                if i + 2 < len(words):
                    out |= {" ".join(words[i : i + 3]), " ".join(words[i : i + 3])[1:]}
        for _ in range(40):
            start = rng.randrange(len(column))
            out.add(column[start : start + rng.randrange(1, 25)])
    return sorted(t for t in out if t.strip())


def test_each_term_finds_the_reports_that_hold_it(written):
    reports = {r.id: r.search_text for r in Report.objects.filter(id__in=written)}
    asked = terms(list(reports.values())) + ["nothing like this", "سرت", "oil terminal", " a a "]
    assert len(asked) > 300
    for term in asked:
        expected = {i for i, text in reports.items() if term in text}
        if connection.vendor == "postgresql":
            found = set(queries.token_keys([term]))
        elif len(term) >= 3:
            found = set(queries.fts_keys("report_text", [term]))
        else:
            continue  # SQLite asks LIKE for a term shorter than a trigram
        assert found & set(written) == expected, term


def test_several_terms_find_the_reports_that_hold_any(written):
    reports = {r.id: r.search_text for r in Report.objects.filter(id__in=written)}
    rng = random.Random(5)
    asked = terms(list(reports.values()))
    for _ in range(60):
        some = rng.sample(asked, rng.randrange(2, 6))
        expected = {i for i, text in reports.items() if any(t in text for t in some)}
        if connection.vendor == "postgresql":
            assert set(queries.token_keys(some)) & set(written) == expected, some


@pytest.mark.parametrize("q", ["سرت", "Sirte", "القاعدة الجوية", "oil terminal", "Brigade 128", "٦٠", "a a", "x"])
def test_the_list_finds_what_the_rule_finds(written, q):
    reports = {r.id: r.search_text for r in Report.objects.filter(id__in=written)}
    wanted = search_terms(q)
    expected = {i for i, text in reports.items() if any(t in text for t in wanted)}
    listed = set(
        queries.search(Report.objects.filter(id__in=written), queries.Filters(text=q)).values_list("id", flat=True)
    )
    assert listed == expected


@pytest.mark.postgresql_only
def test_a_report_keeps_its_tokens(written):
    """The triggers write them with the report (a word too long to keep is ""), the index serves a
    search of them, and they go with the report."""
    with connection.cursor() as c:
        c.execute("SELECT tokens FROM incidents_report_tokens WHERE report_id = %s", [written[6]])
        (tokens,) = c.fetchone()
        assert "" in tokens and LONG not in tokens and "الجويه" in tokens and "leaflets inserted" in tokens
        c.execute("SET LOCAL enable_seqscan = off")
        c.execute("EXPLAIN SELECT report_id FROM incidents_report_tokens WHERE tokens && %s::text[]", [["سرت"]])
        assert "report_tokens_gin" in "\n".join(r[0] for r in c.fetchall())
    Report.objects.filter(id=written[6]).delete()
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM incidents_report_tokens WHERE report_id = %s", [written[6]])
        assert c.fetchone() == (0,)
