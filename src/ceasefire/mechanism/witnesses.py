"""Each party's witness, and the mission's, as the committee follows them: the keys each holder
registered in the record, and how far its current key has cosigned the record's checkpoints.
Read by the dashboard and the record's pages; a key retired no longer speaks for its holder."""

import datetime as dt
from dataclasses import dataclass, field

from ceasefire.record import checkpoints, log
from ceasefire.record.models import Checkpoint, Cosignature

from .models import Mechanism, Party, WitnessKey


@dataclass
class Holder:
    """A party, or the mission (party None), with its witness keys and what they cosigned.

    Its state is that of its current key alone: a key it retired no longer speaks for it. What the
    retired keys last cosigned is kept apart (`retired_newest`), since it stays checkable.
    """

    party: Party | None
    keys: list = field(default_factory=list)  # every key it registered, oldest first
    newest: Checkpoint | None = None  # the newest checkpoint its current key cosigned
    cosigned_at: dt.datetime | None = None  # the time its witness put on that cosignature
    behind: int = 0  # events in the record that its current key's newest cosignature does not cover
    first: bool = False  # that newest cosignature is also the first its current key made
    retired_newest: Checkpoint | None = None  # the newest checkpoint one of its retired keys cosigned
    retired_cosigned_at: dt.datetime | None = None

    @property
    def code(self) -> str:
        return self.party.code if self.party else ""

    @property
    def anchor(self) -> str:
        return f"witness-{self.party.code}" if self.party else "witness-mission"

    @property
    def active(self):
        return next((k for k in reversed(self.keys) if k.active), None)

    @property
    def retired(self):
        return [k for k in reversed(self.keys) if not k.active]

    @property
    def state(self) -> str:
        """no-key: no current key; never: a first key, no cosignature yet; new-key: a key that
        replaced another, no cosignature yet; first: its only cosignature so far, covering the
        whole record; current; behind."""
        if self.active is None:
            return "no-key"
        if self.newest is None:
            return "new-key" if self.retired else "never"
        if self.behind:
            return "behind"
        return "first" if self.first else "current"

    def covers(self, seq: int) -> bool:
        """Has its current key cosigned a checkpoint that contains event `seq`?"""
        return self.newest is not None and self.newest.size > seq

    def retired_covers(self, seq: int) -> bool:
        return self.retired_newest is not None and self.retired_newest.size > seq


def _newest_cosignature(key):
    # Newest first along the (checkpoint, name, key_id) index: the cosignature of a witness that
    # keeps up is among the first rows read.
    return (
        Cosignature.objects.filter(name=key.name, key_id=key.key_id)
        .select_related("checkpoint")
        .order_by("-checkpoint_id")
        .first()
    )


def _signed_at(cosignature) -> dt.datetime:
    return dt.datetime.fromtimestamp(cosignature.timestamp, dt.UTC)


def witnesses(size: int | None = None) -> list[Holder]:
    """Every party in order, then the mission: their keys, current and retired, and what they cosigned.

    The holder's state follows its current key. A retired key's cosignatures stay signed and are
    shown apart, never as the holder's present state: the witness must cosign again with its new key.
    """
    if size is None:
        size = log.size()
    mechanism = Mechanism.current()
    parties = list(mechanism.parties.order_by("order")) if mechanism else []
    holders = [Holder(p) for p in parties] + [Holder(None)]
    to_cosign = checkpoints.news_end(size)  # the entries recording cosignatures are no news to cosign
    by_code = {h.code: h for h in holders}
    for key in WitnessKey.objects.order_by("id"):
        holder = by_code.get(key.party_id or "")
        if holder is not None:
            holder.keys.append(key)
    for holder in holders:  # a query or two per key: a handful
        active = holder.active
        if active is not None:
            newest = _newest_cosignature(active)
            if newest is not None:
                holder.newest = newest.checkpoint
                holder.cosigned_at = _signed_at(newest)
                holder.behind = max(to_cosign - newest.checkpoint_id, 0)
                earliest = (
                    Cosignature.objects.filter(name=active.name, key_id=active.key_id)
                    .order_by("checkpoint_id")
                    .values_list("checkpoint_id", flat=True)
                    .first()
                )
                holder.first = earliest == newest.checkpoint_id
        found = [c for c in (_newest_cosignature(k) for k in holder.retired) if c is not None]
        if found:
            newest = max(found, key=lambda c: c.checkpoint_id)
            holder.retired_newest = newest.checkpoint
            holder.retired_cosigned_at = _signed_at(newest)
    return holders
