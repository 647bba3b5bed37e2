"""Each cosignature the server keeps is appended to the record as a public `checkpoint.cosigned`
entry, so the log commits to it: a checkpoint or a cosignature removed from the database is named
by `replay --check` and by `record verify`. Such an entry never makes a checkpoint due by itself:
an idle record whose witnesses keep cosigning does not grow."""

import time

from ceasefire.record import checkpoints, guard, log, note, replay
from ceasefire.record.models import Checkpoint, Cosignature, Event

from .test_bundle_helpers import export, failure, meetings, record  # noqa: F401 (fixture)


def cosign(cp: Checkpoint, skeys: dict[str, str]) -> list[str]:
    body = note.parse_note(cp.note)[0]
    vkeys = [str(note.parse_signer_key(k).verifier) for k in skeys.values()]
    lines = [note.cosign(body, k, int(time.time())) for k in skeys.values()]
    return checkpoints.add_cosignatures(note.add_signatures(cp.note, lines), vkeys)


def test_a_kept_cosignature_is_a_public_entry_naming_the_checkpoint_and_the_line(record):
    meetings(2)
    cp = checkpoints.sign_now()
    before = Event.objects.count()
    assert cosign(cp, {"west": record["west"]}) == ["jmc-west-witness"]
    entry = Event.objects.get(seq=before)
    held = Cosignature.objects.get(checkpoint=cp)
    assert entry.type == checkpoints.COSIGNED and log.readable(entry.type, "public")
    assert entry.payload == {
        "size": cp.size,
        "root": checkpoints._b64(cp.root),
        "cosignatures": [
            {"name": "jmc-west-witness", "key_id": held.key_id, "line": held.line, "timestamp": held.timestamp}
        ],
    }
    assert cosign(cp, {"west": record["west"]}) == [] and Event.objects.count() == before + 1  # nothing new: no entry


def test_an_idle_record_with_its_witnesses_running_does_not_grow(record, settings):
    settings.CHECKPOINT_EVERY_SECONDS = 0  # a checkpoint is due as soon as anything is unsigned
    meetings(1)
    sizes = []
    for _ in range(5):  # a witness round: fetch the newest checkpoint, cosign it
        cosign(checkpoints.current(), record)
        sizes.append((Event.objects.count(), Checkpoint.objects.count()))
    assert sizes[1:] == [sizes[0]] * 4
    assert Event.objects.order_by("-seq").first().type == checkpoints.COSIGNED
    # Something new to sign makes the next checkpoint due, and it covers the recorded cosignatures too.
    meetings(1)
    assert checkpoints.current().size == Event.objects.count()


def test_replay_check_names_a_deleted_cosignature(record):
    assert replay.check(progress=None).ok
    gone = Cosignature.objects.order_by("-checkpoint_id", "name").first()
    with guard.lifted():
        Cosignature.objects.filter(id=gone.id).delete()
    difference = replay.check(progress=None).difference
    assert difference.startswith(
        f"cosignature of {gone.name} (key {gone.key_id}) on the checkpoint at size {gone.checkpoint_id}: missing, but entry "
    )
    assert difference.endswith("records it (the cosignature was deleted)")


def test_replay_check_names_a_deleted_checkpoint(record):
    newest = Cosignature.objects.order_by("-checkpoint_id").values_list("checkpoint_id", flat=True)[0]
    with guard.lifted():
        Cosignature.objects.filter(checkpoint_id=newest).delete()
        Checkpoint.objects.filter(size=newest).delete()
    difference = replay.check(progress=None).difference
    assert difference.startswith(f"checkpoint at size {newest}: missing, but entry ")
    assert "jmc-west-witness" in difference and difference.endswith("(the checkpoint was deleted)")


def test_replay_check_names_a_cosignature_no_entry_records(record):
    held = Cosignature.objects.order_by("checkpoint_id").first()
    meetings(1)
    other = checkpoints.sign_now()
    Cosignature.objects.create(
        checkpoint=other,
        name=held.name,
        key_id=held.key_id,
        line=held.line,
        timestamp=held.timestamp,
        received_at=held.received_at,
    )
    assert replay.check(progress=None).difference == (
        f"cosignature of {held.name} (key {held.key_id}) on the checkpoint at size {other.size}: no entry of the record records it "
        "(added in the database)"
    )


def test_record_verify_names_a_removed_newest_cosigned_checkpoint(record, tmp_path):
    newest = Cosignature.objects.order_by("-checkpoint_id").values_list("checkpoint_id", flat=True)[0]
    with guard.lifted():
        Cosignature.objects.filter(checkpoint_id=newest).delete()
        Checkpoint.objects.filter(size=newest).delete()
    message = failure(export(tmp_path, "public"))
    assert message.startswith("entry ")
    assert (
        f"records the cosignature of jmc-west-witness (party west) on the checkpoint at size {newest}, but the bundle carries "
        f"no cosignature of that key on a checkpoint of size {newest} or more: the checkpoint or the cosignature was removed from the server"
    ) in message


def test_record_verify_names_a_removed_cosignature(record, tmp_path):
    newest = Cosignature.objects.order_by("-checkpoint_id").values_list("checkpoint_id", flat=True)[0]
    with guard.lifted():
        Cosignature.objects.filter(checkpoint_id=newest, name="jmc-east-witness").delete()
    message = failure(export(tmp_path, "public"))
    assert message.startswith("entry ")
    assert f"records the cosignature of jmc-east-witness (party east) on checkpoint 2 (size {newest}, line " in message
    assert message.endswith("which the bundle's checkpoint lacks: the cosignature was removed")
