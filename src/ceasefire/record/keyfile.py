"""Private key files: one signer key in the Go `note` format on one line, readable by its owner only.

Standard library only: the witness and `ceasefire keys` use it on a party's own machine.
"""

import os
import stat
from pathlib import Path

from . import note


def write(path: str | os.PathLike, skey: str) -> None:
    """Create `path` holding `skey`, mode 0600. Refuses to overwrite: a lost key cannot be got back,
    and a replaced one would make every signature made with it unverifiable by the new one."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, f"{skey}\n".encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def read(path: str | Path) -> note.SignerKey:
    """The signer key in `path`. ValueError naming the file if it is not one, or if others may read it."""
    path = Path(path)
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValueError(f"{path}: a private key file must be readable by its owner only (chmod 600 {path})")
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n") or text.count("\n") != 1:
        raise ValueError(f"{path}: a key file holds one line, the PRIVATE+KEY+... signer key")
    try:
        return note.parse_signer_key(text[:-1])
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from None
