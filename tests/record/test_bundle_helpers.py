"""Shared by the bundle and verifier tests (no tests of its own): a small record with both parties'
witnesses cosigning, its export, a way to edit a bundle file line by line, and a run of the verifier."""

import io
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import override_settings

from ceasefire.mechanism import commands
from ceasefire.record import bundle, checkpoints, note, verify
from ceasefire.record.models import Checkpoint
from tests import once
from tests.conftest import FACILITATOR
from tests.helpers import register_witnesses

MEETING = {"title": "Round", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}


def meetings(n: int) -> list:
    """n public meeting.recorded events, with the minutes (parties only) of every third one."""
    out = []
    for i in range(n):
        m = commands.record_meeting(FACILITATOR, MEETING)
        out.append(m)
        if i % 3 == 2:
            commands.record_minutes(FACILITATOR, m.id, {"minutes_en": f"Minutes of round {i}"})
    return out


def cosign_every_checkpoint(skeys: dict[str, str], at: int | None = None) -> None:
    vkeys = [str(note.parse_signer_key(k).verifier) for k in skeys.values()]
    for cp in Checkpoint.objects.order_by("size"):
        body = note.parse_note(cp.note)[0]
        lines = [note.cosign(body, k, at or int(time.time())) for k in skeys.values()]
        checkpoints.add_cosignatures(note.add_signatures(cp.note, lines), vkeys)


# Checkpoints every 8 events, never for their age: while the record is made and during the test.
RECORD_SETTINGS = {"CHECKPOINT_EVERY_EVENTS": 8, "CHECKPOINT_EVERY_SECONDS": 1_000_000}


@once.fixture
def witnessed_record(actors):
    """`record`, built once for the tests of a module that use it (tests/record/conftest.py)."""
    with override_settings(**RECORD_SETTINGS):
        skeys = {party: skey for party, (skey, _) in register_witnesses(actors).items()}
        meetings(18)
        checkpoints.sign_now()
        cosign_every_checkpoint(skeys)
    return skeys


@pytest.fixture
def record(witnessed_record, settings):
    """A record of about 30 events with checkpoints every 8 events, every one of them cosigned by
    the western and eastern witnesses. -> the witnesses' signer keys by party."""
    for name, value in RECORD_SETTINGS.items():
        setattr(settings, name, value)
    return witnessed_record


def registered(party: str, first: bool = False) -> int:
    """The entry that registered the party's witness key (its active one, or its `first`)."""
    from ceasefire.mechanism.models import WitnessKey

    keys = WitnessKey.objects.filter(party_id=party).order_by("id")
    return (keys if first else keys.filter(retired_at__isnull=True)).values_list("id", flat=True)[0]


def cosigned_size() -> int:
    """The size of the newest checkpoint any witness cosigned. The entries that record its
    cosignatures lie beyond it, so it is never the record's size."""
    return Checkpoint.objects.filter(cosignatures__isnull=False).order_by("-size").values_list("size", flat=True)[0]


def export(
    tmp_path: Path, audience: str = "parties", name: str = "record.bundle", all_checkpoints: bool = False
) -> Path:
    path = tmp_path / name
    bundle.export(path, audience, all_checkpoints=all_checkpoints)
    return path


@dataclass
class Edit:
    """A bundle split into its header, its entry lines and the rest, to tamper with and write back."""

    header: list[bytes]
    entries: list[bytes]
    tail: bytes

    @classmethod
    def read(cls, path: Path) -> "Edit":
        data = path.read_bytes()
        head, rest = data.split(b"\nentries ", 1)
        count, rest = rest.split(b"\n", 1)
        lines = rest.split(b"\n")
        n = int(count)
        return cls(head.split(b"\n") + [b"entries " + count], lines[:n], b"\n".join(lines[n:]))

    def write(self, path: Path, fix_count: bool = True) -> Path:
        if fix_count:
            self.header[-1] = b"entries %d" % len(self.entries)
        path.write_bytes(b"\n".join(self.header + self.entries) + b"\n" + self.tail)
        return path

    @property
    def notes(self) -> list[str]:
        """The checkpoint notes of the tail, in order."""
        lines = self.tail.split(b"\n", 1)
        assert lines[0].startswith(b"checkpoints "), lines[0]
        rest, notes = lines[1], []
        for _ in range(int(lines[0].split()[1])):
            head, rest = rest.split(b"\n", 1)
            n = int(head.removeprefix(b"note "))
            notes.append(rest[:n].decode())
            rest = rest[n:]
        assert rest == b"end\n", rest
        return notes

    @notes.setter
    def notes(self, notes: list[str]) -> None:
        parts = [b"checkpoints %d\n" % len(notes)]
        for text in notes:
            parts.append(b"note %d\n%s" % (len(text.encode()), text.encode()))
        self.tail = b"".join(parts) + b"end\n"

    def body(self, i: int) -> bytes:
        return self.entries[i][65:]

    def readable(self) -> list[int]:
        return [i for i, line in enumerate(self.entries) if len(line) > 64]


@dataclass
class Outcome:
    code: int
    out: str
    err: str


def run(
    path: Path, trust: Path | None = None, since: Path | None = None, now: float | None = None, **options
) -> Outcome:
    """The verifier, in this process (and its workers, by `options`): its exit status and what it printed.

    Every run is made twice: by the fast pass over the entries, as the command runs it, and by the
    plain one (verify(plain=True)). They must say the same, word for word."""
    fast = run_once(path, trust, since, now, **options)
    if not options.get("plain"):
        plain = run_once(path, trust, since, now, **options, plain=True)
        assert said(plain) == said(fast), (plain, fast)
    return fast


def said(outcome: Outcome) -> tuple[int, str, str]:
    """What a run said, but how long it took."""
    err = "".join(line for line in outcome.err.splitlines(True) if not line.startswith("  checked in "))
    return outcome.code, outcome.out, err


def run_once(
    path: Path, trust: Path | None = None, since: Path | None = None, now: float | None = None, **options
) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = verify.verify(
            str(path),
            str(trust) if trust else None,
            str(since) if since else None,
            out=out,
            err=err,
            now=now,
            **options,
        )
    except verify.Failed as e:
        code, err = 1, io.StringIO(f"{err.getvalue()}FAILED: {e}\n")
    except verify.Unusable as e:
        code, err = 2, io.StringIO(f"{err.getvalue()}{e}\n")
    return Outcome(code, out.getvalue(), err.getvalue())


def failure(path: Path, **kwargs) -> str:
    """The verifier's message for a bundle that must fail."""
    result = run(path, **kwargs)
    assert result.code == 1, result
    return result.err.strip().removeprefix("FAILED: ")
