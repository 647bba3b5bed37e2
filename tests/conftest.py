import os

import pytest
from django.db import connection, transaction

from ceasefire.mechanism import commands
from ceasefire.mechanism.accounts import actor_for, create_account
from ceasefire.record import guard
from ceasefire.record.log import Actor
from tests import once
from tests.once import _django_db_helper, _module_world, _once_entered  # noqa: F401  (what once.fixture builds on)

PASSWORD = "correct horse battery staple 7"
FACILITATOR = Actor("facilitator", role="facilitator")

# The demo's accounts: username -> (role, party)
ROLES = {
    "west-head": ("head", "west"),
    "west-member": ("member", "west"),
    "east-head": ("head", "east"),
    "east-member": ("member", "east"),
    "facilitator": ("facilitator", ""),
    "observer": ("observer", ""),
}


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_guard():
    """Let the flush that ends a transactional test (`transaction=True`, `transactional_db`,
    `live_server`) empty the record's tables, which the database guard otherwise refuses.

    The flush itself is wrapped, not the test: which fixture's teardown runs the flush depends on
    how the test asked for the database (a marker sets it up before the autouse fixtures, a
    fixture argument after), so a fixture around it would miss it or lift the guard too long.
    The guard is lifted inside the flush's own transaction and installed again before it commits,
    whatever state the test left it in: the next test always starts guarded, and no other
    connection (a live server's) ever sees the tables unguarded.
    """
    ops = type(connection.ops)
    flush = ops.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with transaction.atomic(using=self.connection.alias):
            guard.drop(self.connection)
            flush(self, sql_list)
            guard.install(self.connection)

    ops.execute_sql_flush = execute_sql_flush
    try:
        yield
    finally:
        ops.execute_sql_flush = flush


@pytest.fixture(scope="session", autouse=True)
def _replay_check_from_a_template(django_db_blocker):
    """replay.check's and sitrep verify's scratch databases copied from one migrated once per run
    (tests/scratch.py)."""
    from ceasefire.record import replay
    from ceasefire.sitrep import check
    from tests import scratch

    replay._scratch_database = scratch.FromTemplate
    sitrep_scratch, check._scratch_database = check._scratch_database, scratch.sitrep_scratch_database
    try:
        yield
    finally:
        replay._scratch_database = scratch.FromTemplate.__mro__[1]
        check._scratch_database = sitrep_scratch
        scratch.SQLITE_TEMPLATE.close()
        with django_db_blocker.unblock():
            scratch.TEMPLATE.close()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # A test of what only one database has (SQLite's REPLACE, PostgreSQL's pg_trgm) is left out of
    # a run on the other, and said so in the summary ("N deselected"): skipping it would count as a
    # missing install step in CI.
    other_marker = "postgresql_only" if connection.vendor == "sqlite" else "sqlite_only"
    other = [item for item in items if item.get_closest_marker(other_marker)]
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = [item for item in items if not item.get_closest_marker(other_marker)]
    once.plan(items)


@once.fixture
def mechanism(db):
    """A 5+5 committee with a western and an eastern delegation, and no members yet."""
    return commands.establish(
        FACILITATOR,
        {
            "name_en": "Joint Military Commission (test)",
            "name_ar": "اللجنة العسكرية المشتركة (اختبار)",
            "parties": [
                {"code": "west", "name_en": "Western region", "name_ar": "المنطقة الغربية", "seats": 5},
                {"code": "east", "name_en": "Eastern region", "name_ar": "المنطقة الشرقية", "seats": 5},
            ],
        },
    )


@once.fixture
def accounts(mechanism):
    """One login per role, all with PASSWORD; returns username -> User."""
    return {name: create_account(name, PASSWORD, role, party) for name, (role, party) in ROLES.items()}


@once.fixture
def actors(accounts):
    """username -> Actor, as the record names them."""
    return {name: actor_for(user) for name, user in accounts.items()}


def pytest_sessionfinish(session, exitstatus):
    # CI installs Chromium and PostgreSQL: there, a skipped test is a missing install step.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI") and skipped and exitstatus == 0:
        reporter.write_line(f"CI: {skipped} test(s) skipped; in CI every test must run.", red=True)
        session.exitstatus = 1
