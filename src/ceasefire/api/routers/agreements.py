"""The agreement the committee oversees: its provisions, the rival readings of them, and how far
each is implemented."""

from django.utils.translation import gettext as _
from ninja import Router, Status

from ceasefire import audience
from ceasefire.agreements import commands, queries
from ceasefire.agreements.models import Agreement, Assessment, Provision
from ceasefire.errors import Forbidden, NotFound
from ceasefire.mechanism.commands import get

from ..auth import reader
from ..common import Id, SearchText, matching, reading, writing
from ..schemas import (
    AgreementIn,
    AgreementOut,
    AgreementSummary,
    AssessmentIn,
    AssessmentOut,
    ConditionIn,
    ConditionOut,
    InterpretationIn,
    InterpretationOut,
    PositionIn,
    ProvisionIn,
    ProvisionOut,
    RollupOut,
    rollup_out,
)

router = Router(tags=["agreements"])


def _provisions(request, qs):
    return list(queries.with_implementation(qs, reader(request)).prefetch_related("interpretations"))


@router.get("/agreements", response=reading(list[AgreementSummary]))
def agreements(request):
    return list(Agreement.objects.all())


@router.post("/agreements", response=writing(AgreementOut, 201), summary="Record an agreement")
def record_agreement(request, payload: AgreementIn):
    return Status(201, commands.record_agreement(request.auth, payload.data()))


@router.get("/agreements/{agreement_id}", response=reading(AgreementOut))
def agreement(request, agreement_id: Id):
    return get(Agreement, agreement_id, "agreement")


@router.get(
    "/agreements/{agreement_id}/provisions",
    response=reading(list[ProvisionOut]),
    summary="Provisions, each with its readings and its deadline as a date (due_on)",
)
def provisions(request, agreement_id: Id, q: SearchText = None):
    rows = _provisions(request, get(Agreement, agreement_id, "agreement").provisions.all())
    return matching(
        rows,
        q,
        lambda p: (
            p.number,
            p.text_ar,
            p.text_en,
            p.implementer_ar,
            p.implementer_en,
            p.deadline_ar,
            p.deadline_en,
            p.category,
        ),
    )


@router.post("/agreements/{agreement_id}/provisions", response=writing(ProvisionOut, 201), summary="Add a provision")
def add_provision(request, agreement_id: Id, payload: ProvisionIn):
    return Status(201, commands.add_provision(request.auth, agreement_id, payload.data()))


@router.get(
    "/provisions/{provision_id}",
    response=reading(ProvisionOut),
    summary="A provision: its deadline, where it stands against it, and how far it is implemented",
)
def provision(request, provision_id: Id):
    get(Provision, provision_id, "provision")
    return _provisions(request, Provision.objects.filter(id=provision_id))[0]


@router.post(
    "/provisions/{provision_id}/interpretations",
    response=writing(InterpretationOut, 201),
    summary="Record a reading of a provision",
)
def add_interpretation(request, provision_id: Id, payload: InterpretationIn):
    return Status(201, commands.add_interpretation(request.auth, provision_id, payload.data()))


@router.get(
    "/agreements/{agreement_id}/implementation",
    response=reading(RollupOut),
    summary="How far the agreement is implemented: the share of its provisions at each level, overall and by theme, over time",
)
def agreement_implementation(request, agreement_id: Id):
    agreement = get(Agreement, agreement_id, "agreement")
    if not audience.reads(reader(request), "agreed_status"):
        raise Forbidden(_("The committee's implementation statuses are read by the parties and the observers."))
    return rollup_out(agreement, queries.rollup(agreement, queries.today()))


@router.post(
    "/provisions/{provision_id}/condition",
    response=writing(ConditionOut, 201),
    summary="Record the event the provision's deadline depends on, and how it stands (the facilitator)",
)
def record_provision_condition(request, provision_id: Id, payload: ConditionIn):
    return Status(201, commands.record_condition(request.auth, provision_id, payload.data()))


def _assessment(request, assessment_id: int) -> Assessment:
    """An assessment the caller may read (the parties'); a 404 otherwise, as if it did not exist."""
    found = get(Assessment, assessment_id, "assessment")
    if not audience.reads(reader(request), "assessment"):
        raise NotFound(
            _("%(field)s %(value)s does not exist") % {"field": "assessment", "value": assessment_id}, "assessment"
        )
    return found


@router.get(
    "/provisions/{provision_id}/assessments",
    response=reading(list[AssessmentOut]),
    summary="Every assessment put forward on a provision, agreed or not, newest first (the parties')",
)
def provision_assessments(request, provision_id: Id):
    provision = get(Provision, provision_id, "provision")
    qs = audience.rows(reader(request), "assessment", provision.assessments.order_by("-as_of", "-id"))
    return list(qs.prefetch_related("positions"))


@router.post(
    "/provisions/{provision_id}/assessments",
    response=writing(AssessmentOut, 201),
    summary="Put forward an assessment of how far a provision is implemented; it is the committee's once every party approves",
)
def propose_assessment(request, provision_id: Id, payload: AssessmentIn):
    return Status(201, commands.propose_assessment(request.auth, provision_id, payload.data()))


@router.get(
    "/assessments/{assessment_id}", response=reading(AssessmentOut), summary="An assessment and every party's position"
)
def assessment(request, assessment_id: Id):
    return _assessment(request, assessment_id)


@router.post(
    "/assessments/{assessment_id}/positions",
    response=writing(AssessmentOut),
    summary="The position of the caller's party on an assessment, given by whoever speaks for it",
)
def take_assessment_position(request, assessment_id: Id, payload: PositionIn):
    return commands.take_position(request.auth, assessment_id, payload.data())
