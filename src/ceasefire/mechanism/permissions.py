"""Who may do what on the committee. The commands enforce these; the pages ask the same
questions to decide which forms to offer, so the two can never disagree."""

from ceasefire.record.log import Actor

from .accounts import speaks_for_party
from .models import Role

SEATED_ROLES = (Role.HEAD, Role.MEMBER)


def facilitates(actor: Actor | None) -> bool:
    """The facilitator keeps the secretariat: meetings, decisions put forward, the roster, agreements."""
    return bool(actor) and actor.role == Role.FACILITATOR


def speaks(actor: Actor | None) -> bool:
    """Speaks for a party: its head of delegation, or whoever the party designates."""
    return bool(actor) and bool(actor.party) and speaks_for_party(actor)


def may_speak_on_participation(actor: Actor | None, party_code: str) -> bool:
    """Suspending or resuming a party's participation: the facilitator, or that party's speaker."""
    return facilitates(actor) or (speaks(actor) and actor.party == party_code)


def may_interpret(actor: Actor | None) -> bool:
    """Recording a reading of a provision: the facilitator (naming who holds it) or a party's speaker."""
    return facilitates(actor) or speaks(actor)


def may_assess(actor: Actor | None) -> bool:
    """Putting forward an assessment of how far a provision is implemented: the facilitator, or a
    party's speaker in its party's name. It becomes the committee's only when every party approves."""
    return facilitates(actor) or speaks(actor)


def may_update_action(actor: Actor | None, owner_party_code: str | None) -> bool:
    """An action item's progress: the facilitator, or the delegation of the party that owns it
    (which may not close it alone: see commands.set_action_status)."""
    return facilitates(actor) or (
        bool(actor) and bool(owner_party_code) and actor.party == owner_party_code and actor.role in SEATED_ROLES
    )


def may_register_witness_key(actor: Actor | None, party_code: str | None) -> bool:
    """A party's witness key: that party's own speaker, never anyone else (the key is the party's
    commitment). The mission's witness (no party): the facilitator."""
    if party_code:
        return speaks(actor) and actor.party == party_code
    return facilitates(actor)


def audience(actor: Actor | None) -> str:
    """Which of the record's audiences (record.log.AUDIENCES) a reader belongs to: what entries
    they may read in full; of the others they get the leaf hash only."""
    if actor is None:
        return "public"
    if actor.role == Role.OBSERVER:
        return "observers"
    return "parties"
