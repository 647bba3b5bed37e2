"""The index a text search of the reports reads on PostgreSQL: a GIN index of the trigrams of their
search column (pg_trgm), so that `search_text LIKE '%term%'` reads the rows that hold the term's
trigrams instead of every row. SQLite has its own, the FTS5 trigram table of migration 0006.

The index only narrows the rows: PostgreSQL checks the LIKE itself on each row it finds, so a
search gives the same reports with or without it, only slower without it (about a second at
100,000 reports, bench/reports.py). A search now reads the reports' tokens first (TOKENS_SQL
below, without any extension); the trigram index serves what the tokens cannot answer alone (a
term of three words or more, a term of one or two letters, a word longer than SearchWord keeps).

pg_trgm ships with PostgreSQL (contrib) and is a trusted extension since PostgreSQL 13: a role that
may create objects in the database (its owner, say) may create it; before 13 only a superuser may.
When the role that migrates may not, the migration goes on without the index and `ceasefire check`
says what to run.
"""

from django.db import DatabaseError, transaction

EXTENSION = "pg_trgm"
INDEX = "report_search_trgm"
TABLE = "incidents_report"
CREATE_EXTENSION = f"CREATE EXTENSION IF NOT EXISTS {EXTENSION}"
CREATE_INDEX = f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin (search_text gin_trgm_ops)"
# A word of Arabic that pg_trgm must split into trigrams. It takes a word's letters from the
# database's LC_CTYPE: under "C" every Arabic letter is a separator, and the index could find
# no Arabic term (a search would still be right, and read every row).
ARABIC_PROBE = "سرت"
HOW = (
    f"as a superuser, or as a role that may create objects in the database (PostgreSQL 13 or later), run "
    f"`{CREATE_EXTENSION}; {CREATE_INDEX};` in it"
)


def install(connection) -> str | None:
    """Make the extension (when missing) and the index. None once they are there; otherwise why
    not, in one line (the search still works, reading every row)."""
    if connection.vendor != "postgresql":
        return None
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as c:  # a savepoint
            c.execute(CREATE_EXTENSION)
    except DatabaseError as e:
        return f"{EXTENSION} cannot be created by this role ({str(e).strip().splitlines()[0]})"
    with connection.cursor() as c:
        c.execute(CREATE_INDEX)
    return None


def uninstall(connection) -> None:
    """The index goes; the extension stays (something else may use it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute(f"DROP INDEX IF EXISTS {INDEX}")


def missing(connection) -> str | None:
    """What keeps a text search on PostgreSQL from its index, in one line; None when nothing does
    (and always on SQLite, whose index the migrations make with the table)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as c:
        c.execute("SELECT 1 FROM pg_extension WHERE extname = %s", [EXTENSION])
        if c.fetchone() is None:
            return f"the {EXTENSION} extension is not installed"
        c.execute("SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexname = %s", [TABLE, INDEX])
        if c.fetchone() is None:
            return f"the index {INDEX} is missing"
        c.execute("SELECT array_length(show_trgm(%s), 1)", [ARABIC_PROBE])
        if not c.fetchone()[0]:
            c.execute("SELECT current_setting('lc_ctype')")
            return (
                f"the database's LC_CTYPE ({c.fetchone()[0]}) does not count Arabic letters as letters, so the "
                "index cannot find Arabic words; create the database with a UTF-8 locale (C.UTF-8, en_US.UTF-8)"
            )
    return None


# The words of each report's search column and each pair of words next to each other on one of its
# lines, in a narrow table of their own with a GIN index (PostgreSQL's own array index, no
# extension): what a search reads instead of checking LIKE on every row the trigram index finds,
# which costs about a second at 100,000 reports (bench/README.md). `incidents.queries.token_keys`
# says why a search read this way finds exactly the rows LIKE finds. Kept by triggers on the
# reports, so that every writer of the column (the projector, replay, a bulk load, a flush) keeps
# it. The index gives the rows holding a token exactly (no LIKE checked again), and reading their
# keys reads this table, not the reports: a third of their size at 100,000 reports. Tokens are kept
# out of the row uncompressed where PostgreSQL moves any (EXTERNAL, toast_tuple_target), but it does
# only for a row past 2 kB: about half of them stay in the row.
LONG = 100  # incidents.SearchWord.MAX_LENGTH: a longer word is written as "" (a search then reads the text)
TOKENS = "incidents_report_tokens"  # no model: record.privileges.WITHOUT_MODELS names it
TOKENS_INDEX = "report_tokens_gin"
VOCABULARY_INDEX = "searchword_trgm"
TOKENS_SQL = [
    f"""CREATE OR REPLACE FUNCTION ceasefire_search_tokens(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT tok), '{{}}') FROM (
    SELECT CASE WHEN length(w) > {LONG} THEN '' ELSE w END AS tok
      FROM unnest(string_to_array(translate(t, E'\\n', ' '), ' ')) AS w WHERE w <> ''
    UNION ALL
    SELECT w || ' ' || nxt FROM (
      SELECT w, lead(w) OVER (PARTITION BY l ORDER BY i) AS nxt
        FROM unnest(string_to_array(t, E'\\n')) WITH ORDINALITY AS lines(line, l),
             unnest(string_to_array(btrim(line, ' '), ' ')) WITH ORDINALITY AS ws(w, i)
    ) p WHERE nxt IS NOT NULL AND length(w) <= {LONG} AND length(nxt) <= {LONG}
  ) s
$$""",
    f"CREATE TABLE {TOKENS} (report_id bigint PRIMARY KEY, tokens text[] NOT NULL) WITH (toast_tuple_target = 128)",
    f"ALTER TABLE {TOKENS} ALTER COLUMN tokens SET STORAGE EXTERNAL",
    f"INSERT INTO {TOKENS} SELECT id, ceasefire_search_tokens(search_text) FROM {TABLE}",
    f"CREATE INDEX {TOKENS_INDEX} ON {TOKENS} USING gin (tokens) WITH (fastupdate = off)",
    f"""CREATE OR REPLACE FUNCTION ceasefire_report_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE {TOKENS};
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM {TOKENS} WHERE report_id = OLD.id;
  ELSE
    INSERT INTO {TOKENS} VALUES (NEW.id, ceasefire_search_tokens(NEW.search_text))
      ON CONFLICT (report_id) DO UPDATE SET tokens = EXCLUDED.tokens;
  END IF;
  RETURN NULL;
END
$$""",
    f"CREATE TRIGGER report_tokens AFTER INSERT OR DELETE OR UPDATE OF search_text ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION ceasefire_report_tokens()",
    f"CREATE TRIGGER report_tokens_truncate AFTER TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION ceasefire_report_tokens()",
]
TOKENS_UNDO = [
    f"DROP TRIGGER IF EXISTS report_tokens ON {TABLE}",
    f"DROP TRIGGER IF EXISTS report_tokens_truncate ON {TABLE}",
    f"DROP TABLE IF EXISTS {TOKENS}",
    "DROP FUNCTION IF EXISTS ceasefire_report_tokens()",
    "DROP FUNCTION IF EXISTS ceasefire_search_tokens(text)",
    f"DROP INDEX IF EXISTS {VOCABULARY_INDEX}",
]


def install_tokens(connection) -> None:
    """The tokens' table, its triggers and its index; and, when pg_trgm is there, a trigram index
    of the words of every report (SearchWord), which a search asks for the words holding a term."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as c:
        for sql in TOKENS_SQL:
            c.execute(sql)
        c.execute("SELECT 1 FROM pg_extension WHERE extname = %s", [EXTENSION])
        if c.fetchone():
            c.execute(
                f"CREATE INDEX IF NOT EXISTS {VOCABULARY_INDEX} ON incidents_searchword USING gin (word gin_trgm_ops)"
            )


def uninstall_tokens(connection) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            for sql in TOKENS_UNDO:
                c.execute(sql)
