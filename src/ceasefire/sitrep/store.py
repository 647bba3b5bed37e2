"""The issued reports' PDFs, kept in the data folder by their SHA-256 (the hash the record holds), so
that the page can serve the very file that was issued. Not a projection: the record holds the hash,
and a missing file is said to be missing, never rebuilt under the same name."""

import hashlib
from pathlib import Path

from django.conf import settings


def folder() -> Path:
    return Path(settings.DATA_DIR) / "sitreps"


def keep(pdf: bytes) -> str:
    digest = hashlib.sha256(pdf).hexdigest()
    folder().mkdir(parents=True, exist_ok=True)
    path = folder() / f"{digest}.pdf"
    if not path.exists():
        part = path.with_suffix(".part")
        part.write_bytes(pdf)
        part.replace(path)
    return digest


def path_of(sha256: str) -> Path | None:
    path = folder() / f"{sha256}.pdf"
    return path if len(sha256) == 64 and path.is_file() else None
