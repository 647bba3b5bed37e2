"""`ceasefire replay --check` reproduces every table after a random history of detainee exchanges,
the numbers claimed, people recorded and verifications asked; a rebuild from the record alone
gives the same tables and leaves the vault of identities untouched."""

import collections
import random

from ceasefire.errors import CommandError
from ceasefire.exchanges import commands
from ceasefire.exchanges.models import Exchange, Identity
from ceasefire.incidents import commands as incidents
from ceasefire.record import log, replay
from ceasefire.record.models import Event, Head
from tests.conftest import FACILITATOR, ROLES

NEW_TYPES = {t for t in log._projectors if t.startswith("exchange.")}


def test_replay_reproduces_every_table_after_a_history_of_exchanges(actors):
    incidents.adopt_default_typology(FACILITATOR)
    rng = random.Random(5)
    accepted = refused = 0
    for _ in range(120):
        who = actors[rng.choice(sorted(ROLES))]
        ids = list(Exchange.objects.values_list("id", flat=True)) or [424242]
        kind = rng.randrange(4)
        try:
            if kind == 0:
                commands.record_exchange(
                    who,
                    {
                        "happened_on": rng.choice(["2020-12-25", "2021-01-06", "2999-01-01"]),
                        "place": "osm:n1193620130",
                        "source": "s",
                    },
                )
            elif kind == 1:
                commands.claim_numbers(
                    who,
                    rng.choice(ids),
                    rng.choice(
                        [
                            {"released": {"west": rng.randint(0, 40), "east": rng.randint(0, 40)}, "source": "s"},
                            {"total": 48, "source": "s"},
                            {"source": "s"},
                        ]
                    ),
                )
            elif kind == 2:
                commands.record_person(
                    who, rng.choice(ids), {"released_by": rng.choice(["west", "east"]), "identity": {"name": "someone"}}
                )
            else:
                commands.request_verification(who, rng.choice(ids), {})
            accepted += 1
        except CommandError:
            refused += 1
    assert accepted > 30 and refused > 10
    types = collections.Counter(Event.objects.values_list("type", flat=True))
    assert NEW_TYPES <= set(types), NEW_TYPES - set(types)
    vault = list(Identity.objects.values_list("commitment", "identity"))
    assert vault
    result = replay.check(progress=None)
    assert result.events == Event.objects.count() == Head.objects.get(id=1).size
    assert result.ok, result.difference
    state = replay.dump()
    assert replay.rebuild() == Event.objects.count()
    assert replay.dump() == state
    assert list(Identity.objects.values_list("commitment", "identity")) == vault
