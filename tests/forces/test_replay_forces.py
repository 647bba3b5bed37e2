"""`ceasefire replay --check` reproduces every table after a random history of the register, the
withdrawal plan's stages and departures verified through the chain; a rebuild from the record alone
gives the same tables, and leaves the vault of informants untouched."""

import collections
import random

from ceasefire.errors import CommandError
from ceasefire.forces import commands
from ceasefire.forces.models import Departure, Group, Imbalance, Informant, Stage
from ceasefire.mechanism import commands as mechanism
from ceasefire.record import log, replay
from ceasefire.record.models import Event, Head
from tests.conftest import FACILITATOR, ROLES
from tests.forces import steps

PLACES = ["icao:HLGD", "icao:HL69", "icao:HL77", "icao:HL73", "", "osm:nowhere"]


def forces_run(rng: random.Random, actors: dict, n: int) -> tuple[int, int]:
    everyone = sorted(ROLES)
    accepted = refused = 0
    plan = commands.record_plan(FACILITATOR, {"title": "Action plan", "agreed_on": "2021-10-08", "source": "s"})
    for _ in range(n):
        who = actors[rng.choice(everyone + ["west-head", "east-head"] * 2)]
        kind = rng.randrange(9)
        groups = list(Group.objects.values_list("id", flat=True)) or [424242]
        stages = list(Stage.objects.values_list("id", flat=True)) or [424242]
        # the plan is sequenced: the next stage not complete is the one most words are about
        stages += (
            list(
                Stage.objects.exclude(status__in=("complete", "imbalance"))
                .order_by("order")
                .values_list("id", flat=True)[:1]
            )
            * 3
        )
        try:
            if kind == 0:
                commands.register_group(
                    who, {**steps.GROUP, "kind": rng.choice(["pmc", "state_force", "foreign_fighters", "x"])}
                )
            elif kind == 1:
                low = rng.randint(0, 500)
                commands.claim_presence(
                    who,
                    rng.choice(groups),
                    {
                        "place": rng.choice(PLACES),
                        "place_name": "Sokna",
                        "from_on": "2021-02-01",
                        "low": low,
                        "best": low + rng.randint(-10, 200),
                        "high": low + 300,
                        "confidence": rng.choice(["low", "high"]),
                        "source": "s",
                        "informant": {"name": "someone"} if rng.random() < 0.3 else None,
                    },
                )
            elif kind == 2:
                commands.add_stage(who, plan.id, {"title": f"stage {rng.randint(1, 9)}", "source": "s"})
            elif kind == 3:
                commands.report_side(who, rng.choice(stages), {"complete": rng.random() < 0.8, "as_of": "2021-12-01"})
            elif kind == 4:
                commands.propose_imbalance(who, rng.choice(stages), {"text": "imbalance"})
            elif kind == 5:
                ids = list(Imbalance.objects.values_list("id", flat=True)) or [424242]
                commands.take_imbalance_position(
                    who, rng.choice(ids), {"position": rng.choice(["approve", "approve", "object"])}
                )
            elif kind == 6:
                commands.claim_departure(
                    who,
                    rng.choice(groups),
                    {**steps.DEPARTURE, "claimed": rng.randint(0, 400), "place": rng.choice(PLACES)},
                )
            elif kind == 7:
                ids = list(Departure.objects.values_list("id", flat=True)) or [424242]
                commands.request_verification(who, rng.choice(ids), {})
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


NEW_TYPES = {t for t in log._projectors if t.startswith("forces.")}


def test_replay_reproduces_every_table_after_a_history_of_foreign_forces(actors, typology):
    accepted, refused = forces_run(random.Random(7), actors, 220)
    assert accepted > 70 and refused > 10  # the sequenced plan refuses words on later stages
    group = commands.register_group(FACILITATOR, steps.GROUP)
    steps.verify(actors, commands.claim_departure(FACILITATOR, group.id, steps.DEPARTURE))  # a concluded verification
    types = collections.Counter(Event.objects.values_list("type", flat=True))
    assert NEW_TYPES <= set(types), NEW_TYPES - set(types)
    assert Stage.objects.filter(status__in=["complete", "imbalance"]).exists()
    vault = list(Informant.objects.values_list("commitment", "identity"))
    assert vault
    result = replay.check(progress=None)
    assert result.events == Event.objects.count() == Head.objects.get(id=1).size
    assert result.ok, result.difference

    state = replay.dump()
    assert replay.rebuild() == Event.objects.count()
    assert replay.dump() == state
    assert list(Informant.objects.values_list("commitment", "identity")) == vault
