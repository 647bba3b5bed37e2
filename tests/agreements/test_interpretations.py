"""A reading of a provision says who states it and who recorded it: one the facilitator records in
a party's name never passes for the party's own."""

import json

import pytest

from ceasefire.agreements import commands, projections
from ceasefire.agreements.models import Interpretation
from ceasefire.errors import Forbidden, Invalid, NotFound
from ceasefire.record import replay
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import refused


@pytest.fixture
def provision(mechanism):
    agreement = commands.record_agreement(FACILITATOR, {"title": "Ceasefire", "signed_on": "2020-10-23"})
    return commands.add_provision(FACILITATOR, agreement.id, {"number": "2", "text": "Departure of foreign fighters"})


def test_a_reading_in_a_partys_name_says_who_stated_it_and_who_recorded_it(actors, provision):
    by_facilitator = commands.add_interpretation(
        FACILITATOR, provision.id, {"party": "east", "reading": "After a unified government"}
    )
    own = commands.add_interpretation(actors["east-head"], provision.id, {"reading": "بعد تشكيل حكومة موحدة"})
    other = commands.add_interpretation(FACILITATOR, provision.id, {"held_by": "UNSMIL", "reading": "3 months"})
    assert (by_facilitator.party_id, by_facilitator.recorded_by, by_facilitator.held_by_en) == (
        "east",
        "facilitator",
        "Eastern region",
    )
    assert (own.party_id, own.recorded_by, own.held_by_en) == ("east", "party", "Eastern region")
    assert (other.party_id, other.recorded_by, other.held_by_en) == (None, "facilitator", "UNSMIL")
    # The record says it too, in what every reader may read.
    payloads = [e.payload for e in Event.objects.filter(type="provision.interpretation_added").order_by("seq")]
    assert [(p["party"], p["recorded_by"]) for p in payloads] == [
        ("east", "facilitator"),
        ("east", "party"),
        (None, "facilitator"),
    ]
    assert replay.check(progress=None).ok


def test_a_speaker_records_only_its_own_partys_reading(actors, provision):
    with refused(Forbidden, "party"):
        commands.add_interpretation(actors["west-head"], provision.id, {"party": "east", "reading": "theirs"})
    with refused(NotFound, "party"):
        commands.add_interpretation(FACILITATOR, provision.id, {"party": "north", "reading": "x"})
    with refused(Invalid, "held_by"):  # the facilitator names a party or whoever else holds it
        commands.add_interpretation(FACILITATOR, provision.id, {"reading": "someone's"})


def test_entries_from_before_say_who_recorded_them_by_their_party(mechanism, provision):
    """An entry written before readings named who recorded them is projected as the record shows it."""
    for seq, party in ((901, "east"), (902, "")):
        body = {
            "payload": {
                "provision": provision.id,
                "held_by_ar": "",
                "held_by_en": "Eastern region",
                "reading_ar": "",
                "reading_en": "x",
                "source": "",
            }
        }
        projections._interpretation(
            Event(seq=seq, type="provision.interpretation_added", party=party, body=json.dumps(body).encode())
        )
    assert [(i.party_id, i.recorded_by) for i in Interpretation.objects.filter(id__in=[901, 902]).order_by("id")] == [
        ("east", "party"),
        (None, "facilitator"),
    ]
