"""The evidence store: files kept by their SHA-256 under settings.EVIDENCE_DIR, outside anything
the web server serves. What a file is, is read from its first bytes, never from its name; a name
or a declared type that says otherwise is refused as mislabelled."""

import codecs
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from ceasefire.errors import Conflict, Invalid, NotFound, TooLarge

# media type -> the file name endings it goes by
TYPES = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
    "video/mp4": (".mp4", ".m4v"),
    "video/quicktime": (".mov",),
    "audio/mp4": (".m4a",),
    "audio/mpeg": (".mp3",),
    "audio/ogg": (".ogg", ".oga", ".opus"),
    "audio/wav": (".wav",),
    "text/plain": (".txt",),
}
SNIFF_BYTES = 64


def sniff(head: bytes) -> str | None:
    """The media type the first bytes of a file show, or None. Plain text is decided later, on
    the whole file (see store)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return "video/quicktime"
        if brand in (b"M4A ", b"M4B "):
            return "audio/mp4"
        return "video/mp4"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    return None


def type_of_name(name: str) -> str | None:
    ending = Path(name).suffix.lower()
    return next((t for t, endings in TYPES.items() if ending in endings), None)


def accepted() -> str:
    return ", ".join(e for endings in TYPES.values() for e in endings)


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    media_type: str
    name: str


def clean_name(name: str) -> str:
    """The file's own name, without any folder, kept for people to recognise it by."""
    name = (name if isinstance(name, str) else "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(c for c in name if c.isprintable())
    if not name or name in (".", ".."):
        raise Invalid(_("needs a file name"), "file")
    if len(name) > 255:  # shortened before its ending, which says what it claims to be
        ending = Path(name).suffix[:16]
        name = name[: 255 - len(ending)] + ending
    return name


def store(chunks, name: str, declared_type: str = "") -> Stored:
    """Write the file's bytes to the store and say what they are; refuse what is too large,
    empty, of a type the mechanism does not take, or mislabelled. Nothing stays behind on refusal."""
    name = clean_name(name)
    by_name = type_of_name(name)
    if by_name is None:
        raise Invalid(_("%(name)s: files of this type are not accepted (accepted: %(types)s)") % {"name": name, "types": accepted()}, "file")
    folder = Path(settings.EVIDENCE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    digest, size, head = hashlib.sha256(), 0, b""
    text = codecs.getincrementaldecoder("utf-8")()
    is_text = True
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > settings.EVIDENCE_MAX_BYTES:
                    raise TooLarge(_("is larger than %(mb).0f MB") % {"mb": settings.EVIDENCE_MAX_BYTES / 1_048_576}, "file")
                if len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                if is_text:
                    is_text = _still_text(text, chunk)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise Invalid(_("is empty"), "file")
        content = sniff(head) or ("text/plain" if is_text and _still_text(text, b"", final=True) else None)
        if content is None:
            raise Invalid(_("%(name)s: its content is not a file type the mechanism accepts") % {"name": name}, "file")
        if content != by_name:
            raise Invalid(_("%(name)s is mislabelled: its name says %(named)s but its content is %(content)s") % {"name": name, "named": by_name, "content": content}, "file")
        declared = (declared_type if isinstance(declared_type, str) else "").split(";")[0].strip().lower()
        if declared and declared != "application/octet-stream" and declared != content:
            raise Invalid(_("%(name)s is mislabelled: it was sent as %(declared)s but its content is %(content)s") % {"name": name, "declared": declared, "content": content}, "file")
        sha = digest.hexdigest()
        final = path(sha)
        final.parent.mkdir(exist_ok=True)
        os.replace(tmp, final)  # the same bytes under the same name, if it was there already
        tmp = None
        return Stored(sha256=sha, size=size, media_type=content, name=name)
    finally:
        if tmp is not None:
            os.unlink(tmp)


def _still_text(decoder, chunk: bytes, final: bool = False) -> bool:
    try:
        s = decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return False
    return not any(c == "\x00" or (ord(c) < 32 and c not in "\n\r\t\f") for c in s)


def path(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a SHA-256: {sha256!r}")
    return Path(settings.EVIDENCE_DIR) / sha256[:2] / sha256


def opened(sha256: str):
    """The stored file, open for reading, once its bytes are checked against the SHA-256 the record
    holds: a file changed or lost in the store is never served as the evidence."""
    try:
        f = open(path(sha256), "rb")
    except FileNotFoundError:
        raise NotFound(_("The file of this evidence is missing from the evidence store; tell the secretariat."), "evidence") from None
    digest = hashlib.sha256()
    while chunk := f.read(1 << 20):
        digest.update(chunk)
    if digest.hexdigest() != sha256:
        f.close()
        raise Conflict(_("The stored file no longer matches the SHA-256 in the record; tell the secretariat."), "evidence")
    f.seek(0)
    return f
