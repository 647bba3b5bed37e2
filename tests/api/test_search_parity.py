"""The list's text search gives the same reports on SQLite and on PostgreSQL. This module runs on
both (`pytest`, then `DATABASE_URL=postgres://… pytest`): each query's answer is written out here,
and it is also the answer of the plain rule, checked in Python over every report without an index:
a report is found when one of the search's terms (places.gazetteer.search_terms: the normalised
text, the other spellings of a place it names) is inside its searchable texts. On each database the
index the search reads (SQLite's FTS5 trigram table, PostgreSQL's GIN index of the reports' words
and pairs of words, text_index.TOKENS_SQL) is shown to serve the query, so that the answers
checked are the index's, not a scan's."""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from ceasefire.incidents import commands as incidents
from ceasefire.incidents import queries, text_index
from ceasefire.incidents.models import SEARCHED, Report
from ceasefire.places.gazetteer import found, search_terms
from tests import once
from tests.samples import REPORT

# What each report says, written with the marks, letters and spellings a search must see through.
TEXTS = {
    "jufra": {"title": "اشتباك في الجفرة", "place_ar": "الجفرة"},
    "jufra-ha": {"title": "قصف قرب الجفره"},
    "jufra-latin": {"title": "Convoy seen near Jufra airbase"},
    "fire": {"title": "خرق لوقف إطلاق النار", "narrative": "سُمع إطلاقُ نار كثيف قرب البوابة"},
    "fire-bare": {"title": "اطلاق نار على دورية"},
    "drone": {"title": "طائرة مسيّرة فوق المعسكر"},
    "drone-bare": {"title": "رصد طائرة مسيرة", "narrative": "مُسيَّرة على ارتفاع منخفض"},
    "sirte": {"title": "Shots near the port", "place_ar": "سرت", "place_en": ""},
    "in-sirte": {"title": "اشتباكات بسرت ليلا"},  # بسرت: "in Sirte", an Arabic spelling inside a word
    "syrte": {"title": "Clash at Syrte's harbour"},
    "surt": {"title": "A patrol left Surt at dawn"},
    "desert": {"title": "Patrol in the desert", "narrative": "A patrol crossed the desert at km ٦٠."},
    "inserted": {"title": "Leaflets inserted under doors"},
}
# The same texts on every report but their own: a place and a narrative that no query finds.
PLAIN = {"place_en": "", "place_ar": "", "narrative": "Nothing further was reported.", "alleged_unit": ""}

QUERIES = {
    "الجفره": {"jufra", "jufra-ha", "jufra-latin"},
    "الجفرة": {"jufra", "jufra-ha", "jufra-latin"},
    "Jufra": {"jufra", "jufra-ha", "jufra-latin"},  # the gazetteer's Latin name finds the Arabic ones
    "اطلاق": {"fire", "fire-bare"},
    "إطلاق": {"fire", "fire-bare"},
    "مسيّرة": {"drone", "drone-bare"},
    "مسيرة": {"drone", "drone-bare"},
    "Sirte": {"sirte", "in-sirte", "syrte", "surt"},  # not "desert" nor "inserted": Latin variants are whole words
    "SURT": {"sirte", "in-sirte", "syrte", "surt"},
    "سرت": {"sirte", "in-sirte", "syrte", "surt"},
    "سـرت": {"sirte", "in-sirte", "syrte", "surt"},
    "desert": {"desert"},
    "km 60": {"desert"},  # Arabic-Indic digits in the text
    "60": {"desert"},  # shorter than a trigram: no index can serve it, the rule is the same
    "طائرة مسيرة": {"drone", "drone-bare"},
    "nothing like this": set(),
}


@once.fixture
def written(actors, typology):
    return {
        name: incidents.file_report(actors["west-member"], {**REPORT, **PLAIN, **texts}).id
        for name, texts in TEXTS.items()
    }


def listed(api, written, q) -> set[str]:
    r = api("west-member").get("/reports", {"q": q, "limit": 200})
    assert r.status_code == 200, r.content
    body = r.json()
    by_id = {v: k for k, v in written.items()}
    assert body["count"] == len(body["items"])
    return {by_id[item["id"]] for item in body["items"]}


def by_the_rule(written, q) -> set[str]:
    """The reports the search must find, by the rule itself, in Python, without any index."""
    terms = search_terms(q)
    by_id = {v: k for k, v in written.items()}
    return {by_id[r.id] for r in Report.objects.all() if found(terms, *(getattr(r, f) for f in SEARCHED))}


@pytest.mark.parametrize("q", list(QUERIES))
def test_the_same_reports_on_every_database(api, written, q):
    assert by_the_rule(written, q) == QUERIES[q]
    assert listed(api, written, q) == QUERIES[q]


@pytest.mark.parametrize("q", ["الجفره", "اطلاق", "مسيرة", "Sirte", "سرت"])
def test_the_index_serves_the_search(written, q):
    qs = queries.search(Report.objects.all(), queries.Filters(text=q))
    if connection.vendor == "sqlite":
        # the keys come from the FTS5 trigram table, term by term
        assert "json_each" in str(qs.query) and "LIKE" not in str(qs.query)
        keys = queries.fts_keys("report_text", search_terms(q))
        assert {k for k in keys if k in written.values()} == {written[n] for n in QUERIES[q]}
    else:
        # the keys come from the reports' words and pairs of words, as their GIN index finds them
        assert "= ANY(" in str(qs.query) and "LIKE" not in str(qs.query)
        keys = queries.token_keys(queries.possible(search_terms(q)))
        assert {k for k in keys if k in written.values()} == {written[n] for n in QUERIES[q]}
        with transaction.atomic(), connection.cursor() as c:
            c.execute("SET LOCAL enable_seqscan = off")  # a few rows: the planner would read them all
            c.execute(f"EXPLAIN SELECT report_id FROM {text_index.TOKENS} WHERE tokens && %s::text[]", [["سرت"]])
            plan = "\n".join(row[0] for row in c.fetchall())
        assert text_index.TOKENS_INDEX in plan, plan
    assert {r for r, i in written.items() if qs.filter(id=i).exists()} == QUERIES[q]


def test_the_check_says_the_index_serves_the_search(written):
    from ceasefire.cli.management import production

    if connection.vendor != "postgresql":
        assert text_index.missing(connection) is None  # SQLite's index comes with its migrations
        return
    item = production._text_index()
    assert (item.level, item.name) == (production.OK, "text-search-index"), item


@pytest.mark.postgresql_only
def test_without_the_extension_the_search_is_slower_the_same_and_the_check_says_why(api, written):
    """A role that may not create pg_trgm: the migration goes on without the index, the search
    gives the same answers, and `ceasefire check` says what to run. All undone at the end."""
    from ceasefire.cli.management import production

    role = f"cf_no_create_{uuid.uuid4().hex[:8]}"
    try:
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute(f"DROP EXTENSION {text_index.EXTENSION} CASCADE")  # and the index with it
                c.execute(f'CREATE ROLE "{role}"')
                c.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
                c.execute(f'SET LOCAL ROLE "{role}"')
            why = text_index.install(connection)
            assert why and text_index.EXTENSION in why and "permission denied" in why
            with connection.cursor() as c:
                c.execute("RESET ROLE")
            assert text_index.missing(connection) == f"the {text_index.EXTENSION} extension is not installed"
            item = production._text_index()
            assert item.level == production.WARNING and "CREATE EXTENSION IF NOT EXISTS pg_trgm" in item.text
            for q, expected in QUERIES.items():
                assert listed(api, written, q) == expected
            raise DatabaseError("undo")  # the extension, the index and the role come back as they were
    except DatabaseError as e:
        assert str(e) == "undo"
    assert text_index.missing(connection) is None


def test_a_spelling_no_report_holds_is_dropped_before_the_index(actors, written):
    """SearchWord: a whole-word spelling none of whose words any report holds finds nothing, so it
    is not asked; once a report holds it, it is."""
    terms = search_terms("Sirte")
    assert " sirt " in terms and " syrte " in terms and " surt " in terms
    kept = queries.possible(terms)
    assert " sirt " not in kept and {" syrte ", " surt ", "sirte", "سرت"} <= set(kept)
    incidents.file_report(actors["west-member"], {**REPORT, **PLAIN, "title": "Shelling reported in Sirt"})
    assert " sirt " in queries.possible(terms)
