"""Recording a detainee exchange, the numbers claimed of it, the people exchanged (their identities
into the vault), and asking the chain to verify it. Each step has one refusal function (why `actor`
may not take it now, or None): the command raises it, the pages and the API ask it."""

from django.utils.translation import gettext as _

from ceasefire import claims
from ceasefire import validate as v
from ceasefire.errors import Invalid
from ceasefire.forces import commands as forces
from ceasefire.incidents import vault, verifying
from ceasefire.mechanism.commands import get, mechanism, require_facilitator
from ceasefire.mechanism.models import Party
from ceasefire.record.log import Actor, append, command

from .models import Exchange, Identity, Numbers, Person
from .verification import EXCHANGE

VERIFICATION_CATEGORY = "arbitrary-arrest"  # the typology's category a verification is filed under by default

# Who records an exchange and claims its numbers: as for foreign forces, a party's delegation, a
# monitor or the facilitator; observers read.


def claim_refusal(actor: Actor | None):
    """Who records claims here: forces.claim_refusal's rule, in this subject's words."""
    return forces.claim_refusal(
        actor, _("Only a party's delegation, a monitor or the facilitator records claims about detainee exchanges.")
    )


def _refuse(refusal) -> None:
    if refusal is not None:
        raise refusal


@command
def record_exchange(actor: Actor, data: dict) -> Exchange:
    """An exchange of detainees: the day, the place, the mediators, the source."""
    _refuse(claim_refusal(actor))
    mechanism()
    payload = {
        "happened_on": claims.day(data, "happened_on").isoformat(),
        **claims.place(data, required=True),
        **v.bilingual(data, "mediators", max_length=300),
        "source": claims.source(data),
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
        count = claims.count({"n": n}, "n")
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
    total = claims.count(data, "total")
    if not released and total is None:
        raise Invalid(_("give how many each side released, or the total"), "released")
    if total is not None and released and total != sum(released.values()):
        raise Invalid(_("must be the sum of the sides' numbers, or be left out"), "total")
    payload = {
        "exchange": exchange.id,
        "released": released,
        "total": total,
        "source": claims.source(data),
        "claimed_by": claims.claimed_by(actor),
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
    vault.keep(Identity, event, actor, identity, salt, commitment)
    return Person.objects.get(id=event.seq)


def identity(actor: Actor, person: Person) -> Identity | None:
    """Who a person exchanged is: the facilitator's to read, nobody else's."""
    require_facilitator(actor)
    return Identity.objects.filter(commitment=person.commitment).first()


def verification_refusal(actor: Actor | None, exchange: Exchange):
    """Asking the chain to verify an exchange (incidents.verifying)."""
    return verifying.refusal(
        actor,
        EXCHANGE,
        exchange.id,
        "exchange",
        forbidden=_("Only a party's delegation or the facilitator asks for an exchange to be verified."),
        concluded=_("This exchange's verification is concluded: %(ref)s."),
        underway=_("This exchange is being verified already: %(ref)s."),
    )


@command
def request_verification(actor: Actor, exchange_id, data: dict):
    """File the report through which the chain verifies the exchange; its findings carry the
    number of people the joint team counted."""
    exchange = get(Exchange, exchange_id, "exchange")
    _refuse(verification_refusal(actor, exchange))

    def texts():
        # The exchange by its reference only: the people stay in the vault.
        facts = {"ref": exchange.reference, "place": exchange.text("place")}
        return (
            _("Verification of exchange %(ref)s at %(place)s") % facts,
            _("Claimed: an exchange of detainees at %(place)s on %(day)s. Claim: exchange %(ref)s.")
            % {**facts, "day": exchange.happened_on.isoformat()},
        )

    return verifying.request(
        actor,
        (EXCHANGE, exchange.id),
        data,
        category=VERIFICATION_CATEGORY,
        texts=texts,
        day=exchange.happened_on,
        where=exchange,
        source=verifying.source(actor.party),
    )
