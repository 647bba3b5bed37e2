from ceasefire.incidents import commands as incidents
from tests import once
from tests.conftest import FACILITATOR


@once.fixture
def typology(actors):
    incidents.adopt_default_typology(FACILITATOR)
    return True
