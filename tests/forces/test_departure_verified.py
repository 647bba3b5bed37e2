"""A departure is claimed, verified through the same chain as reports, and shows in the
withdrawal's progress: claimed beside verified, never one for the other."""

from ceasefire.forces import commands, queries, verification
from ceasefire.incidents import chain
from ceasefire.incidents.models import Report
from tests.conftest import FACILITATOR
from tests.forces.steps import DEPARTURE, GROUP, verify


def test_a_verified_departure_counts_what_the_joint_team_counted(actors, typology):
    group = commands.register_group(actors["west-head"], GROUP)
    assert group.claimed_by_id == "west"
    departure = commands.claim_departure(actors["east-member"], group.id, DEPARTURE)
    assert (departure.claimed, departure.place_en, departure.claimed_by_id) == (300, "Ghardabiya Air Base", "east")
    assert verification.of(departure, actors["west-head"]).status == ""

    r = verify(actors, departure)
    assert r.status == chain.CONCLUDED
    assert (r.subject_kind, r.subject_id) == ("departure", departure.id)
    found = verification.of(departure, actors["east-head"])
    assert (found.report.id, found.status, found.verified) == (r.id, chain.CONCLUDED, 280)

    progress = queries.progress(actors["observer"])  # observers read departures, not the parties' report
    assert (progress["overall"].most_claimed, progress["overall"].verified) == (300, 0)
    progress = queries.progress(FACILITATOR)
    assert (progress["overall"].most_claimed, progress["overall"].verified) == (300, 280)
    assert progress["groups"][group.id].verified_departures == 1
    assert [t.most_claimed for _day, t in progress["over_time"]] == [300, 300]


def test_a_departure_not_yet_concluded_has_no_verified_number(actors, typology):
    group = commands.register_group(FACILITATOR, GROUP)
    departure = commands.claim_departure(FACILITATOR, group.id, DEPARTURE)
    r = verify(actors, departure, signers=("west-member", "east-member"))  # the facilitator has not signed
    assert r.status == chain.FINDINGS
    assert verification.of(departure, FACILITATOR).verified is None
    assert Report.objects.filter(subject_kind="departure").count() == 1
