"""A departure's verification is a report of the chain, not an alleged violation: it is counted in
no violation statistics or export, carries no source text of the departure, and names as its
source the party that claimed the departure, not the party that asked."""

from ceasefire.forces import commands
from ceasefire.incidents import exchange, queries, stats
from tests.conftest import FACILITATOR
from tests.forces.steps import DEPARTURE, GROUP

SECRET = "DEP-SOURCE-PLANTED-7731"


def _export_lines(fmt):
    _checkpoint, pieces = exchange.export(FACILITATOR, queries.Filters(), fmt)
    return "".join(pieces)


def test_a_verification_report_is_no_violation(actors, typology):
    before = stats.count(FACILITATOR, queries.Filters()).total
    before_incidents = stats.count(FACILITATOR, queries.Filters(), (), stats.INCIDENTS).total
    before_export = _export_lines("acled").count("\n")
    before_categories = {
        row.values["category"]: row.count for row in stats.count(FACILITATOR, queries.Filters(), ("category",)).rows
    }

    group = commands.register_group(actors["west-head"], GROUP)
    departure = commands.claim_departure(actors["east-member"], group.id, {**DEPARTURE, "source": SECRET})
    r = commands.request_verification(actors["west-head"], departure.id, {})

    assert (r.subject_kind, r.subject_id) == ("departure", departure.id)
    assert (r.source_type, r.source_party_id) == ("delegation", "east")  # the claimant, not the asker
    for text in (r.narrative_en, r.narrative_ar, r.title_en, r.title_ar):
        assert SECRET not in text
    assert departure.reference in r.narrative_en

    assert stats.count(FACILITATOR, queries.Filters()).total == before
    assert stats.count(FACILITATOR, queries.Filters(), (), stats.INCIDENTS).total == before_incidents
    by_category = stats.count(FACILITATOR, queries.Filters(), ("category",))
    assert {row.values["category"]: row.count for row in by_category.rows} == before_categories
    acled = _export_lines("acled")
    assert acled.count("\n") == before_export
    assert r.reference not in acled and SECRET not in acled
    assert r.reference not in _export_lines("geojson")
    assert queries.violations(queries.visible(FACILITATOR)).filter(id=r.id).count() == 0


def test_a_verification_asked_of_a_mission_claim_names_the_mission(actors, typology):
    group = commands.register_group(FACILITATOR, GROUP)
    departure = commands.claim_departure(FACILITATOR, group.id, {**DEPARTURE, "source": SECRET})
    r = commands.request_verification(actors["west-head"], departure.id, {})
    assert (r.source_type, r.source_party_id) == ("un_monitor", None)
    assert SECRET not in r.narrative_en + r.narrative_ar
