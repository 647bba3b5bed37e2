"""bundle.export writes the whole record in one file: every entry with the leaf hash the stored tree
holds, the checkpoints that matter (the newest, and each witness key's newest cosigned one; or every
one) with their cosignatures, the log key and the witness keys; it verifies, and a change made in the
database before the export is named by the verifier."""

import pytest

from ceasefire.mechanism import commands
from ceasefire.record import bundle, checkpoints, guard, note
from ceasefire.record.models import Checkpoint, Event, Head, TreeNode

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


def test_every_entry_is_written_with_the_stored_leaf_hash(record, tmp_path):
    edit = Edit.read(export(tmp_path))
    size = Head.objects.get(id=1).size
    assert len(edit.entries) == size
    leaves = dict(TreeNode.objects.filter(level=0).values_list("index", "hash"))
    for seq, body in Event.objects.order_by("seq").values_list("seq", "body"):
        assert edit.entries[seq] == bytes(leaves[seq]).hex().encode() + b" " + bytes(body)


def test_the_header_carries_the_log_key_and_the_witness_keys_with_their_party(record, tmp_path):
    edit = Edit.read(export(tmp_path))
    assert edit.header[0] == b"ceasefire-bundle v1"
    assert f"origin {checkpoints.log_key().name}".encode() in edit.header
    assert f"log-key {checkpoints.log_vkey()}".encode() in edit.header
    witness_lines = [line.decode() for line in edit.header if line.startswith(b"witness-key ")]
    west = str(note.parse_signer_key(record["west"]).verifier)
    east = str(note.parse_signer_key(record["east"]).verifier)
    assert witness_lines == [
        f"witness-key {west} party=west registered={registered('west')} retired=-",
        f"witness-key {east} party=east registered={registered('east')} retired=-",
    ]


def test_with_all_checkpoints_every_checkpoint_is_written_with_its_cosignatures(record, tmp_path):
    notes = Edit.read(export(tmp_path, all_checkpoints=True)).notes
    signed = list(Checkpoint.objects.order_by("size"))
    assert notes == [checkpoints.served(cp) for cp in signed]
    # The log and both witnesses; the last, which the export signed over the entries recording the
    # witnesses' cosignatures, by the log alone.
    assert [len(note.parse_note(n)[1]) for n in notes] == [3] * (len(notes) - 1) + [1]
    result = run(tmp_path / "record.bundle")
    assert result.code == 0, result
    assert f"checkpoints: {len(signed)}," in result.out


def sizes(path) -> list[int]:
    return [note.parse_checkpoint(note.parse_note(n)[0]).size for n in Edit.read(path).notes]


def test_the_bundle_carries_the_newest_checkpoint_and_each_witness_keys_newest_cosigned_one(record, tmp_path):
    east = Checkpoint.objects.order_by("-size").first().size  # east cosigns nothing after this one
    meetings(20)  # a checkpoint every 8 events
    cosign_every_checkpoint({"west": record["west"]})
    west = cosigned_size()  # recording west's cosignatures made the next checkpoint due: west has not cosigned it
    path = export(tmp_path)
    newest = Head.objects.get(id=1).size
    assert sizes(path) == sorted({east, west, newest})
    assert Checkpoint.objects.count() > len({east, west, newest}) + 3  # the ones between are left out
    assert [
        checkpoints.served(cp) for cp in Checkpoint.objects.filter(size__in=sizes(path)).order_by("size")
    ] == Edit.read(path).notes
    result = run(path)
    assert result.code == 0, result
    assert (
        f"(party east): newest cosigned checkpoint at size {east}; {newest - east} entries not yet cosigned by it"
        in result.out
    )
    assert (
        f"(party west): newest cosigned checkpoint at size {west}; {newest - west} entries not yet cosigned by it"
        in result.out
    )
    assert sizes(export(tmp_path, name="all.bundle", all_checkpoints=True)) == list(
        Checkpoint.objects.order_by("size").values_list("size", flat=True)
    )


def test_a_checkpoint_no_witness_cosigned_is_carried_only_if_it_is_the_newest(record, tmp_path, settings):
    settings.CHECKPOINT_EVERY_EVENTS = 2
    before = Checkpoint.objects.order_by("-size").first().size  # cosigned by both
    meetings(6)
    path = export(tmp_path)
    assert sizes(path) == [before, Head.objects.get(id=1).size]


def test_the_export_signs_a_checkpoint_of_the_whole_record_first(record, tmp_path, settings):
    settings.CHECKPOINT_EVERY_EVENTS = 1000
    meetings(2)
    size = Head.objects.get(id=1).size
    assert Checkpoint.objects.order_by("-size").first().size < size
    result = run(export(tmp_path))
    assert result.code == 0, result
    assert Checkpoint.objects.order_by("-size").first().size == size
    assert f"the newest at size {size}" in result.out
    # Until the witnesses cosign that checkpoint, the verifier says how far behind each one is.
    assert "jmc-west-witness" in result.out and f"{size - cosigned_size()} entries not yet cosigned by it" in result.out


def test_the_bundle_verifies_and_says_who_cosigned_what(record, tmp_path):
    result = run(export(tmp_path))
    assert result.code == 0, result
    size = Head.objects.get(id=1).size
    assert f"entries: {size} ({size} readable, 0 withheld" in result.out
    # The newest, which the export signed over the entries recording the cosignatures, and the one
    # both witnesses cosigned.
    assert f"checkpoints: 2, the newest at size {size}" in result.out
    assert (
        f"entries {cosigned_size()}..{size - 1}, signed by the log key only, only record the witnesses' cosignatures"
        in result.out
    )
    assert "(party west): newest cosigned checkpoint at size" in result.out
    assert "(party east): newest cosigned checkpoint at size" in result.out
    assert "TAKEN FROM THE BUNDLE ITSELF" in result.out


def test_a_retired_witness_key_stays_in_the_bundle(record, actors, tmp_path):
    skey, vkey = note.generate_cosigner_key("jmc-west-witness-2")
    old_newest = cosigned_size()
    new = commands.register_witness_key(actors["west-head"], {"party": "west", "vkey": vkey})
    edit = Edit.read(export(tmp_path))
    assert any(
        line.endswith(b"party=west registered=%d retired=%d" % (registered("west", first=True), new.id))
        for line in edit.header
    )
    assert b"witness-key %s party=west registered=%d retired=-" % (vkey.encode(), new.id) in edit.header
    # West's active key has cosigned nothing yet: west vouches for nothing past its old key's retirement.
    assert failure(tmp_path / "record.bundle").startswith(
        "jmc-west-witness-2 (party west) cosigned no checkpoint in this bundle: that party's current key vouches for nothing here "
        f"(its retired key jmc-west-witness+{note.parse_signer_key(record['west']).verifier.key_id.hex()} cosigned up to size {old_newest}"
    )
    cosign_every_checkpoint({"west": skey, "east": record["east"]})
    result = run(export(tmp_path, name="later.bundle"))
    assert result.code == 0, result
    assert f"(party west, retired at entry {new.id}): newest cosigned checkpoint at size {old_newest}" in result.out
    assert "jmc-west-witness-2" in result.out and "(party west): newest cosigned checkpoint" in result.out


def test_the_export_streams_in_batches_and_reports_progress(record, tmp_path, monkeypatch):
    monkeypatch.setattr(bundle, "BATCH", 4)
    monkeypatch.setattr(bundle, "PROGRESS_EVERY", 10)
    calls = []
    path = tmp_path / "b"
    result = bundle.export(path, "parties", progress=lambda done, total: calls.append((done, total)))
    size = Head.objects.get(id=1).size
    assert calls == [(k, size) for k in range(10, size, 10)] + [(size, size)]
    assert (result.size, result.readable, result.withheld) == (size, size, 0)
    assert run(path).code == 0


def test_an_event_changed_in_the_database_is_named(record, tmp_path):
    body = bytes(Event.objects.get(seq=17).body)
    with guard.lifted():
        Event.objects.filter(seq=17).update(body=body.replace(b'"Sirte"', b'"Sirtf"'))
    assert failure(export(tmp_path)) == "entry 17: its bytes do not match the leaf hash the tree recorded"


def test_an_event_deleted_in_the_database_is_named(record, tmp_path):
    with guard.lifted():
        Event.objects.filter(seq=12).delete()
    assert failure(export(tmp_path)) == (
        "entry 12: its bytes do not match the leaf hash the tree recorded; "
        "it carries seq 13: the entry with seq 12 is missing (deleted)"
    )


def test_two_events_swapped_in_the_database_are_named(record, tmp_path):
    a, b = (bytes(Event.objects.get(seq=s).body) for s in (9, 10))
    with guard.lifted():
        Event.objects.filter(seq=9).update(body=b)
        Event.objects.filter(seq=10).update(body=a)
    assert failure(export(tmp_path)) == (
        "entry 9: its bytes do not match the leaf hash the tree recorded; "
        "it carries seq 10, and entry 10 carries seq 9: entries were reordered"
    )


def test_a_key_registered_again_under_its_old_name_still_verifies(record, actors, tmp_path):
    skey, vkey = note.generate_cosigner_key("jmc-west-witness")  # a new key, the same name
    commands.register_witness_key(actors["west-head"], {"party": "west", "vkey": vkey})
    checkpoints.sign_now()
    cosign_every_checkpoint({"west": skey})  # the server keeps only the active key's cosignatures
    result = run(export(tmp_path))
    assert result.code == 0, result
    old = note.parse_signer_key(record["west"]).verifier
    new = note.parse_signer_key(skey).verifier
    retired = Event.objects.filter(type="witness.key_registered").order_by("seq").last().seq
    assert (
        f"witness jmc-west-witness+{old.key_id.hex()} (party west, retired at entry {retired}): newest cosigned checkpoint"
        in result.out
    )
    assert f"witness jmc-west-witness+{new.key_id.hex()} (party west): newest cosigned checkpoint" in result.out


def test_an_event_holding_a_raw_newline_stops_the_export_and_is_named(record, tmp_path):
    body = bytes(Event.objects.get(seq=6).body)
    with guard.lifted():
        Event.objects.filter(seq=6).update(body=body.replace(b'"v":', b'"v":\n'))
    with pytest.raises(ValueError, match="event 6 holds a raw newline, which canonical JSON never does"):
        bundle.export(tmp_path / "b", "parties")
