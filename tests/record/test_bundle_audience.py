"""A bundle for a narrower audience carries only the leaf hashes of the entries that audience may not
read (here the minutes, for the parties only), and still verifies against the same checkpoints."""

from ceasefire.record import log
from ceasefire.record.models import Checkpoint, Event

from .test_bundle_helpers import Edit, export, failure, record, run  # noqa: F401 (fixture)


def test_a_public_bundle_withholds_what_the_public_may_not_read(record, tmp_path):
    edit = Edit.read(export(tmp_path, "public"))
    types = dict(Event.objects.values_list("seq", "type"))
    assert "meeting.minutes" in types.values() and not log.readable("meeting.minutes", "public")
    for seq, line in enumerate(edit.entries):
        if log.readable(types[seq], "public"):
            assert len(line) > 65 and line[64:65] == b" ", (seq, types[seq])
        else:
            assert len(line) == 64, (seq, types[seq])  # the leaf hash alone
    assert b"minutes" not in b"\n".join(edit.entries)


def test_every_audience_gets_the_same_leaf_hashes_and_checkpoints(record, tmp_path):
    bundles = {a: Edit.read(export(tmp_path, a, f"{a}.bundle")) for a in ("parties", "observers", "public")}
    hashes = {a: [line[:64] for line in b.entries] for a, b in bundles.items()}
    assert hashes["parties"] == hashes["observers"] == hashes["public"]
    assert bundles["parties"].tail == bundles["observers"].tail == bundles["public"].tail


def test_a_public_bundle_verifies_and_counts_the_withheld_entries(record, tmp_path):
    withheld = sum(not log.readable(t, "public") for t in Event.objects.values_list("type", flat=True))
    result = run(export(tmp_path, "public"))
    assert result.code == 0, result
    total = Event.objects.count()
    assert (
        f"entries: {total} ({total - withheld} readable, {withheld} withheld as leaf hashes; audience public)"
        in result.out
    )


def test_a_changed_leaf_hash_of_a_withheld_entry_is_narrowed_to_a_range(record, tmp_path):
    path = export(tmp_path, "public", all_checkpoints=True)
    edit = Edit.read(path)
    seq = Event.objects.filter(type="meeting.minutes").order_by("seq").values_list("seq", flat=True)[1]
    edit.entries[seq] = b"0" * 64
    message = failure(edit.write(path))
    # Nothing the public can read names the entry: the checkpoints around it bound it.
    sizes = list(Checkpoint.objects.order_by("size").values_list("size", flat=True))
    low, high = max(s for s in sizes if s <= seq), min(s for s in sizes if s > seq)
    assert 0 < low and high - low < Event.objects.count()  # a real narrowing
    assert f"(size {high}, line" in message
    assert f"the checkpoints up to size {low} match, so the difference lies in entries {low}..{high - 1}" in message
    assert "a withheld entry" in message


def test_without_the_older_checkpoints_a_changed_withheld_entry_is_placed_among_all_entries(record, tmp_path):
    # The default bundle carries only the newest checkpoint both witnesses cosigned and the newest
    # (which also covers the entries recording their cosignatures): the change is still found, but
    # nothing narrows it below the first of them.
    path = export(tmp_path, "public")
    edit = Edit.read(path)
    seq = Event.objects.filter(type="meeting.minutes").order_by("seq").values_list("seq", flat=True)[1]
    edit.entries[seq] = b"0" * 64
    message = failure(edit.write(path))
    cosigned = Checkpoint.objects.filter(cosignatures__isnull=False).order_by("-size").values_list("size", flat=True)[0]
    assert seq < cosigned < len(edit.entries)
    assert message.startswith(f"checkpoint 1 (size {cosigned}, line")
    assert f"no smaller checkpoint comes before it, so the difference lies in entries 0..{cosigned - 1}" in message


def test_a_bundle_for_the_parties_withholds_nothing(record, tmp_path):
    path = export(tmp_path, "parties")
    edit = Edit.read(path)
    edit.entries[5] = edit.entries[5][:64]
    assert failure(edit.write(path)) == "entry 5: withheld, but a bundle for the parties carries every entry"
