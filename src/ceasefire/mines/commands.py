"""Recording a contaminated area, reporting its clearance, and asking the chain to verify a
clearance report. Each step has one refusal function; the command raises it, pages and API ask it."""

from django.utils.translation import gettext as _
from django.utils.translation import override

from ceasefire import validate as v
from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.forces import commands as forces
from ceasefire.incidents import chain
from ceasefire.incidents import commands as incidents
from ceasefire.incidents.models import Category, SourceType
from ceasefire.mechanism.commands import get, mechanism
from ceasefire.mechanism.models import Role
from ceasefire.mechanism.permissions import facilitates
from ceasefire.record.log import Actor, append, command

from .models import Area, Clearance, Cleared

CLEARANCE = "clearance"
VERIFICATION_CATEGORY = "protected-road"  # the default category a verification is filed under

# As for foreign forces and exchanges: a party's delegation, a monitor or the facilitator; observers read.
claim_refusal = forces.claim_refusal


def _note(note: dict, lang: str) -> str:
    """The requester's note to the joint team, in the narrative's language if given in it."""
    text = note[f"note_{lang}"] or note["note_en"] or note["note_ar"]
    return "\n\n" + text if text else ""


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
        **forces._place(data, required=False),
        **v.bilingual(data, "description", max_length=5000),
        "source": forces._source(data),
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
        "as_of": forces._day(data, "as_of").isoformat(),
        **v.bilingual(data, "extent", max_length=2000),
        "source": forces._source(data),
        "claimed_by": forces._claimed_by(actor),
    }
    return Clearance.objects.get(id=append("mine.clearance_reported", payload, actor).seq)


def verification_refusal(actor: Actor | None, clearance: Clearance):
    """Asking the chain to verify a clearance report: the facilitator or a party's delegation, when
    no verification of it is open and none concluded."""
    if not actor or not (facilitates(actor) or actor.role in (Role.HEAD, Role.MEMBER)):
        return Forbidden(_("Only a party's delegation or the facilitator asks for a clearance to be verified."))
    if actor.role in (Role.HEAD, Role.MEMBER):
        refusal = incidents._suspension(actor.party)
        if refusal is not None:
            return refusal
    for r in incidents.verifications(CLEARANCE, clearance.id):
        if r.status == chain.CONCLUDED or not r.closed:
            return Conflict(
                _("This clearance is verified or being verified: %(ref)s.") % {"ref": r.reference}, "clearance"
            )
    return None


@command
def request_verification(actor: Actor, clearance_id, data: dict):
    """File the report through which the chain verifies the clearance: triage, a joint team with
    every party, its findings, sign-off by every party and the facilitator or dissent."""
    clearance = get(Clearance, clearance_id, "clearance")
    _refuse(verification_refusal(actor, clearance))
    category = v.text(data.get("category"), "category", max_length=40) or VERIFICATION_CATEGORY
    if not Category.objects.filter(code=category, retired=False).exists():
        raise Invalid(_("%(value)s is not a category of this mechanism's typology") % {"value": category}, "category")
    area = clearance.area
    note = v.bilingual(data, "note", max_length=5000)
    texts = {}
    for lang in ("ar", "en"):
        with override(lang):
            name = getattr(area, f"name_{lang}") or area.name_en or area.name_ar
            texts[f"title_{lang}"] = _("Verification of clearance %(ref)s of %(area)s") % {
                "ref": clearance.reference,
                "area": name,
            }
            texts[f"narrative_{lang}"] = _("Claimed: %(area)s %(status)s as of %(day)s. Claim: clearance %(ref)s.") % {
                "area": name,
                "status": Cleared(clearance.status).label,
                "day": clearance.as_of.isoformat(),
                "ref": clearance.reference,
            } + _note(note, lang)
    report_data = {
        **texts,
        "category": category,
        "occurred_at": clearance.as_of.isoformat(),
        "latitude": area.latitude,
        "longitude": area.longitude,
        "geo_precision": 1 if area.latitude is not None else None,
        "place_ar": area.place_ar,
        "place_en": area.place_en,
    }
    source = (
        (SourceType.DELEGATION, clearance.claimed_by_id) if clearance.claimed_by_id else (SourceType.UN_MONITOR, None)
    )
    return incidents.file_verification(actor, report_data, (CLEARANCE, clearance.id), source)
