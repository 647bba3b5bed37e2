"""What phones record is accepted under its honest name, and refused under another: HEIC/HEIF and
AVIF photos, 3GP/3G2 video and voice, AAC and AMR voice recordings, M4A (Apple's brand and
Android's generic MPEG-4). The brand of an ISO-BMFF file (major and compatible) decides, so a HEIC
photo renamed .mp4 is refused. Camera raw (CR3) is refused: no phone produces it.

Each file is built here from its format's first bytes, as the cited specification lays them out."""

import pytest
from django.utils.translation import override

from ceasefire.errors import Invalid
from ceasefire.incidents import evidence


@pytest.fixture(autouse=True)
def store_dir(settings, tmp_path):
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    with override("en"):
        yield settings.EVIDENCE_DIR


def box(kind: bytes, payload: bytes) -> bytes:
    """ISO/IEC 14496-12 4.2: a box is its 32-bit size (header included), its 4-byte type, its payload."""
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def ftyp(major: bytes, *compatible: bytes, minor: int = 0) -> bytes:
    """ISO/IEC 14496-12 4.3.2: the file type box, major brand, minor version, compatible brands;
    followed by an empty free box (4.9) as the rest of a file would follow it."""
    return box(b"ftyp", major + minor.to_bytes(4, "big") + b"".join(compatible)) + box(b"free", b"")


def adts(payload: bytes) -> bytes:
    """ISO/IEC 13818-7 6.2.1 (and 14496-3 1.A.2.2): a 7-byte ADTS header without CRC before one raw
    AAC frame: syncword 0xFFF, ID 0 (MPEG-4), layer 00, protection_absent 1, profile 1 (AAC LC),
    sampling frequency index 4 (44.1 kHz), channel configuration 2, frame length, fullness 0x7FF."""
    length = 7 + len(payload)
    bits = (
        (0xFFF << 44)
        | (0 << 43)
        | (0 << 41)
        | (1 << 40)
        | (1 << 38)
        | (4 << 34)
        | (0 << 33)
        | (2 << 30)
        | (length << 13)
        | (0x7FF << 2)
        | 0
    )
    return bits.to_bytes(7, "big") + payload


HEIC = ftyp(b"heic", b"mif1", b"heic")  # as an iPhone writes it (ISO/IEC 23008-12 B.4.1)
HEIF = ftyp(b"mif1", b"mif1", b"miaf")  # a HEIF image not coded in HEVC (ISO/IEC 23008-12 10.2.1)
AVIF = ftyp(b"avif", b"avif", b"mif1", b"miaf", b"MA1B")  # as libavif writes it (AVIF 1.1, 6)
GP3 = ftyp(b"3gp4", b"isom", b"3gp4", minor=0x200)  # as Android's recorder writes it (3GPP TS 26.244 5.4)
G23 = ftyp(b"3g2a", b"3g2a")  # 3GPP2 C.S0050-B 8.1
M4A = ftyp(b"M4A ", b"M4A ", b"mp42", b"isom")  # as an iPhone's voice memos write it
ANDROID_M4A = ftyp(b"mp42", b"isom", b"mp42")  # Android's MPEG4Writer: generic brands only
CR3 = ftyp(b"crx ", b"crx ", b"isom", minor=1)  # a Canon raw file
AAC = adts(bytes(32)) + adts(bytes(32))
AMR = b"#!AMR\n" + bytes([0x3C]) + bytes(31)  # RFC 4867 5.1 magic, 5.3 a 12.2 kbit/s frame (FT 7, Q 1)
AMR_WB = b"#!AMR-WB\n" + bytes([0x44]) + bytes(60)  # RFC 4867 5.1, 5.3: a 23.85 kbit/s frame (FT 8)


def refused(content, name, declared=""):
    with pytest.raises(Invalid) as caught:
        evidence.store([content], name, declared)
    assert caught.value.field == "file"
    return caught.value.message


def taken(content, name, declared=""):
    return evidence.store([content], name, declared).media_type


def test_heic():
    assert taken(HEIC, "IMG_0001.HEIC", "image/heic") == "image/heic"
    assert taken(HEIC, "IMG_0001.heif") == "image/heif"  # a HEIC is a HEIF
    assert "mislabelled" in refused(HEIC, "x.mp4")
    assert "mislabelled" in refused(HEIC, "x.jpg")
    assert "mislabelled" in refused(HEIC, "IMG_0001.heic", "video/mp4")


def test_heif():
    assert taken(HEIF, "photo.heif", "image/heif") == "image/heif"
    assert "mislabelled" in refused(HEIF, "photo.heic")  # not coded in HEVC
    assert "mislabelled" in refused(HEIF, "photo.mp4")


def test_avif():
    assert taken(AVIF, "photo.avif", "image/avif") == "image/avif"
    assert "mislabelled" in refused(AVIF, "photo.mp4")
    assert "mislabelled" in refused(AVIF, "photo.heic")
    assert "mislabelled" in refused(AVIF, "photo.avif", "image/png")


def test_3gp():
    assert taken(GP3, "VID_0001.3gp", "video/3gpp") == "video/3gpp"
    assert taken(GP3, "voice.3gpp", "audio/3gpp") == "video/3gpp"  # a voice recording in 3GPP
    assert "mislabelled" in refused(GP3, "VID_0001.mp4")
    assert "mislabelled" in refused(GP3, "VID_0001.3gp", "video/quicktime")


def test_3g2():
    assert taken(G23, "clip.3g2", "video/3gpp2") == "video/3gpp2"
    assert "mislabelled" in refused(G23, "clip.3gp")
    assert "mislabelled" in refused(G23, "clip.mp4")


def test_m4a():
    assert taken(M4A, "Memo.m4a", "audio/x-m4a") == "audio/mp4"
    assert "mislabelled" in refused(M4A, "Memo.mp4")
    assert "mislabelled" in refused(M4A, "Memo.m4a", "image/heic")


def test_generic_mpeg4_goes_by_its_name():
    assert taken(ANDROID_M4A, "Recording 1.m4a", "audio/mp4") == "audio/mp4"
    assert taken(ANDROID_M4A, "VID_0001.mp4", "video/mp4") == "video/mp4"
    assert "mislabelled" in refused(ANDROID_M4A, "Recording 1.heic")
    assert "mislabelled" in refused(ANDROID_M4A, "Recording 1.3gp")


def test_aac():
    assert taken(AAC, "Recording 1.aac", "audio/aac") == "audio/aac"
    assert taken(AAC, "Recording 1.aac", "audio/x-hx-aac-adts") == "audio/aac"  # as Windows sends it
    assert "mislabelled" in refused(AAC, "Recording 1.mp3")
    assert "mislabelled" in refused(AAC, "Recording 1.aac", "audio/mpeg")


def test_amr():
    assert taken(AMR, "call.amr", "audio/amr") == "audio/amr"
    assert taken(AMR_WB, "call.awb", "audio/amr-wb") == "audio/amr-wb"
    assert "mislabelled" in refused(AMR, "call.awb")
    assert "mislabelled" in refused(AMR, "call.mp3")
    assert "mislabelled" in refused(AMR, "call.amr", "audio/ogg")


def test_camera_raw_is_refused_by_name_and_by_content():
    assert "not accepted" in refused(CR3, "IMG_0001.CR3")
    assert "not a file type the mechanism accepts" in refused(CR3, "IMG_0001.mp4")


def test_an_iso_file_of_no_known_brand_is_not_taken_for_mp4():
    assert "not a file type" in refused(ftyp(b"XXXX", b"XXXX"), "x.mp4")
    assert "not a file type" in refused(box(b"ftyp", b"is"), "x.mp4")  # a box too short to hold a brand
