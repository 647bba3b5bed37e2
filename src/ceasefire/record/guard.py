"""The database guard: triggers that make the record's tables refuse UPDATE and DELETE (and, on
PostgreSQL, TRUNCATE), whoever sends them.

    the joint record is append-only: UPDATE of record_event refused

Nothing in `record_event`, `record_treenode`, `record_checkpoint` or `record_cosignature` is ever
changed or removed (a correction is a new event), so the database can say no on the code's behalf.
The triggers catch application bugs (a stray `.update()`, a cascade, a projector writing to the
wrong table) and casual edits in a database shell. They do not stop a database administrator: a
superuser or the tables' owner can drop or disable them (DROP TRIGGER, ALTER TABLE ... DISABLE
TRIGGER, session_replication_role = replica), and on SQLite anyone who can write the file can.
Against that, the record relies on the Merkle tree and the checkpoints the parties' witnesses
cosign: a changed or removed entry no longer matches the tree heads they hold. `ceasefire check`
reports a guard that is missing or disabled; `ceasefire replay --check` finds what was changed.

Known gaps, accepted because closing them costs more than they risk:
- SQLite's INSERT OR REPLACE deletes the row it replaces without firing DELETE triggers (unless
  PRAGMA recursive_triggers is on). Refusing it would take a BEFORE INSERT lookup on every row,
  which slowed tree appends by 60%; neither Django nor this code issues it.
- On SQLite, a migration that rebuilds one of these tables (Django does so for most ALTERs)
  drops its triggers with the old table: such a migration must call `install()` again.

A later migration that must rewrite rows of these tables wraps that in `lifted()`.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import transaction

TABLES = ("record_event", "record_treenode", "record_checkpoint", "record_cosignature")
MESSAGE = "the joint record is append-only: {operation} of {table} refused"
HINT = "a correction is a new event"
FUNCTION = "record_append_only"  # PostgreSQL: the one trigger function all the triggers call

# PostgreSQL has no row-level TRUNCATE trigger: that one is a statement trigger. The others are
# row-level, so that a statement that matches no row (nothing to refuse) still succeeds.
_OPERATIONS = {"sqlite": ("UPDATE", "DELETE"), "postgresql": ("UPDATE", "DELETE", "TRUNCATE")}
# pg_trigger.tgtype bits: ROW 1, BEFORE 2, DELETE 8, UPDATE 16, TRUNCATE 32.
_PG_TGTYPE = {"UPDATE": 1 | 2 | 16, "DELETE": 1 | 2 | 8, "TRUNCATE": 2 | 32}
# The function's body, compared by `missing()` so that one replaced by a no-op counts as missing.
# The message is MESSAGE itself, filled by format() with what the trigger was fired for.
_PG_BODY = f"""
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = format('{MESSAGE.format(operation="%s", table="%s")}', TG_OP, TG_TABLE_NAME),
        ERRCODE = 'integrity_constraint_violation',
        HINT = '{HINT}';
END
"""


def trigger_name(table: str, operation: str) -> str:
    return f"{table}_no_{operation.lower()}"


def _vendor(connection) -> str:
    if connection.vendor not in _OPERATIONS:
        raise NotImplementedError(
            f"the record's database guard supports SQLite and PostgreSQL, not {connection.vendor}"
        )
    return connection.vendor


def _sqlite_trigger(table: str, operation: str) -> str:
    # RAISE(ABORT) undoes the statement and reports SQLITE_CONSTRAINT: Python's IntegrityError,
    # the same class as PostgreSQL's integrity_constraint_violation below.
    message = MESSAGE.format(operation=operation, table=table)
    return (
        f'CREATE TRIGGER "{trigger_name(table, operation)}" BEFORE {operation} ON "{table}"\n'
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )


def _pg_trigger(table: str, operation: str) -> str:
    each = "STATEMENT" if operation == "TRUNCATE" else "ROW"
    return (
        f'CREATE TRIGGER "{trigger_name(table, operation)}" BEFORE {operation} ON "{table}" '
        f"FOR EACH {each} EXECUTE FUNCTION {FUNCTION}()"
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
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql "
                f"AS $guard${_PG_BODY}$guard$"
            )
        for table in tables:
            for operation in _OPERATIONS[vendor]:
                make = _pg_trigger if vendor == "postgresql" else _sqlite_trigger
                cursor.execute(make(table, operation))


def drop(connection=None, tables: Sequence[str] = TABLES) -> None:
    """Take the guard off `tables`. On PostgreSQL the trigger function goes too once no trigger
    uses it any more."""
    connection = connection or default_connection
    vendor = _vendor(connection)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for table in tables:
            for operation in _OPERATIONS[vendor]:
                if vendor == "sqlite":
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger_name(table, operation)}"')
                elif _pg_table_exists(cursor, table):  # PostgreSQL's IF EXISTS needs the table
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger_name(table, operation)}" ON "{table}"')
        if vendor == "postgresql":
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgfoid = to_regprocedure(%s)", [f"{FUNCTION}()"]
            )
            if cursor.fetchone() is None:
                cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


def _pg_table_exists(cursor, table: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f'"{table}"'])
    return cursor.fetchone()[0]


def refusals(connection=None) -> list[str]:
    """Everything the guard refuses on this database, named as `missing()` names it."""
    vendor = _vendor(connection or default_connection)
    return [f"{op} of {table}" for table in TABLES for op in _OPERATIONS[vendor]]


def missing(connection=None) -> list[str]:
    """What the guard lacks, as "UPDATE of record_event" and the like: absent, disabled, or not
    the trigger `install()` writes. Empty when the guard is fully in place."""
    connection = connection or default_connection
    vendor = _vendor(connection)
    expected = [(table, op) for table in TABLES for op in _OPERATIONS[vendor]]
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            found = {(name, table): " ".join(sql.split()) for name, table, sql in cursor.fetchall()}
            good = {
                (table, op)
                for table, op in expected
                if found.get((trigger_name(table, op), table)) == " ".join(_sqlite_trigger(table, op).split())
            }
        else:
            # A trigger counts when it is ours by name, table, timing and events, enabled for
            # ordinary sessions ('O') or all ('A'), and calls the function with our body.
            cursor.execute(
                """
                SELECT c.relname, t.tgname, t.tgtype
                FROM pg_trigger t
                JOIN pg_class c ON c.oid = t.tgrelid
                JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE c.oid = ANY (SELECT to_regclass(quote_ident(name)) FROM unnest(%s::text[]) AS name)
                  AND t.tgenabled IN ('O', 'A')
                  AND t.tgfoid = to_regprocedure(%s)
                  AND p.prosrc = %s
                """,
                [list(TABLES), f"{FUNCTION}()", _PG_BODY],
            )
            found = {(table, name, tgtype) for table, name, tgtype in cursor.fetchall()}
            good = {(table, op) for table, op in expected if (table, trigger_name(table, op), _PG_TGTYPE[op]) in found}
    return [f"{op} of {table}" for table, op in expected if (table, op) not in good]


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
