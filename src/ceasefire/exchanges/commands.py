"""Recording a detainee exchange, the numbers claimed of it, the people exchanged (their identities
into the vault), and asking the chain to verify it. Each step has one refusal function (why `actor`
may not take it now, or None): the command raises it, the pages and the API ask it."""

from django.utils.translation import gettext as _
from django.utils.translation import override

from ceasefire import validate as v
from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.forces import commands as forces
from ceasefire.incidents import chain, vault
from ceasefire.incidents import commands as incidents
from ceasefire.incidents.models import Category, SourceType
from ceasefire.mechanism.commands import get, mechanism, require_facilitator
from ceasefire.mechanism.models import Party, Role
from ceasefire.mechanism.permissions import facilitates
from ceasefire.record.log import Actor, append, command

from .models import Exchange, Identity, Numbers, Person

EXCHANGE = "exchange"  # the kind of subject an exchange's verification report carries
VERIFICATION_CATEGORY = "arbitrary-arrest"  # the typology's category a verification is filed under by default

# Who records an exchange and claims its numbers: as for foreign forces, a party's delegation, a
# monitor or the facilitator; observers read.
claim_refusal = forces.claim_refusal


def _note(note: dict, lang: str) -> str:
    """The requester's note to the joint team, in the narrative's language if given in it."""
    text = note[f"note_{lang}"] or note["note_en"] or note["note_ar"]
    return "\n\n" + text if text else ""


def _refuse(refusal) -> None:
    if refusal is not None:
        raise refusal


@command
def record_exchange(actor: Actor, data: dict) -> Exchange:
    """An exchange of detainees: the day, the place, the mediators, the source."""
    _refuse(claim_refusal(actor))
    mechanism()
    payload = {
        "happened_on": forces._day(data, "happened_on").isoformat(),
        **forces._place(data, required=True),
        **v.bilingual(data, "mediators", max_length=300),
        "source": forces._source(data),
    }
    return Exchange.objects.get(id=append("exchange.recorded", payload, actor).seq)


def _released(value) -> dict:
    if value in (None, "", {}):
        return {}
    if not isinstance(value, dict):
        raise Invalid(_("must give, for each party, how many its side released"), "released")
    parties = set(Party.objects.values_list("code", flat=True))
    out = {}
    for code, n in value.items():
        if code not in parties:
            raise Invalid(_("is not a party of this mechanism"), f"released.{code}")
        count = forces._count({"n": n}, "n")
        if count is None:
            continue
        out[code] = count
    return out


@command
def claim_numbers(actor: Actor, exchange_id, data: dict) -> Numbers:
    """How many each side released, as the actor claims it from its source; or only the total."""
    _refuse(claim_refusal(actor))
    exchange = get(Exchange, exchange_id, "exchange")
    try:
        released = _released(data.get("released"))
    except Invalid as e:
        if e.field == "n":
            e.field = "released"
        raise
    total = forces._count(data, "total")
    if not released and total is None:
        raise Invalid(_("give how many each side released, or the total"), "released")
    if total is not None and released and total != sum(released.values()):
        raise Invalid(_("must be the sum of the sides' numbers, or be left out"), "total")
    payload = {
        "exchange": exchange.id,
        "released": released,
        "total": total,
        "source": forces._source(data),
        "claimed_by": forces._claimed_by(actor),
    }
    return Numbers.objects.get(id=append("exchange.numbers_claimed", payload, actor).seq)


@command
def record_person(actor: Actor, exchange_id, data: dict) -> Person:
    """A person exchanged: the side that released them, and their identity, which goes to the
    vault; the record holds its commitment. The facilitator's to record, as witnesses' identities."""
    require_facilitator(actor)
    exchange = get(Exchange, exchange_id, "exchange")
    side = v.choice(data.get("released_by"), "released_by", list(Party.objects.values_list("code", flat=True)))
    identity = vault.clean(data.get("identity"), "identity")
    salt, commitment = vault.commit(identity)
    event = append(
        "exchange.person_recorded", {"exchange": exchange.id, "released_by": side, "commitment": commitment}, actor
    )
    Identity.objects.create(
        entry=event.seq,
        commitment=commitment,
        salt=salt,
        identity=identity,
        created_by=actor.username,
        created_at=event.time,
    )
    return Person.objects.get(id=event.seq)


def identity(actor: Actor, person: Person) -> Identity | None:
    """Who a person exchanged is: the facilitator's to read, nobody else's."""
    require_facilitator(actor)
    return Identity.objects.filter(commitment=person.commitment).first()


def verification_refusal(actor: Actor | None, exchange: Exchange):
    """Asking the chain to verify an exchange: the facilitator or a party's delegation, when no
    verification of it is open and none concluded."""
    if not actor or not (facilitates(actor) or actor.role in (Role.HEAD, Role.MEMBER)):
        return Forbidden(_("Only a party's delegation or the facilitator asks for an exchange to be verified."))
    if actor.role in (Role.HEAD, Role.MEMBER):
        refusal = incidents._suspension(actor.party)
        if refusal is not None:
            return refusal
    for r in incidents.verifications(EXCHANGE, exchange.id):
        if r.status == chain.CONCLUDED:
            return Conflict(_("This exchange's verification is concluded: %(ref)s.") % {"ref": r.reference}, "exchange")
        if not r.closed:
            return Conflict(_("This exchange is being verified already: %(ref)s.") % {"ref": r.reference}, "exchange")
    return None


@command
def request_verification(actor: Actor, exchange_id, data: dict):
    """File the report through which the chain verifies the exchange: triage, a joint team with
    every party, its findings (with the number of people it counted), sign-off, the committee."""
    exchange = get(Exchange, exchange_id, "exchange")
    _refuse(verification_refusal(actor, exchange))
    category = v.text(data.get("category"), "category", max_length=40) or VERIFICATION_CATEGORY
    if not Category.objects.filter(code=category, retired=False).exists():
        raise Invalid(_("%(value)s is not a category of this mechanism's typology") % {"value": category}, "category")
    note = v.bilingual(data, "note", max_length=5000)
    texts = {}
    for lang in ("ar", "en"):
        with override(lang):
            place = getattr(exchange, f"place_{lang}") or exchange.place_en or exchange.place_ar
            texts[f"title_{lang}"] = _("Verification of exchange %(ref)s at %(place)s") % {
                "ref": exchange.reference,
                "place": place,
            }
            # The exchange by its reference only: the people stay in the vault.
            texts[f"narrative_{lang}"] = _(
                "Claimed: an exchange of detainees at %(place)s on %(day)s. Claim: exchange %(ref)s."
            ) % {
                "place": place,
                "day": exchange.happened_on.isoformat(),
                "ref": exchange.reference,
            } + _note(note, lang)
    report_data = {
        **texts,
        "category": category,
        "occurred_at": exchange.happened_on.isoformat(),
        "latitude": exchange.latitude,
        "longitude": exchange.longitude,
        "geo_precision": 1 if exchange.latitude is not None else None,
        "place_ar": exchange.place_ar,
        "place_en": exchange.place_en,
    }
    source = (SourceType.DELEGATION, actor.party) if actor.party else (SourceType.UN_MONITOR, None)
    return incidents.file_verification(actor, report_data, (EXCHANGE, exchange.id), source)
