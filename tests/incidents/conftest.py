import datetime as dt

import pytest

from ceasefire.incidents import commands
from ceasefire.mechanism.accounts import actor_for, create_account
from ceasefire.record import log
from tests import once
from tests.conftest import FACILITATOR, PASSWORD
from tests.samples import REPORT  # noqa: F401  (the tests take it from here)


@once.fixture
def typology(mechanism):
    """The default typology, adopted by the facilitator."""
    return commands.adopt_default_typology(FACILITATOR)


@pytest.fixture
def filed(actors, typology):
    """A report filed by west-member: shelling alleged against the east, near Sirte."""
    return commands.file_report(actors["west-member"], REPORT)


@once.fixture
def monitors(actors):
    """Two monitor accounts: a UN monitor (no party) and an eastern member of a joint monitoring
    team. -> username -> Actor, with the `actors` fixture's accounts too."""
    for name, party in (("un-monitor", ""), ("east-monitor", "east")):
        actors[name] = actor_for(create_account(name, PASSWORD, "monitor", party))
    return actors


@pytest.fixture
def clock(monkeypatch):
    """The record's clock fixed at NOW (every event stamped then); `clock.set(t)` moves it."""

    class Clock:
        now = NOW

        def set(self, t: dt.datetime) -> None:
            self.now = t

    c = Clock()
    monkeypatch.setattr(log, "_clock", lambda: c.now)
    return c


NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
