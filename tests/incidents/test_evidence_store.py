"""The evidence store: what a file is, is read from its content; mislabelled, empty or oversized
files are refused and leave nothing behind; the SHA-256 goes into the record; each access is
logged; the files stay under EVIDENCE_DIR."""

import hashlib
import os

import pytest
from django.utils.translation import override

from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound, TooLarge
from ceasefire.incidents import commands, evidence
from ceasefire.incidents.models import Evidence, EvidenceAccess
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR
from tests.helpers import refused

from . import steps

# The first bytes of a real file of each type the store accepts, padded as files are.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(40) + b"\xff\xd9"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    + bytes(20)
)
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
WAV = b"RIFF$\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00D\xac\x00\x00\x88X\x01\x00\x02\x00\x10\x00data\x00\x00\x00\x00"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(16)
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + bytes(16)
M4A = b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A mp42isom" + bytes(16)
OGG = b"OggS\x00\x02" + bytes(20) + b"\x01\x1e\x01vorbis"
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(30)
MP3_FRAME = b"\xff\xfb\x90\x64" + bytes(60)
TEXT = "شهادة: سقطت ثلاث قذائف قرب البوابة.\nThree shells fell near the gate.\r\n".encode()

ACCEPTED = [
    ("photo.jpg", JPEG, "image/jpeg"),
    ("photo.JPEG", JPEG, "image/jpeg"),
    ("crater.png", PNG, "image/png"),
    ("map.gif", GIF, "image/gif"),
    ("drone.webp", WEBP, "image/webp"),
    ("call.wav", WAV, "audio/wav"),
    ("statement.pdf", PDF, "application/pdf"),
    ("convoy.mp4", MP4, "video/mp4"),
    ("convoy.m4v", MP4, "video/mp4"),
    ("convoy.mov", MOV, "video/quicktime"),
    ("voice.m4a", M4A, "audio/mp4"),
    ("voice.ogg", OGG, "audio/ogg"),
    ("voice.opus", OGG, "audio/ogg"),
    ("voice.mp3", MP3, "audio/mpeg"),
    ("frame.mp3", MP3_FRAME, "audio/mpeg"),
    ("notes.txt", TEXT, "text/plain"),
]


@pytest.fixture(autouse=True)
def english():
    with override("en"):  # the messages are matched below
        yield


@pytest.fixture(autouse=True)
def store_dir(settings, tmp_path):
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return settings.EVIDENCE_DIR


def files(folder):
    """Every file under `folder`, hidden ones (unfinished uploads) included."""
    return sorted(os.path.join(d, f) for d, _, names in os.walk(folder) for f in names)


def add(actor, r, content, name, declared="", chunk=None):
    chunks = [content[i : i + chunk] for i in range(0, len(content), chunk)] if chunk else [content]
    return commands.add_evidence(actor, r.id, chunks, name, declared, {"description": "From the site visit"})


@pytest.mark.parametrize("name, content, media_type", ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_each_accepted_type_is_known_by_its_content(name, content, media_type, store_dir):
    stored = evidence.store([content], name)
    assert (stored.media_type, stored.size, stored.sha256, stored.name) == (
        media_type,
        len(content),
        hashlib.sha256(content).hexdigest(),
        name,
    )
    assert evidence.path(stored.sha256).read_bytes() == content
    assert evidence.store([content[i : i + 3] for i in range(0, len(content), 3)], name) == stored  # however it arrives


@pytest.mark.parametrize(
    "name, content",
    [
        ("photo.jpg", PNG),  # the name says JPEG, the content is PNG
        ("crater.png", JPEG),
        ("statement.pdf", TEXT),
        ("notes.txt", PDF),
        ("voice.mp3", OGG),
        ("convoy.mp4", MOV),
        ("voice.mp4", M4A),  # an audio-only MPEG-4 ('M4A ' brand) named as video
        ("call.wav", WEBP),
        ("photo.jpg", b"MZ\x90\x00" + bytes(60)),  # a Windows program
        ("notes.txt", b"text with a NUL \x00 inside"),
        ("notes.txt", "ligne en latin-1: é".encode("latin-1")),
    ],
)
def test_a_mislabelled_file_is_refused_and_leaves_nothing(name, content, store_dir):
    with pytest.raises(Invalid) as caught:
        evidence.store([content], name)
    assert caught.value.field == "file"
    assert files(store_dir) == []


@pytest.mark.parametrize(
    "declared",
    ["image/jpeg", "IMAGE/JPEG", "text/plain", "application/pdf; charset=binary"],
)
def test_a_declared_type_that_contradicts_the_content_is_refused(declared, store_dir):
    with pytest.raises(Invalid, match="mislabelled") as caught:
        evidence.store([PNG], "crater.png", declared)
    assert caught.value.field == "file" and files(store_dir) == []


@pytest.mark.parametrize("declared", ["", "image/png", "Image/PNG; name=crater.png", "application/octet-stream"])
def test_a_declared_type_that_agrees_or_says_nothing_is_taken(declared, store_dir):
    assert evidence.store([PNG], "crater.png", declared).media_type == "image/png"


@pytest.mark.parametrize(
    "name", ["program.exe", "page.html", "image.svg", "archive.zip", "noextension", "", "..", "dir/"]
)
def test_types_the_mechanism_does_not_take_are_refused_by_name_first(name, store_dir):
    with pytest.raises(Invalid) as caught:
        evidence.store([TEXT], name)
    assert caught.value.field == "file" and files(store_dir) == []


def test_an_empty_file_is_refused(store_dir):
    with pytest.raises(Invalid, match="empty"):
        evidence.store([], "notes.txt")
    with pytest.raises(Invalid, match="empty"):
        evidence.store([b"", b""], "notes.txt")
    assert files(store_dir) == []


def test_a_file_too_large_is_refused_and_leaves_nothing(settings, store_dir):
    settings.EVIDENCE_MAX_BYTES = len(PNG)
    assert evidence.store([PNG], "crater.png").size == len(PNG)  # exactly the limit
    evidence.path(hashlib.sha256(PNG).hexdigest()).unlink()
    with pytest.raises(TooLarge) as caught:
        evidence.store([PNG, b"\x00"], "crater.png")
    assert caught.value.field == "file" and caught.value.status == 413
    with pytest.raises(TooLarge):
        evidence.store(iter([PNG[:10]] * 1000), "crater.png")  # stops reading once past the limit
    assert [f for f in files(store_dir)] == []


def test_a_name_is_kept_without_its_folders(store_dir):
    stored = evidence.store([TEXT], "../../etc/../notes.txt")
    assert stored.name == "notes.txt"
    assert evidence.store([TEXT], "C:\\Users\\monitor\\notes.txt").name == "notes.txt"
    assert files(store_dir) == [str(evidence.path(stored.sha256))]


def test_a_long_name_keeps_its_ending_and_hidden_direction_marks_are_dropped(store_dir):
    assert evidence.store([PNG], "x" * 400 + ".png").name == "x" * 251 + ".png"
    with pytest.raises(Invalid):  # "crater\u202egnp.exe" shows as "crater.png" but is an .exe
        evidence.store([PNG], "crater\u202egnp.exe")
    with pytest.raises(Invalid):
        evidence.store([PNG], None)


def test_paths_are_only_ever_a_sha256(store_dir):
    for bad in ("../../etc/passwd", "AB" * 32, "0" * 63, ""):
        with pytest.raises(ValueError):
            evidence.path(bad)


# ---------------------------------------------------------------- through the command


def test_the_sha256_goes_into_the_record(actors, filed, store_dir):
    e = add(actors["west-member"], filed, PNG, "crater.png", "image/png", chunk=7)
    event = Event.objects.get(seq=e.id)
    assert (event.type, event.actor, event.account) == ("evidence.added", "member", "west-member")
    assert event.payload["sha256"] == hashlib.sha256(PNG).hexdigest() == e.sha256
    assert (event.payload["size"], event.payload["media_type"], event.payload["name"]) == (
        len(PNG),
        "image/png",
        "crater.png",
    )
    assert (e.report_id, e.uploaded_by, e.description_en) == (filed.id, "west-member", "From the site visit")
    # Stored under EVIDENCE_DIR only, by its hash.
    path = evidence.path(e.sha256)
    assert path.read_bytes() == PNG and path.resolve().is_relative_to(store_dir.resolve())
    assert files(store_dir) == [str(path)]


def test_the_same_bytes_twice_are_one_file(actors, filed, store_dir):
    a = add(actors["west-member"], filed, TEXT, "notes.txt")
    b = add(actors["east-member"], filed, TEXT, "statement.txt")
    assert a.id != b.id and a.sha256 == b.sha256
    assert Evidence.objects.filter(sha256=a.sha256).count() == 2
    assert files(store_dir) == [str(evidence.path(a.sha256))]


def test_a_refused_upload_writes_nothing_anywhere(actors, filed, store_dir):
    with refused(Invalid, "file"):
        add(actors["west-member"], filed, PNG, "photo.jpg")
    with refused(Invalid, "file"):
        add(actors["west-member"], filed, PNG, "crater.png", "image/jpeg")
    with refused(Invalid, "file"):
        add(actors["west-member"], filed, b"", "notes.txt")
    with refused(Invalid, "description"):
        commands.add_evidence(actors["west-member"], filed.id, [PNG], "crater.png", "", {"description": ["x"]})
    with refused(Forbidden):
        add(actors["observer"], filed, PNG, "crater.png")
    with refused(NotFound, "report"):
        commands.add_evidence(actors["west-member"], 424242, [PNG], "crater.png")
    assert files(store_dir) == [] and not Evidence.objects.exists()


def test_a_closed_report_takes_no_more_evidence(actors, filed, store_dir):
    r = steps.advance(actors, filed, "outside_mandate")
    with refused(Conflict, "report"):
        add(actors["west-member"], r, PNG, "crater.png")
    assert files(store_dir) == []


def test_every_access_is_logged_in_the_record(actors, monitors, filed):
    e = add(actors["east-member"], filed, PDF, "statement.pdf")
    for who, action in (
        ("west-head", "view"),
        ("facilitator", "download"),
        ("un-monitor", "export"),
        ("east-member", "view"),
    ):
        commands.record_evidence_access(monitors[who] if who != "facilitator" else FACILITATOR, e.id, action)
    assert list(EvidenceAccess.objects.filter(evidence=e).values_list("username", "action")) == [
        ("west-head", "view"),
        ("facilitator", "download"),
        ("un-monitor", "export"),
        ("east-member", "view"),
    ]
    accessed = Event.objects.filter(type="evidence.accessed").order_by("seq")
    assert [(x.account, x.payload) for x in accessed] == [
        (a.username, {"evidence": e.id, "action": a.action})
        for a in EvidenceAccess.objects.filter(evidence=e).order_by("id")
    ]
    with refused(Invalid, "action"):
        commands.record_evidence_access(actors["west-head"], e.id, "print")
    with refused(Forbidden):
        commands.record_evidence_access(actors["observer"], e.id, "view")
    with refused(Forbidden):
        commands.record_evidence_access(None, e.id, "view")
    with refused(NotFound, "evidence"):
        commands.record_evidence_access(actors["west-head"], 424242, "view")
