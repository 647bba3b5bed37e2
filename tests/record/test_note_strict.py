"""Strict signed-note parsing and verification: every rejection names its problem."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.record import note

PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
B64 = "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
SIG = f"— PeterNeumann {B64}\n"
NOTE = TEXT + "\n" + SIG


def rejects(msg, problem, vkeys=(PETER_VKEY,)):
    with pytest.raises(ValueError, match=re.escape(problem)):
        note.verify(msg, list(vkeys))


# ---------------------------------------------------------------------------------------------- sign
@pytest.mark.parametrize(
    "text, problem",
    [
        ("no final newline", "text does not end in a newline"),
        ("", "text does not end in a newline"),
        ("nul \x00\n", "control character U+0000"),
        ("tab\there\n", "control character U+0009"),
        ("windows\r\n", "control character U+000D at offset 7 (CRLF line endings are not allowed)"),
        ("escape \x1b[31m\n", "control character U+001B"),
        ("lone \ud800 surrogate\n", "not valid UTF-8"),
        (b"bytes\n", "text must be a str, not bytes"),
    ],
)
def test_sign_rejects_invalid_text(text, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        note.sign(text, PETER_SKEY)


def test_sign_accepts_any_unicode_text_without_controls():
    skey, vkey = note.generate_key("k")
    text = "تقرير رقم R-2026-0042\n— not a signature line\nDEL \x7f and NEL \x85 are not ASCII controls\n"
    assert note.parse_note(note.sign(text, skey))[0] == text
    assert note.verify(note.sign(text, skey), [vkey]) == ["k"]


# ---------------------------------------------------------------------------------------------- keys
def test_right_name_with_wrong_key_id_is_unknown_so_nothing_verifies():
    other_skey, _ = note.generate_key("PeterNeumann")  # same name, different key: different key ID
    signed = note.sign(TEXT, other_skey)
    assert note.parse_note(signed)[1][0].key_id.hex() != "c74f20a3"
    rejects(signed, "no signature from a known key")


def test_known_key_id_with_a_signature_from_a_wrong_key_is_rejected():
    other_skey, _ = note.generate_key("PeterNeumann")
    forged = note.parse_note(note.sign(TEXT, other_skey))[1][0]
    line = note.Signature("PeterNeumann", bytes.fromhex("c74f20a3"), forged.sig).line
    rejects(TEXT + "\n" + line, "invalid signature for key PeterNeumann+c74f20a3")


def test_a_failing_known_signature_rejects_the_note_even_if_another_verifies():
    skey, vkey = note.generate_key("other")
    bad = note.Signature("other", note.parse_verifier_key(vkey).key_id, bytes(64)).line
    rejects(NOTE + bad, "invalid signature for key other+", [PETER_VKEY, vkey])
    assert note.verify(NOTE + note.parse_note(note.sign(TEXT, skey))[1][0].line, [PETER_VKEY, vkey]) == [
        "PeterNeumann",
        "other",
    ]


def test_unknown_name_with_a_known_key_id_is_ignored():
    rejects(TEXT + "\n" + SIG.replace("PeterNeumann", "CarmenSandiego"), "no signature from a known key")
    assert note.verify(NOTE + SIG.replace("PeterNeumann", "CarmenSandiego"), [PETER_VKEY]) == ["PeterNeumann"]


# ---------------------------------------------------------------------------------------------- structure
@pytest.mark.parametrize(
    "msg, problem",
    [
        (TEXT + SIG, "no blank line between text and signatures"),
        ("— PeterNeumann " + B64 + "\n", "no blank line"),
        (NOTE[:-1], "note does not end in a newline"),
        (NOTE + "\n", "no signature lines after the blank line"),
        (TEXT + "\n", "no signature lines after the blank line"),
        (NOTE.replace("\n", "\r\n"), "control character U+000D"),
        (NOTE.replace("\n", "\r\n"), "CRLF line endings are not allowed"),
        ("\x00" + NOTE, "note contains control character U+0000 at offset 0"),
        (NOTE[:-1] + "\x0c\n", "control character U+000C"),
        (TEXT.replace("answer", "ans\x08wer") + "\n" + SIG, "control character U+0008"),
        ("lone \udfff\n\n" + SIG, "note is not valid UTF-8"),
        (b"\xed\xa0\x80\n\n" + SIG.encode(), "note is not valid UTF-8"),  # an encoded surrogate
        (b"\xc0\xaf\n\n" + SIG.encode(), "note is not valid UTF-8"),  # overlong '/'
        (NOTE + SIG, "duplicate signature for key PeterNeumann+c74f20a3"),
        (TEXT + "\n" + SIG.replace("—", "-"), "does not start with an em dash (U+2014) and a space"),
        (TEXT + "\n" + SIG.replace("—", "–"), "does not start with an em dash"),  # en dash
        (TEXT + "\n" + SIG.replace("— ", "—"), "does not start with an em dash"),
        (TEXT + "\n" + SIG.replace(" x08", "  x08"), "signature of PeterNeumann is not valid base64"),
        (TEXT + "\n" + SIG.replace("PeterNeumann ", ""), "signature line for x08go/ZJ"),
        (TEXT + "\n" + SIG.replace("PeterNeumann", "Peter+Neumann"), "signature key name 'Peter+Neumann' contains '+'"),
        (TEXT + "\n" + SIG.replace("PeterNeumann", "Peter\u00a0Neumann"), "contains a space (U+00A0)"),
        (
            TEXT + "\n" + "— PeterNeumann\n",
            "signature line for PeterNeumann has no space between key name and signature",
        ),
        (TEXT + "\n" + "— PeterNeumann \n", "signature of PeterNeumann is 0 bytes"),
        (TEXT + "\n" + "— PeterNeumann x08gow==\n", "signature of PeterNeumann is 4 bytes"),
        (TEXT + "\n" + SIG.replace("x08go/", "x08go_"), "signature of PeterNeumann is not valid base64"),
        (TEXT + "\n" + SIG.replace("x08go/", "x08go-"), "signature of PeterNeumann is not valid base64"),
        (TEXT + "\n" + SIG.replace("AM=", "AM"), "signature of PeterNeumann is not valid base64"),  # missing padding
        (TEXT + "\n" + SIG.replace("AM=", "AN="), "signature of PeterNeumann is not canonical base64"),  # trailing bits
        (TEXT + "\n" + SIG.replace("AM=", "AM=="), "signature of PeterNeumann is not"),
        (TEXT + "\n" + SIG.replace("x08go", "x08g\u00f6"), "signature of PeterNeumann is not valid base64"),
    ],
)
def test_malformed_notes_name_the_problem(msg, problem):
    rejects(msg, problem)


def test_peter_line_with_canonical_base64_is_what_the_non_canonical_one_decodes_to():
    # The non-canonical variant carries the very same bytes: only the round-trip check catches it.
    import base64

    assert base64.b64decode(B64.replace("AM=", "AN=")) == base64.b64decode(B64)


def test_sixteen_and_a_hundred_signatures_are_accepted_and_a_hundred_and_one_rejected():
    keys = [note.generate_key(f"signer{i}") for i in range(101)]
    lines = [note.parse_note(note.sign(TEXT, s))[1][0].line for s, _ in keys]
    vkeys = [v for _, v in keys]
    assert len(note.verify(TEXT + "\n" + "".join(lines[:16]), vkeys)) == 16
    assert note.verify(TEXT + "\n" + "".join(lines[:100]), vkeys[:1]) == ["signer0"]
    rejects(TEXT + "\n" + "".join(lines), "note has 101 signatures, more than 100", vkeys)


def test_parse_note_returns_text_and_signatures():
    text, sigs = note.parse_note(NOTE)
    assert text == TEXT and len(sigs) == 1
    assert (sigs[0].name, sigs[0].key_id.hex(), len(sigs[0].sig), sigs[0].line) == ("PeterNeumann", "c74f20a3", 64, SIG)


@pytest.mark.parametrize(
    "line, problem",
    [
        (SIG[:-1], "exactly one line ending in a newline"),
        (SIG + SIG, "exactly one line ending in a newline"),
        ("\n", "does not start with an em dash"),
    ],
)
def test_parse_signature_line_rejects(line, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        note.parse_signature_line(line)


# ---------------------------------------------------------------------------------------------- add_signatures
def test_add_signatures_appends_lines_that_then_verify():
    skey, vkey = note.generate_key("EnochRoot")
    enoch = note.parse_note(note.sign(TEXT, skey))[1][0].line
    both = note.add_signatures(NOTE, [enoch])
    assert both == NOTE + enoch
    assert note.verify(both, [PETER_VKEY, vkey]) == ["PeterNeumann", "EnochRoot"]
    assert note.add_signatures(NOTE, []) == NOTE


@pytest.mark.parametrize(
    "lines, problem",
    [
        ([SIG], "duplicate signature for key PeterNeumann+c74f20a3"),
        ([SIG[:-1]], "exactly one line ending in a newline"),
        (["— a b\n"], "signature of a is not valid base64"),
    ],
)
def test_add_signatures_rejects(lines, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        note.add_signatures(NOTE, lines)


def test_add_signatures_enforces_the_limit_and_wants_a_list():
    filler = [note.Signature(f"n{i}", bytes(4), bytes(64)).line for i in range(99)]
    full = note.add_signatures(NOTE, filler)  # 100 signatures: fine
    with pytest.raises(ValueError, match="101 signatures, more than 100"):
        note.add_signatures(full, [note.Signature("n99", bytes(4), bytes(64)).line])
    with pytest.raises(TypeError, match="not a single string"):
        note.add_signatures(NOTE, SIG)


# ---------------------------------------------------------------------------------------------- properties
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_single_character_change_is_rejected(data):
    i = data.draw(st.integers(0, len(NOTE) - 1))
    c = data.draw(st.characters(codec="utf-8").filter(lambda c: c != NOTE[i]))
    mutated = NOTE[:i] + c + NOTE[i + 1 :]
    with pytest.raises(ValueError):
        note.verify(mutated, [PETER_VKEY])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \n—+=/\r\x00AZ09é"), max_size=80) | st.binary(max_size=80))
def test_arbitrary_input_only_ever_raises_value_error(junk):
    with pytest.raises(ValueError):
        note.verify(junk, [PETER_VKEY])


@settings(max_examples=50, deadline=None)
@given(st.text(st.characters(codec="utf-8", blacklist_categories=["Cs"]).filter(lambda c: c == "\n" or c >= " ")))
def test_sign_verify_round_trip(body):
    text = body + "\n"
    signed = note.sign(text, PETER_SKEY)
    assert note.parse_note(signed)[0] == text
    assert note.verify(signed, [PETER_VKEY]) == ["PeterNeumann"]
