"""A recommendation the facilitator closed stays closed: the addressed party reports progress on
open ones, and only the facilitator reopens a closed one."""

from ceasefire.errors import Forbidden
from ceasefire.incidents import commands
from tests.conftest import FACILITATOR
from tests.helpers import refused

from . import steps


def test_only_the_facilitator_reopens(actors, filed):
    r = steps.advance(actors, filed, "concluded")
    rec = r.recommendations.get()
    assert rec.addressee_party_id == "east"
    rec = commands.set_recommendation_status(
        actors["east-head"], rec.id, {"status": "in_progress", "note": "Battery moving"}
    )
    rec = commands.set_recommendation_status(FACILITATOR, rec.id, {"status": "ignored", "note": "Nothing moved"})
    with refused(Forbidden, "status"):
        commands.set_recommendation_status(actors["east-head"], rec.id, {"status": "in_progress"})
    rec.refresh_from_db()
    assert rec.status == "ignored"
    assert commands.set_recommendation_status(FACILITATOR, rec.id, {"status": "open"}).status == "open"
