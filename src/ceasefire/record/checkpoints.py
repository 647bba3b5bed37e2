"""Checkpoints: the log key's signed statement of the tree's size and root, and the witnesses' cosignatures.

The server signs a checkpoint when CHECKPOINT_EVERY_EVENTS events are unsigned, or when some are and
the last checkpoint is CHECKPOINT_EVERY_SECONDS old (looked at on each append and each read of the
newest checkpoint, so a quiet record costs nothing), and on demand. One checkpoint per size: the
log key never signs two statements about one size.

Each party's witness (witness.py, on the party's own machine) checks that a new checkpoint is
consistent with the last one it accepted and sends back its cosignature. The server keeps a
cosignature only when it verifies against a witness key registered in the record, and serves the
checkpoint with all those it holds.

Each cosignature it keeps is also appended to the record, as a public `checkpoint.cosigned`
entry (the checkpoint's size and root, and the witness's signature line), so that the log itself
commits to the cosignatures: removing a checkpoint or a cosignature the record names is a change
that `replay --check` and `record verify` both name. An entry of that kind never makes a
checkpoint due by itself (`news_since`): otherwise each witness round would sign a new checkpoint
for the witnesses to cosign, whose cosignatures would be entries, and an idle record with its
witnesses running would grow for ever.
"""

import base64
import datetime as dt
import json
from collections.abc import Sequence

from django.conf import settings
from django.db import connection, transaction

from ceasefire.errors import Conflict, Invalid, NotFound

from . import keyfile, log, note, tree
from .models import Checkpoint, Cosignature, Event, Head

COSIGNED = "checkpoint.cosigned"  # the entry that records the cosignatures the server kept

_key_cache: dict[tuple[str, int], note.SignerKey] = {}


def log_key() -> note.SignerKey:
    """The committee's log key, created (mode 0600, named LOG_ORIGIN) the first time it is needed."""
    path = settings.LOG_KEY_FILE
    if not path.exists():
        skey, _ = note.generate_key(settings.LOG_ORIGIN)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            keyfile.write(path, skey)
        except FileExistsError:  # another process made it first: use theirs
            pass
    stamp = (str(path), path.stat().st_mtime_ns)
    if stamp not in _key_cache:
        key = keyfile.read(path)
        if key.alg != note.ED25519:
            raise ValueError(f"{path}: the log key must be an Ed25519 note key (ceasefire keys generate --log)")
        _key_cache.clear()
        _key_cache[stamp] = key
    return _key_cache[stamp]


def log_vkey() -> str:
    """The verifier key of the log: what witnesses and verifiers pin."""
    return str(log_key().verifier)


def latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def due(last: Checkpoint | None, size: int, now: dt.datetime) -> bool:
    if size <= (last.size if last else 0):
        return False
    if last is None or size - last.size >= settings.CHECKPOINT_EVERY_EVENTS:
        return True
    return (now - last.signed_at).total_seconds() >= settings.CHECKPOINT_EVERY_SECONDS


def sign(size: int) -> Checkpoint:
    """The checkpoint at `size`, signed now unless it was already. The caller holds the record's lock."""
    existing = Checkpoint.objects.filter(size=size).first()
    if existing:
        return existing
    try:
        root = tree.root(size)
    except ValueError:  # the events reach further than the stored tree
        raise RuntimeError(
            f"the stored tree holds {tree.size()} leaves but the record {size} entries: it was changed in the database "
            "(ceasefire replay --check names the change)"
        ) from None
    key = log_key()
    body = note.Checkpoint(key.name, size, root).body()
    return Checkpoint.objects.create(size=size, root=root, note=note.sign(body, key), signed_at=dt.datetime.now(dt.UTC))


def news_since(signed: int, size: int) -> bool:
    """Does any of the entries signed .. size-1 record something other than cosignatures? Asked
    only when a checkpoint is otherwise due, over the entries no checkpoint covers yet. It reads
    the type column, which the record does not sign: a changed column can only delay or hasten a
    checkpoint, which replay --check then names."""
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {q(Event._meta.db_table)} WHERE {q('seq')} >= %s AND {q('seq')} < %s AND {q('type')} <> %s LIMIT 1",
            [signed, size, COSIGNED],
        )
        return cursor.fetchone() is not None


def news_end(size: int) -> int:
    """The size of the record's first `size` entries without the cosignature records at their end:
    what a witness that is up to date has cosigned (it cannot have cosigned the entries recording
    its own cosignature)."""
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {q('seq')} FROM {q(Event._meta.db_table)} WHERE {q('seq')} < %s AND {q('type')} <> %s ORDER BY {q('seq')} DESC LIMIT 1",
            [size, COSIGNED],
        )
        row = cursor.fetchone()
    return row[0] + 1 if row else 0


def _due(last: Checkpoint | None, size: int) -> bool:
    return due(last, size, dt.datetime.now(dt.UTC)) and news_since(last.size if last else 0, size)


def after_append(size: int) -> None:
    """Called by log when a command or a batch has appended, in its transaction, with the record's
    lock held; `size` is the record's size after it."""
    if _due(_latest_size_and_time(), size):
        sign(size)


def _latest_size_and_time() -> Checkpoint | None:
    """The newest checkpoint's size and signing time (its other fields left unread)."""
    return Checkpoint.objects.order_by("-size").only("size", "signed_at").first()


def current() -> Checkpoint | None:
    """The newest checkpoint, after signing one if one is due; None while the record is empty."""
    last = latest()
    if _due(last, Head.objects.get(id=1).size):
        with transaction.atomic():
            size = log._lock()  # refuses to sign over a head that disagrees with the events
            if _due(latest(), size):
                sign(size)
        last = latest()
    return last


def sign_now() -> Checkpoint:
    """A checkpoint of the whole record as it is now (the empty tree included)."""
    with transaction.atomic():
        return sign(log._lock())


def served(cp: Checkpoint) -> str:
    """The checkpoint note with every cosignature held for it."""
    lines = cp.cosignatures.order_by("name", "key_id").values_list("line", flat=True)
    return note.add_signatures(cp.note, list(lines))


def add_cosignatures(cosigned: str, witness_vkeys: Sequence[str]) -> list[str]:
    """Keep the cosignatures that `cosigned` (a checkpoint note of this log, with witness signature
    lines added) carries from `witness_vkeys`; -> the names of the witnesses whose cosignature was new.

    Invalid: the note is malformed, or a registered witness's signature on it fails. NotFound: no
    checkpoint of that size was signed. Conflict: the text is not the one the log signed at that size
    (a witness that holds another root for that size has evidence of a fork, not a cosignature).
    """
    try:
        text, _ = note.parse_note(cosigned)
        claimed = note.parse_checkpoint(text)
    except ValueError as e:
        raise Invalid(str(e), field="checkpoint") from None
    cp = Checkpoint.objects.filter(size=claimed.size).first()
    if cp is None:
        raise NotFound(f"this log signed no checkpoint of size {claimed.size}", field="checkpoint")
    if note.parse_note(cp.note)[0] != text:
        raise Conflict(f"this is not the checkpoint the log signed at size {claimed.size}", field="checkpoint")
    try:
        _, verified = note.verify_checkpoint(cosigned, log_vkey(), witness_vkeys)
    except ValueError as e:
        raise Invalid(str(e), field="checkpoint") from None
    if not verified:
        raise Invalid("no cosignature from a registered witness key", field="checkpoint")
    now = dt.datetime.now(dt.UTC)
    skew = settings.COSIGNATURE_MAX_SKEW_SECONDS
    # A cosignature says "as of this time": not before the checkpoint existed, nor in the future.
    earliest, latest_allowed = cp.signed_at.timestamp() - skew, now.timestamp() + skew
    keys = {k.name: k for k in map(note.parse_verifier_key, witness_vkeys)}
    lines = {(s.name, s.key_id): s.line for s in note.parse_note(cosigned)[1]}
    added, recorded = [], []
    with log.batch():  # the record's lock: the cosignatures and the entry naming them, at once
        for name, timestamp in verified.items():
            if timestamp > latest_allowed:
                raise Invalid(f"the cosignature of {name} is dated {timestamp}, in the future", field="checkpoint")
            if timestamp < earliest:
                raise Invalid(
                    f"the cosignature of {name} is dated {timestamp}, before the checkpoint was signed",
                    field="checkpoint",
                )
            _, created = Cosignature.objects.get_or_create(
                checkpoint=cp,
                name=name,
                key_id=keys[name].key_id.hex(),
                defaults={"line": lines[name, keys[name].key_id], "timestamp": timestamp, "received_at": now},
            )
            if created:
                added.append(name)
                recorded.append(
                    {
                        "name": name,
                        "key_id": keys[name].key_id.hex(),
                        "line": lines[name, keys[name].key_id],
                        "timestamp": timestamp,
                    }
                )
        if recorded:
            log.append(COSIGNED, {"size": cp.size, "root": _b64(cp.root), "cosignatures": recorded}, _witnesses_actor())
    return added


def _b64(h: bytes | memoryview) -> str:
    return base64.b64encode(bytes(h)).decode()


# The system actor that appends the cosignatures the server keeps (named in the clear: no one's account).
RECORDER = "witnesses"


def _witnesses_actor() -> "log.Actor":
    """Who appends a cosignature: the witnesses, through the server, which checked it."""
    return log.Actor(RECORDER, role="witness", system=True)


def check() -> str | None:
    """The checkpoints and cosignatures against the record, for replay --check: each checkpoint's
    root is the tree's at its size; each cosignature a `checkpoint.cosigned` entry records is held,
    on a checkpoint of that size and root; and each cosignature held is recorded by one. None, or
    the first problem, named."""
    record_size = Head.objects.get(id=1).size
    for size, root in Checkpoint.objects.order_by("size").values_list("size", "root").iterator():
        if size > record_size or tree.root(size) != bytes(root):
            return f"checkpoint at size {size}: its root is not the root of the record's first {size} entries"
    held = {
        (size, name, key_id): line
        for size, name, key_id, line in Cosignature.objects.values_list("checkpoint_id", "name", "key_id", "line")
    }
    roots = dict(Checkpoint.objects.filter(size__in={k[0] for k in held}).values_list("size", "root"))
    recorded = set()
    for seq, body in Event.objects.filter(type=COSIGNED).order_by("seq").values_list("seq", "body").iterator():
        payload = json.loads(bytes(body))["payload"]
        size = payload["size"]
        if size not in roots:
            roots.update(Checkpoint.objects.filter(size=size).values_list("size", "root"))
        if size not in roots:
            names = ", ".join(c["name"] for c in payload["cosignatures"])
            return f"checkpoint at size {size}: missing, but entry {seq} records its cosignature by {names} (the checkpoint was deleted)"
        if _b64(roots[size]) != payload["root"]:
            return f"checkpoint at size {size}: its root is not the one entry {seq} records as cosigned"
        for c in payload["cosignatures"]:
            key = (size, c["name"], c["key_id"])
            if key not in held:
                return (
                    f"cosignature of {c['name']} (key {c['key_id']}) on the checkpoint at size {size}: missing, but entry {seq} "
                    "records it (the cosignature was deleted)"
                )
            if held[key] != c["line"]:
                return f"cosignature of {c['name']} (key {c['key_id']}) on the checkpoint at size {size}: not the one entry {seq} records"
            recorded.add(key)
    for size, name, key_id in sorted(set(held) - recorded):
        return f"cosignature of {name} (key {key_id}) on the checkpoint at size {size}: no entry of the record records it (added in the database)"
    return None
