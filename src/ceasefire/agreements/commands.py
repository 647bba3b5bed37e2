"""Recording an agreement, its provisions and the readings of them."""

from django.db.models import Max
from django.utils.translation import gettext as _

from ceasefire import validate as v
from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.mechanism.commands import get, mechanism, require_facilitator
from ceasefire.mechanism.models import Party
from ceasefire.mechanism.permissions import facilitates, speaks
from ceasefire.record.log import Actor, append, command

from .models import Agreement, CommitteeRole, Interpretation, Kind, Provision


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
        "kind": v.choice(data.get("kind") or Kind.ITEM, "kind", Kind.values),
        **v.bilingual(data, "text", max_length=20000, required=True),
        "category": v.text(data.get("category"), "category", max_length=60),
        "deadline_on": v.iso(deadline_on),
        "deadline_months": months,
        **v.bilingual(data, "deadline", max_length=300),
        **v.bilingual(data, "implementer", max_length=300),
        "committee_role": v.choice(
            data.get("committee_role") or CommitteeRole.MONITORS, "committee_role", CommitteeRole.values
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
