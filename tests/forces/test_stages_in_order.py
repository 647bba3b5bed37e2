"""The withdrawal plan is sequenced: no side of stage N is reported on, and no imbalance proposed,
while an earlier stage of the plan is not complete."""

from django.contrib.auth import get_user_model

from ceasefire.forces import commands
from ceasefire.forces.models import StageStatus
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import signed_in

DONE = {"complete": True, "as_of": "2021-12-01"}


def test_a_later_stage_waits_for_the_earlier_ones(actors, client):
    plan = commands.record_plan(FACILITATOR, {"title": "Sequenced plan", "source": "test"})
    first = commands.add_stage(FACILITATOR, plan.id, {"title": "Pull back", "source": "test"})
    second = commands.add_stage(FACILITATOR, plan.id, {"title": "Leave", "source": "test"})

    refusal = commands.side_refusal(actors["west-head"], second)
    assert refusal is not None and refusal.status == 409 and refusal.field == "stage"
    assert commands.imbalance_refusal(actors["west-head"], second).field == "stage"

    before = Event.objects.count()
    signed_in(client, get_user_model().objects.get(username="west-head"))
    r = client.post(f"/api/v1/withdrawal/stages/{second.id}/sides", DONE, content_type="application/json")
    assert r.status_code == 409 and "stage" in r.content.decode()
    assert Event.objects.count() == before  # nothing written

    for who in ("west-head", "east-head"):
        commands.report_side(actors[who], first.id, DONE)
    first.refresh_from_db()
    assert first.status == StageStatus.COMPLETE
    assert commands.side_refusal(actors["west-head"], second) is None
    second = commands.report_side(actors["west-head"], second.id, DONE)
    assert second.status == StageStatus.IN_PROGRESS
