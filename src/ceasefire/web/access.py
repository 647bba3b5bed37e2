"""Which forms to show to whom. Display only: the commands decide, and a forged POST still meets them.

The questions are the commands' own (ceasefire.mechanism.permissions), asked once per request.
"""

from functools import cached_property

from ceasefire.mechanism import permissions
from ceasefire.mechanism.accounts import actor_for


class Can:
    """What the signed-in actor may be offered."""

    def __init__(self, actor):
        self.actor = actor

    @cached_property
    def facilitate(self) -> bool:
        return permissions.facilitates(self.actor)

    @cached_property
    def speak(self) -> bool:
        """Speaks for a party: gives its positions and its readings."""
        return permissions.speaks(self.actor)

    @cached_property
    def interpret(self) -> bool:
        return permissions.may_interpret(self.actor)

    def speak_on_participation(self, party) -> bool:
        return permissions.may_speak_on_participation(self.actor, party.code)

    def update_action(self, item) -> bool:
        return permissions.may_update_action(self.actor, item.owner_party_id)

    def register_witness_key(self, party_code: str | None) -> bool:
        return permissions.may_register_witness_key(self.actor, party_code)

    @property
    def party(self) -> str:
        return self.actor.party if self.actor else ""

    @cached_property
    def party_name(self) -> str:
        from ceasefire.mechanism.models import Party

        party = Party.objects.filter(code=self.party).first() if self.party else None
        return party.text("name") if party else ""


def can_for(request) -> Can:
    if not hasattr(request, "_ceasefire_can"):
        request._ceasefire_can = Can(actor_for(getattr(request, "user", None)))
    return request._ceasefire_can
