"""The database guard: the record's tables refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL)
from any client, ORM or raw SQL, with a message that says what happened; inserts go on; `lifted()`
lets a block through and always puts the guard back; the migration's reverse takes it off."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from ceasefire.mechanism import commands
from ceasefire.record import guard, tree
from ceasefire.record.models import Checkpoint, Cosignature, Event, TreeNode
from tests.conftest import FACILITATOR

MEETING = {"title": "Round", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
MODELS = {
    "record_event": Event,
    "record_treenode": TreeNode,
    "record_checkpoint": Checkpoint,
    "record_cosignature": Cosignature,
}
# A column of each table to set, with a value of its type.
CHANGE = {
    "record_event": ("actor", "someone else"),
    "record_treenode": ("hash", bytes(32)),
    "record_checkpoint": ("note", "forged"),
    "record_cosignature": ("line", "forged"),
}


def refused(operation: str, table: str):
    """pytest.raises for the guard's refusal, its first line checked word for word."""
    message = f"the joint record is append-only: {operation} of {table} refused"
    return pytest.raises(IntegrityError, match=rf"^{message}(\n|$)")


def attempt(block):
    """Run `block` in a savepoint, so that after PostgreSQL's refusal the test can go on."""
    with transaction.atomic():
        block()


@pytest.fixture
def record(mechanism):
    """Some of every table: events, their tree, a checkpoint (the first append signs one) and a
    cosignature of it (not a verified one: the guard does not care what a row says)."""
    for _ in range(4):
        commands.record_meeting(FACILITATOR, MEETING)
    cp = Checkpoint.objects.order_by("size").first()
    assert cp is not None and Event.objects.count() >= 5 and TreeNode.objects.count() > 5
    Cosignature.objects.create(
        checkpoint=cp,
        name="witness.example",
        key_id="0011aabb",
        line="— witness.example AAAA\n",
        timestamp=1_700_000_000,
        received_at=dt.datetime.now(dt.UTC),
    )
    return snapshot()


def snapshot() -> dict[str, list]:
    return {table: sorted(map(str, model.objects.values_list())) for table, model in MODELS.items()}


def test_the_migration_installed_the_guard(db):
    assert guard.installed()
    assert guard.missing() == []


@pytest.mark.parametrize("table", list(MODELS))
def test_orm_updates_and_deletes_are_refused(record, table):
    model = MODELS[table]
    column, value = CHANGE[table]
    with refused("UPDATE", table):
        attempt(lambda: model.objects.all().update(**{column: value}))
    obj = model.objects.order_by(*[f.attname for f in model._meta.pk_fields]).last()
    setattr(obj, column, value)
    with refused("UPDATE", table):
        attempt(lambda: obj.save())
    if table == "record_checkpoint":  # the ORM protects a cosigned one itself: take one without
        obj = Checkpoint.objects.create(size=99, root=bytes(32), note="n", signed_at=dt.datetime.now(dt.UTC))
        record[table] = sorted(map(str, model.objects.values_list()))
    with refused("DELETE", table):
        attempt(lambda: obj.delete())
    with refused("DELETE", table):
        attempt(lambda: model.objects.filter(pk=obj.pk).delete())
    assert snapshot() == record


@pytest.mark.parametrize("table", list(MODELS))
def test_raw_sql_updates_and_deletes_are_refused(record, table):
    column, value = CHANGE[table]

    def run(sql, params=()):
        with connection.cursor() as c:
            c.execute(sql, params)

    with refused("UPDATE", table):
        attempt(lambda: run(f'UPDATE "{table}" SET "{column}" = %s', [value]))
    with refused("DELETE", table):
        attempt(lambda: run(f'DELETE FROM "{table}" WHERE 1 = 1'))
    assert snapshot() == record


@pytest.mark.parametrize("table", list(MODELS))
def test_emptying_a_table_at_once_is_refused(record, table):
    # PostgreSQL: TRUNCATE, which fires no row trigger (a statement trigger refuses it). SQLite has
    # no TRUNCATE; its equivalent, DELETE without WHERE, must not skip the row triggers.
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            # The fixture's rows leave deferred foreign-key checks pending, and PostgreSQL will
            # not truncate a table that has any: run them now.
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with refused("TRUNCATE", table), transaction.atomic():
                c.execute(f'TRUNCATE "{table}" CASCADE')  # CASCADE: reach the trigger past the foreign key
        else:
            with refused("DELETE", table), transaction.atomic():
                c.execute(f'DELETE FROM "{table}"')
    assert snapshot() == record


def test_an_upsert_is_refused(record):
    # INSERT ... ON CONFLICT DO UPDATE: the update half fires the UPDATE trigger (on SQLite the
    # insert half is refused first: its key exists).
    copy = Event.objects.get(seq=2)
    copy.actor = "upserted"
    with refused("UPDATE" if connection.vendor == "postgresql" else "REPLACE", "record_event"):
        attempt(
            lambda: Event.objects.bulk_create(
                [copy], update_conflicts=True, update_fields=["actor"], unique_fields=["seq"]
            )
        )
    assert snapshot() == record


def test_a_statement_that_touches_no_row_goes_through(record):
    # The row triggers fire per row: nothing to refuse, nothing refused.
    assert Event.objects.filter(seq=-1).update(actor="x") == 0
    assert Event.objects.filter(seq=-1).delete()[0] == 0


def test_appends_and_inserts_still_work(record):
    n = Event.objects.count()
    commands.record_meeting(FACILITATOR, MEETING)
    assert Event.objects.count() == n + 1 and tree.size() == n + 1 and tree.check() is None
    TreeNode.objects.create(level=40, index=0, hash=bytes(32))
    Checkpoint.objects.create(size=1000, root=bytes(32), note="n", signed_at=dt.datetime.now(dt.UTC))
    assert TreeNode.objects.filter(level=40).exists() and Checkpoint.objects.filter(size=1000).exists()


def test_lifted_lets_the_block_through_and_puts_the_guard_back(record):
    with guard.lifted():
        assert not guard.installed()
        Event.objects.filter(seq=1).update(actor="corrected by hand")
        TreeNode.objects.filter(level=0, index=0).delete()
    assert guard.installed()
    assert Event.objects.filter(seq=1).values_list("actor", flat=True).get() == "corrected by hand"
    assert Event.objects.get(seq=1).actor == "facilitator"  # what the record signed: the column is no source
    assert not TreeNode.objects.filter(level=0, index=0).exists()
    with refused("UPDATE", "record_event"):
        attempt(lambda: Event.objects.filter(seq=1).update(actor="again"))


def test_lifted_puts_the_guard_back_on_an_error_and_undoes_the_block(record):
    with pytest.raises(ZeroDivisionError):
        with guard.lifted():
            Event.objects.filter(seq=1).update(actor="half done")
            1 / 0
    assert guard.installed()
    assert snapshot() == record
    with pytest.raises(IntegrityError):  # a database error inside, as a failed tampering raises it
        with guard.lifted():
            Event.objects.create(seq=0, type="x", time=dt.datetime.now(dt.UTC), actor="x", body=b"{}")
    assert guard.installed()
    with refused("DELETE", "record_treenode"):
        attempt(lambda: TreeNode.objects.all().delete())


def test_lifted_nests_and_leaves_a_missing_guard_missing(record):
    with guard.lifted():
        with guard.lifted():
            pass
        assert not guard.installed()  # the inner block restored what it found: no guard
    assert guard.installed()
    guard.drop()
    with guard.lifted():
        pass
    assert not guard.installed()
    guard.install()
    assert guard.installed()


def migration():
    return importlib.import_module("ceasefire.record.migrations.0004_guard")


class SchemaEditor:
    connection = connection


def test_the_migration_reverse_drops_the_guard_and_forward_puts_it_back(record):
    migration().drop(apps, SchemaEditor())
    assert not guard.installed()
    assert len(guard.missing()) == len(MODELS) * 3  # UPDATE, DELETE, and TRUNCATE (PostgreSQL) or REPLACE (SQLite)
    with connection.cursor() as c:
        names = trigger_names(c)
    assert (
        names == {guard.trigger_name("record_head", op) for op in ("UPDATE", "DELETE", "REPLACE", "TRUNCATE")} & names
    )
    assert all(name.startswith("record_head_") for name in names)  # 0005's guard of the head stays
    Event.objects.filter(seq=1).update(actor="unguarded")
    Cosignature.objects.all().delete()
    migration().install(apps, SchemaEditor())
    assert guard.installed()
    with refused("DELETE", "record_checkpoint"):
        attempt(lambda: Checkpoint.objects.all().delete())


def trigger_names(cursor) -> set[str]:
    if connection.vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'record_%%'")
    else:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'record_%%' AND NOT tgisinternal")
    return {name for (name,) in cursor.fetchall()}


def test_missing_names_what_was_dropped(record):
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute('DROP TRIGGER "record_treenode_no_delete"')
        else:
            c.execute('DROP TRIGGER "record_treenode_no_delete" ON "record_treenode"')
    assert guard.missing() == ["DELETE of record_treenode"]
    assert not guard.installed()
    guard.install()
    assert guard.installed()


def test_a_trigger_that_no_longer_refuses_counts_as_missing(record):
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute('DROP TRIGGER "record_event_no_update"')
            c.execute('CREATE TRIGGER "record_event_no_update" BEFORE UPDATE ON "record_event" BEGIN SELECT 1; END')
        else:
            c.execute(
                f"CREATE OR REPLACE FUNCTION {guard.FUNCTION}() RETURNS trigger LANGUAGE plpgsql "
                "AS $$ BEGIN RETURN COALESCE(NEW, OLD); END $$"
            )
    Event.objects.filter(seq=1).update(actor="let through")
    assert "UPDATE of record_event" in guard.missing()
    guard.install()
    assert guard.installed()
    with refused("UPDATE", "record_event"):
        attempt(lambda: Event.objects.filter(seq=1).update(actor="again"))


def test_a_guard_lost_without_drop_trigger_counts_as_missing(record):
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute('ALTER TABLE "record_checkpoint" DISABLE TRIGGER "record_checkpoint_no_update"')
            assert guard.missing() == ["UPDATE of record_checkpoint"]
            c.execute('ALTER TABLE "record_checkpoint" ENABLE REPLICA TRIGGER "record_checkpoint_no_update"')
            assert guard.missing() == ["UPDATE of record_checkpoint"]  # fires only for replication
        else:
            # SQLite cannot disable a trigger, but a table rebuilt the way Django alters one
            # loses its triggers with the old table.
            c.execute('CREATE TABLE "new__record_treenode" AS SELECT * FROM "record_treenode"')
            c.execute('DROP TABLE "record_treenode"')
            c.execute('ALTER TABLE "new__record_treenode" RENAME TO "record_treenode"')
            assert guard.missing() == [
                "UPDATE of record_treenode",
                "DELETE of record_treenode",
                "REPLACE of record_treenode",
            ]
    guard.install()
    assert guard.installed()


def test_the_refusal_is_an_integrity_error_that_says_what_happened(record):
    with pytest.raises(IntegrityError) as e:
        attempt(lambda: Event.objects.all().delete())
    cause = e.value.__cause__
    if connection.vendor == "postgresql":
        assert cause.diag.message_primary == "the joint record is append-only: DELETE of record_event refused"
        assert cause.diag.message_hint == guard.HINT
        assert cause.diag.sqlstate == "23000"  # integrity_constraint_violation
    else:
        assert str(e.value) == "the joint record is append-only: DELETE of record_event refused"


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_is_flushed_past_the_guard(mechanism):
    # What pytest-django does after this test, done here to look at the result: conftest lets the
    # flush through and puts the guard back in the same transaction.
    assert Event.objects.exists()
    call_command("flush", verbosity=0, interactive=False)
    assert not Event.objects.exists() and not TreeNode.objects.exists() and not Checkpoint.objects.exists()
    assert guard.installed()


def test_the_next_test_starts_guarded(db):
    assert guard.installed()
    assert not Event.objects.exists()
