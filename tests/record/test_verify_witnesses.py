"""The cosignature policy (record.md §6: the log key and each party's witness). Whoever holds the log key
(the server's operator) can rewrite an entry, rebuild the tree and sign a new checkpoint; only the
parties' witnesses stand in the way. So every witness key that counts (those given with --trust, or
else the active ones the bundle carries) must have cosigned a checkpoint in the bundle; the header's
witness keys must be the ones the entries register; a retired key counts only up to its retirement;
and no two witness keys may share a public key."""

import pytest

from ceasefire.mechanism import commands
from ceasefire.record import checkpoints, merkle, note
from ceasefire.record.models import Event

from .test_bundle_helpers import (  # noqa: F401 (fixture)
    Edit,
    cosign_every_checkpoint,
    cosigned_size,
    export,
    failure,
    meetings,
    record,
    registered,
    run,
)

VOUCHED_FOR_BY_NOTHING = (
    "jmc-west-witness (party west) cosigned no checkpoint in this bundle: nothing here is vouched for by that party"
)


def vkey(skey: str) -> note.VerifierKey:
    return note.parse_signer_key(skey).verifier


def trust_file(tmp_path, *keys) -> object:
    path = tmp_path / "trusted.vkeys"
    path.write_text("".join(f"{k}\n" for k in (checkpoints.log_vkey(), *keys)))
    return path


def forge(path, edit: Edit | None = None):
    """What the holder of the log key can do (the review's forge.py): change an entry, rebuild the tree,
    drop the cosigned checkpoints and sign a new one with the log key alone."""
    edit = edit or Edit.read(path)
    i = next(i for i in edit.readable() if b'"Sirte"' in edit.body(i))
    body = edit.body(i).replace(b'"Sirte"', b'"Tripoli"')
    edit.entries[i] = merkle.leaf_hash(body).hex().encode() + b" " + body
    leaves = [bytes.fromhex(line[:64].decode()) for line in edit.entries]
    cp = note.Checkpoint(checkpoints.log_key().name, len(leaves), merkle.subtree_root(leaves, 0, len(leaves)))
    edit.notes = [note.sign(cp.body(), checkpoints.log_key())]
    return edit.write(path)


def header_index(edit: Edit, key: note.VerifierKey) -> int:
    return next(i for i, line in enumerate(edit.header) if line.startswith(b"witness-key %s " % str(key).encode()))


# ---------------------------------------------------------------------------------------------- the forgery
def test_a_log_only_forgery_fails_on_the_bundles_own_keys(record, tmp_path):
    path = forge(export(tmp_path))
    assert failure(path) == VOUCHED_FOR_BY_NOTHING


def test_a_log_only_forgery_fails_against_the_trusted_keys(record, tmp_path):
    path = forge(export(tmp_path))
    trust = trust_file(tmp_path, vkey(record["west"]), vkey(record["east"]))
    assert failure(path, trust=trust) == VOUCHED_FOR_BY_NOTHING


def test_a_forgery_that_drops_the_witness_keys_from_the_header_fails(record, tmp_path):
    path = export(tmp_path)
    edit = Edit.read(path)
    edit.header = [line for line in edit.header if not line.startswith(b"witness-key ")]
    path = forge(path, edit)
    west = vkey(record["west"])
    expected = f"entry {registered('west')} registers witness key {west.name}+{west.key_id.hex()} (party west), which the header does not list"
    assert failure(path) == expected
    assert failure(path, trust=trust_file(tmp_path, west, vkey(record["east"]))) == expected


def test_a_forgery_that_drops_the_registrations_too_is_vouched_for_by_the_log_key_only(record, tmp_path):
    path = export(tmp_path)
    edit = Edit.read(path)
    edit.header = [line for line in edit.header if not line.startswith(b"witness-key ")]
    # The registrations, and the entries recording the cosignatures (which name the roots the
    # witnesses cosigned), turned into something else.
    for i in edit.readable():
        body = edit.body(i).replace(b'"witness.key_registered"', b'"witness.key_forgotten"')
        body = body.replace(b'"checkpoint.cosigned"', b'"checkpoint.forgotten"')
        edit.entries[i] = merkle.leaf_hash(body).hex().encode() + b" " + body
    path = forge(path, edit)
    # On its own keys such a bundle says loudly that nothing but the log key vouches for it...
    alone = run(path)
    assert alone.code == 0, alone
    assert (
        "ONLY THE LOG KEY VOUCHES FOR IT" in alone.out
        and "WARNING: no witness keys: the bundle carries none" in alone.out
    )
    # ...and against the keys a party holds it fails.
    message = failure(path, trust=trust_file(tmp_path, vkey(record["west"]), vkey(record["east"])))
    assert message == (
        "jmc-west-witness (party unknown: not registered in the bundle) cosigned no checkpoint in this bundle: "
        "nothing here is vouched for by that party"
    )


# ---------------------------------------------------------------------------------------------- header vs entries
def test_a_header_key_with_another_party_than_its_registration_fails(record, tmp_path):
    path = export(tmp_path)
    edit = Edit.read(path)
    west = vkey(record["west"])
    i = header_index(edit, west)
    edit.header[i] = edit.header[i].replace(b"party=west", b"party=east")
    assert failure(edit.write(path)) == (
        f"line {i + 1}: witness key {west.name}+{west.key_id.hex()}: the header says party=east registered={registered('west')} retired=-, "
        f"but the entries say party=west registered={registered('west')} retired=-"
    )


def test_a_header_key_marked_retired_that_the_entries_never_retired_fails(record, tmp_path):
    path = export(tmp_path)
    edit = Edit.read(path)
    i = header_index(edit, vkey(record["west"]))
    edit.header[i] = edit.header[i].replace(b"retired=-", b"retired=5")
    n = registered("west")
    assert (
        f"the header says party=west registered={n} retired=5, but the entries say party=west registered={n} retired=-"
        in failure(edit.write(path))
    )


def test_a_header_key_that_no_entry_registers_fails(record, tmp_path):
    path = export(tmp_path)
    edit = Edit.read(path)
    _, extra = note.generate_cosigner_key("jmc-extra-witness")
    at = header_index(edit, vkey(record["east"])) + 1
    edit.header.insert(at, f"witness-key {extra} party=west registered=3 retired=-".encode())
    message = failure(edit.write(path))
    assert (
        message.startswith(f"line {at + 1}: witness key jmc-extra-witness+")
        and "is not registered in the bundle's entries" in message
    )


def test_a_trusted_key_the_entries_never_registered_counts_and_is_named(record, tmp_path):
    skey, _ = note.generate_cosigner_key("jmc-own-witness")
    cosign_every_checkpoint({"own": skey})  # the server keeps what it is given here
    path = export(tmp_path)
    result = run(path, trust=trust_file(tmp_path, vkey(skey), vkey(record["west"])))
    assert result.code == 0, result
    assert "witness jmc-own-witness+" in result.out and "(party unknown: not registered in the bundle)" in result.out
    assert "it counts because you trust it" in result.out


# ---------------------------------------------------------------------------------------------- retired keys
@pytest.fixture
def rotated(record, actors):
    """West registers a new key; its old one keeps cosigning. -> (old key's retirement seq, new signer key)."""
    skey, new_vkey = note.generate_cosigner_key("jmc-west-witness-2")
    retired_at = commands.register_witness_key(actors["west-head"], {"party": "west", "vkey": new_vkey}).id
    meetings(2)
    checkpoints.sign_now()
    cosign_every_checkpoint({"west": skey, "east": record["east"], "old": record["west"]})
    return retired_at, skey


def test_a_retired_keys_cosignature_on_a_later_checkpoint_fails(record, rotated, tmp_path):
    retired_at, _ = rotated
    message = failure(export(tmp_path))
    assert message.startswith("jmc-west-witness (party west) cosigned checkpoint ")
    assert f"after it was retired at entry {retired_at} (line " in message
    assert f"a retired key counts only for checkpoints of size {retired_at} or less" in message


def test_a_retired_keys_late_cosignature_fails_against_the_trusted_keys_too(record, rotated, tmp_path):
    retired_at, skey = rotated
    trust = trust_file(tmp_path, vkey(record["west"]), vkey(skey), vkey(record["east"]))
    message = failure(export(tmp_path), trust=trust)
    assert (
        message.startswith("jmc-west-witness (party west) cosigned checkpoint ")
        and f"after it was retired at entry {retired_at}" in message
    )


def test_a_retired_keys_cosignatures_up_to_its_retirement_count(record, actors, tmp_path):
    skey, new_vkey = note.generate_cosigner_key("jmc-west-witness-2")
    old_newest = cosigned_size()
    retired_at = commands.register_witness_key(actors["west-head"], {"party": "west", "vkey": new_vkey}).id
    meetings(2)
    cosign_every_checkpoint({"west": skey, "east": record["east"]})
    result = run(export(tmp_path))
    assert result.code == 0, result
    assert f"(party west, retired at entry {retired_at}): newest cosigned checkpoint at size {old_newest}" in result.out


# ---------------------------------------------------------------------------------------------- shared public keys
def renamed(key: note.VerifierKey, name: str) -> note.VerifierKey:
    """The same public key under another name (the review's dup.py)."""
    return note.parse_verifier_key(
        note.VerifierKey(name, key.alg, note._key_id(name, key.alg, key.public), key.public).__str__()
    )


def test_two_header_keys_sharing_one_public_key_fail(record, tmp_path):
    path = export(tmp_path)
    edit = Edit.read(path)
    west = vkey(record["west"])
    twin = renamed(west, "mission-witness")
    at = header_index(edit, vkey(record["east"])) + 1
    edit.header.insert(at, f"witness-key {twin} party=- registered=3 retired=-".encode())
    assert failure(edit.write(path)) == (
        f"line {at + 1}: witness keys {west.name}+{west.key_id.hex()} and {twin.name}+{twin.key_id.hex()} share one public key"
    )


def test_two_registrations_sharing_one_public_key_fail(record, tmp_path):
    # The record itself registers west's public key again under another name (the review's dup.py),
    # as whoever holds the log key could write it.
    path = export(tmp_path)
    edit = Edit.read(path)
    west, east = vkey(record["west"]), vkey(record["east"])
    twin = renamed(west, "mission-witness")
    at = registered("east")
    body = edit.body(at).replace(str(east).encode(), str(twin).encode())
    edit.entries[at] = merkle.leaf_hash(body).hex().encode() + b" " + body
    edit.write(path)
    assert "is not the root of the bundle's entries" in failure(path)  # the changed entry is named first
    assert failure(forge(path)) == (
        f"entry {at}: witness keys {west.name}+{west.key_id.hex()} (entry {registered('west')}) and {twin.name}+{twin.key_id.hex()} share one public key"
    )


def test_two_trusted_keys_sharing_one_public_key_are_refused(record, tmp_path):
    west = vkey(record["west"])
    twin = renamed(west, "mission-witness")
    result = run(export(tmp_path), trust=trust_file(tmp_path, west, twin))
    assert result.code == 2, result
    assert (
        f"witness keys {west.name}+{west.key_id.hex()} and {twin.name}+{twin.key_id.hex()} share one public key"
        in result.err
    )


def test_the_same_trusted_key_twice_is_one_key(record, tmp_path):
    west = vkey(record["west"])
    result = run(export(tmp_path), trust=trust_file(tmp_path, west, west, vkey(record["east"])))
    assert result.code == 0, result
    assert result.out.count("witness jmc-west-witness+") == 1


# ---------------------------------------------------------------------------------------------- lag, none
def test_witnesses_that_lag_leave_the_newest_entries_to_the_log_key_and_say_so(record, tmp_path):
    cosigned = cosigned_size()  # both witnesses cosigned it; the entries after it record their cosignatures
    meetings(3)
    result = run(export(tmp_path))  # signs a checkpoint no witness has cosigned yet
    n = Event.objects.count()
    assert result.code == 0, result
    assert (
        f"entries 0..{cosigned - 1} are vouched for by every witness; entries {cosigned}..{n - 1} are signed by the log key only"
        in result.out
    )
    assert result.out.startswith(
        f"OK: {tmp_path / 'record.bundle'} verifies: entries 0..{cosigned - 1} are as the log key signed them and as every witness (2) "
        f"cosigned them; entries {cosigned}..{n - 1} only as the log key signed them."
    )


def test_the_smallest_of_the_witnesses_newest_cosigned_sizes_is_what_every_witness_vouches_for(record, tmp_path):
    east = cosigned_size()
    meetings(10)
    checkpoints.sign_now()
    cosign_every_checkpoint({"west": record["west"]})
    result = run(export(tmp_path))
    assert result.code == 0, result
    n = Event.objects.count()
    assert (
        f"entries 0..{east - 1} are vouched for by every witness; entries {east}..{n - 1} are signed by the log key only"
        in result.out
    )


def test_a_bundle_cosigned_but_for_the_entries_recording_the_cosignatures_says_so(record, tmp_path):
    path = export(tmp_path)
    cosign_every_checkpoint(record)  # the checkpoint the export signed, too
    cosigned = cosigned_size()
    result = run(export(tmp_path, name="cosigned.bundle"))
    assert result.code == 0, result
    n = Event.objects.count()
    assert cosigned < n and set(Event.objects.filter(seq__gte=cosigned).values_list("type", flat=True)) == {
        "checkpoint.cosigned"
    }
    assert (
        f"entries 0..{cosigned - 1} are vouched for by every witness; entries {cosigned}..{n - 1}, signed by the log key only, "
        "only record the witnesses' cosignatures"
    ) in result.out and path.exists()


@pytest.fixture
def unwitnessed(actors, settings):
    settings.CHECKPOINT_EVERY_EVENTS = 8
    meetings(6)


def test_without_any_witness_key_the_bundle_passes_with_a_warning(unwitnessed, tmp_path):
    result = run(export(tmp_path))
    assert result.code == 0, result
    assert result.out.startswith(f"OK: {tmp_path / 'record.bundle'} verifies, but ONLY THE LOG KEY VOUCHES FOR IT")
    assert (
        "WARNING: no witness keys: the bundle carries none, so ONLY THE LOG KEY VOUCHES FOR THIS BUNDLE" in result.out
    )


def test_trusting_the_log_key_alone_passes_with_a_warning(record, tmp_path):
    result = run(export(tmp_path), trust=trust_file(tmp_path))
    assert result.code == 0, result
    assert "WARNING: no witness keys: you trust none (--trust names only the log key)" in result.out
