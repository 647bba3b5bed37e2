"""The database guard: triggers that make the record's tables refuse what would change or remove a
row, whoever sends it.

    the joint record is append-only: UPDATE of record_event refused

Nothing in `record_event`, `record_treenode`, `record_checkpoint` or `record_cosignature` is ever
changed or removed (a correction is a new event), so the database can say no on the code's behalf:
UPDATE and DELETE (and TRUNCATE on PostgreSQL) are refused, and on SQLite so is an INSERT of a row
whose key exists already (`REPLACE`): INSERT OR REPLACE and REPLACE delete the row they replace
without firing DELETE triggers, so each table has a BEFORE INSERT trigger that looks the key up
(its primary key, and the cosignature's (checkpoint, name, key_id) too). PostgreSQL has no REPLACE;
its INSERT ... ON CONFLICT DO UPDATE is an UPDATE, which the UPDATE trigger refuses.

The head (`record_head`, the record's size, one row) changes on every append, so its rule is
another: it only moves forward, to the size the events reach. An UPDATE is refused unless the id
stays 1, the size does not go down, the event at size - 1 exists (when size > 0) and none at size;
DELETE (TRUNCATE) and a second row (on SQLite, REPLACE of the one) are refused. The append path
writes the events first and then the head, so it always passes.

The triggers catch application bugs (a stray `.update()`, a cascade, a projector writing to the
wrong table) and casual edits in a database shell. They do not stop a database administrator: a
superuser or the tables' owner can drop or disable them (DROP TRIGGER, ALTER TABLE ... DISABLE
TRIGGER, session_replication_role = replica), and on SQLite anyone who can write the file can.
Against that, the record relies on the Merkle tree, the checkpoints the parties' witnesses cosign
and the cosignatures recorded as entries: a changed or removed entry no longer matches the tree
heads they hold. `ceasefire check` reports a guard that is missing or disabled; `ceasefire replay
--check` finds what was changed; and a head that disagrees with the events stops every write
(`log._lock`).

On PostgreSQL the server itself need be neither owner nor superuser: it can connect as a role
granted only what it needs (privileges.py, `ceasefire db grant`), which the database refuses any
change to these tables whether or not the triggers are there.

Known gap: on SQLite, a migration that rebuilds one of these tables (Django does so for most
ALTERs) drops its triggers with the old table: such a migration must call `install()` again.

A later migration that must rewrite rows of these tables wraps that in `lifted()`.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection as default_connection
from django.db import transaction

APPEND_ONLY = ("record_event", "record_treenode", "record_checkpoint", "record_cosignature")
HEAD = "record_head"
TABLES = (*APPEND_ONLY, HEAD)
MESSAGE = "the joint record is append-only: {operation} of {table} refused"
HEAD_MESSAGE = (
    "the head of the joint record only moves forward, to the size its events reach: {operation} of {table} refused"
)
HINT = "a correction is a new event"
FUNCTION = "record_append_only"  # PostgreSQL: the trigger function of the append-only rules
HEAD_FUNCTION = "record_head_forward"  # PostgreSQL: the one of the head's UPDATE and INSERT rules

VENDORS = ("sqlite", "postgresql")
# pg_trigger.tgtype bits: ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32.
_PG_TGTYPE = {"UPDATE": 1 | 2 | 16, "DELETE": 1 | 2 | 8, "TRUNCATE": 2 | 32, "INSERT": 1 | 2 | 4}

# On SQLite, what makes an inserted row one that replaces another: its key exists already.
_SQLITE_KEYS = {
    "record_event": 'SELECT 1 FROM "record_event" WHERE "seq" = NEW."seq"',
    "record_treenode": 'SELECT 1 FROM "record_treenode" WHERE "level" = NEW."level" AND "index" = NEW."index"',
    "record_checkpoint": 'SELECT 1 FROM "record_checkpoint" WHERE "size" = NEW."size"',
    "record_cosignature": (
        'SELECT 1 FROM "record_cosignature" WHERE "id" = NEW."id" OR '
        '("checkpoint_id" = NEW."checkpoint_id" AND "name" = NEW."name" AND "key_id" = NEW."key_id")'
    ),
    HEAD: f'SELECT 1 FROM "{HEAD}"',
}
# The head's UPDATE rule, as a condition on OLD and NEW that refuses (one text for both databases).
_HEAD_BACKWARD = (
    'NEW."id" <> OLD."id" OR NEW."size" < OLD."size" '
    'OR (NEW."size" > 0 AND NOT EXISTS (SELECT 1 FROM "record_event" WHERE "seq" = NEW."size" - 1)) '
    'OR EXISTS (SELECT 1 FROM "record_event" WHERE "seq" = NEW."size")'
)


@dataclass(frozen=True)
class Rule:
    """One refusal: `operation` ("UPDATE", "DELETE", "TRUNCATE", or "REPLACE" for an INSERT over an
    existing row) on `table`, by one trigger."""

    table: str
    operation: str

    @property
    def trigger(self) -> str:
        return trigger_name(self.table, self.operation)

    @property
    def fired_by(self) -> str:  # the SQL event
        return "INSERT" if self.operation == "REPLACE" else self.operation

    @property
    def message(self) -> str:
        text = HEAD_MESSAGE if self.table == HEAD and self.operation in ("UPDATE", "REPLACE") else MESSAGE
        return text.format(operation=self.operation, table=self.table)

    @property
    def function(self) -> str:
        return HEAD_FUNCTION if self.table == HEAD and self.operation in ("UPDATE", "REPLACE") else FUNCTION


def rules(vendor: str, tables: Sequence[str] = TABLES) -> list[Rule]:
    """Every refusal of the guard on `tables`, for this kind of database."""
    out = []
    for table in tables:
        if table == HEAD:
            ops = ("UPDATE", "DELETE", "REPLACE") + (("TRUNCATE",) if vendor == "postgresql" else ())
        else:
            ops = ("UPDATE", "DELETE") + (("TRUNCATE",) if vendor == "postgresql" else ("REPLACE",))
        out += [Rule(table, op) for op in ops]
    return out


# The functions' bodies, compared by `missing()` so that one replaced by a no-op counts as missing.
# The message is MESSAGE itself, filled by format() with what the trigger was fired for.
_PG_BODY = f"""
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = format('{MESSAGE.format(operation="%s", table="%s")}', TG_OP, TG_TABLE_NAME),
        ERRCODE = 'integrity_constraint_violation',
        HINT = '{HINT}';
END
"""
_PG_HEAD_BODY = f"""
BEGIN
    IF TG_OP = 'UPDATE' AND ({_HEAD_BACKWARD}) OR TG_OP = 'INSERT' AND EXISTS ({_SQLITE_KEYS[HEAD]}) THEN
        RAISE EXCEPTION USING
            MESSAGE = format('{HEAD_MESSAGE.format(operation="%s", table="%s")}', CASE TG_OP WHEN 'INSERT' THEN 'REPLACE' ELSE TG_OP END, TG_TABLE_NAME),
            ERRCODE = 'integrity_constraint_violation',
            HINT = 'only appending moves it; if it disagrees with the events, run ceasefire replay --check';
    END IF;
    RETURN NEW;
END
"""
_PG_FUNCTIONS = {FUNCTION: _PG_BODY, HEAD_FUNCTION: _PG_HEAD_BODY}


def trigger_name(table: str, operation: str) -> str:
    return f"{table}_no_{operation.lower()}"


def _vendor(connection) -> str:
    if connection.vendor not in VENDORS:
        raise NotImplementedError(
            f"the record's database guard supports SQLite and PostgreSQL, not {connection.vendor}"
        )
    return connection.vendor


def _sqlite_trigger(rule: Rule) -> str:
    # RAISE(ABORT) undoes the statement and reports SQLITE_CONSTRAINT: Python's IntegrityError,
    # the same class as PostgreSQL's integrity_constraint_violation below.
    when = ""
    if rule.operation == "REPLACE":
        when = f"WHEN EXISTS ({_SQLITE_KEYS[rule.table]})\n"
    elif rule.table == HEAD and rule.operation == "UPDATE":
        when = f"WHEN {_HEAD_BACKWARD}\n"
    return (
        f'CREATE TRIGGER "{rule.trigger}" BEFORE {rule.fired_by} ON "{rule.table}"\n'
        f"{when}BEGIN SELECT RAISE(ABORT, '{rule.message}'); END"
    )


def _pg_trigger(rule: Rule) -> str:
    each = "STATEMENT" if rule.operation == "TRUNCATE" else "ROW"
    return (
        f'CREATE TRIGGER "{rule.trigger}" BEFORE {rule.fired_by} ON "{rule.table}" '
        f"FOR EACH {each} EXECUTE FUNCTION {rule.function}()"
    )


def install(connection=None, tables: Sequence[str] = TABLES) -> None:
    """Put the guard on `tables` (all of the record's by default), replacing whatever triggers of
    the same names are there, so that a disabled or altered one comes back as it should be.
    All or nothing."""
    connection = connection or default_connection
    vendor = _vendor(connection)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        drop(connection, tables)
        if vendor == "postgresql":
            for name, body in _PG_FUNCTIONS.items():
                cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $guard${body}$guard$"
                )
        for rule in rules(vendor, tables):
            cursor.execute(_pg_trigger(rule) if vendor == "postgresql" else _sqlite_trigger(rule))


def drop(connection=None, tables: Sequence[str] = TABLES) -> None:
    """Take the guard off `tables`. On PostgreSQL a trigger function goes too once no trigger
    uses it any more."""
    connection = connection or default_connection
    vendor = _vendor(connection)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # Every rule either database may have had, so that what an older version installed goes too.
        for table in tables:
            for operation in ("UPDATE", "DELETE", "TRUNCATE", "REPLACE"):
                name = trigger_name(table, operation)
                if vendor == "sqlite":
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
                elif _pg_table_exists(cursor, table):  # PostgreSQL's IF EXISTS needs the table
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
        if vendor == "postgresql":
            for function in _PG_FUNCTIONS:
                cursor.execute("SELECT 1 FROM pg_trigger WHERE tgfoid = to_regprocedure(%s)", [f"{function}()"])
                if cursor.fetchone() is None:
                    cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")


def _pg_table_exists(cursor, table: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f'"{table}"'])
    return cursor.fetchone()[0]


def refusals(connection=None) -> list[str]:
    """Everything the guard refuses on this database, named as `missing()` names it."""
    vendor = _vendor(connection or default_connection)
    return [f"{r.operation} of {r.table}" for r in rules(vendor)]


def missing(connection=None) -> list[str]:
    """What the guard lacks, as "UPDATE of record_event" and the like: absent, disabled, or not
    the trigger `install()` writes. Empty when the guard is fully in place."""
    connection = connection or default_connection
    vendor = _vendor(connection)
    expected = rules(vendor)
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            named = {(name, table): " ".join(sql.split()) for name, table, sql in cursor.fetchall()}
            good = {r for r in expected if named.get((r.trigger, r.table)) == " ".join(_sqlite_trigger(r).split())}
        else:
            # A trigger counts when it is ours by name, table, timing and events, enabled for
            # ordinary sessions ('O') or all ('A'), and calls its function with our body.
            cursor.execute(
                """
                SELECT c.relname, t.tgname, t.tgtype, p.proname, p.prosrc
                FROM pg_trigger t
                JOIN pg_class c ON c.oid = t.tgrelid
                JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE c.oid = ANY (SELECT to_regclass(quote_ident(name)) FROM unnest(%s::text[]) AS name)
                  AND t.tgenabled IN ('O', 'A')
                  AND p.oid = ANY (SELECT to_regprocedure(f || '()') FROM unnest(%s::text[]) AS f)
                """,
                [list(TABLES), list(_PG_FUNCTIONS)],
            )
            found = {
                (table, name, tgtype, fn)
                for table, name, tgtype, fn, src in cursor.fetchall()
                if _PG_FUNCTIONS.get(fn) == src
            }
            good = {r for r in expected if (r.table, r.trigger, _PG_TGTYPE[r.fired_by], r.function) in found}
    return [f"{r.operation} of {r.table}" for r in expected if r not in good]


def installed(connection=None) -> bool:
    """Whether every table of the record refuses every change it should."""
    return not missing(connection)


@contextmanager
def lifted(connection=None) -> Iterator[None]:
    """Run the block without the guard: for tests that tamper with the record on purpose, and
    for deliberate maintenance.

    The block is one transaction (a savepoint inside an outer one). On leaving it normally the
    guard is put back if any of it was there before; on an error the transaction rolls back, and
    with it the lifting, since both databases undo DDL. Either way no other connection ever sees
    the tables unguarded: on PostgreSQL DROP TRIGGER locks them, against readers too, until the
    transaction ends (keep the block short), and SQLite has one writer at a time.
    """
    connection = connection or default_connection
    was_there = len(missing(connection)) < len(refusals(connection))
    with transaction.atomic(using=connection.alias):
        drop(connection)
        yield
        if was_there:
            install(connection)
