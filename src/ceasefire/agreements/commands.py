"""Recording an agreement, its provisions, the readings of them, and how far each is implemented."""

from django.db.models import Max
from django.utils.translation import gettext as _

from ceasefire import days
from ceasefire import validate as v
from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.mechanism import consensus
from ceasefire.mechanism.commands import describe, get, mechanism, require_facilitator, speaker_refusal, today
from ceasefire.mechanism.models import Party
from ceasefire.mechanism.permissions import facilitates, may_assess, speaks
from ceasefire.record import log
from ceasefire.record.log import Actor, append, command

from .models import (
    Agreement,
    Assessment,
    CommitteeRole,
    Condition,
    ConditionStatus,
    Interpretation,
    Kind,
    Provision,
    Status,
)


@command
def record_agreement(actor: Actor, data: dict) -> Agreement:
    require_facilitator(actor)
    mechanism()
    payload = {
        **v.bilingual(data, "title", max_length=300, required=True),
        "signed_on": v.iso(v.date(data.get("signed_on"), "signed_on")),
        **v.bilingual(data, "place", max_length=200),
        **v.bilingual(data, "signatories", max_length=5000),
        **v.bilingual(data, "witnesses", max_length=5000),
        **v.bilingual(data, "text", max_length=200000),
        **v.bilingual(data, "note", max_length=5000),
        "source": v.text(data.get("source"), "source", max_length=2000),
    }
    return Agreement.objects.get(id=append("agreement.recorded", payload, actor).seq)


@command
def add_provision(actor: Actor, agreement_id, data: dict) -> Provision:
    require_facilitator(actor)
    agreement = get(Agreement, agreement_id, "agreement")
    number = v.text(data.get("number"), "number", max_length=20, required=True)
    if agreement.provisions.filter(number=number).exists():
        raise Conflict(_("this agreement already has a provision numbered %(n)s") % {"n": number}, "number")
    deadline_on = v.date(data.get("deadline_on"), "deadline_on")
    months = v.integer(data.get("deadline_months"), "deadline_months", minimum=0, maximum=600, required=False)
    if deadline_on and months is not None:
        raise Invalid(_("give the deadline as a date or as months from signature, not both"), "deadline_months")
    if months is not None and not agreement.signed_on:
        raise Invalid(_("the agreement has no signature date to count months from"), "deadline_months")
    order = (agreement.provisions.aggregate(n=Max("order"))["n"] or 0) + 1
    payload = {
        "agreement": agreement.id,
        "order": order,
        "number": number,
        "kind": v.choice(data.get("kind") or Kind.ITEM, "kind", Kind),
        **v.bilingual(data, "text", max_length=20000, required=True),
        "category": v.text(data.get("category"), "category", max_length=60),
        "deadline_on": v.iso(deadline_on),
        "deadline_months": months,
        **v.bilingual(data, "deadline", max_length=300),
        **v.bilingual(data, "implementer", max_length=300),
        "committee_role": v.choice(
            data.get("committee_role") or CommitteeRole.MONITORS, "committee_role", CommitteeRole
        ),
        "source": v.text(data.get("source"), "source", max_length=2000),
    }
    return Provision.objects.get(id=append("provision.added", payload, actor).seq)


@command
def add_interpretation(actor: Actor, provision_id, data: dict) -> Interpretation:
    """A reading of a provision, saying who states it and who recorded it. A party's speaker records
    its own party's reading; the facilitator records a reading in a party's name (`party`) or names
    whoever else holds it (`held_by`), and the record says the facilitator recorded it."""
    provision = get(Provision, provision_id, "provision")
    code = v.text(data.get("party"), "party", max_length=32)
    party = get(Party, code, "party") if code else None
    if facilitates(actor):
        recorded_by = Interpretation.FACILITATOR
        held_by = v.bilingual(data, "held_by", max_length=300)
        if party is None and not (held_by["held_by_ar"] or held_by["held_by_en"]):
            raise Invalid(_("name who holds this reading, or the party in whose name it is stated"), "held_by")
    elif speaks(actor):
        if party is not None and party.code != actor.party:
            raise Forbidden(_("A party's speaker records its own party's reading only."), "party")
        recorded_by = Interpretation.PARTY
        party = get(Party, actor.party, "party")
    else:
        raise Forbidden(_("Only the facilitator or whoever speaks for a party may record a reading."))
    if party is not None:
        held_by = {"held_by_ar": party.name_ar, "held_by_en": party.name_en}
    payload = {
        "provision": provision.id,
        "party": party.code if party else None,
        "recorded_by": recorded_by,
        **held_by,
        **v.bilingual(data, "reading", max_length=10000, required=True),
        "source": v.text(data.get("source"), "source", max_length=2000),
    }
    return Interpretation.objects.get(id=append("provision.interpretation_added", payload, actor).seq)


# ---------------------------------------------------------------- implementation


def _status(value) -> str:
    """A status as the API (a number 0 to 3, or a name) or a form (text) sends it."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 3:
        return str(value)
    return v.choice(
        value.strip() if isinstance(value, str) else value if value is None else str(value), "status", Status
    )


def _evidence(value) -> list[str]:
    """Links to what the assessment rests on: a list of http(s) addresses."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise Invalid(_("must be a list of links"), "evidence")
    if len(value) > 20:
        raise Invalid(_("at most %(n)d links") % {"n": 20}, "evidence")
    links = []
    for i, link in enumerate(value):
        link = v.text(link, f"evidence[{i}]", max_length=2000, required=True)
        if not link.startswith(("https://", "http://")) or any(c.isspace() for c in link):
            raise Invalid(_("must be a link beginning with https:// or http://"), f"evidence[{i}]")
        links.append(link)
    return links


def assessment_refusal(actor: Actor):
    """Why `actor` may not put forward an assessment now (the error to raise), or None: the
    facilitator, or a party's speaker while its party takes part. The pages ask it too."""
    if facilitates(actor):
        return None
    if not may_assess(actor):
        return Forbidden(_("Only the facilitator or whoever speaks for a party may put forward an assessment."))
    return speaker_refusal(actor)


@command
def propose_assessment(actor: Actor, provision_id, data: dict) -> Assessment:
    """An assessment of how far a provision is implemented as of a day, put forward by the
    facilitator or by a party's speaker, in its party's name: a party's assessment is also its
    party's approval of it (its projector records the position). It becomes the committee's when
    every party approves it (parity.consensus_waits); until then it stands beside any other."""
    provision = get(Provision, provision_id, "provision")
    refusal = assessment_refusal(actor)
    if refusal is not None:
        raise refusal
    status = _status(data.get("status"))
    as_of = v.date(data.get("as_of"), "as_of", required=True)
    if as_of > days.latest_today():
        raise Invalid(_("must not be after today: an assessment says how things stand, not how they will"), "as_of")
    signed_on = provision.agreement.signed_on
    if signed_on and as_of < signed_on:
        raise Invalid(
            _("must not be before the agreement was signed (%(day)s)") % {"day": signed_on.isoformat()}, "as_of"
        )
    payload = {
        "provision": provision.id,
        "party": None if facilitates(actor) else actor.party,
        "status": status,
        "as_of": as_of.isoformat(),
        **v.bilingual(data, "reasoning", max_length=10000, required=True),
        "evidence": _evidence(data.get("evidence")),
        "source": v.text(data.get("source"), "source", max_length=2000),
    }
    assessment = Assessment.objects.get(id=append("assessment.proposed", payload, actor).seq)
    if payload["party"]:  # a party puts forward what it approves: with one party, that is consensus
        _agree_if_complete(actor, assessment)
        assessment.refresh_from_db()
    return assessment


def position_refusal(actor: Actor, assessment: Assessment):
    """Why `actor` may not give its party's position on `assessment` now (the error to raise), or
    None. The provision's page asks it too, to offer the form or not."""
    return consensus.position_refusal(
        actor, assessment.agreed, _("This assessment is the committee's; its positions can no longer change.")
    )


@command
def take_position(actor: Actor, assessment_id, data: dict) -> Assessment:
    """The position of the actor's party on an assessment, as on a decision. The position that
    completes every party's approval makes it the committee's, in the same command."""
    assessment = get(Assessment, assessment_id, "assessment")
    refusal = position_refusal(actor, assessment)
    if refusal is not None:
        raise refusal
    payload = consensus.position_payload(actor, "assessment", assessment.id, data)
    append("assessment.position_taken", payload, actor)
    _agree_if_complete(actor, assessment)
    assessment.refresh_from_db()
    return assessment


def waiting_for(assessment: Assessment) -> list[str]:
    """What `assessment` waits for before it is the committee's, in the reader's language."""
    return describe(assessment.waits(today()))


def _agree_if_complete(actor: Actor, assessment: Assessment) -> None:
    """The record states that the committee agreed, with what it agreed: observers, who do not
    read the proposals, read the committee's status from this entry alone; replay applies it as
    it says, whatever the rule is by then."""
    if assessment.agreed or assessment.waits(today()):
        return
    a = assessment
    append(
        "assessment.agreed",
        {
            "assessment": a.id,
            "provision": a.provision_id,
            "status": a.status,
            "as_of": a.as_of.isoformat(),
            "reasoning_ar": a.reasoning_ar,
            "reasoning_en": a.reasoning_en,
            "evidence": a.evidence,
            "source": a.source,
        },
        log.COMMITTEE,
    )


def agree_completed(actor: Actor) -> None:
    """After a party's return: every assessment that waited only for it becomes the committee's."""
    for assessment in Assessment.objects.filter(agreed=False).order_by("id"):
        _agree_if_complete(actor, assessment)


@command
def record_condition(actor: Actor, provision_id, data: dict) -> Condition:
    """The event a provision's deadline depends on, and how that event stands, as the facilitator
    records it with its source. Recorded again when it changes; the history stays."""
    require_facilitator(actor)
    provision = get(Provision, provision_id, "provision")
    payload = {
        "provision": provision.id,
        **v.bilingual(data, "condition", max_length=2000, required=True),
        "status": v.choice(data.get("status") or ConditionStatus.UNKNOWN, "status", ConditionStatus),
        "as_of": v.iso(v.date(data.get("as_of"), "as_of")),
        "source": v.text(data.get("source"), "source", max_length=2000),
    }
    if payload["as_of"] and payload["as_of"] > days.latest_today().isoformat():
        raise Invalid(_("must not be after today"), "as_of")
    return Condition.objects.get(id=append("provision.condition_recorded", payload, actor).seq)
