"""The demo is set up once per session (`demo`) and copied for the tests that change it; a
module that needs it serving gets `server`, the demo started again on a copy."""

import pytest

from .helpers import Demo, Server, ceasefire


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
