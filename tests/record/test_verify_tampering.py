"""Every way of tampering with a bundle is detected and named: the entry, or the checkpoint and the
entries it disagrees about. The bundles carry every checkpoint, as export(all_checkpoints=True) writes
them, so that a change is narrowed to the checkpoints around it."""

import base64
import time

import pytest

from ceasefire.record import checkpoints, merkle, note
from ceasefire.record.models import Checkpoint

from .test_bundle_helpers import Edit, export, failure, record, run  # noqa: F401 (fixture)


@pytest.fixture
def bundle(record, tmp_path):
    return export(tmp_path, all_checkpoints=True)


def sizes() -> list[int]:
    return list(Checkpoint.objects.order_by("size").values_list("size", flat=True))


def test_the_untouched_bundle_verifies(bundle):
    assert run(bundle).code == 0


def test_any_byte_of_any_entry_changed_is_named(bundle, tmp_path):
    edit = Edit.read(bundle)
    for i in range(len(edit.entries)):
        body = edit.body(i)
        for at in (0, len(body) // 2, len(body) - 1):
            tampered = Edit.read(bundle)
            tampered.entries[i] = (
                tampered.entries[i][: 65 + at] + bytes([body[at] ^ 0x01]) + tampered.entries[i][66 + at :]
            )
            path = tampered.write(tmp_path / "tampered.bundle")
            message = failure(path)
            assert message.startswith(f"entry {i}: its bytes do not match the leaf hash the tree recorded"), (
                i,
                at,
                message,
            )


def test_an_entry_rewritten_with_its_leaf_hash_is_narrowed_to_the_checkpoints_around_it(bundle):
    edit = Edit.read(bundle)
    body = edit.body(13).replace(b'"Sirte"', b'"Sirtf"')
    edit.entries[13] = merkle.leaf_hash(body).hex().encode() + b" " + body
    low, high = max(s for s in sizes() if s <= 13), min(s for s in sizes() if s > 13)
    message = failure(edit.write(bundle))
    assert f"(size {high}, line" in message and "is not the root of the bundle's entries" in message
    assert f"the difference lies in entries {low}..{high - 1}" in message


def test_a_deleted_entry_is_named(bundle):
    edit = Edit.read(bundle)
    del edit.entries[12]
    assert failure(edit.write(bundle)) == "entry 12: it carries seq 13: the entry with seq 12 is missing (deleted)"


def test_a_deleted_entry_is_named_even_when_the_header_still_counts_it(bundle):
    edit = Edit.read(bundle)
    del edit.entries[12]
    assert (
        failure(edit.write(bundle, fix_count=False))
        == "entry 12: it carries seq 13: the entry with seq 12 is missing (deleted)"
    )


def test_reordered_entries_are_named(bundle):
    edit = Edit.read(bundle)
    edit.entries[5], edit.entries[6] = edit.entries[6], edit.entries[5]
    assert failure(edit.write(bundle)) == "entry 5: it carries seq 6, and entry 6 carries seq 5: entries were reordered"


def test_an_inserted_entry_is_named(bundle):
    edit = Edit.read(bundle)
    edit.entries.insert(10, edit.entries[3])
    assert failure(edit.write(bundle)) == (
        "entry 10: it carries seq 3, as entry 3 does: an entry was inserted (or copied) at or before position 10"
    )


def test_a_truncated_log_is_named(bundle):
    edit = Edit.read(bundle)
    n = len(edit.entries)
    del edit.entries[n - 2 :]
    message = failure(edit.write(bundle))
    assert message.endswith(
        f"covers entries the bundle lacks: it holds {n - 2}, so entries {n - 2}..{n - 1} are missing (the log was truncated)"
    )
    assert message.startswith(f"checkpoint {len(sizes())} (size {n}, line")


def test_entries_beyond_the_newest_checkpoint_fail(bundle):
    edit = Edit.read(bundle)
    edit.notes = edit.notes[:-1]
    last = sizes()[-2]
    assert failure(edit.write(bundle)) == (
        f"entries {last}..{len(edit.entries) - 1} lie beyond the newest checkpoint (size {last}): nothing the log signed covers them"
    )


def test_a_second_validly_signed_checkpoint_over_other_entries_is_a_fork(bundle):
    edit = Edit.read(bundle)
    size = sizes()[2]
    # The log key signs another history of `size` entries: entry 4 is different in it.
    leaves = [bytes.fromhex(line[:64].decode()) for line in edit.entries[:size]]
    leaves[4] = merkle.leaf_hash(b'{"another":"history"}')
    root = merkle.subtree_root(leaves, 0, size)
    forged = note.sign(note.Checkpoint(checkpoints.log_key().name, size, root).body(), checkpoints.log_key())
    notes = edit.notes
    notes[2] = forged
    edit.notes = notes
    message = failure(edit.write(bundle))
    assert message.startswith(f"checkpoint 3 (size {size}, line")
    assert (
        f"the checkpoints up to size {sizes()[1]} match, so the difference lies in entries {sizes()[1]}..{size - 1}"
        in message
    )
    assert f"checkpoint 4 (size {sizes()[3]}), also signed by the log key, matches the entries" in message
    assert "a fork" in message


def test_a_bad_cosignature_fails(bundle):
    edit = Edit.read(bundle)
    notes = edit.notes
    text, sigs = note.parse_note(notes[1])
    west = next(s for s in sigs if s.name == "jmc-west-witness")
    raw = bytearray(base64.b64decode(west.line.split(" ")[-1]))
    raw[-1] ^= 0x01
    notes[1] = notes[1].replace(west.line, f"— {west.name} {base64.b64encode(bytes(raw)).decode()}\n")
    edit.notes = notes
    message = failure(edit.write(bundle))
    assert message.startswith("checkpoint 2 (line ")
    assert message.endswith(f"invalid signature for key jmc-west-witness+{west.key_id.hex()}")


def test_a_cosignature_from_the_future_fails(bundle, record):
    edit = Edit.read(bundle)
    notes = edit.notes
    cp = Checkpoint.objects.order_by("size").last()
    later = int(time.time()) + 3600
    notes[-1] = note.add_signatures(cp.note, [note.cosign(note.parse_note(cp.note)[0], record["east"], later)])
    edit.notes = notes
    message = failure(edit.write(bundle))
    assert message.startswith(f"checkpoint {len(notes)} (line ")
    assert "the cosignature of jmc-east-witness is dated" in message and "in the future" in message


def test_a_cosignature_within_the_allowed_skew_passes(bundle, record):
    edit = Edit.read(bundle)
    notes = edit.notes
    cp = Checkpoint.objects.order_by("size").last()
    notes[-1] = note.add_signatures(
        cp.note, [note.cosign(note.parse_note(cp.note)[0], record["east"], int(time.time()) + 300)]
    )
    edit.notes = notes
    assert run(edit.write(bundle)).code == 0


def test_a_bundle_resigned_with_another_log_key_fails_against_the_trusted_key(bundle, tmp_path):
    skey, vkey = note.generate_key(checkpoints.log_key().name)
    edit = Edit.read(bundle)
    edit.header = [b"log-key " + vkey.encode() if line.startswith(b"log-key ") else line for line in edit.header]
    edit.notes = [note.sign(note.parse_note(n)[0], skey) for n in edit.notes]
    edit.write(bundle)
    # On its own keys the forgery holds together, but the witnesses the bundle names cosigned none of it.
    assert failure(bundle) == (
        "jmc-west-witness (party west) cosigned no checkpoint in this bundle: nothing here is vouched for by that party"
    )
    trust = tmp_path / "trusted.vkeys"
    trust.write_text(f"# the committee's log key, as the party noted it\n{checkpoints.log_vkey()}\n")
    message = failure(bundle, trust=trust)
    assert message.startswith("checkpoint 1 (line ")
    assert message.endswith(
        f"checkpoint is not signed by the log key {checkpoints.log_key().name}+{checkpoints.log_key().key_id.hex()}"
    )


def test_trusted_keys_replace_the_bundles_own(bundle, record, tmp_path):
    trust = tmp_path / "trusted.vkeys"
    west = note.parse_signer_key(record["west"]).verifier
    trust.write_text(f"{checkpoints.log_vkey()}\n\n# west's witness only\n{west}\n")
    result = run(bundle, trust=trust)
    assert result.code == 0, result
    assert f"keys: the trusted keys in {trust}" in result.out and "TAKEN FROM" not in result.out
    assert "jmc-west-witness" in result.out and "jmc-east-witness" not in result.out


def test_a_malformed_entry_line_is_named(bundle):
    edit = Edit.read(bundle)
    edit.entries[4] = edit.entries[4][:64].upper() + edit.entries[4][64:]
    assert failure(edit.write(bundle)).startswith("entry 4: not an entry line")


def test_a_file_that_is_no_bundle_is_a_usage_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    result = run(path)
    assert result.code == 2 and "is not a ceasefire bundle" in result.err
    assert run(tmp_path / "missing").code == 2


def test_a_truncated_file_is_named(bundle):
    data = bundle.read_bytes()
    bundle.write_bytes(data[: len(data) - 30])
    assert "truncated file" in failure(bundle)


def test_two_validly_signed_checkpoints_of_one_size_are_a_fork(bundle):
    edit = Edit.read(bundle)
    size = sizes()[2]
    leaves = [bytes.fromhex(line[:64].decode()) for line in edit.entries[:size]]
    leaves[-1] = merkle.leaf_hash(b'{"another":"last entry"}')
    forged = note.sign(
        note.Checkpoint(checkpoints.log_key().name, size, merkle.subtree_root(leaves, 0, size)).body(),
        checkpoints.log_key(),
    )
    notes = edit.notes
    notes.insert(3, forged)  # right after the real checkpoint of that size
    edit.notes = notes
    message = failure(edit.write(bundle))
    assert message.startswith(f"checkpoint 4 (size {size}, line")
    assert f"the difference lies in entries {sizes()[1]}..{size - 1}" in message
    assert (
        f"checkpoint 3 (size {size}), also signed by the log key, matches the entries" in message
        and "a fork" in message
    )
