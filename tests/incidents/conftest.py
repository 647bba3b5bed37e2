import pytest

from ceasefire.incidents import commands
from tests.conftest import FACILITATOR


@pytest.fixture
def typology(mechanism):
    """The default typology, adopted by the facilitator."""
    return commands.adopt_default_typology(FACILITATOR)


@pytest.fixture
def filed(actors, typology):
    """A report filed by west-member: shelling alleged against the east, near Sirte."""
    return commands.file_report(actors["west-member"], REPORT)


REPORT = {
    "title": "Shelling near Abu Qurayn",
    "category": "shelling",
    "occurred_at": "2021-03-02T05:40+02:00",
    "latitude": 31.45,
    "longitude": 15.25,
    "geo_precision": 2,
    "place_en": "Abu Qurayn",
    "place_ar": "أبو قرين",
    "alleged_party": "east",
    "affected_party": "west",
    "narrative": "Three rounds of artillery fell 2 km east of the checkpoint.",
    "casualties": [{"kind": "injured", "group": "civilian", "count": 2, "source": "local clinic"}],
}
