"""Signed notes, checkpoints and cosignatures: C2SP signed-note, tlog-checkpoint, tlog-cosignature (v1, Ed25519).

Standard library and `cryptography` only (no Django), so bundles verify offline. Parsing is strict because the
two parties distrust each other: every malformed input raises ValueError naming what is wrong.

Keys use the golang.org/x/mod/sumdb/note string format:
    signer key    PRIVATE+KEY+<name>+<hex key ID>+base64(type || 32-byte Ed25519 seed)
    verifier key  <name>+<hex key ID>+base64(type || 32-byte Ed25519 public key)
    key ID        SHA-256(name || 0x0A || type || public key)[:4]
Type 0x01 (`ED25519`) signs note text: the log's key. Type 0x04 (`COSIGNATURE_V1`) signs only cosignatures: a
party's witness key. A key is made for one purpose (`generate_key` / `generate_cosigner_key`): `sign` refuses a
cosigner key and `cosign` a log key, so no note text can ever be passed off as a cosignature. (Go's
transparency-dev witness instead derives a cosigner from a type-0x01 signer key; its verifier keys, type 0x04,
are the same as ours.)

A checkpoint note is built in steps: `note = sign(cp.body(), log_skey)`, each witness returns
`cosign(cp.body(), its_skey, now)`, and `add_signatures(note, lines)` appends those lines. Readers call
`verify_checkpoint(note, log_vkey, cosigner_vkeys)`.

Stricter than the specs, on purpose: hex key IDs must be 8 lowercase digits; base64 must be canonical;
a note may not carry two signatures with the same (name, key ID), nor more than 100 signatures; Ed25519
public keys of small order (which verify forged signatures) are refused; `verify_checkpoint` requires the
checkpoint origin to equal the log key's name (a SHOULD in tlog-checkpoint).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
MAX_SIGNATURES = 100  # the spec requires accepting at least 16; Go's note.Open rejects more than 100
MAX_INT63 = 2**63 - 1
DASH = "\u2014 "  # em dash and space: the start of every signature line
_PRIVATE = "PRIVATE+KEY+"
_KIND = {ED25519: "Ed25519", COSIGNATURE_V1: "cosignature/v1"}


# ---------------------------------------------------------------------------------------------- helpers
def _b64decode(s: str, what: str) -> bytes:
    """Standard base64 (RFC 4648 §4), padded, with no stray characters and no non-zero trailing bits."""
    try:
        raw = base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError) as e:
        raise ValueError(f"{what} is not valid base64 ({e})") from None
    if base64.b64encode(raw).decode() != s:
        raise ValueError(f"{what} is not canonical base64")
    return raw


def _check_chars(s: str, what: str) -> None:
    """Valid UTF-8 (no lone surrogates) and no ASCII control character other than newline."""
    if not isinstance(s, str):
        raise ValueError(f"{what} must be a str, not {type(s).__name__}")
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} is not valid UTF-8") from None
    bad = re.search(r"[\x00-\x09\x0b-\x1f]", s)
    if bad:
        c = bad.group()
        hint = " (CRLF line endings are not allowed)" if c == "\r" else ""
        raise ValueError(f"{what} contains control character U+{ord(c):04X} at offset {bad.start()}{hint}")


def _check_text(text: str, what: str = "text") -> None:
    _check_chars(text, what)
    if not text.endswith("\n"):
        raise ValueError(f"{what} does not end in a newline")


def _check_name(name: str, what: str = "key name") -> None:
    """Non-empty, valid UTF-8, no Unicode space, no '+', no control character (Unicode category Cc)."""
    if not isinstance(name, str):
        raise ValueError(f"{what} must be a str, not {type(name).__name__}")
    if not name:
        raise ValueError(f"{what} is empty")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} {name!r} is not valid UTF-8") from None
    for c in name:
        if c.isspace() or unicodedata.category(c) in ("Zs", "Zl", "Zp"):
            raise ValueError(f"{what} {name!r} contains a space (U+{ord(c):04X})")
        if unicodedata.category(c) == "Cc":
            raise ValueError(f"{what} {name!r} contains control character U+{ord(c):04X}")
    if "+" in name:
        raise ValueError(f"{what} {name!r} contains '+'")


def _key_id(name: str, alg: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + public).digest()[:4]


_P = 2**255 - 19
_D = -121665 * pow(121666, -1, _P) % _P


def _check_point(pk: bytes, what: str) -> None:
    """Reject non-canonical or off-curve encodings and points of small order (RFC 8032 §5.1.3 decoding)."""
    y = int.from_bytes(pk, "little") & ((1 << 255) - 1)
    sign = pk[31] >> 7
    if y >= _P:
        raise ValueError(f"{what}: public key is not a canonical Ed25519 encoding")
    x2 = (y * y - 1) * pow(_D * y * y + 1, -1, _P) % _P
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * pow(2, (_P - 1) // 4, _P) % _P
    if (x * x - x2) % _P or (x == 0 and sign):
        raise ValueError(f"{what}: public key is not a valid Ed25519 point")
    for _ in range(3):  # [8]P; complete twisted Edwards doubling (a = -1)
        t = _D * x * x * y * y
        x, y = 2 * x * y * pow(1 + t, -1, _P) % _P, (y * y + x * x) * pow(1 - t, -1, _P) % _P
    if x == 0:  # [8]P is the identity: P has order 1, 2, 4 or 8
        raise ValueError(f"{what}: public key has small order")


def _check_alg(alg: int, what: str) -> None:
    if alg not in _KIND:
        raise ValueError(f"{what}: unknown algorithm 0x{alg:02x} (want 0x01 Ed25519 or 0x04 cosignature/v1)")


# ---------------------------------------------------------------------------------------------- keys
@dataclass(frozen=True)
class VerifierKey:
    name: str
    alg: int  # ED25519 or COSIGNATURE_V1
    key_id: bytes  # 4 bytes
    public: bytes  # 32-byte Ed25519 public key

    def __str__(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(bytes([self.alg]) + self.public).decode()}"

    def _verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
            return True
        except InvalidSignature:
            return False


@dataclass(frozen=True)
class SignerKey:
    name: str
    alg: int
    key_id: bytes
    seed: bytes = field(repr=False)

    def __str__(self) -> str:
        return f"{_PRIVATE}{self.name}+{self.key_id.hex()}+{base64.b64encode(bytes([self.alg]) + self.seed).decode()}"

    @property
    def verifier(self) -> VerifierKey:
        return VerifierKey(self.name, self.alg, self.key_id, _public(self.seed))

    def _sign(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)


def _public(seed: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()


def _parse_key(s: str, what: str) -> tuple[str, int, bytes, bytes]:
    """'<name>+<hex id>+<base64>' -> (name, alg, key ID, 32 key bytes); the ID is checked by the caller."""
    if not isinstance(s, str):
        raise ValueError(f"{what} must be a str, not {type(s).__name__}")
    parts = s.split("+", 2)  # the name and the ID hold no '+'; base64 may
    if len(parts) != 3:
        raise ValueError(f"{what} is not of the form name+keyid+base64")
    name, hex_id, b64 = parts
    _check_name(name, f"{what} name")
    if not re.fullmatch(r"[0-9a-f]{8}", hex_id):
        raise ValueError(f"{what} key ID {hex_id!r} is not 8 lowercase hex digits")
    raw = _b64decode(b64, f"{what} key")
    if len(raw) != 33:
        raise ValueError(f"{what} key is {len(raw)} bytes, want 33 (type byte and 32-byte key)")
    _check_alg(raw[0], what)
    return name, raw[0], bytes.fromhex(hex_id), raw[1:]


class KeyIdMismatch(ValueError):
    """A well-formed key whose key ID is not its own: altered, or pieced together from two keys."""


def parse_verifier_key(vkey: str) -> VerifierKey:
    name, alg, key_id, public = _parse_key(vkey, "vkey")
    _check_point(public, "vkey")
    if key_id != _key_id(name, alg, public):
        raise KeyIdMismatch(
            f"vkey key ID {key_id.hex()} does not match the key (expected {_key_id(name, alg, public).hex()})"
        )
    return VerifierKey(name, alg, key_id, public)


def parse_signer_key(skey: str) -> SignerKey:
    if not isinstance(skey, str) or not skey.startswith(_PRIVATE):
        raise ValueError("skey does not start with PRIVATE+KEY+")
    name, alg, key_id, seed = _parse_key(skey[len(_PRIVATE) :], "skey")
    if key_id != _key_id(name, alg, _public(seed)):
        raise KeyIdMismatch(
            f"skey key ID {key_id.hex()} does not match the key (expected {_key_id(name, alg, _public(seed)).hex()})"
        )
    return SignerKey(name, alg, key_id, seed)


def _generate(name: str, alg: int) -> tuple[str, str]:
    _check_name(name)
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    key = SignerKey(name, alg, _key_id(name, alg, _public(seed)), seed)
    return str(key), str(key.verifier)


def generate_key(name: str) -> tuple[str, str]:
    """A new Ed25519 (type 0x01) note key: (skey, vkey). The log signs checkpoints with it."""
    return _generate(name, ED25519)


def generate_cosigner_key(name: str) -> tuple[str, str]:
    """A new cosignature/v1 (type 0x04) key: (skey, vkey). Each party's witness cosigns with its own."""
    return _generate(name, COSIGNATURE_V1)


def _signer(skey: str | SignerKey, alg: int) -> SignerKey:
    key = skey if isinstance(skey, SignerKey) else parse_signer_key(skey)
    if key.alg != alg:
        use = "cosign" if key.alg == COSIGNATURE_V1 else "sign"
        raise ValueError(f"key {key.name} is for {_KIND[key.alg]} (type 0x{key.alg:02x}); use {use}()")
    return key


def _verifiers(vkeys: Iterable[str | VerifierKey]) -> dict[tuple[str, bytes], VerifierKey]:
    if isinstance(vkeys, (str, bytes)):
        raise TypeError("vkeys must be a sequence of verifier keys, not a single string")
    known: dict[tuple[str, bytes], VerifierKey] = {}
    for v in vkeys:
        k = v if isinstance(v, VerifierKey) else parse_verifier_key(v)
        if known.setdefault((k.name, k.key_id), k) != k:
            raise ValueError(f"ambiguous key {k.name}+{k.key_id.hex()}: two different verifier keys")
    return known


# ---------------------------------------------------------------------------------------------- notes
@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes  # 4 bytes
    sig: bytes  # what follows the key ID: 64 bytes for Ed25519, 8 + 64 for cosignature/v1

    @property
    def line(self) -> str:
        return f"{DASH}{self.name} {base64.b64encode(self.key_id + self.sig).decode()}\n"


def parse_signature_line(line: str) -> Signature:
    """One line '— <name> <base64(key ID || signature)>\\n', newline included."""
    _check_chars(line, "signature line")
    if not line.endswith("\n") or line.count("\n") != 1:
        raise ValueError("signature line must be exactly one line ending in a newline")
    if not line.startswith(DASH):
        raise ValueError(f"signature line {line[:40]!r} does not start with an em dash (U+2014) and a space")
    name, space, b64 = line[len(DASH) : -1].partition(" ")
    _check_name(name, "signature key name")
    if not space:
        raise ValueError(f"signature line for {name} has no space between key name and signature")
    raw = _b64decode(b64, f"signature of {name}")
    if len(raw) < 5:
        raise ValueError(f"signature of {name} is {len(raw)} bytes, want a 4-byte key ID and a signature")
    return Signature(name, raw[:4], raw[4:])


def parse_note(note: str | bytes) -> tuple[str, list[Signature]]:
    """Split a signed note into its text and its signatures, checking syntax only (no verification)."""
    if isinstance(note, (bytes, bytearray)):
        try:
            note = bytes(note).decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("note is not valid UTF-8") from None
    _check_chars(note, "note")
    split = note.rfind("\n\n")  # the text ends at the last blank line
    if split < 0:
        raise ValueError("note has no blank line between text and signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block:
        raise ValueError("note has no signature lines after the blank line")
    if not block.endswith("\n"):
        raise ValueError("note does not end in a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise ValueError(f"note has {len(lines)} signatures, more than {MAX_SIGNATURES}")
    sigs = [parse_signature_line(ln + "\n") for ln in lines]
    seen = set()
    for s in sigs:
        if (s.name, s.key_id) in seen:
            raise ValueError(f"duplicate signature for key {s.name}+{s.key_id.hex()}")
        seen.add((s.name, s.key_id))
    return text, sigs


def sign(text: str, skey: str | SignerKey) -> str:
    """The signed note: text, a blank line and one Ed25519 (type 0x01) signature line."""
    key = _signer(skey, ED25519)
    _check_text(text)
    return text + "\n" + Signature(key.name, key.key_id, key._sign(text.encode())).line


def add_signatures(note: str | bytes, lines: Iterable[str]) -> str:
    """The note with more signature lines (e.g. cosignatures) appended. Syntax is checked, signatures are not:
    verification is the reader's job. A line for a (name, key ID) already present is refused."""
    if isinstance(lines, str):
        raise TypeError("lines must be a sequence of signature lines, not a single string")
    text, sigs = parse_note(note)
    result = text + "\n" + "".join(s.line for s in [*sigs, *map(parse_signature_line, lines)])
    parse_note(result)  # no duplicate (name, key ID), at most MAX_SIGNATURES
    return result


def _open(note: str | bytes, known: dict[tuple[str, bytes], VerifierKey]):
    """Verify every signature from a known key; -> (text, {(name, key ID): timestamp or None}).
    Unknown (name, ID) pairs are ignored; a known key's bad signature rejects the whole note."""
    text, sigs = parse_note(note)
    verified: dict[tuple[str, bytes], int | None] = {}
    for s in sigs:
        key = known.get((s.name, s.key_id))
        if key is None:
            continue
        who = f"{s.name}+{s.key_id.hex()}"
        if key.alg == ED25519:
            ts, sig, message = None, s.sig, text.encode()
            if len(sig) != 64:
                raise ValueError(f"invalid signature for key {who}: {len(sig)} bytes, want 64")
        else:
            if len(s.sig) != 72:
                raise ValueError(f"invalid cosignature for key {who}: {len(s.sig)} bytes, want 8 + 64")
            ts, sig = int.from_bytes(s.sig[:8], "big"), s.sig[8:]
            if ts > MAX_INT63:
                raise ValueError(f"invalid cosignature for key {who}: timestamp exceeds 2^63-1")
            message = _cosigned_message(text, ts)
        if not key._verify(sig, message):
            raise ValueError(f"invalid signature for key {who}")
        verified[(s.name, s.key_id)] = ts
    return text, verified


def verify(note: str | bytes, vkeys: Sequence[str | VerifierKey]) -> list[str]:
    """Names of the known keys whose signatures verify, in note order. Raises ValueError if the note is
    malformed, if a known key's signature fails, or if no known key signed. Type-0x04 keys verify cosignatures."""
    _, verified = _open(note, _verifiers(vkeys))
    if not verified:
        raise ValueError("no signature from a known key: the note is not verified")
    return [name for name, _ in verified]


# ---------------------------------------------------------------------------------------------- checkpoints
_SIZE = re.compile(r"0|[1-9][0-9]*")  # [0-9] is ASCII only, unlike \d


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if type(self.extensions) is not tuple:
            raise ValueError("checkpoint extensions must be a tuple")
        for what, line in [("origin", self.origin), *(("extension line", e) for e in self.extensions)]:
            if not isinstance(line, str) or not line:
                raise ValueError(f"checkpoint {what} is empty")
            _check_chars(line, f"checkpoint {what}")
            if "\n" in line:
                raise ValueError(f"checkpoint {what} contains a newline")
        if type(self.size) is not int or not 0 <= self.size <= MAX_INT63:
            raise ValueError(f"checkpoint tree size {self.size!r} is not an integer in 0..2^63-1")
        if type(self.root) is not bytes or len(self.root) != 32:
            raise ValueError("checkpoint root hash must be 32 bytes")

    def body(self) -> str:
        root = base64.b64encode(self.root).decode()
        return "".join(f"{line}\n" for line in (self.origin, self.size, root, *self.extensions))


def parse_checkpoint(text: str) -> Checkpoint:
    """Strict C2SP tlog-checkpoint note text: origin, size, root, optional extension lines, each ending '\\n'."""
    _check_text(text, "checkpoint")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise ValueError(f"checkpoint has {len(lines)} lines, want at least 3 (origin, size, root)")
    for i, line in enumerate(lines, 1):
        if not line:
            raise ValueError(f"checkpoint line {i} is empty")
    origin, size, root, *extensions = lines
    if not _SIZE.fullmatch(size):
        why = "has a leading zero" if re.fullmatch(r"0[0-9]+", size) else "is not ASCII decimal"
        raise ValueError(f"checkpoint tree size {size!r} {why}")
    if len(size) > 19 or int(size) > MAX_INT63:
        raise ValueError(f"checkpoint tree size {size} exceeds 2^63-1")
    raw = _b64decode(root, "checkpoint root hash")
    if len(raw) != 32:
        raise ValueError(f"checkpoint root hash is {len(raw)} bytes, want 32")
    return Checkpoint(origin, int(size), raw, tuple(extensions))


# ---------------------------------------------------------------------------------------------- cosignatures
def _cosigned_message(body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


def cosign(checkpoint_body: str, skey: str | SignerKey, timestamp: int) -> str:
    """A cosignature/v1 signature line for the checkpoint, as of `timestamp` (POSIX seconds)."""
    key = _signer(skey, COSIGNATURE_V1)
    parse_checkpoint(checkpoint_body)
    if type(timestamp) is not int or not 0 <= timestamp <= MAX_INT63:
        raise ValueError(f"cosignature timestamp {timestamp!r} is not an integer in 0..2^63-1")
    sig = key._sign(_cosigned_message(checkpoint_body, timestamp))
    return Signature(key.name, key.key_id, timestamp.to_bytes(8, "big") + sig).line


def cosignature_timestamp(line: str | Signature) -> int:
    """The timestamp a cosignature line claims, WITHOUT verifying it (for display and evidence)."""
    s = line if isinstance(line, Signature) else parse_signature_line(line)
    if len(s.sig) != 72:
        raise ValueError(f"cosignature of {s.name} is {4 + len(s.sig)} bytes, want 76")
    ts = int.from_bytes(s.sig[:8], "big")
    if ts > MAX_INT63:
        raise ValueError(f"cosignature timestamp of {s.name} exceeds 2^63-1")
    return ts


def verify_checkpoint(
    note: str | bytes, log_vkey: str | VerifierKey, cosigner_vkeys: Sequence[str | VerifierKey] = ()
) -> tuple[Checkpoint, dict[str, int]]:
    """Verify a checkpoint note: the log's Ed25519 signature must verify, the text must be a valid checkpoint
    whose origin is the log key's name, and every cosignature from a listed cosigner must verify.
    -> (checkpoint, {cosigner name: timestamp}) for the cosigners present; the caller enforces its quorum."""
    log = log_vkey if isinstance(log_vkey, VerifierKey) else parse_verifier_key(log_vkey)
    if log.alg != ED25519:
        raise ValueError(f"log key {log.name} must be an Ed25519 (type 0x01) key")
    cosigners = _verifiers(cosigner_vkeys)
    names = [k.name for k in cosigners.values()]
    for k in cosigners.values():
        if k.alg != COSIGNATURE_V1:
            raise ValueError(f"cosigner key {k.name} must be a cosignature/v1 (type 0x04) key")
        if names.count(k.name) > 1:
            raise ValueError(f"two cosigner keys are named {k.name}")
    text, verified = _open(note, {**cosigners, (log.name, log.key_id): log})
    if (log.name, log.key_id) not in verified:
        raise ValueError(f"checkpoint is not signed by the log key {log.name}+{log.key_id.hex()}")
    cp = parse_checkpoint(text)
    if cp.origin != log.name:
        raise ValueError(f"checkpoint origin {cp.origin!r} is not the log key name {log.name!r}")
    return cp, {name: ts for (name, _), ts in verified.items() if ts is not None}
