"""`ceasefire replay --check` reproduces every table after a random history of routes, their
statuses and positions, and exports for the neighbours' liaison committees."""

import collections
import random

from ceasefire.errors import CommandError
from ceasefire.mechanism import commands as mechanism
from ceasefire.record import log, replay
from ceasefire.record.models import Event, Head
from ceasefire.routes import commands, share
from ceasefire.routes.models import Route, StatusClaim
from tests.conftest import FACILITATOR, ROLES
from tests.routes.steps import COASTAL, CROSSING, SEBHA, SHWERIF

NEW_TYPES = {t for t in log._projectors if t.startswith("route")}


def routes_run(rng: random.Random, actors: dict, n: int) -> tuple[int, int]:
    everyone = sorted(ROLES)
    accepted = refused = 0
    for _ in range(n):
        who = actors[rng.choice(everyone + ["west-head", "east-head"] * 2)]
        kind = rng.randrange(6)
        routes = list(Route.objects.values_list("id", flat=True)) or [424242]
        claims = list(StatusClaim.objects.filter(agreed=False).values_list("id", flat=True)) or [424242]
        try:
            if kind == 0:
                spec = rng.choice(
                    [COASTAL, CROSSING, {**COASTAL, "places": [SHWERIF, SEBHA], "name_en": "Shwerif–Sebha road"}]
                )
                commands.record_route(who if rng.random() < 0.5 else FACILITATOR, spec)
            elif kind == 1:
                sourced = {"agreed_per_source": {"source": "a source"}} if rng.random() < 0.1 else {}
                commands.claim_status(
                    who,
                    rng.choice(routes),
                    {
                        "status": rng.choice(["open", "closed", "restricted", "ajar"]),
                        "since": rng.choice(["2021-07-30", "2022-04-09", "2022-07-20"]),
                        "conditions_en": rng.choice(["", "no military convoys"]),
                        "source": "s",
                        **sourced,
                    },
                )
            elif kind in (2, 3):
                commands.take_position(who, rng.choice(claims), {"position": rng.choice(["approve", "object"])})
            elif kind == 4:
                share.share(
                    who if rng.random() < 0.3 else FACILITATOR,
                    {
                        "recipient": rng.choice(["chad", "niger", "sudan", "egypt"]),
                        "format": rng.choice(["json", "csv"]),
                    },
                )
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


def test_replay_reproduces_every_table_after_a_history_of_routes(actors):
    accepted, refused = routes_run(random.Random(11), actors, 160)
    assert accepted > 50 and refused > 10
    types = collections.Counter(Event.objects.values_list("type", flat=True))
    assert NEW_TYPES <= set(types), NEW_TYPES - set(types)
    assert StatusClaim.objects.filter(agreed=True, agreed_through="positions").exists()
    result = replay.check(progress=None)
    assert result.events == Event.objects.count() == Head.objects.get(id=1).size
    assert result.ok, result.difference
    state = replay.dump()
    assert replay.rebuild() == Event.objects.count()
    assert replay.dump() == state
