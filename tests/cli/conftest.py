"""The demo is set up once per session (`demo`) and copied for the tests that change it; a
module that needs it serving gets `server`, the demo started again on a copy."""

from pathlib import Path

import pytest

from .helpers import Demo, Server, ceasefire

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    # These tests run the `ceasefire` command on a database of its own (SQLite in its data folder,
    # or the PostgreSQL of test_postgresql.py), never on the run's: tests/run.py runs them once.
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.own_database)


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Demo:
    """A demo data folder after a first start (without serving), and what that start printed."""
    data = tmp_path_factory.mktemp("demo") / "data"
    first = ceasefire("demo", "--no-serve", "--data-dir", data)
    assert first.returncode == 0, first.stdout + first.stderr
    return Demo(data, first)


@pytest.fixture(scope="module")
def server(demo, tmp_path_factory):
    """The demo, started a second time on a copy of the first start's folder, serving."""
    data = demo.copy(tmp_path_factory.mktemp("served") / "data")
    s = Server(data)
    try:
        s.wait_until_listening()
        yield s
    finally:
        s.stop()
