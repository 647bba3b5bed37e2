"""The index a text search of the reports reads on PostgreSQL: a GIN index of the trigrams of their
search column (pg_trgm), so that `search_text LIKE '%term%'` reads the rows that hold the term's
trigrams instead of every row. SQLite has its own, the FTS5 trigram table of migration 0006.

The index only narrows the rows: PostgreSQL checks the LIKE itself on each row it finds, so a
search gives the same reports with or without it, only slower without it (about a second at
100,000 reports, bench/reports.py).

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
