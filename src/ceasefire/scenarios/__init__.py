"""Loadable scenarios: a committee's public record, written through the domain commands.

    from ceasefire import scenarios
    scenarios.load("libya-2020")   # -> the number of events appended

A scenario loads only into a database with no mechanism yet, and the whole load is one batch
(`ceasefire.record.log.batch`): one transaction, on any error nothing is written.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from ceasefire.errors import Conflict, NotFound


def _libya_2020() -> None:
    """Libya's 5+5 Joint Military Commission and the 23 October 2020 ceasefire: public facts only,
    each with its source."""
    from . import libya_2020

    libya_2020.run()


# name -> loader. A loader appends events through the domain commands and returns nothing;
# its docstring describes the scenario.
SCENARIOS: dict[str, Callable[[], None]] = {
    "libya-2020": _libya_2020,
}


def load(name: str) -> int:
    """Load the scenario `name` into an empty committee; return the number of events appended."""
    from ceasefire.mechanism.models import Mechanism
    from ceasefire.record import log

    loader = SCENARIOS.get(name)
    if loader is None:
        raise NotFound(
            _("no scenario named %(name)r; known scenarios: %(known)s")
            % {"name": name, "known": ", ".join(sorted(SCENARIOS))},
            "name",
        )
    # One batch: one transaction holding the record's lock from before the check (nobody can
    # establish a mechanism between the check and the load), the commands joining it without a
    # savepoint each, the tree written in bulk at the end.
    with log.batch():
        before = log.size()
        if Mechanism.current() is not None:
            raise Conflict(
                _("a mechanism is already established: a scenario loads only into an empty database"),
                "name",
            )
        loader()
        return log.size() - before
