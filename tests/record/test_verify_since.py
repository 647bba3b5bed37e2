"""--since CHECKPOINT_FILE: a checkpoint trusted earlier (one a witness stored, say) must be signed by
the log key and be a prefix of the bundle's tree; otherwise the log forked or was rewritten."""

from ceasefire.record import checkpoints, merkle, note
from ceasefire.record.models import Checkpoint

from .test_bundle_helpers import Edit, export, failure, meetings, record, run  # noqa: F401 (fixture)


def saved(tmp_path, text: str, name: str = "trusted.checkpoint"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_an_earlier_checkpoint_that_the_bundle_extends_passes(record, tmp_path):
    earlier = Checkpoint.objects.order_by("size")[2]
    since = saved(tmp_path, checkpoints.served(earlier))
    result = run(export(tmp_path), since=since)
    assert result.code == 0, result
    assert f"since: the trusted checkpoint at size {earlier.size} is a prefix of this bundle" in result.out


def test_a_checkpoint_of_another_history_is_a_fork_or_rewrite(record, tmp_path):
    path = export(tmp_path)
    edit = Edit.read(path)
    size = 12
    leaves = [bytes.fromhex(line[:64].decode()) for line in edit.entries[:size]]
    leaves[7] = merkle.leaf_hash(b'{"what":"the log told a witness before"}')
    other = note.Checkpoint(checkpoints.log_key().name, size, merkle.subtree_root(leaves, 0, size))
    since = saved(tmp_path, note.sign(other.body(), checkpoints.log_key()))
    message = failure(path, since=since)
    assert message.startswith(f"fork or rewrite: at size {size} the bundle's entries give the root ")
    assert message.endswith(f"entries 0..{size - 1} are not the ones the log signed then")


def test_a_later_checkpoint_than_the_bundle_means_entries_were_lost(record, tmp_path):
    path = export(tmp_path)
    old_size = Checkpoint.objects.order_by("size").last().size
    meetings(3)
    later = checkpoints.sign_now()
    since = saved(tmp_path, checkpoints.served(later))
    message = failure(path, since=since)
    assert message == (
        f"fork or rewrite: the trusted checkpoint {since} is at size {later.size}, but the bundle holds only "
        f"{old_size} entries: the log lost entries {old_size}..{later.size - 1} since (rolled back or truncated)"
    )


def test_a_checkpoint_not_signed_by_the_log_key_is_refused(record, tmp_path):
    skey, _ = note.generate_key(checkpoints.log_key().name)
    cp = Checkpoint.objects.order_by("size").first()
    since = saved(tmp_path, note.sign(note.parse_note(cp.note)[0], skey))
    message = failure(export(tmp_path), since=since)
    assert message.startswith(f"the --since checkpoint {since}: ")
    assert message.endswith(
        f"checkpoint is not signed by the log key {checkpoints.log_key().name}+{checkpoints.log_key().key_id.hex()}"
    )


def test_a_truncated_bundle_without_its_last_checkpoints_is_caught_only_by_since(record, tmp_path):
    path = export(tmp_path, all_checkpoints=True)
    newest = Checkpoint.objects.order_by("size").last()
    previous = Checkpoint.objects.order_by("size").reverse()[1]
    edit = Edit.read(path)
    del edit.entries[previous.size :]
    edit.notes = edit.notes[:-1]
    edit.write(path)
    assert run(path).code == 0  # a consistent prefix of the log, on its own
    message = failure(path, since=saved(tmp_path, checkpoints.served(newest)))
    assert message.startswith("fork or rewrite: ") and f"lost entries {previous.size}..{newest.size - 1}" in message
