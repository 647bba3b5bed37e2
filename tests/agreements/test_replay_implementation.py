"""`ceasefire replay --check` reproduces every table after a random history of assessments,
positions on them, agreed statuses, conditions, suspensions and returns, on top of the committee's
usual history; and a rebuild from the record alone gives the same tables."""

import collections
import random

from ceasefire.agreements.models import AgreedStatus, Assessment
from ceasefire.record import replay
from ceasefire.record.models import Event, Head
from tests import history

NEW_TYPES = {"assessment.proposed", "assessment.position_taken", "assessment.agreed", "provision.condition_recorded"}


def test_replay_reproduces_every_table_after_a_history_of_assessments(actors):
    history.run(random.Random(11), actors, steps=60)
    accepted, refused = history.implementation_run(random.Random(12), actors, steps=250)
    assert accepted > 100 and refused > 10  # both paths
    types = collections.Counter(Event.objects.values_list("type", flat=True))
    assert NEW_TYPES <= set(types), NEW_TYPES - set(types)
    assert AgreedStatus.objects.count() == Assessment.objects.filter(agreed=True).count() > 3
    assert Assessment.objects.filter(agreed=False).exists()  # some stand beside the committee's
    result = replay.check(progress=None)
    assert result.events == Event.objects.count() == Head.objects.get(id=1).size
    assert result.ok, result.difference

    state = replay.dump()
    assert replay.rebuild() == Event.objects.count()
    assert replay.dump() == state
