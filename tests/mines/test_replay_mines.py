"""`ceasefire replay --check` reproduces every table after a random history of mine action."""

import collections
import random

from ceasefire.errors import CommandError
from ceasefire.incidents import commands as incidents
from ceasefire.mines import commands
from ceasefire.mines.models import Area, Clearance
from ceasefire.record import log, replay
from ceasefire.record.models import Event, Head
from tests.conftest import FACILITATOR, ROLES

NEW_TYPES = {t for t in log._projectors if t.startswith("mine.")}


def test_replay_reproduces_every_table_after_a_history_of_mine_action(actors):
    incidents.adopt_default_typology(FACILITATOR)
    rng = random.Random(3)
    accepted = refused = 0
    for _ in range(100):
        who = actors[rng.choice(sorted(ROLES))]
        areas = list(Area.objects.values_list("id", flat=True)) or [424242]
        clearances = list(Clearance.objects.values_list("id", flat=True)) or [424242]
        kind = rng.randrange(3)
        try:
            if kind == 0:
                commands.record_area(
                    who, {"name_en": "area", "place": rng.choice(["osm:n1185649367", "", "x"]), "source": "s"}
                )
            elif kind == 1:
                commands.report_clearance(
                    who,
                    rng.choice(areas),
                    {"status": rng.choice(["partly", "cleared", "gone"]), "as_of": "2021-07-14", "source": "s"},
                )
            else:
                commands.request_verification(who, rng.choice(clearances), {})
            accepted += 1
        except CommandError:
            refused += 1
    assert accepted > 20 and refused > 10
    assert NEW_TYPES <= set(collections.Counter(Event.objects.values_list("type", flat=True)))
    result = replay.check(progress=None)
    assert result.events == Event.objects.count() == Head.objects.get(id=1).size
    assert result.ok, result.difference
