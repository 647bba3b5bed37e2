"""The joint record: its events in order, and what anyone needs to check it without trusting us.

The checkpoint, the log's verifier key, inclusion and consistency proofs, the entries and the
witnesses' cosignatures are served WITHOUT login: a party's witness, an observer's auditor or a
journalist checks the record with them. Each reader gets the entries of their audience
(`permissions.audience`) in full and only the leaf hashes of the others, which is all a proof needs.
"""

import base64
from binascii import b2a_base64
from typing import Annotated, Literal

from django.db import connection
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja import Query, Router

from ceasefire import audience as audience_policy
from ceasefire.errors import CommandError, Invalid, NotFound
from ceasefire.mechanism import permissions
from ceasefire.mechanism.models import WitnessKey
from ceasefire.record import checkpoints, log, merkle, note, tree
from ceasefire.record.models import Cosignature, Event, Head, signed_type

from ..auth import PUBLIC, reader
from ..common import MAX_ID, Errors, reading
from ..schemas import ConsistencyProofOut, CosignaturesOut, EntriesOut, EventsOut, InclusionProofOut

router = Router(tags=["record"])

MAX_LIMIT = 1000
MAX_ENTRIES = 1000  # entries per call of /record/entries
MAX_LINES = 10_000  # ... as lines (format=lines or leaves): a witness copying the record pays for each request

TEXT = "text/plain; charset=utf-8"
# The entries as leaves (format=leaves, or format=lines asked with this type in Accept): each entry
# the caller may read is the bytes its leaf hash hashes, 0x00 and the entry, so that a witness
# hashes each record as it comes, with no Python of its own per entry (see `entries`).
LEAVES = "application/vnd.ceasefire.leaves"


def _text_answer(description: str) -> dict:
    """openapi_extra for a route that answers text/plain, with the JSON error body otherwise."""
    return {"responses": {200: {"description": description, "content": {"text/plain": {"schema": {"type": "string"}}}}}}


def _b64(h: bytes) -> str:
    return base64.b64encode(bytes(h)).decode()


_q = connection.ops.quote_name
_ENTRIES = f"SELECT {_q('seq')}, {_q('body')} FROM {_q(Event._meta.db_table)} WHERE {_q('seq')} >= %s AND {_q('seq')} < %s ORDER BY {_q('seq')}"


def _entries(
    start: int, end: int, audience: str, all_leaf_hashes: bool = True
) -> list[tuple[int, bytes | None, bytes | None]]:
    """(index, base64 leaf hash, the entry if `audience` may read it) for each entry in [start, end).
    Without `all_leaf_hashes`, an entry served in full comes without its leaf hash (None): its
    reader hashes it.

    The leaf hash is computed from the body served, never read from the stored tree: a body changed
    in the database then hashes to a leaf the checkpoints do not hold, which is how a witness that
    may not read the entry still sees the change. In plain SQL, with the type read from the body's
    canonical ending (signed_type): through the ORM and json.loads this cost 4 times as much.
    """
    with connection.cursor() as cursor:
        cursor.execute(_ENTRIES, [start, end])
        rows = cursor.fetchall()
    readable: dict[str, bool] = {}  # a few types among thousands of entries
    answer = []
    for seq, body in rows:
        body = bytes(body)
        kind = signed_type(body)  # the type the record signed, never the column
        may = readable.get(kind)
        if may is None:
            may = readable[kind] = log.readable(kind, audience)
        leaf = b2a_base64(merkle.leaf_hash(body), newline=False) if all_leaf_hashes or not may else None
        answer.append((seq, leaf, body if may else None))
    return answer


# The lines `seq entry`, each ending in a newline, of [start, end), built by the database in one
# value: for a reader who may read every entry (the parties) and hashes them itself (a witness),
# the answer is the bodies as stored, and building it row by row in Python cost five times as much.
# SQLite's group_concat takes the rows in the subquery's order (an aggregate's subquery with ORDER
# BY is not flattened); PostgreSQL's string_agg is told the order. The witness checks every index.
_LINES = {
    "sqlite": (
        f"SELECT CAST(group_concat({_q('seq')} || ' ' || CAST({_q('body')} AS TEXT) || char(10), '') AS BLOB) FROM "
        f"(SELECT {_q('seq')}, {_q('body')} FROM {_q(Event._meta.db_table)} WHERE {_q('seq')} >= %s AND {_q('seq')} < %s ORDER BY {_q('seq')})"
    ),
    "postgresql": (
        f"SELECT string_agg(convert_to({_q('seq')}::text || ' ', 'UTF8') || {_q('body')} || decode('0a', 'hex'), ''::bytea ORDER BY {_q('seq')}) "
        f"FROM {_q(Event._meta.db_table)} WHERE {_q('seq')} >= %s AND {_q('seq')} < %s"
    ),
}


# The records `0x00 entry` of [start, end), each ending in a newline, built by the database as one
# value, for a reader who may read every entry: the bodies as stored, joined by newline and 0x00 (the
# first 0x00 and the last newline are added here). A separator costs the database less than building
# each record with `||`, which copies every body once more.
_LEAVES = {
    "sqlite": (
        f"SELECT CAST(group_concat(CAST({_q('body')} AS TEXT), char(10, 0)) AS BLOB) FROM "
        f"(SELECT {_q('body')} FROM {_q(Event._meta.db_table)} WHERE {_q('seq')} >= %s AND {_q('seq')} < %s ORDER BY {_q('seq')})"
    ),
    "postgresql": (
        f"SELECT string_agg({_q('body')}, decode('0a00', 'hex') ORDER BY {_q('seq')}) "
        f"FROM {_q(Event._meta.db_table)} WHERE {_q('seq')} >= %s AND {_q('seq')} < %s"
    ),
}


def _lines_in_full(start: int, end: int) -> bytes | None:
    """The lines of [start, end) with every entry in full and no leaf hash, from the database; None
    where the database has no such query."""
    return _in_full(_LINES, start, end)


def _leaves_in_full(start: int, end: int) -> list[bytes] | None:
    """The records (format=leaves) of [start, end), every entry in full, from the database, in
    parts to be joined once with the answer's first line; None where the database has no such query."""
    text = _in_full(_LEAVES, start, end)
    return [b"\x00", text, b"\n"] if text else None if text is None else []


def _in_full(queries: dict[str, str], start: int, end: int) -> bytes | None:
    sql = queries.get(connection.vendor)
    if sql is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end])
        (text,) = cursor.fetchone()
    return bytes(text) if text is not None else b""


def _accepts_leaves(request) -> bool:
    """Whether the request's Accept names the leaves' media type (with a q above 0)."""
    for item in request.headers.get("Accept", "").split(","):
        kind, *params = (part.strip().lower() for part in item.split(";"))
        if kind == LEAVES and not any(p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in params):
            return True
    return False


def _size() -> int:
    """The number of entries in the record: every proof and listing is bounded by it."""
    return Head.objects.get(id=1).size


@router.get(
    "/record/events",
    response=reading(EventsOut),
    summary="Events in order: those with seq > after, at most limit of them",
    description=(
        "`after` defaults to -1, so that a first call without it starts with the first event (seq 0); "
        "to read on, pass the largest seq received, in `events` or in `withheld`. `size` is the number "
        "of events in the record, so the last seq is size - 1. `withheld` lists the seqs in this window "
        "that the caller's audience may not read; their leaf hashes are at `/record/entries`."
    ),
)
def events(
    request,
    after: Annotated[int, Query(ge=-1, le=MAX_ID, description="answer the events with seq > after")] = -1,
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT, description="at most this many events")] = 100,
):
    audience = permissions.audience(reader(request))
    # The size first, and no event past it: an append committed meanwhile does not show up in
    # the events without being counted in the size.
    size = _size()
    rows = Event.objects.filter(seq__gt=after, seq__lt=size).order_by("seq")[:limit]
    enrollments = log.enrollments_of() if log.readable(log.ENROLLED, audience) else None
    answer, withheld = [], []
    for event in rows:  # an Event's type, actor, party and time are its body's (Event.from_db)
        if not log.readable(event.type, audience):
            withheld.append(event.seq)
            continue
        data = event.data
        answer.append(
            {
                "seq": data["seq"],
                "type": data["type"],
                "time": data["time"],
                "actor": data["actor"] if enrollments is not None else audience_policy.entry_role(data),
                "account": data.get("account"),
                "opened_account": log.account_of(data, enrollments) if enrollments is not None else None,
                "party": data["party"],
                "payload": data["payload"],
            }
        )
    return {"size": size, "after": after, "limit": limit, "events": answer, "withheld": withheld}


@router.get(
    "/record/checkpoint",
    auth=PUBLIC,
    response={401: Errors, 404: Errors},  # 200 is text/plain: see openapi_extra
    summary="The newest checkpoint, with every witness's cosignature the server holds",
    description=(
        "A C2SP signed note (tlog-checkpoint body: origin, size, base64 root), signed by the log key "
        "(`GET /record/log-key`) and followed by the cosignature/v1 lines of the parties' witnesses. "
        "Answered as text/plain; 404 while the record is empty. No login needed."
    ),
    openapi_extra=_text_answer("the checkpoint note"),
)
def checkpoint(request):
    cp = checkpoints.current()
    if cp is None:
        raise NotFound(_("The record is empty: no checkpoint has been signed yet."))
    return HttpResponse(checkpoints.served(cp), content_type=TEXT)


@router.get(
    "/record/log-key",
    auth=PUBLIC,
    response={401: Errors, 404: Errors},  # 200 is text/plain: see openapi_extra
    summary="The log's verifier key",
    description=(
        "The Ed25519 verifier key (`name+keyid+base64`) that signs the checkpoints, as text/plain. "
        "A witness pins it on first use; compare it with the key the committee published. No login needed."
    ),
    openapi_extra=_text_answer("the verifier key, one line"),
)
def log_key(request):
    return HttpResponse(checkpoints.log_vkey() + "\n", content_type=TEXT)


@router.get(
    "/record/proof/inclusion",
    auth=PUBLIC,
    response=reading(InclusionProofOut),
    summary="That entry `index` is in the tree of the first `size` entries",
    description=(
        "RFC 9162 §2.1.3: check it with the root of a signed checkpoint of this very size (the size "
        "and the root must come from the same signed statement). 422 naming `index` or `size` when "
        "they are out of range. No login needed."
    ),
)
def inclusion_proof(
    request,
    index: Annotated[int, Query(ge=0, le=MAX_ID, description="the entry's index (its seq)")],
    size: Annotated[int, Query(ge=1, le=MAX_ID, description="the size of the tree, from a checkpoint")],
):
    total = _size()
    if size > total:
        raise Invalid(_("is %(size)d, beyond the record's %(total)d entries") % {"size": size, "total": total}, "size")
    if index >= size:
        raise Invalid(_("must be less than size (%(size)d)") % {"size": size}, "index")
    body = Event.objects.values_list("body", flat=True).get(seq=index)
    hashes = tree.inclusion_proof(index, size)
    return {
        "index": index,
        "size": size,
        "leaf_hash": _b64(merkle.leaf_hash(bytes(body))),
        "hashes": [_b64(h) for h in hashes],
    }


@router.get(
    "/record/proof/consistency",
    auth=PUBLIC,
    response=reading(ConsistencyProofOut),
    summary="That the tree of the first `first` entries is a prefix of the tree of the first `second`",
    description=(
        "RFC 9162 §2.1.4, for 0 < first <= second (empty when first = second). `first` = 0 answers the "
        "empty proof, as tlog-witness's `old 0`: every tree extends the empty one, whose root is "
        "SHA-256 of nothing; RFC 9162 defines no proof for it, so a verifier checks that case apart. "
        "422 naming `first` or `second` when they are out of range. No login needed."
    ),
)
def consistency_proof(
    request,
    first: Annotated[int, Query(ge=0, le=MAX_ID, description="the size of the older tree")],
    second: Annotated[int, Query(ge=0, le=MAX_ID, description="the size of the newer tree")],
):
    total = _size()
    if second > total:
        raise Invalid(
            _("is %(size)d, beyond the record's %(total)d entries") % {"size": second, "total": total}, "second"
        )
    if first > second:
        raise Invalid(_("must not exceed second (%(second)d)") % {"second": second}, "first")
    hashes = tree.consistency_proof(first, second) if first else []
    return {"first": first, "second": second, "hashes": [_b64(h) for h in hashes]}


@router.get(
    "/record/entries",
    auth=PUBLIC,
    response=reading(EntriesOut),
    exclude_none=True,
    summary=f"The entries [start, end), at most {MAX_ENTRIES} ({MAX_LINES} as lines or leaves): each leaf hash, and the entry if the caller may read it",
    description=(
        f"`end` defaults to start + {MAX_ENTRIES} ({MAX_LINES} as lines or leaves), or the record's size if that is less. Each entry comes with "
        "its leaf hash; `entry`, the canonical JSON the tree hashes, only when the caller's audience "
        "(public without login, observers, or the parties) may read entries of its type. No login needed. "
        "`format=lines` answers the same as text/plain, for a witness copying the record: a first line "
        "`start end size audience`, then one line per entry: its index, its leaf hash and, when the caller "
        "may read it, the entry, separated by single spaces (an entry is canonical JSON: it holds no newline). "
        "`leaf_hashes=withheld` leaves out the leaf hash of each entry served in full, for a reader who hashes "
        "the entries itself: a line is then its index and either the entry (which begins with `{`) or, for an "
        "entry the caller may not read, its leaf hash. "
        f"`format=leaves` answers `{LEAVES}`, the form a witness hashes fastest: the same first line, then one "
        "record per entry, ending in a newline: for an entry the caller may read, the byte 0x00 and the entry "
        "(the very bytes its leaf hash is the SHA-256 of), else the byte 0x01 and its leaf hash in base64; no "
        "index (the n-th record is entry start + n) and never a leaf hash beside an entry (`leaf_hashes` is not "
        f"read). `format=lines&leaf_hashes=withheld` asked with `Accept: {LEAVES}` is answered the same way, "
        "so that a client that also reads lines can ask a server that may not know this form."
    ),
    openapi_extra={
        "responses": {
            200: {
                "content": {
                    "text/plain": {"schema": {"type": "string"}},
                    LEAVES: {"schema": {"type": "string", "format": "binary"}},
                }
            }
        }
    },
)
def entries(
    request,
    start: Annotated[int, Query(ge=0, le=MAX_ID, description="the first index")] = 0,
    end: Annotated[int | None, Query(ge=0, le=MAX_ID, description="one past the last index")] = None,
    format: Annotated[
        Literal["json", "lines", "leaves"],
        Query(
            description=f"json (default); lines: text/plain, one entry a line; leaves: {LEAVES}, one record an entry"
        ),
    ] = "json",
    leaf_hashes: Annotated[
        Literal["all", "withheld"],
        Query(
            description="all (default): every entry's leaf hash; withheld: only those of the entries not served in full"
        ),
    ] = "all",
):
    size = _size()
    most = MAX_ENTRIES if format == "json" else MAX_LINES
    if start > size:
        raise Invalid(
            _("is %(start)d, beyond the record's %(total)d entries") % {"start": start, "total": size}, "start"
        )
    if end is None:
        end = min(size, start + most)
    elif end < start:
        raise Invalid(_("must not be less than start (%(start)d)") % {"start": start}, "end")
    elif end > size:
        raise Invalid(_("is %(end)d, beyond the record's %(total)d entries") % {"end": end, "total": size}, "end")
    elif end - start > most:
        raise Invalid(
            _("at most %(max)d entries per call: end may be at most %(end)d") % {"max": most, "end": start + most},
            "end",
        )
    audience = permissions.audience(reader(request))
    everything = log.AUDIENCES.index(audience) == 0  # the parties may read every entry
    if format == "leaves" or (format == "lines" and leaf_hashes == "withheld" and _accepts_leaves(request)):
        head = f"{start} {end} {size} {audience}\n".encode()
        parts = _leaves_in_full(start, end) if everything else None
        if parts is None:
            parts = [
                b"\x00%s\n" % body if body is not None else b"\x01%s\n" % leaf
                for _seq, leaf, body in _entries(start, end, audience, False)
            ]
        response = HttpResponse(b"".join([head, *parts]), content_type=LEAVES)  # a page is megabytes: one copy
        patch_vary_headers(response, ["Accept"])
        return response
    if format == "lines":  # the same answer without a JSON schema to validate nor JSON to parse
        head = f"{start} {end} {size} {audience}\n".encode()
        text = _lines_in_full(start, end) if everything and leaf_hashes == "withheld" else None
        if text is None:
            rows = _entries(start, end, audience, leaf_hashes == "all")
            text = b"".join(
                (b"%d %s %s\n" % row if row[1] is not None else b"%d %s\n" % (row[0], row[2]))
                if row[2] is not None
                else b"%d %s\n" % row[:2]
                for row in rows
            )
        response = HttpResponse(head + text, content_type=TEXT)
        patch_vary_headers(response, ["Accept"])
        return response
    answer = []
    for seq, leaf, body in _entries(start, end, audience, leaf_hashes == "all"):
        entry = {"index": seq}
        if leaf is not None:
            entry["leaf_hash"] = leaf.decode()
        if body is not None:
            entry["entry"] = body.decode("utf-8")
        answer.append(entry)
    return {"start": start, "end": end, "size": size, "audience": audience, "entries": answer}


@router.post(
    "/record/checkpoint/cosignatures",
    auth=None,
    response={200: CosignaturesOut, **{code: Errors for code in (400, 404, 409, 413, 422)}},
    summary="A witness sends its cosignature of a checkpoint",
    description=(
        "The body (text/plain) is a checkpoint note this log signed, with the witness's cosignature/v1 "
        "line(s) added (`note.add_signatures`). The server keeps each cosignature that verifies against an "
        "ACTIVE witness key registered in the record (`GET /mechanism/witness-keys`) and serves it with "
        "the checkpoint from then on. No login and no CSRF token: the signature is the credential. "
        "404: the log signed no checkpoint of that size; 409: another checkpoint text for that size "
        "(evidence of a fork, not a cosignature); 422: a malformed note, a cosignature that fails, none "
        "from an active registered key, or one dated in the future."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/plain": {"schema": {"type": "string"}}},
            "description": "the checkpoint note with the witness's cosignature line(s)",
        }
    },
)
def cosign(request):
    raw = request.body
    if not raw:
        raise Invalid(_("is required: send the checkpoint note with your cosignature, as text/plain"), "body")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadBody(_("is not UTF-8 text"), "body") from None
    active = list(WitnessKey.objects.filter(retired_at__isnull=True).values_list("vkey", flat=True))
    added = checkpoints.add_cosignatures(text, active)
    size = note.parse_checkpoint(note.parse_note(text)[0]).size  # add_cosignatures parsed it already
    held = Cosignature.objects.filter(checkpoint_id=size).order_by("name").values_list("name", flat=True)
    return {"size": size, "added": added, "cosigned_by": list(held)}


class BadBody(CommandError):
    """A body that cannot be read at all, answered as the other routers answer unreadable bodies."""

    status = 400
