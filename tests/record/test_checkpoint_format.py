"""C2SP tlog-checkpoint note text: exact formatting and strict parsing."""

import base64
import hashlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.record import note
from ceasefire.record.note import Checkpoint, parse_checkpoint

ROOT8 = bytes.fromhex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")  # RFC 6962 vectors, size 8
ROOT8_B64 = base64.b64encode(ROOT8).decode()
GOOD = f"ceasefire.example/jmc\n8\n{ROOT8_B64}\n"
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
# Same 32 bytes, but the 2 unused bits of the last base64 character are set: Python decodes it silently.
NON_CANONICAL = ROOT8_B64[:-2] + ALPHABET[ALPHABET.index(ROOT8_B64[-2]) + 1] + "="

# The tlog-checkpoint.md example.
SOFA = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"


def test_spec_example_parses_and_round_trips():
    cp = parse_checkpoint(SOFA)
    assert (cp.origin, cp.size, cp.extensions) == ("example.com/behind-the-sofa", 20852163, ())
    assert cp.root == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=") and len(cp.root) == 32
    assert cp.body() == SOFA


def test_body_is_exact():
    cp = Checkpoint("ceasefire.example/jmc", 8, ROOT8)
    assert cp.body() == GOOD
    assert parse_checkpoint(GOOD) == cp
    ext = Checkpoint("o", 0, hashlib.sha256(b"").digest(), ("ext one", "— two"))
    assert ext.body() == "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\n— two\n"
    assert parse_checkpoint(ext.body()) == ext


def test_limits_are_accepted():
    assert parse_checkpoint(f"o\n0\n{ROOT8_B64}\n").size == 0
    assert parse_checkpoint(f"o\n{2**63 - 1}\n{ROOT8_B64}\n").size == 2**63 - 1
    assert parse_checkpoint(f"origin with spaces + plus\n1\n{ROOT8_B64}\n").origin == "origin with spaces + plus"


def bad(size="8", root=ROOT8_B64, origin="ceasefire.example/jmc", rest=""):
    return f"{origin}\n{size}\n{root}\n{rest}"


@pytest.mark.parametrize(
    "text, problem",
    [
        (bad(size="08"), "tree size '08' has a leading zero"),
        (bad(size="00"), "tree size '00' has a leading zero"),
        (bad(size="+7"), "tree size '+7' is not ASCII decimal"),
        (bad(size=" 7"), "tree size ' 7' is not ASCII decimal"),
        (bad(size="7 "), "tree size '7 ' is not ASCII decimal"),
        (bad(size="1_0"), "tree size '1_0' is not ASCII decimal"),
        (bad(size="-1"), "tree size '-1' is not ASCII decimal"),
        (bad(size="٣"), "tree size '٣' is not ASCII decimal"),  # ARABIC-INDIC DIGIT THREE: int() accepts it
        (bad(size="８"), "tree size '８' is not ASCII decimal"),  # FULLWIDTH DIGIT EIGHT
        (bad(size="0x8"), "tree size '0x8' is not ASCII decimal"),
        (bad(size="8.0"), "tree size '8.0' is not ASCII decimal"),
        (bad(size="1e3"), "tree size '1e3' is not ASCII decimal"),
        (bad(size=str(2**63)), "tree size 9223372036854775808 exceeds 2^63-1"),
        (bad(size="9" * 5000), "exceeds 2^63-1"),
        (bad(root="!" + ROOT8_B64[1:]), "root hash is not valid base64"),
        (bad(root=ROOT8_B64.rstrip("=")), "root hash is not valid base64"),  # missing padding
        (bad(root=NON_CANONICAL), "root hash is not canonical base64"),  # non-zero trailing bits
        (bad(root=base64.b64encode(ROOT8[:31]).decode()), "root hash is 31 bytes, want 32"),
        (bad(root=base64.b64encode(ROOT8 + b"\0").decode()), "root hash is 33 bytes, want 32"),
        (bad(root=base64.urlsafe_b64encode(b"\xff" * 32).decode()), "root hash is not valid base64"),
        (bad(root=" " + ROOT8_B64), "root hash is not valid base64"),
        (bad(root=ROOT8.hex()), "root hash is 48 bytes, want 32"),
        (GOOD[:-1], "checkpoint does not end in a newline"),
        ("o\n8\n", "checkpoint has 2 lines, want at least 3"),
        (GOOD + "\n", "checkpoint line 4 is empty"),
        (bad(rest="ext\n\n"), "checkpoint line 5 is empty"),
        (bad(origin=""), "checkpoint line 1 is empty"),
        (GOOD.replace("\n", "\r\n"), "control character U+000D"),
        (bad(origin="a\x00b"), "control character U+0000"),
        (bad(rest="ext\tline\n"), "control character U+0009"),
        ("\ud800\n8\n" + ROOT8_B64 + "\n", "checkpoint is not valid UTF-8"),
    ],
)
def test_strict_parsing_names_the_problem(text, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        parse_checkpoint(text)


def test_non_canonical_root_really_decodes_to_the_same_bytes():
    assert NON_CANONICAL != ROOT8_B64
    assert base64.b64decode(NON_CANONICAL) == ROOT8  # only the round-trip check catches it


def test_python_int_would_have_accepted_these_sizes():
    for s in ("+7", " 7", "1_0", "٣", "08"):
        int(s)  # the reason for the regex


@pytest.mark.parametrize(
    "kwargs, problem",
    [
        (dict(origin="", size=1, root=ROOT8), "origin is empty"),
        (dict(origin="a\nb", size=1, root=ROOT8), "origin contains a newline"),
        (dict(origin="a\rb", size=1, root=ROOT8), "control character U+000D"),
        (dict(origin="o", size=-1, root=ROOT8), "tree size -1 is not an integer in 0..2^63-1"),
        (dict(origin="o", size=2**63, root=ROOT8), "not an integer in 0..2^63-1"),
        (dict(origin="o", size=True, root=ROOT8), "tree size True is not an integer"),
        (dict(origin="o", size=8.0, root=ROOT8), "tree size 8.0 is not an integer"),
        (dict(origin="o", size="8", root=ROOT8), "tree size '8' is not an integer"),
        (dict(origin="o", size=1, root=ROOT8[:31]), "root hash must be 32 bytes"),
        (dict(origin="o", size=1, root=ROOT8_B64), "root hash must be 32 bytes"),
        (dict(origin="o", size=1, root=ROOT8, extensions=["x"]), "extensions must be a tuple"),
        (dict(origin="o", size=1, root=ROOT8, extensions=("",)), "extension line is empty"),
        (dict(origin="o", size=1, root=ROOT8, extensions=("a\nb",)), "extension line contains a newline"),
    ],
)
def test_constructor_refuses_what_it_could_not_format(kwargs, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        Checkpoint(**kwargs)


line = st.text(
    st.characters(codec="utf-8", blacklist_categories=["Cs"]).filter(lambda c: c >= " "), min_size=1, max_size=20
)


@settings(max_examples=100, deadline=None)
@given(line, st.integers(0, 2**63 - 1), st.binary(min_size=32, max_size=32), st.lists(line, max_size=3))
def test_round_trip(origin, size, root, extensions):
    cp = Checkpoint(origin, size, root, tuple(extensions))
    assert parse_checkpoint(cp.body()) == cp
    assert parse_checkpoint(cp.body()).body() == cp.body()


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutations_either_raise_value_error_or_stay_canonical(data):
    text = GOOD + "ext\n"
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(text)))
        c = data.draw(st.sampled_from("\n0189 +=_/Aa\r٣\x00") | st.characters(codec="utf-8"))
        op = data.draw(st.sampled_from(["insert", "replace", "delete"]))
        text = text[:i] + ("" if op == "delete" else c) + text[i + (op != "insert") :]
    try:
        cp = parse_checkpoint(text)
    except ValueError:
        return
    assert cp.body() == text  # whatever is accepted is in its one canonical form


def test_checkpoint_note_signed_by_the_log():
    skey, vkey = note.generate_key("ceasefire.example/jmc")
    signed = note.sign(Checkpoint("ceasefire.example/jmc", 8, ROOT8).body(), skey)
    assert note.verify(signed, [vkey]) == ["ceasefire.example/jmc"]
    assert parse_checkpoint(note.parse_note(signed)[0]).size == 8
