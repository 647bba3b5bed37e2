from contextlib import contextmanager

import pytest

from ceasefire.mechanism import commands
from ceasefire.record import note
from ceasefire.record.models import Event, Head


@contextmanager
def refused(error, field=None):
    """The block raises `error` (naming `field`, when given) and leaves the record as it was."""
    before = (Event.objects.count(), Head.objects.get(id=1).size)
    with pytest.raises(error) as caught:
        yield caught
    if field is not None:
        assert caught.value.field == field, caught.value
    assert (Event.objects.count(), Head.objects.get(id=1).size) == before


def register_witnesses(actors, prefix: str = "jmc-") -> dict[str, tuple[str, str]]:
    """The western and eastern witnesses, each with a key of its own registered in the record by
    its party's head. -> party -> (signer key, verifier key)."""
    keys = {}
    for party in ("west", "east"):
        skey, vkey = note.generate_cosigner_key(f"{prefix}{party}-witness")
        commands.register_witness_key(actors[f"{party}-head"], {"party": party, "vkey": vkey})
        keys[party] = (skey, vkey)
    return keys


def hold(meeting, actor=None):
    """Record `meeting` as held with each party's quorum present, as a decision of it needs: the
    seated members already on the roster first, then made-up exercise members in vacant seats."""
    from ceasefire.mechanism.models import Member, Party

    from tests.conftest import FACILITATOR

    actor = actor or FACILITATOR
    present = set(meeting.attendance.values_list("member_id", flat=True))
    for party in Party.objects.order_by("order"):
        seated = list(Member.objects.filter(party=party, seat__isnull=False, tenure_end__isnull=True).order_by("seat"))
        vacant = sorted(set(range(1, party.seats + 1)) - {m.seat for m in seated})
        while len(seated) < party.quorum:
            seat = vacant.pop(0)
            seated.append(commands.appoint_member(
                actor, {"name_latin": f"Exercise member {party.code} {seat} (made up)", "role": "member", "party": party.code, "seat": seat}
            ))
        present |= {m.id for m in seated[: party.quorum]}
    return commands.record_attendance(actor, meeting.id, {"present": sorted(present)})
