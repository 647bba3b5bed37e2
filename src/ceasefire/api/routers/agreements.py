"""The agreement the committee oversees: its provisions and the rival readings of them."""

from ninja import Router, Status

from ceasefire.agreements import commands
from ceasefire.agreements.models import Agreement, Provision
from ceasefire.mechanism.commands import get

from ..common import Id, SearchText, matching, reading, writing
from ..schemas import (
    AgreementIn,
    AgreementOut,
    AgreementSummary,
    InterpretationIn,
    InterpretationOut,
    ProvisionIn,
    ProvisionOut,
)

router = Router(tags=["agreements"])


def _provisions(qs):
    return list(qs.select_related("agreement").prefetch_related("interpretations"))


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
    rows = _provisions(get(Agreement, agreement_id, "agreement").provisions.all())
    return matching(rows, q, lambda p: (p.number, p.text_ar, p.text_en, p.implementer_ar, p.implementer_en,
                                        p.deadline_ar, p.deadline_en, p.category))


@router.post("/agreements/{agreement_id}/provisions", response=writing(ProvisionOut, 201), summary="Add a provision")
def add_provision(request, agreement_id: Id, payload: ProvisionIn):
    return Status(201, commands.add_provision(request.auth, agreement_id, payload.data()))


@router.get("/provisions/{provision_id}", response=reading(ProvisionOut))
def provision(request, provision_id: Id):
    return get(Provision, provision_id, "provision")


@router.post(
    "/provisions/{provision_id}/interpretations",
    response=writing(InterpretationOut, 201),
    summary="Record a reading of a provision",
)
def add_interpretation(request, provision_id: Id, payload: InterpretationIn):
    return Status(201, commands.add_interpretation(request.auth, provision_id, payload.data()))
