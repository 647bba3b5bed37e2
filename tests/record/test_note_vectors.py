"""Published signed-note vectors: golang.org/x/mod sumdb/note note_test.go and the C2SP signed-note example."""

import re

import pytest

from ceasefire.record import note

PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

C2SP_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
C2SP_NOTE = (
    "This is an example message.\n\n"
    "— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)


def test_peter_neumann_keys_parse_and_key_id_is_rederived():
    v = note.parse_verifier_key(PETER_VKEY)
    s = note.parse_signer_key(PETER_SKEY)
    assert (v.name, v.alg, v.key_id.hex(), len(v.public)) == ("PeterNeumann", 0x01, "c74f20a3", 32)
    assert (s.name, s.alg, s.key_id) == (v.name, v.alg, v.key_id)
    assert s.verifier == v
    assert str(v) == PETER_VKEY and str(s) == PETER_SKEY
    assert note._key_id("PeterNeumann", 0x01, v.public).hex() == "c74f20a3"


def test_sign_reproduces_the_go_note_byte_for_byte():
    assert note.sign(TEXT, PETER_SKEY) == TEXT + "\n" + PETER_SIG
    assert note.sign(TEXT, note.parse_signer_key(PETER_SKEY)) == TEXT + "\n" + PETER_SIG


def test_go_note_verifies():
    assert note.verify(TEXT + "\n" + PETER_SIG, [PETER_VKEY]) == ["PeterNeumann"]
    assert note.verify((TEXT + "\n" + PETER_SIG).encode(), [PETER_VKEY]) == ["PeterNeumann"]


def test_enoch_root_second_signature_verifies():
    signed = TEXT + "\n" + PETER_SIG + ENOCH_SIG
    assert note.verify(signed, [PETER_VKEY, ENOCH_VKEY]) == ["PeterNeumann", "EnochRoot"]
    assert note.verify(signed, [ENOCH_VKEY]) == ["EnochRoot"]
    assert note.verify(signed, [PETER_VKEY]) == ["PeterNeumann"]  # Enoch unknown: ignored
    assert note.parse_verifier_key(ENOCH_VKEY).key_id.hex() == "af0cfe78"


def test_go_note_with_no_known_key_is_rejected():
    with pytest.raises(ValueError, match="no signature from a known key"):
        note.verify(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [])


def test_go_tampered_text_is_rejected():
    tampered = TEXT.replace("answer", "Answer") + "\n" + PETER_SIG
    with pytest.raises(ValueError, match=r"invalid signature for key PeterNeumann\+c74f20a3"):
        note.verify(tampered, [PETER_VKEY])


def test_go_invalid_signature_vector_is_rejected():
    # note_test.go inserts "ABCD" inside Peter's base64: same key ID, a 67-byte signature.
    i = PETER_SIG.index(" x08") + 1 + 43
    bad = PETER_SIG[:i] + "ABCD" + PETER_SIG[i:]
    assert note.parse_signature_line(bad).key_id.hex() == "c74f20a3"
    with pytest.raises(ValueError, match=r"invalid signature for key PeterNeumann\+c74f20a3: 67 bytes, want 64"):
        note.verify(TEXT + "\n" + bad, [PETER_VKEY])


@pytest.mark.parametrize(
    "msg, problem",
    [
        (TEXT, "no blank line"),
        (TEXT + "\n", "no signature lines"),
        (TEXT + "\n" + PETER_SIG[:-1], "does not end in a newline"),
        ("\x01" + TEXT + "\n" + PETER_SIG, "control character U+0001"),
        (b"\xff" + (TEXT + "\n" + PETER_SIG).encode(), "not valid UTF-8"),
        (
            TEXT
            + "\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
            "does not end in a newline",
        ),
        (
            TEXT
            + "\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            "not valid base64",
        ),
        (TEXT + "\n" + PETER_SIG + "Unexpected line.\n", "does not start with an em dash"),
    ],
)
def test_go_malformed_notes_are_rejected(msg, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        note.verify(msg, [PETER_VKEY])


def test_go_too_many_signatures_vector_is_rejected():
    with pytest.raises(ValueError, match="101 signatures, more than 100"):
        note.verify(TEXT + "\n" + PETER_SIG * 101, [PETER_VKEY])


def test_go_duplicated_signatures_are_rejected_where_go_drops_them():
    # Go's Open silently drops repeated lines; two parties who distrust each other get an error instead.
    with pytest.raises(ValueError, match=r"duplicate signature for key PeterNeumann\+c74f20a3"):
        note.verify(TEXT + "\n" + PETER_SIG + PETER_SIG, [PETER_VKEY])
    with pytest.raises(ValueError, match=r"duplicate signature for key EnochRoot\+af0cfe78"):
        note.verify(TEXT + "\n" + PETER_SIG + ENOCH_SIG + ENOCH_SIG, [PETER_VKEY])


def test_c2sp_example_vkey_and_note_verify():
    v = note.parse_verifier_key(C2SP_VKEY)
    assert (v.name, v.key_id.hex(), v.alg) == ("example.com/foo", "530d903a", 0x01)
    assert note.verify(C2SP_NOTE, [C2SP_VKEY]) == ["example.com/foo"]
    assert note.parse_note(C2SP_NOTE)[0] == "This is an example message.\n"
    with pytest.raises(ValueError, match="invalid signature"):
        note.verify(C2SP_NOTE.replace("example message", "example massage"), [C2SP_VKEY])


def test_text_with_blank_lines_ends_at_the_last_blank_line():
    # The C2SP signed-note opening example (Quasimodo) has an empty line inside its text.
    text = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n"
    skey, vkey = note.generate_key("quasimodo.example/salvatore")
    signed = note.sign(text, skey)
    assert note.parse_note(signed)[0] == text
    assert note.verify(signed, [vkey]) == ["quasimodo.example/salvatore"]
    for odd in ("\n", "a\n\n", "\n\n\n"):  # texts that are or end with blank lines still round-trip
        assert note.parse_note(note.sign(odd, skey))[0] == odd
        assert note.verify(note.sign(odd, skey), [vkey])
