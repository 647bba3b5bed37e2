"""The witness's copy of the record holds the parties-only bodies: every file of its state folder
is its owner's only (0600), whatever the umask, and one an earlier version made wider is narrowed."""

import os
import stat

from ceasefire.api.tokens import create_token

from .test_bundle_helpers import record  # noqa: F401 (fixture)
from .witness_client import audit

FILES = [
    "entries.pages",
    "entries.pages.idx",
    "entries.frontier",
    "entries.json",
    "lock",
    "checkpoint",
    "log.vkey",
    "cosigned",
]


def modes(folder) -> dict[str, int]:
    return {name: stat.S_IMODE((folder / name).stat().st_mode) for name in FILES}


def test_every_state_file_is_the_owners_only(record, accounts, tmp_path):
    token = create_token(accounts["west-head"], "witness", read_only=True)
    old = os.umask(0o022)
    try:
        assert audit(tmp_path, record["west"], token).code == 0
    finally:
        os.umask(old)
    assert modes(tmp_path) == dict.fromkeys(FILES, 0o600)


def test_a_copy_made_readable_by_others_is_narrowed(record, accounts, tmp_path):
    token = create_token(accounts["west-head"], "witness", read_only=True)
    assert audit(tmp_path, record["west"], token).code == 0
    for name in ("entries.pages", "entries.pages.idx", "lock"):
        (tmp_path / name).chmod(0o644)
    assert audit(tmp_path, record["west"], token).code == 0
    assert modes(tmp_path) == dict.fromkeys(FILES, 0o600)
