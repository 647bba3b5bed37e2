"""The team's findings, one per allegation: only a violation is attributed, provisions must exist,
a new draft replaces the last and clears its sign-offs, and recommendations get stable ids."""

import datetime as dt

import pytest

from ceasefire.agreements import commands as agreements
from ceasefire.errors import Forbidden, Invalid, NotFound
from ceasefire.incidents import commands
from ceasefire.incidents.models import Finding, Recommendation, SignOff
from tests.conftest import FACILITATOR
from tests.helpers import refused

from . import steps


@pytest.fixture
def investigated(actors, filed):
    return steps.advance(actors, filed, "investigated")


@pytest.fixture
def provisions(mechanism):
    agreement = agreements.record_agreement(FACILITATOR, {"title": "Ceasefire agreement", "signed_on": "2020-10-23"})
    return [
        agreements.add_provision(FACILITATOR, agreement.id, {"number": str(n), "text": f"Article {n}"}) for n in (1, 2)
    ]


def finding(**changes):
    f = {"allegation": "Shelling by the east", "result": "violation", **changes}
    return {k: v for k, v in f.items() if v is not None}


def draft(actors, r, *findings, who="west-member"):
    return commands.draft_findings(actors[who], r.id, {"findings": list(findings)})


def test_findings_are_kept_per_allegation(actors, investigated, provisions):
    r = draft(
        actors,
        investigated,
        finding(
            attributed_to="east",
            attributed_unit="Brigade 128",
            provisions=[provisions[1].id, provisions[0].id],
            reasoning="Three craters",
        ),
        finding(allegation="Civilians injured", result="insufficient"),
        finding(allegation="A drone overflight", result="no_violation"),
    )
    assert r.status == "findings"
    got = [
        (f.number, f.allegation_en, f.result, f.attributed_to_id, f.attributed_unit, f.provisions)
        for f in r.findings.all()
    ]
    assert got == [
        (1, "Shelling by the east", "violation", "east", "Brigade 128", [provisions[1].id, provisions[0].id]),
        (2, "Civilians injured", "insufficient", None, "", []),
        (3, "A drone overflight", "no_violation", None, "", []),
    ]


OTHER_RESULTS = ["no_violation", "insufficient"]


def test_only_a_violation_is_attributed(actors, investigated, subtests):
    for result in OTHER_RESULTS:
        with subtests.test(result=result):
            with refused(Invalid, "findings[1].attributed_to"):
                draft(actors, investigated, finding(), finding(result=result, attributed_to="west"))
            r = draft(actors, investigated, finding(result="violation"))  # a violation by nobody known
            assert r.findings.get().attributed_to_id is None


def test_only_a_violation_breaches_a_provision(actors, investigated, provisions, subtests):
    for result in OTHER_RESULTS:
        with subtests.test(result=result):
            with refused(Invalid, "findings[0].provisions"):
                draft(actors, investigated, finding(result=result, provisions=[provisions[0].id]))
    r = draft(actors, investigated, finding(result="violation", provisions=[provisions[0].id]))
    assert r.findings.get().provisions == [provisions[0].id]


def test_provisions_must_exist(actors, investigated, provisions):
    with refused(NotFound, "findings[0].provisions[1]"):
        draft(actors, investigated, finding(provisions=[provisions[0].id, 424242]))
    with refused(Invalid, "findings[0].provisions"):
        draft(actors, investigated, finding(provisions=[provisions[0].id, provisions[0].id]))
    with refused(Invalid, "findings[0].provisions"):
        draft(actors, investigated, finding(provisions=str(provisions[0].id)))
    with refused(Invalid, "findings[0].provisions[0]"):
        draft(actors, investigated, finding(provisions=["Article 1"]))


BAD_FINDINGS = [
    (None, Invalid, "findings"),
    ([], Invalid, "findings"),
    ("violation", Invalid, "findings"),
    (["violation"], Invalid, "findings[0]"),
    ([finding(allegation=None)], Invalid, "findings[0].allegation"),
    ([finding(result="guilty")], Invalid, "findings[0].result"),
    ([finding(result=None)], Invalid, "findings[0].result"),
    ([finding(attributed_to="south")], NotFound, "findings[0].attributed_to"),
    ([finding(), finding(reasoning=7)], Invalid, "findings[1].reasoning"),
    ([finding(recommendations="withdraw")], Invalid, "findings[0].recommendations"),
    ([finding(recommendations=["withdraw"])], Invalid, "findings[0].recommendations[0]"),
    ([finding(recommendations=[{"text": "Withdraw"}])], Invalid, "findings[0].recommendations[0].addressee"),
    ([finding(recommendations=[{"addressee_party": "east"}])], Invalid, "findings[0].recommendations[0].text"),
    (
        [finding(recommendations=[{"addressee_party": "east", "text": "x", "due_on": "soon"}])],
        Invalid,
        "findings[0].recommendations[0].due_on",
    ),
    ([finding()] * 21, Invalid, "findings"),
    (
        [finding(recommendations=[{"addressee_party": "east", "text": "x"}] * 50)] * 2,
        Invalid,
        "findings[1].recommendations",
    ),
]


def test_bad_findings_are_named(actors, investigated, subtests):
    for findings, error, field in BAD_FINDINGS:
        with subtests.test(findings=findings, error=error, field=field):
            with refused(error, field):
                commands.draft_findings(
                    actors["west-member"], investigated.id, {"findings": findings} if findings is not None else {}
                )


def test_recommendations_get_ids_from_the_drafting_event(actors, investigated):
    rec = {"addressee_party": "east", "text": "Withdraw the battery", "due_on": "2021-04-01"}
    r = draft(
        actors,
        investigated,
        finding(recommendations=[rec, {"addressee_en": "Brigade 128", "text": "Hand over the logs"}]),
        finding(allegation="Civilians injured", result="insufficient"),
        finding(allegation="Mines", recommendations=[{**rec, "text": "Mark the minefield"}]),
    )
    drafted = r.findings.first().id // 100  # seq of the drafting event
    assert [f.id for f in r.findings.all()] == [drafted * 100, drafted * 100 + 1, drafted * 100 + 2]
    recs = Recommendation.objects.filter(report=r).order_by("id")
    assert [
        (x.id, x.finding_id, x.addressee_party_id, x.addressee_en, x.text_en, x.due_on, x.status) for x in recs
    ] == [
        (drafted * 100, drafted * 100, "east", "", "Withdraw the battery", dt.date(2021, 4, 1), "open"),
        (drafted * 100 + 1, drafted * 100, None, "Brigade 128", "Hand over the logs", None, "open"),
        (drafted * 100 + 2, drafted * 100 + 2, "east", "", "Mark the minefield", dt.date(2021, 4, 1), "open"),
    ]
    assert all(x.report_id == r.id for x in recs)


def test_a_new_draft_replaces_the_last_and_clears_its_sign_offs(actors, investigated):
    r = draft(
        actors,
        investigated,
        finding(attributed_to="east", recommendations=[{"addressee_party": "east", "text": "Withdraw"}]),
    )
    first = set(r.findings.values_list("id", flat=True))
    steps.sign(actors["west-member"], r)
    steps.sign(FACILITATOR, r)
    assert SignOff.objects.filter(report=r).count() == 2
    r = draft(actors, r, finding(result="insufficient"), who="east-member")
    assert r.status == "findings" and not SignOff.objects.filter(report=r).exists()
    assert not Finding.objects.filter(id__in=first).exists() and not Recommendation.objects.filter(report=r).exists()
    assert [f.result for f in r.findings.all()] == ["insufficient"]
    # Every side signs what it is shown: the west signs again, the new draft.
    r = steps.sign(actors["west-member"], r)
    assert list(SignOff.objects.filter(report=r).values_list("side", flat=True)) == ["west"]


def test_a_disputed_report_may_be_redrafted_by_the_facilitator_and_leaves_the_agenda(actors, investigated):
    steps.meeting_ahead()
    r = steps.advance(actors, draft(actors, investigated, finding()), "disputed")
    assert r.agenda_item_id is not None
    for member in ("east-member", "west-member"):  # before the committee, no party alone takes it back
        with refused(Forbidden):
            draft(actors, r, finding(result="insufficient"), who=member)
    r = draft(actors, r, finding(result="insufficient"), who="facilitator")
    assert (r.status, r.agenda_item_id, r.decision_id) == ("findings", None, None)
    assert not SignOff.objects.filter(report=r).exists()
