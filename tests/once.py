"""Fixtures built once per test module instead of once per test.

Building the committee (the mechanism, the accounts, their tokens, a committee with meetings) for
each test cost more than half of the suite's time. A fixture declared with `@once.fixture` is built
once for a module when every test of the module uses it: inside one transaction that spans the
module, before its first test. Each test runs in a savepoint of that transaction (pytest-django's
`db`), so it starts from exactly the state the builders left, whatever the tests before it did;
the transaction is rolled back when the module ends. Each test gets a deep copy of what the
builder returned, so a change a test makes to an object in memory stays its own.

It is built per test, as before, where building it once could change what a test sees:
- in a module with a transactional test (`transaction=True`, `transactional_db`, `live_server`),
  whose flush would empty the module's transaction under the other tests;
- when some test of the module that uses the database does not use the fixture (its rows would be
  there for that test too, uninvited);
- when the module overrides the fixture with one of its own.
"""

import copy
import functools
import inspect
from collections.abc import Callable

import pytest
from django.db import transaction

# name -> the builders of that name (a conftest may define its own), each taking fixtures by name
_BUILDERS: dict[str, list[Callable]] = {}
# module name -> the builders to run once for it, in order
_PLAN = pytest.StashKey[dict[str, tuple[Callable, ...]]]()
_TRANSACTIONAL = {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


def fixture(build: Callable) -> Callable:
    """Make `build(dep, ...)` a function-scoped fixture of the same name, built once per module
    where it can be (see the module's docstring). Its parameters name the fixtures it takes: other
    such fixtures, or `db` (given None when built once: the module's transaction is open then)."""
    name = build.__name__
    deps = tuple(inspect.signature(build).parameters)
    strangers = [d for d in deps if d != "db" and d not in _BUILDERS]
    if strangers:
        raise TypeError(f"{name}: a fixture built once may take only such fixtures or db, not {strangers}")

    @functools.wraps(build)
    def run(_module_world, **kwargs):
        if name in _module_world:
            return copy.deepcopy(_module_world[name])
        return build(**kwargs)

    params = [inspect.Parameter(p, inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in ("_module_world", *deps)]
    run.__signature__ = inspect.Signature(params)
    _BUILDERS.setdefault(name, []).append(build)
    return pytest.fixture(name=name)(run)


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool(_TRANSACTIONAL & set(item.fixturenames))


def _builder(item, name: str) -> Callable | None:
    """The builder `name` resolves to for this test, or None if it is a fixture of another kind."""
    defs = item._fixtureinfo.name2fixturedefs.get(name)
    build = getattr(defs[-1].func, "__wrapped__", None) if defs else None
    return build if build in _BUILDERS.get(name, ()) else None


def plan(items) -> None:
    """Decide, per module, which fixtures are built once (called at the end of collection)."""
    by_module: dict[str, list] = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is not None:
            by_module.setdefault(module.__name__, []).append(item)
    decided = {}
    for module, its in by_module.items():
        if any(_transactional(item) for item in its):
            continue
        common = None
        for item in its:
            if "db" not in item.fixturenames:
                continue  # a test without the database sees none of the rows
            found = {(n, _builder(item, n)) for n in item.fixturenames if n in _BUILDERS}
            common = found if common is None else common & found
        builders = {name: build for name, build in common or () if build is not None}
        if builders:
            decided[module] = _in_order(builders)
    if items:
        items[0].config.stash[_PLAN] = decided


def _in_order(builders: dict[str, Callable]) -> tuple[Callable, ...]:
    """The builders, each after those it takes."""
    ordered: list[Callable] = []

    def visit(name):
        build = builders.get(name)
        if build is None or build in ordered:
            return
        for dep in inspect.signature(build).parameters:
            visit(dep)
        ordered.append(build)

    for name in sorted(builders):
        visit(name)
    return tuple(ordered)


@pytest.fixture(scope="module")
def _module_world(request, django_db_setup, django_db_blocker):
    """What the module's once-built fixtures returned, by name; empty where nothing is."""
    builders = request.config.stash.get(_PLAN, {}).get(request.module.__name__, ())
    if not builders:
        yield {}
        return
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        built: dict = {}
        try:
            for build in builders:
                deps = inspect.signature(build).parameters
                # The same objects, not copies: a builder that adds to what another returned (a monitor's
                # token to `tokens`) adds to it for every test, as it would within one test.
                built[build.__name__] = build(**{d: built.get(d) for d in deps})
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
