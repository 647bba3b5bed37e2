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
