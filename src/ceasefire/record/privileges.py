"""The PostgreSQL role the server runs as: what it may do to the record's tables.

The guard's triggers (guard.py) refuse UPDATE and DELETE of the record from any connection, but
the tables' owner, or a superuser, may drop or disable them first. A server that connects as such a
role leaves the record to the checkers (replay --check, the witnesses) against whoever takes over the
application. On PostgreSQL it can instead connect as a role of its own that the database itself
keeps from changing the record, granted by `grants()` (`ceasefire db grant ROLE`) and no more:

    record_event, record_treenode,          SELECT, INSERT: read the record and append to it
    record_checkpoint, record_cosignature
    record_head                             SELECT, and UPDATE of its one column `size` (which also
                                            lets an append lock the row): the guard lets the size
                                            move forward only, to where the events reach
    django_migrations                       SELECT: which migrations ran (`ceasefire check`)
    every other table of the application    SELECT, INSERT, UPDATE, DELETE: the projections, which
                                            replay rebuilds from the record, and what is not the
                                            record at all (accounts, sessions, sign-in failures,
                                            API tokens, the identity vault)
    their sequences                         USAGE: a new row's key

Such a role cannot UPDATE, DELETE or TRUNCATE a row of the record's tables (the database answers
"permission denied" before any trigger runs), cannot insert a second head, and cannot drop, disable
or replace the guard's triggers or their functions, nor create triggers of its own, nor alter the
tables: only their owner may. It can still append (what the server is for, and what the witnesses
copy and check), and it can stop the record: an event or a tree node inserted ahead of the head
makes every later append fail, which `replay --check` names. Migrations change the tables, so
they run as the owner, and a table a migration adds needs `ceasefire db grant` again.
"""

import re
import textwrap
from dataclasses import dataclass, field

from django.db import connection

from . import guard

MIGRATIONS = "django_migrations"
# The head's column an append moves: the only one the server may UPDATE.
HEAD_SIZE = "size"
# What a role may do to the record that changes or removes what is there. UPDATE of the head is
# not among them: every append does it, and the guard lets it move forward only.
REWRITES = {
    **{table: ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER") for table in guard.APPEND_ONLY},
    guard.HEAD: ("INSERT", "DELETE", "TRUNCATE", "TRIGGER"),
}
GUARD_FUNCTIONS = (guard.FUNCTION, guard.HEAD_FUNCTION)
# A role name `db grant` accepts (it quotes it, so case counts): letters, digits, '_', '$' and '-',
# at most 63 characters.
ROLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$-]{0,62}")


# Tables a migration makes without a model, which Django does not name: each report's search
# tokens on PostgreSQL (incidents.text_index), which a trigger writes as the server files a report.
WITHOUT_MODELS = ("incidents_report_tokens",)


def application_tables() -> list[str]:
    """Every table of the application that exists, apart from the record's and django_migrations:
    the projections, and the tables that are not the record (accounts, sessions ...)."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as c:
        tables += [t for t in WITHOUT_MODELS if t in connection.introspection.table_names(c)]
    return sorted(set(tables) - set(guard.TABLES) - {MIGRATIONS})


# The tables named in a text[] parameter, as regclasses (NULL for one that does not exist).
_REGCLASSES = "SELECT to_regclass(quote_ident(t)) FROM unnest(%s::text[]) AS t"


def sequences(tables: list[str]) -> list[str]:
    """The sequences that number the rows of `tables` (serial and identity columns), as
    PostgreSQL names them (quoted where needed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT DISTINCT s.oid::regclass::text FROM pg_depend d
            JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
            WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
              AND d.deptype IN ('a', 'i') AND d.refobjid = ANY ({_REGCLASSES})
            """,
            [list(tables)],
        )
        return sorted(name for (name,) in cursor.fetchall())


def _schemas(tables: list[str]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            f"WHERE c.oid = ANY ({_REGCLASSES})",
            [list(tables)],
        )
        return sorted(name for (name,) in cursor.fetchall())


def _names(names) -> str:
    """A list of names for a statement, in lines of about 100 characters, to be read when printed."""
    return "\n    ".join(textwrap.wrap(", ".join(names), 100, break_long_words=False, break_on_hyphens=False))


def grants(role: str) -> list[str]:
    """The statements that give `role` what the server needs and take away anything more from the
    record's tables, for this database as migrated. Run by the tables' owner; run again after a
    migration adds a table."""
    q = connection.ops.quote_name
    r = q(role)
    others = application_tables()
    record = [q(t) for t in guard.APPEND_ONLY]
    head = q(guard.HEAD)
    everything = [*guard.TABLES, MIGRATIONS, *others]
    numbered = sequences(everything)
    statements = [
        f"GRANT CONNECT ON DATABASE {q(connection.settings_dict['NAME'])} TO {r}",
        *(f"GRANT USAGE ON SCHEMA {q(s)} TO {r}" for s in _schemas(everything)),
        # The record: first nothing, for the role and for everyone (PUBLIC), whatever was granted before.
        f"REVOKE ALL ON {_names([*record, head])} FROM PUBLIC, {r}",
        f"GRANT SELECT, INSERT ON {_names(record)} TO {r}",
        f"GRANT SELECT ON {head} TO {r}",
        f"GRANT UPDATE ({q(HEAD_SIZE)}) ON {head} TO {r}",
        f"REVOKE ALL ON {q(MIGRATIONS)} FROM {r}",
        f"GRANT SELECT ON {q(MIGRATIONS)} TO {r}",
        f"REVOKE ALL ON {_names(q(t) for t in others)} FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {_names(q(t) for t in others)} TO {r}",
    ]
    if numbered:
        statements += [
            f"REVOKE ALL ON SEQUENCE {_names(numbered)} FROM {r}",
            f"GRANT USAGE ON SEQUENCE {_names(numbered)} TO {r}",
        ]
    return statements


class NoSuchRole(LookupError):
    pass


@dataclass
class Standing:
    """What a role may do to the record, as the database would answer it now."""

    role: str
    superuser: bool
    # The record's tables and the guard's functions that the role owns, or may act as the owner of.
    owns: list[str] = field(default_factory=list)
    # Privileges that would let it change or remove rows of the record: "UPDATE of record_event".
    rewrites: list[str] = field(default_factory=list)
    # What the server needs and the role may not do: "INSERT on record_event".
    lacks: list[str] = field(default_factory=list)


def standing(role: str | None = None) -> Standing:
    """What `role` (by default the role this connection acts as) may do to the record's tables.
    PostgreSQL only; the record's tables must exist."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolname, rolsuper FROM pg_roles WHERE rolname = COALESCE(%s, current_user)", [role])
        row = cursor.fetchone()
        if row is None:
            raise NoSuchRole(role)
        role, superuser = row
        found = Standing(role, superuser)

        # Ownership: DROP TRIGGER, ALTER TABLE ... DISABLE TRIGGER and CREATE OR REPLACE FUNCTION
        # need it, and no privilege can be withheld from an owner. MEMBER: a role that may SET ROLE
        # to the owner counts as the owner.
        cursor.execute(
            f"""
            SELECT name FROM (
                SELECT 1, c.relname FROM pg_class c
                WHERE c.oid = ANY ({_REGCLASSES}) AND pg_has_role(%s, c.relowner, 'MEMBER')
                UNION ALL
                SELECT 2, p.proname || '()' FROM pg_proc p
                WHERE p.oid = ANY (SELECT to_regprocedure(f || '()') FROM unnest(%s::text[]) AS f)
                  AND pg_has_role(%s, p.proowner, 'MEMBER')
            ) AS owned(kind, name) ORDER BY kind, name
            """,
            [list(guard.TABLES), role, list(GUARD_FUNCTIONS), role],
        )
        found.owns = [name for (name,) in cursor.fetchall()]  # the tables first, then the functions

        pairs = [(table, op) for table, ops in REWRITES.items() for op in ops]
        # has_any_column_privilege: an UPDATE or INSERT granted on one column is enough to use it.
        cursor.execute(
            """
            SELECT t, p FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS x(t, p, n)
            WHERE CASE WHEN p IN ('UPDATE', 'INSERT')
                       THEN has_any_column_privilege(%s, to_regclass(quote_ident(t)), p)
                       ELSE has_table_privilege(%s, to_regclass(quote_ident(t)), p) END
            ORDER BY n
            """,
            [[t for t, _ in pairs], [p for _, p in pairs], role, role],
        )
        found.rewrites = [f"{p} of {t}" for t, p in cursor.fetchall()]
        # session_replication_role = replica stops every trigger, the guard's too. Only a superuser
        # may set it, unless (PostgreSQL 15 and later) it was granted.
        cursor.execute("SELECT current_setting('server_version_num')::int")
        if not superuser and cursor.fetchone()[0] >= 150000:
            cursor.execute("SELECT has_parameter_privilege(%s, 'session_replication_role', 'SET')", [role])
            if cursor.fetchone()[0]:
                found.rewrites.append("SET of session_replication_role (which turns the guard's triggers off)")

        found.lacks = _lacks(cursor, role)
    return found


def _lacks(cursor, role: str) -> list[str]:
    """What the server needs (what `grants()` gives) and `role` may not do, in the order of grants()."""
    others = application_tables()
    everything = [*guard.TABLES, MIGRATIONS, *others]
    needs = [("database", connection.settings_dict["NAME"], "CONNECT")]
    needs += [("schema", s, "USAGE") for s in _schemas(everything)]
    needs += [("table", t, p) for t in guard.APPEND_ONLY for p in ("SELECT", "INSERT")]
    needs += [("table", guard.HEAD, "SELECT"), ("size", guard.HEAD, "UPDATE"), ("table", MIGRATIONS, "SELECT")]
    needs += [("table", t, p) for t in others for p in ("SELECT", "INSERT", "UPDATE", "DELETE")]
    needs += [("sequence", s, "USAGE") for s in sequences(everything)]
    # Table names go through quote_ident; the sequences' are quoted already, as regclass gives them.
    cursor.execute(
        """
        SELECT kind, name, priv
        FROM unnest(%(kinds)s::text[], %(names)s::text[], %(privs)s::text[]) WITH ORDINALITY AS x(kind, name, priv, n)
        WHERE NOT COALESCE(CASE kind
            WHEN 'database' THEN has_database_privilege(%(role)s, name, priv)
            WHEN 'schema' THEN has_schema_privilege(%(role)s, name, priv)
            WHEN 'table' THEN has_table_privilege(%(role)s, to_regclass(quote_ident(name)), priv)
            WHEN 'size' THEN has_column_privilege(%(role)s, to_regclass(quote_ident(name)), %(column)s, priv)
            WHEN 'sequence' THEN has_sequence_privilege(%(role)s, to_regclass(name), priv)
        END, false)
        ORDER BY n
        """,
        {
            "kinds": [k for k, _, _ in needs],
            "names": [n for _, n, _ in needs],
            "privs": [p for _, _, p in needs],
            "role": role,
            "column": HEAD_SIZE,
        },
    )
    shown = {
        "size": "{priv} of {name}.size",
        "sequence": "{priv} on sequence {name}",
        "schema": "{priv} on schema {name}",
        "database": "{priv} on database {name}",
    }
    return [shown.get(kind, "{priv} on {name}").format(priv=priv, name=name) for kind, name, priv in cursor.fetchall()]


def summary(names: list[str], shown: int = 4) -> str:
    """'a, b, c, d and 12 more'."""
    if len(names) <= shown + 1:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"


def insufficient_privilege(error: BaseException) -> bool:
    """Whether a database error is PostgreSQL's "permission denied" or "must be owner" (42501)."""
    return getattr(error.__cause__, "sqlstate", None) == "42501"
