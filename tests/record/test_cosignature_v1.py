"""C2SP tlog-cosignature v1 (Ed25519, type 0x04) and checkpoint-note verification with log + cosigners."""

import base64
import hashlib
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ceasefire.record import note
from ceasefire.record.note import Checkpoint

ROOT = bytes.fromhex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
ORIGIN = "ceasefire.example/jmc"
CP = Checkpoint(ORIGIN, 8, ROOT)
TS = 1727964367

LOG_SKEY, LOG_VKEY = note.generate_key(ORIGIN)
WEST_SKEY, WEST_VKEY = note.generate_cosigner_key("west.example/witness")
EAST_SKEY, EAST_VKEY = note.generate_cosigner_key("east.example/witness")


def cosigned(cp=CP, west_ts=TS, east_ts=TS + 5):
    signed = note.sign(cp.body(), LOG_SKEY)
    return note.add_signatures(
        signed, [note.cosign(cp.body(), WEST_SKEY, west_ts), note.cosign(cp.body(), EAST_SKEY, east_ts)]
    )


# ---------------------------------------------------------------------------------------------- vectors
def test_remora_cosigner_key_id_is_recomputed_with_type_0x04():
    vkey = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
    v = note.parse_verifier_key(vkey)
    assert (v.name, v.alg, v.key_id.hex()) == ("remora.n621.de", 0x04, "da77ade7")
    assert hashlib.sha256(b"remora.n621.de\n\x04" + v.public).digest()[:4].hex() == "da77ade7"
    assert str(v) == vkey


def test_transparency_dev_type_0x01_key_id():
    vkey = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"  # base64 holding a '+'
    v = note.parse_verifier_key(vkey)
    assert (v.name, v.alg, v.key_id.hex()) == ("TEST", 0x01, "7997405c")


def test_transparency_dev_timestamp_vector():
    b64 = "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA=="
    raw = base64.b64decode(b64)
    assert len(raw) == 76 and raw[:4].hex() == "646846b9" and int.from_bytes(raw[4:12], "big") == 1727964367
    assert note.cosignature_timestamp(f"— any.name {b64}\n") == 1727964367
    sig = note.parse_signature_line(f"— any.name {b64}\n")
    assert note.cosignature_timestamp(sig) == 1727964367 and sig.key_id.hex() == "646846b9"


def test_transparency_dev_wrong_type_of_signature_is_refused():
    b64 = "eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY="  # Ed25519 note sig
    with pytest.raises(ValueError, match="is 68 bytes, want 76"):
        note.cosignature_timestamp(f"— x {b64}\n")


def test_c2sp_example_cosignature_claims_the_time_of_the_example_message():
    # tlog-cosignature.md: the witness line's timestamp is the "time 1679315147" of its signed-message example.
    line = "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
    assert note.cosignature_timestamp(line) == 1679315147
    example = (
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
        "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
        + line
    )
    text, sigs = note.parse_note(example)
    assert note.parse_checkpoint(text).size == 20852163 and [s.name for s in sigs][1] == "witness.example.com/w1"


# ---------------------------------------------------------------------------------------------- byte layout
def test_cosignature_line_layout_and_signed_message():
    line = note.cosign(CP.body(), WEST_SKEY, TS)
    assert line.startswith("— west.example/witness ") and line.endswith("\n")
    raw = base64.b64decode(line.split(" ")[2])
    v = note.parse_verifier_key(WEST_VKEY)
    assert len(raw) == 76 and raw[:4] == v.key_id and raw[4:12] == TS.to_bytes(8, "big")
    message = (
        b"cosignature/v1\ntime 1727964367\nceasefire.example/jmc\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
    )
    Ed25519PublicKey.from_public_bytes(v.public).verify(raw[12:], message)  # raises if not exactly this message


@pytest.mark.parametrize("ts, text", [(0, "time 0\n"), (7, "time 7\n"), (2**63 - 1, "time 9223372036854775807\n")])
def test_timestamp_line_has_no_leading_zeros(ts, text):
    raw = base64.b64decode(note.cosign(CP.body(), WEST_SKEY, ts).split(" ")[2])
    v = note.parse_verifier_key(WEST_VKEY)
    Ed25519PublicKey.from_public_bytes(v.public).verify(raw[12:], ("cosignature/v1\n" + text + CP.body()).encode())
    assert note.cosignature_timestamp(note.cosign(CP.body(), WEST_SKEY, ts)) == ts


@pytest.mark.parametrize(
    "ts, problem",
    [
        (-1, "timestamp -1 is not an integer in 0..2^63-1"),
        (2**63, "timestamp 9223372036854775808 is not an integer"),
        (True, "timestamp True is not an integer"),
        (1.5, "timestamp 1.5 is not an integer"),
        ("1727964367", "timestamp '1727964367' is not an integer"),
    ],
)
def test_cosign_rejects_bad_timestamps(ts, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        note.cosign(CP.body(), WEST_SKEY, ts)


def test_cosign_only_signs_valid_checkpoints():
    with pytest.raises(ValueError, match=re.escape("tree size '08' has a leading zero")):
        note.cosign(CP.body().replace("\n8\n", "\n08\n"), WEST_SKEY, TS)
    with pytest.raises(ValueError, match="checkpoint does not end in a newline"):
        note.cosign(CP.body()[:-1], WEST_SKEY, TS)


def test_cosignature_timestamp_above_2_63_is_rejected_when_decoding():
    line = note.Signature("w", bytes(4), (2**63).to_bytes(8, "big") + bytes(64)).line
    with pytest.raises(ValueError, match=re.escape("exceeds 2^63-1")):
        note.cosignature_timestamp(line)


# ---------------------------------------------------------------------------------------------- verify_checkpoint
def test_log_and_both_cosigners_verify():
    cp, cosigs = note.verify_checkpoint(cosigned(), LOG_VKEY, [WEST_VKEY, EAST_VKEY])
    assert cp == CP
    assert cosigs == {"west.example/witness": TS, "east.example/witness": TS + 5}
    assert note.verify(cosigned(), [LOG_VKEY, WEST_VKEY, EAST_VKEY]) == [
        ORIGIN,
        "west.example/witness",
        "east.example/witness",
    ]


def test_missing_or_unknown_cosigners_are_absent_not_errors():
    signed = note.sign(CP.body(), LOG_SKEY)
    assert note.verify_checkpoint(signed, LOG_VKEY, [WEST_VKEY, EAST_VKEY]) == (CP, {})
    assert note.verify_checkpoint(cosigned(), LOG_VKEY, [WEST_VKEY]) == (CP, {"west.example/witness": TS})
    assert note.verify_checkpoint(cosigned(), LOG_VKEY) == (CP, {})


def test_extension_lines_are_covered():
    cp = Checkpoint(ORIGIN, 8, ROOT, ("Extendo",))
    assert note.verify_checkpoint(cosigned(cp), LOG_VKEY, [WEST_VKEY])[1] == {"west.example/witness": TS}
    _, sigs = note.parse_note(cosigned(cp))
    swapped = CP.body() + "Extendx\n\n" + "".join(s.line for s in sigs)
    with pytest.raises(ValueError, match="invalid signature for key " + re.escape(ORIGIN)):
        note.verify_checkpoint(swapped, LOG_VKEY, [WEST_VKEY])
    west_only = CP.body() + "Extendx\n\n" + note.sign(CP.body() + "Extendx\n", LOG_SKEY).split("\n\n")[1] + sigs[1].line
    with pytest.raises(ValueError, match=r"invalid signature for key west\.example/witness\+"):
        note.verify_checkpoint(west_only, LOG_VKEY, [WEST_VKEY])


def test_a_cosignature_with_a_changed_timestamp_is_rejected():
    signed = cosigned()
    text, sigs = note.parse_note(signed)
    west = sigs[1]
    moved = note.Signature(west.name, west.key_id, (TS + 1).to_bytes(8, "big") + west.sig[8:])
    with pytest.raises(ValueError, match=r"invalid signature for key west\.example/witness\+"):
        note.verify_checkpoint(text + "\n" + sigs[0].line + moved.line, LOG_VKEY, [WEST_VKEY])


def test_a_known_cosigner_with_a_timestamp_above_2_63_is_rejected():
    text, sigs = note.parse_note(cosigned())
    west = sigs[1]
    big = note.Signature(west.name, west.key_id, (2**63).to_bytes(8, "big") + west.sig[8:])
    with pytest.raises(ValueError, match=re.escape("timestamp exceeds 2^63-1")):
        note.verify_checkpoint(text + "\n" + sigs[0].line + big.line, LOG_VKEY, [WEST_VKEY])


def test_a_known_cosigner_line_of_the_wrong_length_is_rejected():
    text, sigs = note.parse_note(cosigned())
    short = note.Signature(sigs[1].name, sigs[1].key_id, sigs[1].sig[8:])  # a plain 64-byte signature
    with pytest.raises(ValueError, match=re.escape("64 bytes, want 8 + 64")):
        note.verify_checkpoint(text + "\n" + sigs[0].line + short.line, LOG_VKEY, [WEST_VKEY])


def test_cosignature_of_another_checkpoint_is_rejected():
    other = Checkpoint(ORIGIN, 9, hashlib.sha256(b"x").digest())
    line = note.cosign(other.body(), WEST_SKEY, TS)
    with pytest.raises(ValueError, match=r"invalid signature for key west\.example/witness\+"):
        note.verify_checkpoint(note.add_signatures(note.sign(CP.body(), LOG_SKEY), [line]), LOG_VKEY, [WEST_VKEY])


def test_a_cosigner_key_under_the_wrong_type_does_not_verify():
    # The same Ed25519 key pair written as a type-0x01 vkey has another key ID: its cosignature is unknown.
    w = note.parse_verifier_key(WEST_VKEY)
    as_note_key = note.VerifierKey(w.name, note.ED25519, note._key_id(w.name, note.ED25519, w.public), w.public)
    with pytest.raises(ValueError, match="no signature from a known key"):
        note.verify(cosigned(), [as_note_key])
    assert note.verify(cosigned(), [as_note_key, LOG_VKEY]) == [ORIGIN]  # the cosignature line is ignored


@pytest.mark.parametrize(
    "note_text, problem",
    [
        (lambda: note.sign(CP.body(), note.generate_key(ORIGIN)[0]), "not signed by the log key"),
        (
            lambda: note.sign(Checkpoint("other.example/log", 8, ROOT).body(), LOG_SKEY),
            "origin 'other.example/log' is not the log key name",
        ),
        (lambda: note.sign("not a checkpoint\n", LOG_SKEY), "checkpoint has 1 lines, want at least 3"),
        (lambda: note.sign(CP.body().replace("\n8\n", "\n08\n"), LOG_SKEY), "tree size '08' has a leading zero"),
    ],
)
def test_verify_checkpoint_rejects(note_text, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        note.verify_checkpoint(note_text(), LOG_VKEY, [WEST_VKEY])


def test_verify_checkpoint_wants_keys_of_the_right_types():
    with pytest.raises(ValueError, match="log key west.example/witness must be an Ed25519 .type 0x01. key"):
        note.verify_checkpoint(cosigned(), WEST_VKEY, [])
    with pytest.raises(ValueError, match=re.escape(f"cosigner key {ORIGIN} must be a cosignature/v1 (type 0x04) key")):
        note.verify_checkpoint(cosigned(), LOG_VKEY, [LOG_VKEY])
    _, twin = note.generate_cosigner_key("west.example/witness")
    with pytest.raises(ValueError, match="two cosigner keys are named west.example/witness"):
        note.verify_checkpoint(cosigned(), LOG_VKEY, [WEST_VKEY, twin])
    with pytest.raises(TypeError):
        note.verify_checkpoint(cosigned(), LOG_VKEY, WEST_VKEY)


def test_add_signatures_refuses_a_second_cosignature_by_the_same_key():
    with pytest.raises(ValueError, match=r"duplicate signature for key west\.example/witness\+"):
        note.add_signatures(cosigned(), [note.cosign(CP.body(), WEST_SKEY, TS + 60)])


def test_witness_sees_only_the_log_signature_before_cosigning():
    # The flow of a party's witness: verify the log's checkpoint, then cosign exactly its body.
    signed = note.sign(CP.body(), LOG_SKEY)
    cp, _ = note.verify_checkpoint(signed, LOG_VKEY)
    line = note.cosign(cp.body(), EAST_SKEY, TS)
    assert note.verify_checkpoint(note.add_signatures(signed, [line]), LOG_VKEY, [EAST_VKEY])[1] == {
        "east.example/witness": TS
    }
