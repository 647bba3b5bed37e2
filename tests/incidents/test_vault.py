"""Protected identities: kept in the vault, read by the facilitator only; the record holds their
salted commitment, never the identity; erasure destroys the vault's row and leaves the record
whole and replayable; replay never touches the vault."""

import json

import pytest

from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound
from ceasefire.incidents import commands, vault
from ceasefire.incidents.models import IdentityCommitment, ProtectedIdentity
from ceasefire.record import replay
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import refused

from . import steps

SOURCE = {
    "name": "Salem Abdullah Al-Tarhouni",
    "contact": "+218 91 555 0142",
    "relation": "shepherd",
    "note": "Fears reprisals",
}
WITNESS = {"name": "فاطمة محمد الورفلي", "contact": "fatima@example.org"}


def every_body() -> bytes:
    return b"\n".join(bytes(b) for b in Event.objects.order_by("seq").values_list("body", flat=True))


def projections() -> str:
    return json.dumps(replay.dump(), ensure_ascii=False)


@pytest.fixture
def protected(actors, typology):
    r = steps.file(actors, "west-member", source_identity=SOURCE)
    commands.protect_identity(FACILITATOR, r.id, {"identity": WITNESS})
    return r


def test_the_record_holds_the_commitment_never_the_identity(protected):
    body = every_body()
    for identity in (SOURCE, WITNESS):
        for value in identity.values():
            assert value.encode() not in body, value
            assert json.dumps(value).encode() not in body  # nor written with escapes
            assert value not in projections()
    kept = {p.commitment: p for p in ProtectedIdentity.objects.all()}
    commitments = list(IdentityCommitment.objects.filter(report=protected).order_by("id"))
    assert [(c.relation, c.commitment in kept) for c in commitments] == [("source", True), ("witness", True)]
    for c in commitments:
        assert c.commitment.encode() in body  # the record carries it
    assert Event.objects.get(seq=protected.id).payload["source_commitment"] == commitments[0].commitment


def test_the_vault_verifies_what_the_record_committed_to(protected):
    for p in ProtectedIdentity.objects.all():
        assert p.report_id == protected.id and p.created_by in ("west-member", "facilitator")
        assert vault.holds(p.salt, p.identity, p.commitment)
        assert not vault.holds(p.salt, {**p.identity, "name": p.identity["name"] + " "}, p.commitment)
        assert not vault.holds("00" * 32, p.identity, p.commitment)
    source = ProtectedIdentity.objects.get(commitment=IdentityCommitment.objects.get(relation="source").commitment)
    assert source.identity == SOURCE


def test_the_same_identity_twice_gets_two_commitments(actors, typology):
    a = steps.file(actors, source_identity=SOURCE)
    b = steps.file(actors, source_identity=SOURCE)
    assert a.identities.get().commitment != b.identities.get().commitment  # salted: not linkable


def test_only_the_facilitator_reads_identities(monitors, protected):
    assert [p.identity["name"] for p in commands.identities(FACILITATOR, protected)] == [
        SOURCE["name"],
        WITNESS["name"],
    ]
    for who in ("west-head", "west-member", "east-head", "east-member", "observer", "un-monitor", "east-monitor"):
        with pytest.raises(Forbidden):
            commands.identities(monitors[who], protected)
        with refused(Forbidden):
            commands.protect_identity(monitors[who], protected.id, {"identity": WITNESS})
        with refused(Forbidden):
            commands.erase_identity(monitors[who], protected.identities.first().id, {"reason": "x"})


BAD_IDENTITIES = [
    (None, "identity"),
    ("Fatima", "identity"),
    ({}, "identity.name"),
    ({"contact": "x"}, "identity.name"),
    ({"name": "Fatima", "address": "Sirte"}, "identity.address"),
    ({"name": 7}, "identity.name"),
    ({"name": "x" * 201}, "identity.name"),
]


def test_a_bad_identity_is_named(actors, filed, subtests):
    for identity, field in BAD_IDENTITIES:
        with subtests.test(identity=identity, field=field):
            with refused(Invalid, field):
                commands.protect_identity(FACILITATOR, filed.id, {"identity": identity})
            assert not ProtectedIdentity.objects.exists()
            with refused(NotFound, "report"):
                commands.protect_identity(FACILITATOR, 424242, {"identity": WITNESS})


def test_a_bad_source_identity_files_nothing(actors, typology):
    with refused(Invalid, "source_identity.name"):
        steps.file(actors, source_identity={"contact": "+218"})
    assert not ProtectedIdentity.objects.exists()


def test_erasure_destroys_the_vault_row_and_the_record_stays_whole(protected):
    witness = IdentityCommitment.objects.get(relation="witness")
    with refused(Invalid, "reason"):
        commands.erase_identity(FACILITATOR, witness.id, {})
    before = every_body()
    c = commands.erase_identity(FACILITATOR, witness.id, {"reason": "Threats against the witness"})
    assert c.erased_at is not None and c.commitment == witness.commitment
    assert not ProtectedIdentity.objects.filter(commitment=witness.commitment).exists()
    assert ProtectedIdentity.objects.count() == 1  # the source's stays
    assert every_body().startswith(before)  # nothing of the record changed; one event more
    erased = Event.objects.order_by("-seq").first()
    assert (erased.type, erased.payload["commitment"], erased.payload["reason_en"]) == (
        "identity.erased",
        witness.commitment,
        "Threats against the witness",
    )
    assert [p.identity["name"] for p in commands.identities(FACILITATOR, protected)] == [SOURCE["name"]]
    with refused(Conflict, "identity"):
        commands.erase_identity(FACILITATOR, witness.id, {"reason": "again"})
    with refused(NotFound, "identity"):
        commands.erase_identity(FACILITATOR, 424242, {"reason": "x"})
    result = replay.check(progress=None)
    assert result.ok, result.difference


def test_replay_rebuild_leaves_the_vault_untouched(protected):
    commands.erase_identity(
        FACILITATOR, IdentityCommitment.objects.get(relation="source").id, {"reason": "Court order"}
    )
    vault_before = list(ProtectedIdentity.objects.order_by("id").values())
    state = replay.dump()
    replay.rebuild()
    assert replay.dump() == state
    assert list(ProtectedIdentity.objects.order_by("id").values()) == vault_before
