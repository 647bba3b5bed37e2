"""register_witness_key: who may register a witness's verifier key, which keys are refused, and
that a party's new key retires its old one. Replay rebuilds the same keys from the record."""

import pytest
from django.utils import translation

from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound
from ceasefire.mechanism import commands
from ceasefire.mechanism.accounts import actor_for, create_account
from ceasefire.mechanism.models import WitnessKey
from ceasefire.record import checkpoints, note, replay
from ceasefire.record.models import Event
from tests.conftest import PASSWORD


def vkey(name="jmc-west-witness"):
    return note.generate_cosigner_key(name)[1]


def register(actor, party, key):
    return commands.register_witness_key(actor, {"party": party, "vkey": key} if party else {"vkey": key})


def test_the_party_speaker_registers_its_witness_key(actors):
    key = vkey()
    before = Event.objects.count()
    w = register(actors["west-head"], "west", key)
    assert Event.objects.count() == before + 1
    event = Event.objects.get(seq=w.id)
    assert event.type == "witness.key_registered" and event.payload == {"party": "west", "vkey": key}
    parsed = note.parse_verifier_key(key)
    assert (w.party_id, w.name, w.key_id, w.vkey) == ("west", parsed.name, parsed.key_id.hex(), key)
    assert w.registered_by == "west-head" and w.registered_at == event.time and w.retired_at is None and w.active


def test_a_designated_member_speaks_for_the_party(actors):
    speaker = actor_for(create_account("west-speaker", PASSWORD, "member", "west", speaks_for_party=True))
    assert register(speaker, "west", vkey()).party_id == "west"


@pytest.mark.parametrize(
    "who, party",
    [
        ("west-member", "west"),  # a delegate who does not speak for the party
        ("east-head", "west"),  # another party's speaker
        ("facilitator", "west"),  # the facilitator does not register a party's key
        ("observer", "west"),
        ("west-head", ""),  # a party's speaker does not register the mission's key
        ("east-member", ""),
        ("observer", ""),
    ],
)
def test_only_the_partys_own_speaker_and_the_facilitator_for_the_mission(actors, who, party):
    before = Event.objects.count()
    with pytest.raises(Forbidden):
        register(actors[who], party, vkey())
    assert Event.objects.count() == before and not WitnessKey.objects.exists()


def test_the_facilitator_registers_the_mission_key(actors):
    w = register(actors["facilitator"], "", vkey("unsmil-witness"))
    assert w.party_id is None and w.active


def test_an_unknown_party_is_not_found(actors):
    with pytest.raises(NotFound) as e:
        register(actors["west-head"], "south", vkey())
    assert e.value.field == "party"


@pytest.mark.parametrize(
    "key, why",
    [
        ("", "required"),
        ("not a key", "verifier key"),
        ("jmc-west-witness+00000000+BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "verifier key"),
        (note.generate_key("jmc-west-witness")[1], "cosignature/v1"),  # a log-type (Ed25519 note) key
    ],
)
def test_what_is_not_a_witness_key_is_refused(actors, key, why):
    with translation.override("en"), pytest.raises(Invalid) as e:
        register(actors["west-head"], "west", key)
    assert e.value.field == "vkey" and why in str(e.value.message)
    assert not WitnessKey.objects.exists()


def test_a_key_altered_in_copying_is_refused_with_what_to_do(actors):
    name, key_id, b64 = note.generate_cosigner_key("jmc-west-witness")[1].split("+", 2)
    altered = f"{name}+{(int(key_id, 16) ^ 1):08x}+{b64}"
    with translation.override("en"), pytest.raises(Invalid) as e:
        register(actors["west-head"], "west", altered)
    assert e.value.field == "vkey" and "Copy the whole line again" in str(e.value.message)


def test_a_pasted_private_key_is_refused_without_being_repeated(actors):
    skey, _ = note.generate_cosigner_key("jmc-west-witness")
    with translation.override("en"), pytest.raises(Invalid) as e:
        register(actors["west-head"], "west", skey)
    assert e.value.field == "vkey" and "private key" in str(e.value.message)
    assert skey.split("+", 4)[4] not in str(e.value.message)  # the key's base64 may hold a "+" itself
    assert not WitnessKey.objects.exists()


def test_the_log_keys_name_is_refused(actors):
    with pytest.raises(Invalid) as e:
        register(actors["west-head"], "west", vkey(checkpoints.log_key().name))
    assert e.value.field == "vkey"


def test_the_same_key_twice_is_refused_even_after_it_was_retired(actors):
    first, second = vkey(), vkey()
    register(actors["west-head"], "west", first)
    with pytest.raises(Conflict) as e:
        register(actors["west-head"], "west", first)
    assert e.value.field == "vkey"
    with pytest.raises(Conflict):
        register(actors["facilitator"], "", first)  # nor under another holder
    register(actors["west-head"], "west", second)  # retires the first
    with pytest.raises(Conflict):
        register(actors["west-head"], "west", first)  # a retired key is not brought back


def test_another_holders_public_key_under_a_new_name_is_refused(actors):
    """A cosignature does not sign its key's name: the west's key renamed must not count as the mission's."""
    _, west = note.generate_cosigner_key("jmc-west-witness")
    register(actors["west-head"], "west", west)
    key = note.parse_verifier_key(west)
    renamed = note.VerifierKey(
        "jmc-mission-witness", key.alg, note._key_id("jmc-mission-witness", key.alg, key.public), key.public
    )
    with pytest.raises(Conflict) as e:
        register(actors["facilitator"], "", str(renamed))
    assert e.value.field == "vkey"
    assert WitnessKey.objects.count() == 1


def test_another_holders_name_is_refused(actors):
    register(actors["west-head"], "west", vkey("jmc-witness"))
    with pytest.raises(Conflict) as e:
        register(actors["east-head"], "east", vkey("jmc-witness"))
    assert e.value.field == "vkey"


def test_a_new_key_retires_the_holders_old_one_and_only_that(actors):
    west1 = register(actors["west-head"], "west", vkey("jmc-west-witness"))
    east = register(actors["east-head"], "east", vkey("jmc-east-witness"))
    mission = register(actors["facilitator"], "", vkey("unsmil-witness"))
    west2 = register(actors["west-head"], "west", vkey("jmc-west-witness"))  # same name, new key: rotation
    west1.refresh_from_db(), east.refresh_from_db(), mission.refresh_from_db()
    assert west1.retired_at == west2.registered_at and not west1.active
    assert east.active and mission.active and west2.active
    assert list(WitnessKey.objects.filter(retired_at__isnull=True).values_list("party_id", flat=True)) == [
        "east",
        None,
        "west",
    ]
    mission2 = register(actors["facilitator"], "", vkey("unsmil-witness-2"))
    mission.refresh_from_db()
    assert not mission.active and mission2.active and WitnessKey.objects.get(id=east.id).active


def test_replay_reproduces_the_keys_and_their_retirements(actors):
    register(actors["west-head"], "west", vkey("jmc-west-witness"))
    register(actors["east-head"], "east", vkey("jmc-east-witness"))
    register(actors["west-head"], "west", vkey("jmc-west-witness"))
    register(actors["facilitator"], "", vkey("unsmil-witness"))
    register(actors["east-head"], "east", vkey("jmc-east-witness-2"))
    result = replay.check(progress=None)
    assert result.ok, result.difference
    before = list(WitnessKey.objects.order_by("id").values())
    replay.rebuild()
    assert list(WitnessKey.objects.order_by("id").values()) == before
    assert [k["retired_at"] is None for k in before] == [False, False, True, True, True]
