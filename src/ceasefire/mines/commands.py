"""Recording a contaminated area, reporting its clearance, and asking the chain to verify a
clearance report. Each step has one refusal function; the command raises it, pages and API ask it."""

from django.utils.translation import gettext as _

from ceasefire import claims
from ceasefire import validate as v
from ceasefire.forces import commands as forces
from ceasefire.incidents import verifying
from ceasefire.mechanism.commands import get, mechanism
from ceasefire.record.log import Actor, append, command

from .models import Area, Clearance, Cleared
from .verification import CLEARANCE

VERIFICATION_CATEGORY = "protected-road"  # the default category a verification is filed under

# As for foreign forces and exchanges: a party's delegation, a monitor or the facilitator; observers read.


def claim_refusal(actor: Actor | None):
    """Who records claims here: forces.claim_refusal's rule, in this subject's words."""
    return forces.claim_refusal(
        actor, _("Only a party's delegation, a monitor or the facilitator records claims about mine action.")
    )


def _refuse(refusal) -> None:
    if refusal is not None:
        raise refusal


@command
def record_area(actor: Actor, data: dict) -> Area:
    """An area contaminated by mines or explosive remnants of war: its name, where, its source."""
    _refuse(claim_refusal(actor))
    mechanism()
    payload = {
        **v.bilingual(data, "name", max_length=200, required=True),
        **claims.place(data, required=False),
        **v.bilingual(data, "description", max_length=5000),
        "source": claims.source(data),
    }
    return Area.objects.get(id=append("mine.area_recorded", payload, actor).seq)


@command
def report_clearance(actor: Actor, area_id, data: dict) -> Clearance:
    """That an area was partly or wholly cleared by a day, and what the source says was cleared."""
    _refuse(claim_refusal(actor))
    area = get(Area, area_id, "area")
    payload = {
        "area": area.id,
        "status": v.choice(data.get("status"), "status", Cleared),
        "as_of": claims.day(data, "as_of").isoformat(),
        **v.bilingual(data, "extent", max_length=2000),
        "source": claims.source(data),
        "claimed_by": claims.claimed_by(actor),
    }
    return Clearance.objects.get(id=append("mine.clearance_reported", payload, actor).seq)


def verification_refusal(actor: Actor | None, clearance: Clearance):
    """Asking the chain to verify a clearance report (incidents.verifying)."""
    underway = _("This clearance is verified or being verified: %(ref)s.")
    return verifying.refusal(
        actor,
        CLEARANCE,
        clearance.id,
        "clearance",
        forbidden=_("Only a party's delegation or the facilitator asks for a clearance to be verified."),
        concluded=underway,
        underway=underway,
    )


@command
def request_verification(actor: Actor, clearance_id, data: dict):
    """File the report through which the chain verifies the clearance."""
    clearance = get(Clearance, clearance_id, "clearance")
    _refuse(verification_refusal(actor, clearance))
    area = clearance.area

    def texts():
        facts = {"ref": clearance.reference, "area": area.text("name")}
        return (
            _("Verification of clearance %(ref)s of %(area)s") % facts,
            _("Claimed: %(area)s %(status)s as of %(day)s. Claim: clearance %(ref)s.")
            % {**facts, "status": Cleared(clearance.status).label, "day": clearance.as_of.isoformat()},
        )

    return verifying.request(
        actor,
        (CLEARANCE, clearance.id),
        data,
        category=VERIFICATION_CATEGORY,
        texts=texts,
        day=clearance.as_of,
        where=area,
        source=verifying.source(clearance.claimed_by_id),
    )
