"""`ceasefire replay --check` reproduces every table after a random history of missing-person
cases, their statuses and positions, suspensions and returns; the vault is no projection and
replay leaves it as it was."""

import collections
import random

from ceasefire.errors import CommandError
from ceasefire.exchanges import commands as exchanges
from ceasefire.mechanism import commands as mechanism
from ceasefire.missing import commands
from ceasefire.missing.models import Case, Identity, StatusClaim
from ceasefire.record import log, replay
from ceasefire.record.models import Event, Head
from tests.conftest import FACILITATOR, ROLES
from tests.missing.steps import CASE

NEW_TYPES = {t for t in log._projectors if t.startswith("missing.")}


def missing_run(rng: random.Random, actors: dict, n: int) -> tuple[int, int]:
    everyone = sorted(ROLES)
    exchange = exchanges.record_exchange(
        FACILITATOR, {"happened_on": "2020-12-25", "place": "osm:n1193620130", "source": "s"}
    )
    accepted = refused = 0
    for i in range(n):
        who = actors[rng.choice(everyone + ["west-head", "east-head"] * 2)]
        kind = rng.randrange(5)
        cases = list(Case.objects.values_list("id", flat=True)) or [424242]
        claims = list(StatusClaim.objects.filter(agreed=False).values_list("id", flat=True)) or [424242]
        try:
            if kind == 0:
                commands.open_case(
                    who,
                    {
                        **CASE,
                        "missing_since": rng.choice(["2020-06-05", "2019-04-04", "2999-01-01"]),
                        "identity": {"name": f"person {i}", "contact": rng.choice(["", "+218 91 000"])},
                    },
                )
            elif kind == 1:
                status = rng.choice(["missing", "located_alive", "found_dead", "released", "closed", "gone"])
                commands.claim_status(
                    who,
                    rng.choice(cases),
                    {
                        "status": status,
                        "as_of": rng.choice(["2021-01-10", "2022-04-09"]),
                        "exchange": exchange.id if status == "released" and rng.random() < 0.5 else None,
                        "note_en": rng.choice(["", "seen in Sirte"]),
                        "source": "s",
                    },
                )
            elif kind in (2, 3):
                commands.take_position(who, rng.choice(claims), {"position": rng.choice(["approve", "object"])})
            else:
                party = rng.choice(["west", "east"])
                if rng.random() < 0.5:
                    mechanism.suspend_participation(actors[f"{party}-head"], party, {"since": "2022-01-01"})
                else:
                    mechanism.resume_participation(actors[f"{party}-head"], party, {"on": "2022-02-01"})
            accepted += 1
        except CommandError:
            refused += 1
    return accepted, refused


def test_replay_reproduces_every_table_after_a_history_of_missing_persons(actors):
    accepted, refused = missing_run(random.Random(7), actors, 160)
    assert accepted > 50 and refused > 10, (accepted, refused)
    types = collections.Counter(Event.objects.values_list("type", flat=True))
    assert NEW_TYPES <= set(types), NEW_TYPES - set(types)
    vault = list(Identity.objects.order_by("id").values())
    assert len(vault) == Case.objects.count()
    result = replay.check(progress=None)
    assert result.events == Event.objects.count() == Head.objects.get(id=1).size
    assert result.ok, result.difference
    state = replay.dump()
    assert replay.rebuild() == Event.objects.count()
    assert replay.dump() == state
    assert list(Identity.objects.order_by("id").values()) == vault
