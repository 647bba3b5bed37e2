"""Fixtures built once per test module instead of once per test.

Building the committee (the mechanism, the accounts, their tokens, a committee with meetings) for
each test cost more than half of the suite's time. A fixture declared with `@once.fixture` is built
once for the tests of a module that use it: inside one transaction that spans the module, each
builder in a savepoint of its own. Each test runs in a savepoint of that transaction (pytest-django's
`db`), so it starts from exactly the state the builders left, whatever the tests before it did.
Each test gets a deep copy of what the builder returned, so a change a test makes to an object in
memory stays its own.

A test sees exactly the rows of the once-built fixtures it uses, and no others:
- before a test, the savepoints of the builders it does not use are rolled back (and what they
  added to the objects of the builders before them is put back as it was), and the builders it
  uses that are not built yet are built, each in a new savepoint;
- a test that uses the database but none of them runs outside the module's transaction, as it
  would alone;
- a transactional test (`transaction=True`, `transactional_db`, `live_server`), whose flush would
  empty the module's transaction, runs with the module's transaction rolled back, and builds its
  fixtures itself, as before;
- a fixture that the module overrides with one of its own is its own, built per test.
The tests of a module run in an order that builds each fixture as few times as it can: the
transactional ones and those without the builders first, then the others grouped by what they use.
"""

import copy
import functools
import inspect
from collections.abc import Callable

import pytest
from django.db import transaction

# name -> the builders of that name (a conftest may define its own), each taking fixtures by name
_BUILDERS: dict[str, list[Callable]] = {}
# item -> the builders it uses, in the order they are built (each after those it takes);
# None for a transactional test
_PLAN = pytest.StashKey[dict[str, tuple[Callable, ...] | None]]()
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
    def run(request, _module_world, **kwargs):
        built = _module_world.enter(request.node)
        if name in built:
            return copy.deepcopy(built[name])
        return build(**kwargs)

    params = [
        inspect.Parameter(p, inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in ("request", "_module_world", *deps)
    ]
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


def _uses(item) -> tuple[Callable, ...] | None:
    """The builders the test uses, each after those it takes (by name, so that the order is the
    same for every test of the module); None for a transactional test."""
    if _transactional(item):
        return None
    found = {n: _builder(item, n) for n in item.fixturenames if n in _BUILDERS}
    # A builder is built once only if every builder it takes is too (not the module's own fixture).
    usable: dict[str, Callable] = {}

    def ok(name) -> bool:
        if name in usable:
            return True
        build = found.get(name)
        if build is None:
            return False
        if all(dep == "db" or ok(dep) for dep in inspect.signature(build).parameters):
            usable[name] = build
            return True
        return False

    for name in sorted(found):
        ok(name)
    return _in_order(usable)


def _in_order(builders: dict[str, Callable]) -> tuple[Callable, ...]:
    """The builders, each after those it takes; otherwise by name."""
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


def plan(items) -> None:
    """Decide what each test has built once, and order each module's tests so that the builders
    run as few times as they can (called at the end of collection)."""
    uses: dict[str, tuple[Callable, ...] | None] = {}
    for item in items:
        if "db" in item.fixturenames or _transactional(item):
            uses[item.nodeid] = _uses(item)
    if items:
        items[0].config.stash[_PLAN] = uses

    def key(item):
        # the transactional tests and those without the database first, then by what they use
        # (a shared beginning of the same builders side by side)
        used = uses.get(item.nodeid)
        return (1, tuple(b.__name__ for b in used)) if used else (0, ())

    start = 0
    while start < len(items):
        module = getattr(items[start], "module", None)
        end = start
        while end < len(items) and getattr(items[end], "module", None) is module:
            end += 1
        if module is not None:
            items[start:end] = sorted(items[start:end], key=key)
        start = end


class World:
    """A module's once-built fixtures: the module's transaction and a stack of savepoints, one per
    builder, each with what the builders before it had returned as it was before it ran."""

    def __init__(self, config, blocker):
        self.uses = config.stash.get(_PLAN, {})
        self.blocker = blocker
        self.outer = None  # the module's transaction, open while something is built
        self.stack: list[tuple[Callable, object, dict]] = []  # (builder, its atomic, built before it)
        self.built: dict = {}
        self.current = None  # the test the stack was last made for

    def enter(self, item) -> dict:
        """Make the stack what `item` uses; return name -> what the builders returned."""
        if item is self.current:
            return self.built
        self.current = item
        wanted = self.uses.get(item.nodeid) or ()
        with self.blocker.unblock():
            keep = 0
            while keep < len(self.stack) and keep < len(wanted) and self.stack[keep][0] is wanted[keep]:
                keep += 1
            while len(self.stack) > keep:
                _build, atomic, before = self.stack.pop()
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                self.built = before
            if not wanted:
                self._close_outer()
                return self.built
            if self.outer is None:
                self.outer = transaction.atomic()
                self.outer.__enter__()
            for build in wanted[keep:]:
                before = copy.deepcopy(self.built)
                atomic = transaction.atomic()
                atomic.__enter__()
                self.stack.append((build, atomic, before))
                try:
                    deps = inspect.signature(build).parameters
                    # The same objects, not copies: a builder that adds to what another returned (a
                    # monitor's token to `tokens`) adds to it for every test, as it would within one test.
                    self.built[build.__name__] = build(**{d: self.built.get(d) for d in deps})
                except BaseException:
                    self.close()
                    self.current = None
                    raise
        return self.built

    def _close_outer(self) -> None:
        if self.outer is not None:
            transaction.set_rollback(True)
            self.outer.__exit__(None, None, None)
            self.outer = None

    def close(self) -> None:
        with self.blocker.unblock():
            while self.stack:
                _build, atomic, before = self.stack.pop()
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                self.built = before
            self._close_outer()
        self.built = {}


@pytest.fixture(scope="module")
def _module_world(request, django_db_setup, django_db_blocker):
    """The module's once-built fixtures (World), rolled back when the module ends."""
    world = World(request.config, django_db_blocker)
    try:
        yield world
    finally:
        world.close()


@pytest.fixture
def _once_entered(request, _module_world):
    _module_world.enter(request.node)


@pytest.fixture
def _django_db_helper(_once_entered, _django_db_helper):
    """pytest-django's, once the module's once-built fixtures are what this test uses (`_once_entered`
    is set up first): the test's transaction must open inside the module's, a transactional test's
    flush outside it."""
    yield
