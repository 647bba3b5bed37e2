"""The evidence store: files kept by their SHA-256 under settings.EVIDENCE_DIR, outside anything
the web server serves. What a file is, is read from its first bytes, never from its name; a name
or a declared type that says otherwise is refused as mislabelled. Where the bytes allow two names
(a generic MPEG-4 file may be audio or video), the file's name chooses between them."""

import codecs
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from ceasefire.errors import Conflict, Invalid, NotFound, TooLarge

# media type -> the file name endings it goes by: what phones and cameras produce, documents, text
TYPES = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "image/heic": (".heic",),
    "image/heif": (".heif",),
    "image/avif": (".avif",),
    "application/pdf": (".pdf",),
    "video/mp4": (".mp4", ".m4v"),
    "video/quicktime": (".mov",),
    "video/3gpp": (".3gp", ".3gpp"),
    "video/3gpp2": (".3g2", ".3gpp2"),
    "audio/mp4": (".m4a",),
    "audio/aac": (".aac",),
    "audio/amr": (".amr",),
    "audio/amr-wb": (".awb",),
    "audio/mpeg": (".mp3",),
    "audio/ogg": (".ogg", ".oga", ".opus"),
    "audio/wav": (".wav",),
    "text/plain": (".txt",),
}
# Other names browsers and systems send for the same types (Windows sends audio/x-m4a, Android
# audio/3gpp for a voice recording in a .3gp).
ALIASES = {
    "image/heic": ("image/heic-sequence",),
    "image/heif": ("image/heif-sequence",),
    "video/3gpp": ("audio/3gpp",),
    "video/3gpp2": ("audio/3gpp2",),
    "audio/mp4": ("audio/x-m4a", "audio/m4a"),
    "audio/aac": ("audio/x-aac", "audio/aacp", "audio/x-hx-aac-adts"),
    "audio/mpeg": ("audio/mp3",),
    "audio/wav": ("audio/x-wav", "audio/wave", "audio/vnd.wave"),
}
SNIFF_BYTES = 256  # room for an ISO-BMFF file type box and its list of compatible brands

# ISO-BMFF brands (ISO/IEC 14496-12 4.3, the 'ftyp' box) -> what a file declaring them may
# honestly be called. The families are tried in this order, over the major brand and every
# compatible brand, so that the most specific brand decides: an iPhone photo ('heic', compatible
# 'mif1') is an image whatever else it lists, an Android voice recording ('3gp4', compatible
# 'isom') is 3GPP. A file that declares only the generic MPEG-4 brands says no more than "MPEG-4":
# named .m4a it is audio (Android's recorder writes 'mp42' for voice), named .mp4 video.
# Camera raw (CR3, 'crx ') is refused: phones do not produce it, no browser can show it, and the
# camera writes a JPEG of the same picture beside it.
BRANDS = [
    ({b"avif", b"avis"}, ("image/avif",)),  # AV1 Image File Format 1.1, 6
    ({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}, ("image/heic", "image/heif")),  # ISO/IEC 23008-12 B.4
    ({b"mif1", b"mif2", b"msf1", b"miaf"}, ("image/heif",)),  # ISO/IEC 23008-12 10.2, ISO/IEC 23000-22
    ({b"crx "}, ()),  # Canon raw 3: refused
    ({b"qt  "}, ("video/quicktime",)),
    ({b"3g2a", b"3g2b", b"3g2c"}, ("video/3gpp2",)),  # 3GPP2 C.S0050 8.1
    (
        {
            b"3gp4",
            b"3gp5",
            b"3gp6",
            b"3gp7",
            b"3gp8",
            b"3gp9",
            b"3gg6",
            b"3gg9",
            b"3gr6",
            b"3gr9",
            b"3gs6",
            b"3gs9",
            b"3ge6",
            b"3ge7",
            b"3ge9",
        },
        ("video/3gpp",),
    ),  # 3GPP TS 26.244 5.4
    ({b"M4A ", b"M4B ", b"M4P "}, ("audio/mp4",)),
    (
        {
            b"isom",
            b"iso2",
            b"iso3",
            b"iso4",
            b"iso5",
            b"iso6",
            b"iso7",
            b"iso8",
            b"iso9",
            b"mp41",
            b"mp42",
            b"mp71",
            b"avc1",
            b"M4V ",
            b"M4VH",
            b"M4VP",
            b"mmp4",
            b"dash",
            b"MSNV",
        },
        ("video/mp4", "audio/mp4"),
    ),
]


def _iso_bmff(head: bytes) -> tuple[str, ...]:
    """What an ISO-BMFF file may be called, from its 'ftyp' box: size, 'ftyp', major brand,
    minor version, compatible brands to the end of the box (ISO/IEC 14496-12 4.3.2)."""
    size = int.from_bytes(head[:4], "big")
    if size < 16 or (size - 16) % 4 or len(head) < 16:
        return ()
    brands = {head[8:12]} | {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
    return next((kinds for family, kinds in BRANDS if brands & family), ())


def sniff(head: bytes) -> tuple[str, ...]:
    """The media types the first bytes of a file may honestly go by, the likeliest first; empty
    for none. Plain text is decided later, on the whole file (see store)."""
    if head.startswith(b"\xff\xd8\xff"):
        return ("image/jpeg",)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ("image/png",)
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return ("image/gif",)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ("image/webp",)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return ("audio/wav",)
    if head.startswith(b"%PDF-"):
        return ("application/pdf",)
    if head[4:8] == b"ftyp":
        return _iso_bmff(head)
    if head.startswith(b"OggS"):
        return ("audio/ogg",)
    if head.startswith(b"#!AMR\n"):  # RFC 4867 5
        return ("audio/amr",)
    if head.startswith(b"#!AMR-WB\n"):
        return ("audio/amr-wb",)
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return ("audio/mpeg",)
    if (
        head[:1] == b"\xff" and head[1:2] and head[1] & 0xF6 == 0xF0
    ):  # ADTS: 12-bit sync, layer 00 (ISO/IEC 13818-7 6.2)
        return ("audio/aac",)
    return ()


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
        raise Invalid(
            _("%(name)s: files of this type are not accepted (accepted: %(types)s)")
            % {"name": name, "types": accepted()},
            "file",
        )
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
                    raise TooLarge(
                        _("is larger than %(mb).0f MB") % {"mb": settings.EVIDENCE_MAX_BYTES / 1_048_576}, "file"
                    )
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
        honest = sniff(head) or (("text/plain",) if is_text and _still_text(text, b"", final=True) else ())
        if not honest:
            raise Invalid(_("%(name)s: its content is not a file type the mechanism accepts") % {"name": name}, "file")
        if by_name not in honest:
            raise Invalid(
                _("%(name)s is mislabelled: its name says %(named)s but its content is %(content)s")
                % {"name": name, "named": by_name, "content": honest[0]},
                "file",
            )
        declared = (declared_type if isinstance(declared_type, str) else "").split(";")[0].strip().lower()
        if (
            declared
            and declared != "application/octet-stream"
            and not any(declared in (t, *ALIASES.get(t, ())) for t in honest)
        ):
            raise Invalid(
                _("%(name)s is mislabelled: it was sent as %(declared)s but its content is %(content)s")
                % {"name": name, "declared": declared, "content": by_name},
                "file",
            )
        content = by_name  # one of the types the content may go by: the one its name gives
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
        raise NotFound(
            _("The file of this evidence is missing from the evidence store; tell the secretariat."), "evidence"
        ) from None
    digest = hashlib.sha256()
    while chunk := f.read(1 << 20):
        digest.update(chunk)
    if digest.hexdigest() != sha256:
        f.close()
        raise Conflict(
            _("The stored file no longer matches the SHA-256 in the record; tell the secretariat."), "evidence"
        )
    f.seek(0)
    return f
