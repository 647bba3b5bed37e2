"""Schemathesis against /api/v1/openapi.json: no operation of the API answers a 500, whatever it is
sent, valid or not, by the facilitator or by a delegate.

The app runs in-process (WSGI), inside the test's transaction, on a committee with a report at
each interesting point of the chain. Path ids are drawn half the time from the things that exist,
so that the handlers behind the 404 are reached too. Examples are few and derandomized: this is a
smoke test of every operation on every run, kept to well under a minute per database.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from ceasefire.incidents import commands as incidents
from ceasefire.incidents import coverage
from ceasefire.zones import commands as zones

from .endpoints import advance, file_report, proposed

EXAMPLES = 4  # per operation, generation mode and caller: the whole run stays well under a minute


@pytest.fixture
def known(actors, committee, typology):
    """Path parameter -> ids of things that exist."""
    received = file_report(actors)
    evidence = incidents.add_evidence(actors["west-member"], received.id, [b"Field notes\n"], "notes.txt", "text/plain")
    identity = incidents.protect_identity(actors["facilitator"], received.id, {"identity": {"name": "A shepherd"}})
    disputed = proposed(actors)  # a proposal before the committee, the west's position given
    concluded = advance(actors, file_report(actors, who="east-member").id, "concluded")
    recorded = coverage.record_coverage(
        actors["facilitator"], {"kind": "deployed", "area": "Sirte", "starts_on": "2021-01-01", "ends_on": "2021-01-09"}
    )
    zones.propose_version(
        actors["west-head"],
        {
            "layer": "buffer-1",
            "kind": "buffer_zone",
            "name_en": "Buffer",
            "geojson": {"type": "Polygon", "coordinates": [[[15, 31], [16, 31], [16, 32], [15, 31]]]},
        },
    )
    from ceasefire.forces import commands as forces

    group = forces.register_group(actors["facilitator"], {"kind": "pmc", "name_en": "A company", "source": "s"})
    departure = forces.claim_departure(
        actors["west-head"],
        group.id,
        {"claimed": 3, "departed_on": "2021-11-11", "place": "icao:HLGD", "confidence": "low", "source": "s"},
    )
    plan = forces.record_plan(actors["facilitator"], {"title": "Plan", "source": "s"})
    stage = forces.add_stage(actors["facilitator"], plan.id, {"title": "Stage", "source": "s"})
    imbalance = forces.propose_imbalance(actors["west-head"], stage.id, {"text": "imbalance"})
    return {
        "layer": ["buffer-1"],
        "number": [1],
        "group_id": [group.id],
        "departure_id": [departure.id],
        "plan_id": [plan.id],
        "stage_id": [stage.id],
        "imbalance_id": [imbalance.id],
        "coverage_id": [recorded.id],
        "report_id": [received.id, disputed.id, concluded.id],
        "incident_id": [received.incident_id, concluded.incident_id],
        "evidence_id": [evidence.id],
        "identity_id": [identity.id],
        "recommendation_id": list(concluded.recommendations.values_list("id", flat=True)),
        "meeting_id": [committee.meeting.id, disputed.agenda_item.meeting_id],
        "decision_id": [committee.decision.id, disputed.decision_id],
        "action_item_id": [committee.item.id],
        "agreement_id": [committee.agreement.id],
        "provision_id": [committee.provision.id],
        "member_id": [m.id for m in committee.members.values()],
        "party": ["west", "east"],
    }


@pytest.fixture
def schema(settings, known):
    settings.ALLOWED_HOSTS = ["localhost"]  # schemathesis' WSGI client calls the app as localhost
    # As Django's test client does: a request's end must not close the connection that holds the
    # test's transaction (PostgreSQL would lose it; SQLite's in-memory database hides this).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def exercise(operation, mode, headers, known) -> str | None:
    """Run the operation's examples; the first failure, described, or None."""

    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case, data):
        for name in case.path_parameters or {}:
            if name in known and data.draw(st.booleans(), label=f"known {name}"):
                case.path_parameters[name] = data.draw(st.sampled_from(known[name]), label=name)
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    try:
        run()
    except Unsatisfiable:
        return None  # nothing to spoil: an operation without parameters or body, in negative mode
    except (Exception, BaseExceptionGroup) as e:  # schemathesis groups its check failures
        return f"{operation.label} ({mode.value}): {type(e).__name__}: {e}"
    return None


@pytest.mark.parametrize("who", ["facilitator", "west-member"])
def test_no_operation_answers_a_server_error(schema, tokens, known, who):
    headers = {"Authorization": f"Bearer {tokens[who]}", "Accept-Language": "en"}
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = exercise(operation, mode, headers, known)
            if failure:
                failures.append(failure)
    assert operations > 60
    assert not failures, "\n\n".join(failures)
