"""The witness's copy of the record (record/mirror.py): pages stored as served, read back as
they were appended, cut at any entry, and its root the tree's root however the leaves came in
(one by one, or as the perfect subtrees a worker process hashed)."""

import os

import pytest

from ceasefire.record import merkle, mirror
from ceasefire.record.mirror import Mirror


def entries(lo: int, hi: int) -> list[tuple[bytes | None, bytes]]:
    """Every third entry held by its leaf hash only, the others in full (one with spaces in it)."""
    out = []
    for i in range(lo, hi):
        body = b'{"seq":%d,"text":"entry number %d"}' % (i, i)
        out.append((None if i % 3 == 2 else body, merkle.leaf_hash(body)))
    return out


def test_what_is_appended_is_read_back_and_its_root_is_the_trees(tmp_path):
    copy = Mirror(tmp_path)
    for lo, hi in [(0, 5), (5, 8), (8, 40)]:
        copy.append(entries(lo, hi))
    assert copy.size == 40 and copy.read(0, 40) == entries(0, 40) and copy.read(6, 9) == entries(6, 9)
    assert copy.root() == merkle.subtree_root([leaf for _, leaf in entries(0, 40)], 0, 40)
    copy.sync()
    copy.close()
    again = Mirror(tmp_path)  # opened again: the index says what is held
    assert again.size == 40 and again.read(0, 40) == entries(0, 40)
    assert again.find(entries(33, 34)[0][1]) == 33 and again.find(b"\0" * 32) is None
    again.close()


def test_a_copy_cut_inside_a_page_keeps_the_entries_before(tmp_path):
    copy = Mirror(tmp_path)
    copy.append(entries(0, 10))
    copy.append(entries(10, 20))
    copy.truncate(13)
    assert copy.size == 13 and copy.read(0, 13) == entries(0, 13)
    assert copy.root() == merkle.subtree_root([leaf for _, leaf in entries(0, 13)], 0, 13)
    copy.append(entries(13, 16))
    assert copy.read(0, 16) == entries(0, 16)
    copy.close()


def test_bytes_past_the_last_page_are_cut_off_when_opened(tmp_path):
    copy = Mirror(tmp_path)
    copy.append(entries(0, 4))
    copy.close()
    with open(tmp_path / mirror.BODIES, "ab") as f:  # a crash between the page and its index record
        f.write(b"half a page")
    with open(tmp_path / mirror.INDEX, "ab") as f:
        f.write(b"\1\2\3")
    again = Mirror(tmp_path)
    assert again.size == 4 and again.read(0, 4) == entries(0, 4)
    assert again.disk_size() == os.path.getsize(tmp_path / mirror.BODIES) + 16
    again.close()


def test_a_copy_in_the_earlier_layout_is_removed(tmp_path):
    for name in mirror.EARLIER:
        (tmp_path / name).write_bytes(b"an earlier copy")
    copy = Mirror(tmp_path)
    assert copy.size == 0 and not any((tmp_path / name).exists() for name in mirror.EARLIER)
    copy.close()


@pytest.mark.parametrize("start", [0, 1, 5, 8, 13, 64, 100])
@pytest.mark.parametrize("n", [1, 2, 7, 16, 33])
def test_subtrees_hashed_apart_give_the_frontier_leaves_give(start, n):
    before = [merkle.leaf_hash(b"%d" % i) for i in range(start)]
    leaves = [merkle.leaf_hash(b"new %d" % i) for i in range(n)]
    one_by_one, by_blocks = [], []
    mirror._extend(one_by_one, 0, before)
    mirror._extend(by_blocks, 0, before)
    mirror._extend(one_by_one, start, leaves)
    blocks = mirror.merkle_blocks(start, leaves)
    assert sum(1 << level for level, _ in blocks) == n
    mirror._extend_blocks(by_blocks, start, blocks)
    assert by_blocks == one_by_one
    assert mirror._fold(by_blocks) == merkle.subtree_root(before + leaves, 0, start + n)
