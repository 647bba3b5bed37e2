"""Signer and verifier keys in the Go note format: generation, strict parsing, key separation."""

import base64
import hashlib
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ceasefire.record import note

PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"


def vkey_for(name: str, alg: int, public: bytes) -> str:
    """A vkey whose key ID is computed correctly, so only the property under test is wrong."""
    kid = hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + public).digest()[:4]
    return f"{name}+{kid.hex()}+{base64.b64encode(bytes([alg]) + public).decode()}"


def test_generate_key_round_trips():
    skey, vkey = note.generate_key("ceasefire.example/log")
    s, v = note.parse_signer_key(skey), note.parse_verifier_key(vkey)
    assert skey.startswith("PRIVATE+KEY+ceasefire.example/log+") and vkey.startswith("ceasefire.example/log+")
    assert s.verifier == v and v.alg == note.ED25519 and len(s.seed) == 32
    assert v.key_id == hashlib.sha256(b"ceasefire.example/log\n\x01" + v.public).digest()[:4]
    assert str(s) == skey and str(v) == vkey
    assert "seed" not in repr(s) and s.seed.hex() not in repr(s)


def test_generate_cosigner_key_uses_type_0x04():
    skey, vkey = note.generate_cosigner_key("west.example/witness")
    v = note.parse_verifier_key(vkey)
    assert v.alg == note.COSIGNATURE_V1 and base64.b64decode(vkey.split("+", 2)[2])[0] == 0x04
    assert v.key_id == hashlib.sha256(b"west.example/witness\n\x04" + v.public).digest()[:4]
    assert note.parse_signer_key(skey).verifier == v


def test_keys_are_fresh():
    assert note.generate_key("a")[0] != note.generate_key("a")[0]


@pytest.mark.parametrize(
    "name, problem",
    [
        ("", "empty"),
        ("two words", "contains a space"),
        ("nbsp\u00a0name", "contains a space"),
        ("ideographic\u3000space", "contains a space"),
        ("a+b", "contains '+'"),
        ("tab\tname", "contains a space"),
        ("bell\x07", "control character U+0007"),
        ("del\x7f", "control character U+007F"),
        ("c1\x85", "contains a space"),
        ("surrogate\ud800", "not valid UTF-8"),
    ],
)
def test_bad_names_are_rejected(name, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        note.generate_key(name)


def test_names_may_be_arabic():
    skey, vkey = note.generate_key("لجنة.example/سجل")
    assert note.verify(note.sign("نص\n", skey), [vkey]) == ["لجنة.example/سجل"]


def test_go_vkey_manglings_are_rejected():
    # note_test.go TestNewVerifier: every proper substring and every one-byte increment must fail.
    b = PETER_VKEY
    for i in range(len(b) + 1):
        for j in range(i + 1, len(b) + 1):
            if (i, j) != (0, len(b)):
                with pytest.raises(ValueError):
                    note.parse_verifier_key(b[i:j])
    for i in range(len(b)):
        with pytest.raises(ValueError):
            note.parse_verifier_key(b[:i] + chr(ord(b[i]) + 1) + b[i + 1 :])


def test_go_skey_manglings_are_rejected():
    b = PETER_SKEY
    for i in range(len(b) + 1):
        for j in range(i + 1, len(b) + 1):
            if (i, j) != (0, len(b)):
                with pytest.raises(ValueError):
                    note.parse_signer_key(b[i:j])
    for i in range(len(b)):
        with pytest.raises(ValueError):
            note.parse_signer_key(b[:i] + chr(ord(b[i]) + 1) + b[i + 1 :])


@pytest.mark.parametrize(
    "vkey, problem",
    [
        # Go's own bad keys: wrong length with adjusted key hash; unknown algorithm with adjusted key hash.
        ("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==", "not canonical base64"),
        (vkey_for("PeterNeumann", 1, bytes(range(1, 34))), "key is 34 bytes, want 33"),
        ("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "unknown algorithm 0x65"),
        (
            "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "key ID c74f20a4 does not match the key .expected c74f20a3",
        ),
        ("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "not 8 lowercase hex digits"),
        ("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "not 8 lowercase hex digits"),
        ("PeterNeumann+0xc74f20+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "not 8 lowercase hex digits"),
        ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", "not valid base64"),
        ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n", "not valid base64"),
        ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq_LDE4izWy10TW", "not valid base64"),
        ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW ", "not valid base64"),
        ("PeterNeumann+c74f20a3", "not of the form name\\+keyid\\+base64"),
        ("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "name is empty"),
        ("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "contains a space"),
        (
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
            "not 8 lowercase hex digits",
        ),
    ],
)
def test_bad_vkeys_name_the_problem(vkey, problem):
    with pytest.raises(ValueError, match=problem):
        note.parse_verifier_key(vkey)


def test_base64_must_be_strict_and_canonical():
    # A 33-byte key has no spare bits, so non-canonical base64 is exercised on the shared decoder.
    with pytest.raises(ValueError, match="not canonical base64"):
        note.parse_verifier_key(PETER_VKEY + "==")  # Python's decoder ignores the surplus padding
    with pytest.raises(ValueError, match="not canonical base64"):
        note._b64decode("AB==", "x")  # 'B' sets bits past the single byte: Python decodes it to 00 anyway
    with pytest.raises(ValueError, match="not valid base64"):
        note._b64decode("AA", "x")  # missing padding
    with pytest.raises(ValueError, match="not valid base64"):
        note._b64decode("A\u00e9AA", "x")  # non-ASCII


@pytest.mark.parametrize(
    "skey, problem",
    [
        ("PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "does not start with PRIVATE\\+KEY\\+"),
        (
            "private+key+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
            "does not start with PRIVATE\\+KEY\\+",
        ),
        (
            "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
            "key ID c74f20a4 does not match",
        ),
        (
            "PRIVATE+KEY+EnochRoot+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
            "key ID c74f20a3 does not match",
        ),
        ("PRIVATE+KEY+PeterNeumann+c74f20a3+AIEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "unknown algorithm 0x00"),
        ("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDF", "not valid base64"),
    ],
)
def test_bad_skeys_name_the_problem(skey, problem):
    with pytest.raises(ValueError, match=problem):
        note.parse_signer_key(skey)


def test_key_of_the_wrong_type_is_not_a_str():
    with pytest.raises(ValueError, match="must be a str"):
        note.parse_verifier_key(PETER_VKEY.encode())


def test_small_order_public_keys_are_rejected():
    identity = bytes([1]) + bytes(31)
    # Why: OpenSSL (via cryptography) accepts the signature R=identity, S=0 on ANY message under this key,
    # so a party registering it could later disown every "cosignature" it made.
    forged = bytes([1]) + bytes(31) + bytes(32)
    Ed25519PublicKey.from_public_bytes(identity).verify(forged, b"anything at all\n")
    small = {
        "identity (order 1)": identity,
        "y=-1 (order 2)": bytes.fromhex("ec" + "ff" * 30 + "7f"),
        "y=0 (order 4)": bytes(32),
        "y=0, x negative (order 4)": bytes(31) + b"\x80",
        "order 8": bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
        "order 8, other": bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    }
    for label, pk in small.items():
        for alg in (note.ED25519, note.COSIGNATURE_V1):
            with pytest.raises(ValueError, match="small order"):
                note.parse_verifier_key(vkey_for("p", alg, pk))


def test_non_canonical_and_off_curve_public_keys_are_rejected():
    with pytest.raises(ValueError, match="not a canonical Ed25519 encoding"):
        note.parse_verifier_key(vkey_for("p", 1, bytes.fromhex("ed" + "ff" * 30 + "7f")))  # y = p
    off = next(
        y
        for y in range(2, 100)
        if "not a valid Ed25519 point" in _error(lambda: note._check_point(y.to_bytes(32, "little"), "x"))
    )
    with pytest.raises(ValueError, match="not a valid Ed25519 point"):
        note.parse_verifier_key(vkey_for("p", 1, off.to_bytes(32, "little")))
    with pytest.raises(ValueError, match="not a valid Ed25519 point"):  # x = 0 with the sign bit set
        note.parse_verifier_key(vkey_for("p", 1, (1).to_bytes(32, "little")[:31] + b"\x80"))


def _error(fn) -> str:
    try:
        fn()
    except ValueError as e:
        return str(e)
    return ""


def test_sign_refuses_a_cosigner_key_and_cosign_a_log_key():
    cskey, _ = note.generate_cosigner_key("w")
    with pytest.raises(ValueError, match=r"is for cosignature/v1 .type 0x04.; use cosign\(\)"):
        note.sign("cosignature/v1\ntime 1\nlog\n1\n" + "A" * 43 + "=\n", cskey)
    body = "log\n1\n" + "A" * 43 + "=\n"
    with pytest.raises(ValueError, match=r"is for Ed25519 .type 0x01.; use sign\(\)"):
        note.cosign(body, PETER_SKEY, 1)


def test_ambiguous_verifier_keys_are_rejected():
    a = note.parse_verifier_key(PETER_VKEY)
    b = note.VerifierKey(a.name, a.alg, a.key_id, note.parse_verifier_key(note.generate_key("x")[1]).public)
    signed = note.sign("hi\n", PETER_SKEY)
    with pytest.raises(ValueError, match=r"ambiguous key PeterNeumann\+c74f20a3"):
        note.verify(signed, [a, b])
    assert note.verify(signed, [PETER_VKEY, PETER_VKEY]) == ["PeterNeumann"]  # the same key twice is fine


def test_a_single_vkey_string_is_a_type_error():
    with pytest.raises(TypeError, match="not a single string"):
        note.verify(note.sign("hi\n", PETER_SKEY), PETER_VKEY)
