"""A party's AUDITING witness: it cosigns the committee's checkpoints only while they tell one
consistent story AND the entries the server serves are the ones that story is made of.

    ceasefire witness --server URL --key KEYFILE --state DIR [--token-file F] [--log-key VKEY]
                      [--audit-all | --sample N] [--every SECONDS] [--timeout SECONDS]

Each party runs one on its own machine with its own key (`ceasefire keys generate --name NAME`,
whose verifier key the party's speaker registers in the record) and a read-only token of one of
its party's accounts (`ceasefire token create USERNAME --read-only`, given with --token-file or in
CEASEFIRE_WITNESS_TOKEN, sent as `Authorization: Bearer` with each read and never with anything
else), so that it reads what its party may read. Without a token it
still runs, reading as the public, and says so: it then holds the parties' and observers' entries
by their leaf hashes only. On each round it:

1. fetches the newest checkpoint (`GET /api/v1/record/checkpoint`) and verifies the log's signature
   with the log key pinned in DIR (`--log-key`, or fetched from `GET /api/v1/record/log-key` on
   first use, and said so: compare it with the key the committee published);
2. compares it with the last checkpoint it accepted (DIR/checkpoint), as tlog-witness's
   add-checkpoint does: a smaller size (a rollback), the same size with another root (a fork), or a
   larger size whose consistency proof (`GET /api/v1/record/proof/consistency`) fails is REFUSED;
   so is the same checkpoint served without the cosignature of this witness that the server
   acknowledged keeping (a cosignature removed);
3. re-reads older entries (`GET /api/v1/record/entries?format=lines`) and compares them with its own copy of the
   record (DIR/entries, see mirror.py): a random sample of about --sample entries (1,000 by
   default, in windows of 100 at places the server cannot foresee), or all of them with
   --audit-all. Anything served that differs from what it holds is REFUSED, naming the seq: a
   changed body, a changed leaf hash, an entry missing (deleted), served twice or out of order, an
   entry served where another one is held (reordered or inserted entries: the message names the
   seq where the copy holds it), and an entry served in full that was withheld before, or the
   other way round (its audience changed). A window the server does not serve (an error, a
   timeout, an answer read as another audience) is kept in DIR/unread.json and read first next
   round; nothing is cosigned until it has been compared, and the same window unserved 3 rounds
   running is REFUSED (UNREAD);
4. fetches every entry added since its copy ends, in pages (`leaf_hashes=withheld`: the entries
   its party may read without their leaf hashes, the others as their leaf hashes only; asked for
   as leaves, LEAVES, each entry as the bytes 0x00 ‖ body its leaf hash hashes, and read as lines
   from a server that answers lines), several at once in threads (JOBS), computes each
   one's RFC 9162 leaf hash (SHA-256(0x00 ‖ body); a leaf hash served beside a body must be that
   body's), and computes the root of its copy with
   them: it must be the checkpoint's root. If it is not, the witness finds with inclusion proofs which entry
   is not the one the log's tree holds and names it (its seq, and the seq the body carries);
5. appends the new entries to its copy, then stores the new checkpoint (write, fsync, rename), all
   with DIR/lock held (fcntl.flock) from the moment it reads the stored one;
6. cosigns it (cosignature/v1, "as of now, this is the largest consistent tree I have seen") and
   sends the cosignature (`POST /api/v1/record/checkpoint/cosignatures`). The same size with the
   same root is cosigned again, which is harmless.

A refusal cosigns nothing: the offered note, the accepted one and what differs (the proof, or each
differing entry as held and as served) are kept in DIR/evidence/<UTC time>-<what>/, and the witness
exits 1.

What it can and cannot see. For an entry its party may read, the copy holds the body itself: any
change of it, by a byte, is caught (as a new entry by the root, as an older one by the audit). The
parties may read every entry: reading as the parties, an entry served as its leaf hash only is
REFUSED (WITHHELD). Reading as the observers or the public, the witness holds no list of the entry
types its audience may read (that list is the server's): it cannot tell an entry withheld from its
audience from one its audience may not read, so it cannot check that the server shows observers or
the public all it should. For an entry served as its leaf hash only, the copy holds the leaf hash: a
changed, removed, moved or added entry is caught all the same, because it changes the leaf hash or
the order, but the witness cannot say what the entry says, nor whether it is well-formed, nor
whether the server shows it to its own audience (the party it belongs to) faithfully: that party's
witness checks that. Nothing a read path does not serve (a database column the entries endpoint
does not answer with, a projection table) is seen by any witness: `ceasefire replay --check` on the
server compares those with the bodies. An edit the audit's sample misses this round is found by a
later round, or at once with --audit-all. Entries beyond the newest checkpoint are not checked
until a checkpoint covers them.

Each request has --timeout seconds in all (60 by default), and a redirect is refused, so that the
token never goes to another address than --server. A request answered 429 (the server's rate limit)
is sent again after the Retry-After it gives, up to 5 times and 5 minutes a wait; past that, the
round stops with code 2 (no refusal: a server asking to slow down says nothing of the record). Exit codes: 0 cosigned; 1 refused (evidence
kept); 2 could not do its work (network, a slow server, server error, a window of the audit not
served, a bad key or token, a refused cosignature, an answer it could not make sense of, a token
reading as another audience than the copy was read as: move the copy away to start a new one). With `--every SECONDS` it runs round after round, rides
out code-2 rounds, and stops at the first refusal: from a forked log there is nothing more to cosign.

Standard library and `cryptography` only (urllib, fcntl; no Django, no database): it runs on a
party's own machine, and every line of it can be read by the party that trusts it.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import datetime as dt
import email.utils
import fcntl
import hashlib
import http.client
import json
import os
import random
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import keyfile, merkle, note
from .keys import translator
from .mirror import Mirror, merkle_blocks, private

_ = translator()

API = "/api/v1"
TIMEOUT = 60  # seconds for the whole of each request (--timeout)
MAX_ANSWER = 1 << 20  # bytes: a checkpoint or a proof is a few hundred
MAX_PAGE = 1 << 27  # bytes: a page of entries (the server answers at most PAGE of them)
PAGE = 8192  # entries per request of /record/entries?format=lines (at most the server's MAX_LINES), at multiples of it
# The entries' form asked for in Accept: each entry the reader may read as the bytes its leaf hash
# hashes (0x00 and the entry), so that a page is hashed record by record with no Python per entry
# but the call (api/routers/record.py, `entries`).
LEAVES = "application/vnd.ceasefire.leaves"
# Pages asked for at once, each by a thread that fetches, checks and hashes it while the witness
# writes the one before to its copy: waiting for the server, the thread leaves the others to work.
# (Worker processes took half as much CPU again, each page sent back to the witness: bench/README.md.)
JOBS = 2
SAMPLE = 1000  # older entries re-checked each round, unless --audit-all
WINDOW = 100  # ... in windows of this many consecutive entries, one request each
TOKEN_VARIABLE = "CEASEFIRE_WITNESS_TOKEN"
# A request the server answers 429 (its rate limit, api/throttling.py) is sent again after the
# Retry-After it gives, up to RETRIES times, each wait at most MAX_RETRY_AFTER seconds: being told
# to slow down is no statement about the record, and a catch-up cut short starts again next round.
RETRIES = 5
MAX_RETRY_AFTER = 300

CHECKPOINT_FILE = "checkpoint"  # the last checkpoint accepted, as the log signed it
COSIGNED_FILE = "cosigned"  # "size root": the checkpoint the server acknowledged our cosignature of
LOG_KEY_FILE = "log.vkey"  # the pinned log verifier key
LOCK_FILE = "lock"
UNREAD_FILE = "unread.json"  # the audit's windows the server did not serve, read first next round
UNREAD_ROUNDS = 3  # rounds running a window may go unserved before it is a refusal
PARTIES = "parties"  # the audience that may read every entry
EVIDENCE_DIR = "evidence"


class Refused(Exception):
    """The server's checkpoint is not one this witness may cosign; the evidence is kept. Exit 1."""

    code = 1

    def __init__(self, message: str, evidence: Path | None = None):
        super().__init__(message)
        self.evidence = evidence


class Trouble(Exception):
    """The round could not be completed: network, server, configuration. Exit 2."""

    code = 2


class ServerSaid(Trouble):
    """The server answered with an error status (its JSON error body turned into one line), and
    how long it asked to wait (Retry-After, seconds) if it did."""

    def __init__(self, status: int, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class _Bad(Exception):
    """What a page shows that is a refusal: (what, message, files) for Witness._refuse, which keeps
    the evidence; raised where the page is read (perhaps another thread)."""


# ------------------------------------------------------------------------------------- the server
class Server:
    """The committee's server, reached with urllib (which honours the usual *_proxy variables).

    Each request has `timeout` seconds in all, however slowly the server answers; a redirect is
    refused, so that the token is never sent to another address than --server."""

    concurrent = True  # may be read from several threads, several pages at a time
    pause = staticmethod(time.sleep)  # how it waits out a 429 (the tests' clock replaces it)

    def __init__(self, url: str, token: str | None = None, timeout: float = TIMEOUT):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise Trouble(_("--server %(url)s: give the server's address, e.g. https://jmc.example.org") % {"url": url})
        base = url.rstrip("/")
        self.base = base[: -len(API)] if base.endswith(API) else base
        self.token = token
        self.timeout = timeout

    def _fetch(
        self, method: str, path: str, params: dict | None = None, body: str | None = None, limit: int = MAX_ANSWER
    ) -> tuple[bytes, str]:
        """The answer's bytes and Content-Type; ServerSaid for an error status, Trouble if unreachable,
        redirected, too slow or too long."""
        url = self.base + API + path + ("?" + urllib.parse.urlencode(params) if params else "")
        data = body.encode("utf-8") if body is not None else None
        headers = {
            "User-Agent": "ceasefire-witness/1",
            # The entries as leaves (_parse_leaves) where the server knows that form, else as lines.
            "Accept": f"{LEAVES}, text/plain;q=0.9, application/json;q=0.8"
            if path == "/record/entries"
            else "text/plain, application/json",
            **self._credentials(method),
        }
        if data is not None:
            headers["Content-Type"] = "text/plain; charset=utf-8"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        with _Deadline(self.timeout) as deadline:
            opener = urllib.request.build_opener(_RefuseRedirects, _Watched(deadline), _WatchedTLS(deadline))
            try:
                with opener.open(request, timeout=self.timeout) as response:
                    raw = response.read(limit + 1)
                    kind = response.headers.get("Content-Type", "")
            except urllib.error.HTTPError as e:
                said = _error_text(e)
                if deadline.expired:
                    raise deadline.trouble(url) from None
                raise ServerSaid(e.code, said, retry_after(e.headers.get("Retry-After"))) from None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
                if deadline.expired:
                    raise deadline.trouble(url) from None
                reason = getattr(e, "reason", None) or str(e) or type(e).__name__
                raise Trouble(_("cannot reach %(url)s: %(reason)s") % {"url": url, "reason": reason}) from None
            if deadline.expired:  # an answer without a length, cut short
                raise deadline.trouble(url)
        if len(raw) > limit:
            raise Trouble(_("%(url)s answered more than %(n)d bytes") % {"url": url, "n": limit})
        return raw, kind

    def _credentials(self, method: str) -> dict:
        """The token goes with reads only: a cosignature is its own credential."""
        return {"Authorization": f"Bearer {self.token}"} if self.token and method == "GET" else {}

    def _answer(
        self, method: str, path: str, params: dict | None = None, body: str | None = None, limit: int = MAX_ANSWER
    ) -> tuple[bytes, str]:
        """_fetch, asked again as often as RETRIES allows while the server answers 429 (too many
        requests), after waiting as it says. Still 429 after that, or asked to wait longer than
        MAX_RETRY_AFTER: Trouble, never ServerSaid, which a caller may take for the server's word
        on the record (a proof or entries it will not serve)."""
        refused = 0
        while True:
            try:
                return self._fetch(method, path, params, body, limit)
            except ServerSaid as e:
                if e.status != 429:
                    raise
                refused += 1
                wait = 1.0 if e.retry_after is None else e.retry_after
                if refused > RETRIES or wait > MAX_RETRY_AFTER:
                    raise Trouble(
                        _(
                            "%(path)s: the server answered too many requests (429) %(n)d times running, and asks to wait %(wait)g seconds more: nothing cosigned this round"
                        )
                        % {"path": API + path, "n": refused, "wait": wait}
                    ) from None
                self.pause(wait)

    def _request(
        self, method: str, path: str, params: dict | None = None, body: str | None = None, limit: int = MAX_ANSWER
    ) -> tuple[str, str]:
        raw, kind = self._answer(method, path, params, body, limit)
        try:
            return raw.decode("utf-8"), kind
        except UnicodeDecodeError:
            raise Trouble(_("%(path)s answered something that is not UTF-8 text") % {"path": API + path}) from None

    def text(self, path: str, params: dict | None = None) -> str:
        return self._request("GET", path, params)[0]

    def json(self, path: str, params: dict | None = None, body: str | None = None, limit: int = MAX_ANSWER) -> dict:
        text, kind = self._request("POST" if body is not None else "GET", path, params, body, limit)
        answer = _json(text)
        if answer is None:
            raise Trouble(_("%(path)s did not answer JSON (%(kind)s)") % {"path": API + path, "kind": kind or "?"})
        if not isinstance(answer, dict):
            raise Trouble(_("%(path)s did not answer a JSON object") % {"path": API + path})
        return answer


def _json(text: str | bytes):
    """The JSON value, or None if it is not JSON (nested too deep for the parser included)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """No redirect is followed: urllib would send the token to wherever the server points."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise Trouble(
            _("%(url)s redirects to %(to)s: give --server the address the server answers at (no redirect is followed)")
            % {"url": req.full_url, "to": newurl}
        )


class _Deadline:
    """The whole of one request, from connecting to the last byte, within `seconds`: when they are
    up, the request's connections are shut, which ends whatever read is waiting on them."""

    def __init__(self, seconds: float):
        self.seconds, self.expired = seconds, False
        self._connections: list = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()

    def watch(self, connection_class):
        def connect(*args, **kwargs):
            connection = connection_class(*args, **kwargs)
            self._connections.append(connection)
            return connection

        return connect

    def _expire(self):
        self.expired = True
        for connection in self._connections:
            sock = connection.sock
            if sock is not None:  # the plain socket's shutdown: TLS's would pull the state from under the reader
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def trouble(self, url: str) -> Trouble:
        return Trouble(
            _("%(url)s gave no complete answer within %(n)s seconds (--timeout)")
            % {"url": url, "n": f"{self.seconds:g}"}
        )


class _Watched(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self.deadline = deadline

    def do_open(self, http_class, req, **kwargs):
        return super().do_open(self.deadline.watch(http_class), req, **kwargs)


class _WatchedTLS(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self.deadline = deadline

    def do_open(self, http_class, req, **kwargs):
        return super().do_open(self.deadline.watch(http_class), req, **kwargs)


def retry_after(value: str | None) -> float | None:
    """Retry-After's seconds (RFC 9110: delta-seconds, or an HTTP date), or None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _error_text(e: urllib.error.HTTPError) -> str:
    """'HTTP 422: checkpoint: no cosignature from ...' from the API's {"detail": [...]} body."""
    try:
        detail = json.loads(e.read(MAX_ANSWER).decode("utf-8"))["detail"]
        said = "; ".join(f"{d['field']}: {d['message']}" if d.get("field") else str(d["message"]) for d in detail)
    except Exception:
        said = e.reason or ""
    return f"HTTP {e.code}: {said}" if said else f"HTTP {e.code}"


# ------------------------------------------------------------------------------------- the state
class State:
    """DIR: the pinned log key, the last checkpoint accepted, the lock, the evidence kept."""

    def __init__(self, path: str | os.PathLike):
        self.dir = Path(path)
        try:
            self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as e:
            raise Trouble(_("--state %(dir)s: %(error)s") % {"dir": self.dir, "error": e.strerror or e}) from None
        if not self.dir.is_dir():
            raise Trouble(_("--state %(dir)s is not a folder") % {"dir": self.dir})

    @contextlib.contextmanager
    def locked(self):
        """DIR/lock held (flock, exclusive) for a whole check-and-store; blocks while another holds it."""
        with open(private(self.dir / LOCK_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def read(self, name: str) -> str | None:
        try:
            return (self.dir / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as e:
            raise Trouble(_("%(file)s: cannot read it: %(error)s") % {"file": self.dir / name, "error": e}) from None

    def write(self, name: str, text: str) -> None:
        """Replace DIR/name atomically: a temporary file, fsync, rename, fsync of the folder."""
        _write_atomically(self.dir / name, text)

    def keep_evidence(self, what: str, reason: str, files: dict[str, str]) -> Path:
        """DIR/evidence/<UTC time>-<what>/ with reason.txt and `files`; never overwrites earlier evidence."""
        root = self.dir / EVIDENCE_DIR
        root.mkdir(mode=0o700, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        for n in range(1000):
            folder = root / f"{stamp}-{what}{f'-{n}' if n else ''}"
            try:
                folder.mkdir(mode=0o700)
                break
            except FileExistsError:
                continue
        for name, text in {"reason.txt": reason + "\n", **files}.items():
            _write_atomically(folder / name, text)
        return folder


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# ------------------------------------------------------------------------------------- the witness
@dataclass
class Outcome:
    size: int
    root: bytes
    cosigned_by: list[str]
    again: bool  # the same checkpoint as last time, cosigned again
    audience: str = ""  # whom the server read this witness as
    audited: int = 0  # older entries compared with the copy this round
    copied: int = 0  # new entries added to the copy this round


Entry = tuple[bytes | None, bytes]  # (the body, or None when served as its leaf hash only; the leaf hash)


class Witness:
    def __init__(
        self,
        server: Server,
        key: note.SignerKey,
        state: State,
        log_key: str | None = None,
        say=print,
        warn=None,
        audit_all: bool = False,
        sample: int = SAMPLE,
    ):
        if key.alg != note.COSIGNATURE_V1:
            raise Trouble(
                _(
                    "the key %(name)s is a log (Ed25519) key; a witness cosigns with a cosignature/v1 key (ceasefire keys generate --name NAME)"
                )
                % {"name": key.name}
            )
        self.server, self.key, self.state, self.say = server, key, state, say
        self.warn = warn or say
        self.log_key_given = log_key
        self.audit_all, self.sample = audit_all, sample
        self.audience: str | None = None  # as the server last answered
        self._warned = False
        self._workers: ThreadPoolExecutor | None = None

    def run(self) -> Outcome:
        """One round: fetch, check, audit, copy, store, cosign, send. Raises Refused or Trouble."""
        try:
            return self._run()
        finally:
            if self._workers is not None:
                self._workers.shutdown(wait=True, cancel_futures=True)
                self._workers = None

    def _run(self) -> Outcome:
        with self.state.locked():
            log = self._log_key()
            offered = self.server.text("/record/checkpoint")
            cp = self._check_signature(offered, log)
            old_note = self.state.read(CHECKPOINT_FILE)
            old = self._accepted(old_note, log)
            again = False
            if old is None:
                self.say(
                    _("first checkpoint this witness sees: size %(size)d; nothing earlier to compare it with")
                    % {"size": cp.size}
                )
            elif cp.size < old.size:
                raise self._refuse(
                    "rollback",
                    _(
                        "ROLLBACK: the server offers a checkpoint of size %(new)d, smaller than size %(old)d accepted before"
                    )
                    % {"new": cp.size, "old": old.size},
                    offered,
                    old_note,
                )
            elif cp.size == old.size:
                if cp != old:  # another root (or other extension lines): two statements of one size
                    raise self._refuse(
                        "fork",
                        _(
                            "FORK: the server offers a checkpoint of size %(size)d whose root differs from the one accepted before at that size"
                        )
                        % {"size": cp.size},
                        offered,
                        old_note,
                    )
                self._check_our_cosignature(cp, offered, old_note or "")
                again = True
            else:
                self._check_consistency(old, cp, offered, old_note or "")
            mirror = Mirror(self.state.dir)
            try:
                audited, copied = self._audit(mirror, old.size if old else 0, cp, offered, old_note)
            finally:
                mirror.close()
            if not again:
                self.state.write(CHECKPOINT_FILE, offered)
            outcome = self._cosign(offered, cp, log, again)
            outcome.audience, outcome.audited, outcome.copied = self.audience or "", audited, copied
            return outcome

    # -- the log key
    def _log_key(self) -> note.VerifierKey:
        pinned = self.state.read(LOG_KEY_FILE)
        pinned_key = _parse_log_key(pinned.strip(), self.state.dir / LOG_KEY_FILE) if pinned is not None else None
        if self.log_key_given is not None:
            given = _parse_log_key(_vkey_argument(self.log_key_given), "--log-key")
            if pinned_key is not None and given != pinned_key:
                raise Trouble(
                    _(
                        "--log-key %(given)s is not the log key pinned in %(file)s (%(pinned)s); if the committee really changed its log key, start with a new --state folder"
                    )
                    % {"given": given, "pinned": pinned_key, "file": self.state.dir / LOG_KEY_FILE}
                )
            if pinned_key is None:
                self.state.write(LOG_KEY_FILE, f"{given}\n")
            return given
        if pinned_key is not None:
            return pinned_key
        fetched = _parse_log_key(
            self.server.text("/record/log-key").strip(), self.server.base + API + "/record/log-key"
        )
        self.say(
            _("trusting log key %(vkey)s on first use; compare it with the committee's published key")
            % {"vkey": fetched}
        )
        self.state.write(LOG_KEY_FILE, f"{fetched}\n")
        return fetched

    # -- the checks of the checkpoint
    def _check_signature(self, offered: str, log: note.VerifierKey) -> note.Checkpoint:
        try:
            cp, _cosigners = note.verify_checkpoint(offered, log)
        except ValueError as e:
            raise self._refuse(
                "unverified",
                _("the server's checkpoint does not verify with the log key %(vkey)s: %(error)s")
                % {"vkey": log, "error": e},
                offered,
                self.state.read(CHECKPOINT_FILE),
            ) from None
        if cp.size == 0 and cp.root != merkle.EMPTY_ROOT:
            raise self._refuse(
                "empty-root",
                _("the server's checkpoint of size 0 does not carry the empty tree's root"),
                offered,
                self.state.read(CHECKPOINT_FILE),
            )
        return cp

    def _accepted(self, old_note: str | None, log: note.VerifierKey) -> note.Checkpoint | None:
        if old_note is None:
            return None
        try:
            return note.verify_checkpoint(old_note, log)[0]
        except ValueError as e:
            raise Trouble(
                _("%(file)s does not verify with the log key %(vkey)s: %(error)s")
                % {"file": self.state.dir / CHECKPOINT_FILE, "vkey": log, "error": e}
            ) from None

    def _check_our_cosignature(self, cp: note.Checkpoint, offered: str, old_note: str) -> None:
        """The server said it kept our cosignature of this very checkpoint: it must still serve it."""
        held = (self.state.read(COSIGNED_FILE) or "").split()
        if held != [str(cp.size), base64.b64encode(cp.root).decode()]:
            return
        ours = {(s.name, s.key_id) for s in note.parse_note(offered)[1]}
        if (self.key.name, self.key.key_id) not in ours:
            raise self._refuse(
                "cosignature-removed",
                _(
                    "COSIGNATURE REMOVED: the server serves checkpoint %(size)d without the cosignature of %(name)s, which it acknowledged keeping"
                )
                % {"size": cp.size, "name": self.key.name},
                offered,
                old_note,
            )

    def _check_consistency(self, old: note.Checkpoint, new: note.Checkpoint, offered: str, old_note: str) -> None:
        if old.size == 0:
            return  # tlog-witness "old 0": every tree extends the empty one; there is nothing to prove
        params = {"first": old.size, "second": new.size}
        try:
            answer = self.server.json("/record/proof/consistency", params)
        except ServerSaid as e:
            if e.status >= 500:
                raise
            raise self._refuse(
                "no-proof",
                _("the server gives no consistency proof from size %(old)d to %(new)d: %(error)s")
                % {"old": old.size, "new": new.size, "error": e},
                offered,
                old_note,
            ) from None
        proof_text = _dump(answer)
        proof = _proof_hashes(answer, old.size, new.size)
        if proof is None or not merkle.verify_consistency(old.size, new.size, old.root, new.root, proof):
            raise self._refuse(
                "inconsistent",
                _(
                    "INCONSISTENT: the server's checkpoint of size %(new)d does not extend the one of size %(old)d accepted before (the consistency proof fails)"
                )
                % {"old": old.size, "new": new.size},
                offered,
                old_note,
                {"consistency-proof.json": proof_text},
            )

    # -- the audit of the entries
    def _audit(
        self, mirror: Mirror, accepted: int, cp: note.Checkpoint, offered: str, old_note: str | None
    ) -> tuple[int, int]:
        """Compare older entries with the copy, then copy the new ones and check the root with them.
        -> (entries compared, entries copied)."""
        mirror.truncate(accepted)  # a crash may have left entries copied for a checkpoint never stored
        refuse = lambda what, message, files=None: self._refuse(what, message, offered, old_note, files)  # noqa: E731
        audited = self._compare_older(mirror, cp.size, refuse)
        copied_from = mirror.size
        for _start, _end, audience, (chunk, blocks) in self._pages(mirror.size, cp.size, cp.size, refuse, copy=True):
            self._note_audience(mirror, audience)
            mirror.append_chunk(chunk, None, blocks)
        if mirror.root() != cp.root:
            seq = self._locate(mirror, cp.size)
            served = mirror.read(seq, seq + 1)[0] if seq is not None else None
            mirror.truncate(copied_from)
            raise _root_refusal(refuse, cp, copied_from, seq, served)
        mirror.sync()
        return audited, cp.size - copied_from

    def _compare_older(self, mirror: Mirror, size: int, refuse) -> int:
        """Compare the windows left unread by earlier rounds, then this round's, with the copy.
        A window the server does not serve is kept in DIR/unread.json and nothing is cosigned until
        it has been compared: failing the one page that would show an edit must not dodge the
        audit. UNREAD_ROUNDS rounds running without it is a refusal. -> entries compared."""
        unread = self._unread(mirror.size)
        windows = list(unread) + [w for w in self._older(mirror.size) if w not in unread]
        # First the first entry, to learn whom the server reads us as this round: as another
        # audience than the copy, that is another token (the user's doing, not the server's).
        windows = [(0, 1), *windows] if windows else []
        audited, still = 0, {}
        for k, (lo, hi) in enumerate(windows):
            for start, end, audience, served in self._pages(lo, hi, size, refuse, tolerate=True):
                if k == 0 and not isinstance(served, Trouble):
                    self._note_audience(mirror, audience)
                try:
                    if isinstance(served, Trouble):
                        raise served
                    if audience != mirror.audience:  # a page read as another audience is not read
                        raise Trouble(
                            _("served as read by %(other)s, not %(held)s like the rest")
                            % {"other": audience, "held": mirror.audience}
                        )
                except Trouble as e:
                    said = unread.get((start, end), []) + [f"{dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ} {e}"]
                    still[(start, end)] = said
                    if len(said) >= UNREAD_ROUNDS:
                        self._keep_unread({**unread, **still})
                        raise refuse(
                            "unread",
                            _(
                                "UNREAD: the server has not served the entries %(a)d..%(b)d to the audit for %(n)d rounds running, while serving the rest: %(error)s"
                            )
                            % {"a": start, "b": end - 1, "n": len(said), "error": e},
                            {"unread.txt": "\n".join(said) + "\n"},
                        ) from None
                    continue
                differences = _compare(mirror, start, mirror.read(start, end), served)
                if differences:
                    raise _audit_refusal(refuse, differences)
                audited += end - start if k else 0  # the first entry is counted where a window holds it
        self._keep_unread(still)
        if still:
            (a, b), said = next(iter(still.items()))
            raise Trouble(
                _(
                    "nothing cosigned: the entries %(a)d..%(b)d could not be read for the audit (%(n)d of %(limit)d rounds running; read first next round): %(error)s"
                )
                % {"a": a, "b": b - 1, "n": len(said), "limit": UNREAD_ROUNDS, "error": said[-1].split(" ", 1)[1]}
            )
        return audited

    def _unread(self, held: int) -> dict[tuple[int, int], list[str]]:
        """(start, end) -> what the server said each round it did not serve that window."""
        text = self.state.read(UNREAD_FILE)
        try:
            kept = json.loads(text) if text else []
            windows = {(w["start"], w["end"]): [str(x) for x in w["said"]] for w in kept}
        except (ValueError, TypeError, KeyError):
            raise Trouble(
                _("%(file)s is not what this witness writes: move it away") % {"file": self.state.dir / UNREAD_FILE}
            ) from None
        return {
            (a, b): said
            for (a, b), said in windows.items()
            if isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= held
        }

    def _keep_unread(self, windows: dict[tuple[int, int], list[str]]) -> None:
        if windows or self.state.read(UNREAD_FILE) is not None:
            kept = [{"start": a, "end": b, "said": said} for (a, b), said in sorted(windows.items())]
            self.state.write(UNREAD_FILE, json.dumps(kept, indent=1) + "\n")

    def _older(self, held: int) -> list[tuple[int, int]]:
        """The ranges of the copy to compare this round: all of it, or windows at random places."""
        if self.audit_all or held <= self.sample:
            return [(0, held)] if held else []
        if self.sample == 0:
            return []
        width = min(WINDOW, self.sample)
        pick = random.SystemRandom()  # the server must not know which entries will be looked at
        starts = sorted(pick.randrange(0, held - width + 1) for _ in range(-(-self.sample // width)))
        ranges: list[tuple[int, int]] = []
        for lo in starts:
            if ranges and lo <= ranges[-1][1]:
                ranges[-1] = (ranges[-1][0], max(ranges[-1][1], lo + width))
            else:
                ranges.append((lo, lo + width))
        return ranges

    def _note_audience(self, mirror: Mirror, audience: str) -> None:
        self.audience = audience
        if self.audience == "public" and not self.server.token and not self._warned:
            self._warned = True
            self.warn(
                _(
                    "no token (--token-file or %(var)s): reading the record as the public, so the parties' and observers' entries are checked by their leaf hashes only"
                )
                % {"var": TOKEN_VARIABLE}
            )
        held = mirror.audience
        if held is None:
            mirror.set_audience(self.audience, self.state.write)
        elif held != self.audience:
            raise Trouble(
                _(
                    "the copy in %(dir)s was read as %(held)s, and the server now reads this witness as %(now)s (another token?): move %(dir)s/entries* away to copy the record again"
                )
                % {"dir": self.state.dir, "held": held, "now": self.audience}
            )

    def _pages(self, lo: int, hi: int, size: int, refuse, tolerate: bool = False, copy: bool = False):
        """(start, end, audience, page) for [lo, hi) in pages at multiples of PAGE, each checked
        against its leaf hashes (_read_page): with `copy`, the page as (a chunk of the copy, its
        subtrees), else its entries. Several pages are read at once by other threads while the
        caller looks at the one before. `tolerate`: a page that could not be read is yielded as its
        Trouble (audience None), and the next one read."""
        ranges, a = [], lo
        while a < hi:
            ranges.append((a, min(hi, (a // PAGE + 1) * PAGE)))
            a = ranges[-1][1]
        workers = self._pool() if len(ranges) > 1 else None
        pending: deque = deque()
        ahead = iter(ranges)

        def submit():
            r = next(ahead, None)
            if r is not None:
                assert workers is not None  # submit() runs only with a pool
                pending.append(workers.submit(_read_page, self.server, *r, size, copy))

        if workers is not None:
            for _k in range(JOBS + 1):
                submit()
        for a, b in ranges:
            try:
                if workers is not None:
                    audience, page = pending.popleft().result()
                    submit()
                else:
                    audience, page = _read_page(self.server, a, b, size, copy)
            except _Bad as e:
                raise refuse(*e.args) from None
            except Trouble as e:
                if not tolerate:
                    raise
                audience, page = None, e
            yield a, b, audience, page

    def _pool(self) -> ThreadPoolExecutor | None:
        """The threads that read pages, started once a round; None for a server that must be read
        from this thread alone."""
        if not self.server.concurrent:
            return None
        if self._workers is None:
            self._workers = ThreadPoolExecutor(JOBS, thread_name_prefix="witness-page")
        return self._workers

    def _locate(self, mirror: Mirror, size: int) -> int | None:
        """An entry of the copy whose leaf hash is not the one the log's tree holds, found with the
        tree's own hashes: an inclusion proof gives the root of each sibling subtree along a path.
        Start with the whole tree (its root differs) and probe the first leaf of a part known to
        differ: a sibling inside it that differs narrows the part at least by half; if none does,
        the probed entry is the one. None if the server gives no usable proofs."""
        lo, hi = 0, size
        for _attempt in range(70):
            try:
                answer = self.server.json("/record/proof/inclusion", {"index": lo, "size": size})
            except Trouble:
                return None
            hashes = _hashes(answer.get("hashes"))
            # The subtrees whose roots the proof lists, leaf side first (merkle's own walk, asked for ranges).
            ranges = merkle._inclusion_path(lo, size, lambda a, b: (a, b))
            if hashes is None or len(hashes) != len(ranges):
                return None
            inside = [
                (a, b)
                for (a, b), h in zip(ranges, hashes)
                if lo <= a and b <= hi and merkle.subtree_root(mirror.leaf_hashes(a, b), 0, b - a) != h
            ]
            if not inside:
                return lo
            lo, hi = min(inside)
        return None

    def _refuse(
        self, what: str, message: str, offered: str, accepted: str | None, files: dict[str, str] | None = None
    ) -> Refused:
        files = {
            "offered.note": offered,
            **({"accepted.note": accepted} if accepted is not None else {}),
            **(files or {}),
        }
        reason = f"{message}\nserver: {self.server.base}\nwitness: {self.key.name}\ntime: {dt.datetime.now(dt.UTC).isoformat()}"
        try:
            return Refused(message, self.state.keep_evidence(what, reason, files))
        except OSError as e:  # refused all the same: a full disk must not turn a refusal into a cosignature
            return Refused(message + " " + _("(the evidence could not be kept: %(error)s)") % {"error": e})

    # -- the cosignature
    def _cosign(self, offered: str, cp: note.Checkpoint, log: note.VerifierKey, again: bool) -> Outcome:
        text, sigs = note.parse_note(offered)
        log_line = next(s.line for s in sigs if (s.name, s.key_id) == (log.name, log.key_id))
        line = note.cosign(cp.body(), self.key, int(time.time()))
        # Only the log's signature and ours: the others' cosignatures the server has already, and
        # a cosignature of ours it holds from an earlier round would be a duplicate line.
        cosigned = note.add_signatures(text + "\n" + log_line, [line])
        try:
            answer = self.server.json("/record/checkpoint/cosignatures", body=cosigned)
        except ServerSaid as e:
            raise Trouble(
                _(
                    "the server did not keep the cosignature of %(name)s (is its verifier key registered and active? GET %(url)s): %(error)s"
                )
                % {"name": self.key.name, "url": self.server.base + API + "/mechanism/witness-keys", "error": e}
            ) from None
        held = answer.get("cosigned_by")
        held = held if isinstance(held, list) else []
        if self.key.name in held:
            self.state.write(COSIGNED_FILE, f"{cp.size} {base64.b64encode(cp.root).decode()}\n")
        return Outcome(cp.size, cp.root, held, again)


# ------------------------------------------------------------------------------------- a page
def _read_page(server: Server, a: int, b: int, size: int, copy: bool):
    """(the audience the server read us as, the entries [a, b) as served (as leaves, or as
    `format=lines` from a server that answers so, the leaf hashes of the entries served in full
    left out: they are computed here)); with `copy`, instead of the entries: (the page's records or
    lines as served, a chunk of the copy; the page's perfect subtrees, merkle_blocks). Raises _Bad
    for what is a refusal."""
    try:
        raw, kind = server._answer(
            "GET",
            "/record/entries",
            {"start": a, "end": b, "format": "lines", "leaf_hashes": "withheld"},
            None,
            MAX_PAGE,
        )
    except ServerSaid as e:
        if e.status >= 500 or e.status == 401:
            raise
        raise _Bad(
            "missing",
            _(
                "MISSING: the server does not serve the entries %(a)d..%(b)d that its checkpoint of size %(size)d covers: %(error)s"
            )
            % {"a": a, "b": b - 1, "size": size, "error": e},
        ) from None
    leaves = kind.split(";", 1)[0].strip().lower() == LEAVES
    audience, text, out = (_parse_leaves if leaves else _parse_page)(raw, a, b, keep=not copy)
    if copy:
        return audience, (text, merkle_blocks(a, out))
    return audience, out


_DIGEST = type(hashlib.sha256()).digest  # a hash's digest method, for map


def _parse_leaves(raw: bytes, a: int, b: int, keep: bool) -> tuple[str, bytes | memoryview, list]:
    """_parse_page for a page served as leaves: after the first line, one record per entry, each
    ending in a newline: 0x00 and the entry, whose leaf hash is the SHA-256 of the record itself,
    or 0x01 and the leaf hash in base64 (an entry the reader may not read). No index: the k-th record
    is entry a + k, which the root checks as it checks every leaf. An entry holds no newline
    (canonical JSON): one that did would be split in two, and refused as a count or a root that
    differs. When every record is an entry (the parties' pages), they are hashed in one
    comprehension, with no check of its own per entry."""
    cut = raw.find(b"\n")
    head = raw[:cut].split(b" ") if cut >= 0 else []
    if len(head) != 4 or not raw.endswith(b"\n"):
        raise Trouble(_("%(path)s did not answer entries as leaves") % {"path": API + "/record/entries"})
    audience = head[3].decode("utf-8", "replace")
    text = memoryview(raw)[cut + 1 :]  # the page is megabytes: not copied again
    records = raw.split(b"\n")
    del records[0]  # the first line
    records.pop()
    if len(records) != b - a:
        raise _count_bad(records, a, b)
    sha256 = hashlib.sha256
    # Every record an entry: 0x00 is the least byte, so the greatest record begins with it only if
    # they all do, and the least is not empty (two comparisons a record, in C: counting the
    # newlines followed by 0x00 read the whole page again). Then each is hashed with map, in C.
    if records and max(records)[:1] == b"\x00" and min(records)[:1] == b"\x00":
        leaves = list(map(_DIGEST, map(sha256, records)))
        return audience, text, [(record[1:], leaf) for record, leaf in zip(records, leaves)] if keep else leaves
    out: list = []
    withheld: list[int] = []
    a2b, size_of_hash = binascii.a2b_base64, merkle.HASH_SIZE
    for seq, record in enumerate(records, a):
        tag = record[:1]
        if tag == b"\x00":
            body, leaf = record[1:], sha256(record).digest()
        else:
            try:
                leaf = a2b(record[1:], strict_mode=True) if tag == b"\x01" else b""
            except (binascii.Error, ValueError):
                leaf = b""
            if len(leaf) != size_of_hash:
                raise _Bad(
                    "malformed",
                    _("seq %(seq)d: the entry served is malformed: %(line)s")
                    % {"seq": seq, "line": record[:200].decode("utf-8", "replace")},
                )
            body = None
            withheld.append(seq)
        out.append((body, leaf) if keep else leaf)
    if withheld and audience == PARTIES:
        raise _Bad(
            "withheld",
            _(
                "WITHHELD: the server reads this witness as the parties, who may read every entry, yet serves %(n)d of the entries %(a)d..%(b)d as their leaf hashes only (seq %(seq)d first)"
            )
            % {"n": len(withheld), "a": a, "b": b - 1, "seq": withheld[0]},
            {"served.txt": "".join(f"{seq} {records[seq - a][1:].decode()}\n" for seq in withheld)},
        )
    return audience, text, out


def _count_bad(records: list[bytes], a: int, b: int) -> _Bad:
    """A page of leaves with more or fewer records than the entries asked for, named as a page of
    lines names it, by the seq each entry carries where the page's lines carry an index: the first
    entry out of place (MISSING: one deleted; REORDERED), else the count (MISSING, INSERTED)."""
    carried: list[int | None] = []
    for record in records:
        said = _json(record[1:]) if record[:1] == b"\x00" else None
        seq = said.get("seq") if isinstance(said, dict) else None
        carried.append(seq if isinstance(seq, int) and not isinstance(seq, bool) else None)
    served = [i for i in carried if i is not None]
    for seq, index in zip(range(a, b), carried):
        if index is None:
            break
        if index != seq:
            return _order_bad(seq, index, served)
    else:
        if len(records) < b - a:  # every entry served in its place, the last ones not at all
            return _order_bad(a + len(records), None, served)
    if len(records) < b - a:
        return _Bad(
            "missing",
            _("MISSING: the server serves %(n)d entries for seq %(a)d..%(b)d")
            % {"n": len(records), "a": a, "b": b - 1},
        )
    return _Bad(
        "inserted",
        _("INSERTED: the server serves %(n)d entries for seq %(a)d..%(b)d") % {"n": len(records), "a": a, "b": b - 1},
    )


def _parse_page(raw: bytes, a: int, b: int, keep: bool) -> tuple[str, bytes, list]:
    """(audience, the lines after the first, and each entry's leaf hash, or with `keep` each
    (body or None, leaf hash)). Each line is the seq, then the entry (which begins with `{`) whose
    leaf hash is computed, or its leaf hash served, alone (an entry the reader may not read) or
    followed by the entry, which must hash to it. The parties may read every entry: an entry served
    to them as its leaf hash only is withheld."""
    cut = raw.find(b"\n")
    head = raw[:cut].split(b" ") if cut >= 0 else []
    if len(head) != 4 or not raw.endswith(b"\n"):
        raise Trouble(_("%(path)s did not answer entries as lines") % {"path": API + "/record/entries"})
    audience = head[3].decode("utf-8", "replace")
    text = raw[cut + 1 :]
    lines = text.split(b"\n")
    lines.pop()
    out: list = []
    sha256, a2b, size_of_hash, parties = hashlib.sha256, binascii.a2b_base64, merkle.HASH_SIZE, audience == PARTIES
    seq = a
    body: bytes | None
    for line in lines:
        index, _sp, rest = line.partition(b" ")
        if rest[:1] == b"{":  # the entry, whose leaf hash is ours to compute
            body, leaf, served = rest, sha256(b"\x00" + rest).digest(), None
        else:
            encoded, _sp, body = rest.partition(b" ")
            try:
                served = a2b(encoded, strict_mode=True)
            except (binascii.Error, ValueError):
                raise _Bad(
                    "malformed",
                    _("seq %(seq)d: the entry served is malformed: %(line)s")
                    % {"seq": seq, "line": line[:200].decode("utf-8", "replace")},
                ) from None
            body = body or None
            leaf = sha256(b"\x00" + body).digest() if body is not None else served
        if index != b"%d" % seq:
            if not index.isdigit():
                raise _Bad(
                    "malformed",
                    _("seq %(seq)d: the entry served is malformed: %(line)s")
                    % {"seq": seq, "line": line[:200].decode("utf-8", "replace")},
                )
            raise _order_bad(seq, int(index), [int(x.split(b" ", 1)[0]) for x in lines if x[:1].isdigit()])
        if body is None and parties:
            withheld = [
                x.decode("utf-8", "replace")
                for x in lines
                if not x.partition(b" ")[2].startswith(b"{") and x.count(b" ") == 1
            ]
            raise _Bad(
                "withheld",
                _(
                    "WITHHELD: the server reads this witness as the parties, who may read every entry, yet serves %(n)d of the entries %(a)d..%(b)d as their leaf hashes only (seq %(seq)d first)"
                )
                % {"n": len(withheld), "a": a, "b": b - 1, "seq": seq},
                {"served.txt": "".join(x + "\n" for x in withheld)},
            )
        if served is not None and (len(served) != size_of_hash or leaf != served):
            raise _Bad(
                "leaf-hash",
                _("LEAF HASH: seq %(seq)d: the body served does not hash to the leaf hash served with it")
                % {"seq": seq},
                {"served.txt": line.decode("utf-8", "replace") + "\n"},
            )
        out.append((body, leaf) if keep else leaf)
        seq += 1
    if len(out) != b - a:
        if len(out) < b - a:
            raise _order_bad(a + len(out), None, [a + k for k in range(len(out))])
        raise _Bad(
            "inserted",
            _("INSERTED: the server serves %(n)d entries for seq %(a)d..%(b)d") % {"n": len(out), "a": a, "b": b - 1},
        )
    return audience, text, out


# ------------------------------------------------------------------------------------- what differs
def _dump(value) -> str:
    """JSON for the evidence, whatever the server sent: a refusal never fails for want of a description."""
    for indent in (1, None):  # without indent, the encoder is C's: deeper nesting than Python's own
        try:
            return json.dumps(value, indent=indent, sort_keys=True, ensure_ascii=False) + "\n"
        except (RecursionError, ValueError, TypeError):
            continue
    return json.dumps(_("(nested too deep to be written out)")) + "\n"


def _describe(entry: Entry | None) -> dict:
    if entry is None:
        return {"absent": True}
    body, leaf = entry
    described = {"leaf_hash": base64.b64encode(leaf).decode()}
    if body is not None:
        described["entry"] = body.decode("utf-8", "replace")
    return described


MAX_DIFFERENCES = 20  # named per refusal: an insertion near the start shifts every entry after it


def _compare(mirror: Mirror, start: int, held: list[Entry], served: list[Entry]) -> list[dict]:
    """Each seq whose served entry is not the one the copy holds (the first MAX_DIFFERENCES), and what differs."""
    differences: list[dict] = []
    for k, (mine, theirs) in enumerate(zip(held, served)):
        if mine == theirs:
            continue
        if len(differences) == MAX_DIFFERENCES:
            break
        seq = start + k
        (body, leaf), (served_body, served_leaf) = mine, theirs
        if leaf == served_leaf:  # the same entry, shown to another audience than before
            what = (
                _("served in full, where it was served as its leaf hash only before")
                if served_body
                else _("served as its leaf hash only, where it was served in full before")
            )
            differences.append({"seq": seq, "kind": "audience", "what": what + _(" (its audience changed)")})
        else:
            elsewhere = mirror.find(served_leaf)
            if elsewhere is not None:
                what = _("the server serves here the entry this witness holds at seq %(other)d") % {"other": elsewhere}
                kind = "moved"
                differences.append({"seq": seq, "kind": kind, "what": what, "held_at": elsewhere})
                differences[-1].update(held=_describe(mine), served=_describe(theirs))
                continue
            elif body is not None and served_body is not None:
                what, kind = _("the body served differs from the body held"), "changed"
            else:
                what, kind = _("the leaf hash served differs from the leaf hash held"), "changed"
            differences.append({"seq": seq, "kind": kind, "what": what})
        differences[-1].update(held=_describe(mine), served=_describe(theirs))
    return differences


def _audit_refusal(refuse, differences: list[dict]) -> Refused:
    kinds = {d["kind"] for d in differences}
    moved = {d["seq"]: d for d in differences if d["kind"] == "moved"}
    # seq i serves what is held at j, and j what is held at i
    swapped = any(moved.get(d["held_at"], {}).get("held_at") == seq for seq, d in moved.items())
    if swapped:
        what = "reordered"
    elif moved and all(d["held_at"] < seq for seq, d in moved.items()):
        what = "inserted"  # what is held at j is served further on: something was put before it
    elif moved and all(d["held_at"] > seq for seq, d in moved.items()):
        what = "deleted"  # and the rest renumbered
    else:
        what = "moved" if moved else "changed" if "changed" in kinds else "audience"
    title = {
        "reordered": "REORDERED",
        "inserted": "INSERTED",
        "deleted": "DELETED",
        "moved": "MOVED",
        "changed": "CHANGED",
        "audience": "AUDIENCE CHANGED",
    }[what]
    shown = "; ".join(f"seq {d['seq']}: {d['what']}" for d in differences[:5])
    more = _(" (and %(n)d more)") % {"n": len(differences) - 5} if len(differences) > 5 else ""
    if len(differences) == MAX_DIFFERENCES:
        more = _(" (and more)")
    message = _(
        "%(title)s: what the server serves differs from this witness's copy of the record: %(what)s%(more)s"
    ) % {"title": title, "what": shown, "more": more}
    return refuse(what, message, {"differences.json": json.dumps(differences, indent=1, ensure_ascii=False) + "\n"})


def _order_bad(seq: int, index: int | None, served: list[int]) -> _Bad:
    """The page's entry at seq carries another index: one is missing, or they are out of order."""
    if index is None or (index > seq and seq not in served):
        what, message = (
            "missing",
            _("MISSING: seq %(seq)d is not served (deleted?): the server serves seq %(other)s in its place")
            % {"seq": seq, "other": index if index is not None else _("nothing")},
        )
    else:
        what, message = (
            "reordered",
            _("REORDERED: the server serves seq %(other)s where seq %(seq)d belongs") % {"seq": seq, "other": index},
        )
    return _Bad(what, message, {"served-indexes.json": json.dumps(served) + "\n"})


def _root_refusal(refuse, cp: note.Checkpoint, copied_from: int, seq: int | None, served: Entry | None) -> Refused:
    message = _(
        "ROOT: the entries %(a)d..%(b)d served do not hash, with this witness's copy, to the root of the checkpoint of size %(size)d"
    ) % {"a": copied_from, "b": cp.size - 1, "size": cp.size}
    files = {}
    if seq is not None:
        said = _json(served[0]) if served is not None and served[0] is not None else None
        said = said.get("seq") if isinstance(said, dict) else seq  # describing the entry never stops the refusal
        carried = _(" (its body carries seq %(said)s)") % {"said": str(said)[:40]} if said != seq else ""
        message += _(": seq %(seq)d served is not the entry the log's tree holds at seq %(seq)d%(carried)s") % {
            "seq": seq,
            "carried": carried,
        }
        files["served.json"] = _dump({"seq": seq, **_describe(served)})
    return refuse("root", message, files)


def _vkey_argument(value: str) -> str:
    """--log-key takes the vkey itself or a file holding it."""
    if "+" not in value and Path(value).is_file():
        return Path(value).read_text(encoding="utf-8").strip()
    return value.strip()


def _parse_log_key(vkey: str, where) -> note.VerifierKey:
    try:
        key = note.parse_verifier_key(vkey)
    except ValueError as e:
        raise Trouble(f"{where}: {e}") from None
    if key.alg != note.ED25519:
        raise Trouble(_("%(where)s: %(name)s is not a log (Ed25519) key") % {"where": where, "name": key.name})
    return key


def _proof_hashes(answer: dict, first: int, second: int) -> list[bytes] | None:
    """The proof's hashes, or None if the answer is not a proof from `first` to `second`."""
    if answer.get("first") != first or answer.get("second") != second:
        return None
    return _hashes(answer.get("hashes"))


def _hashes(listed) -> list[bytes] | None:
    """A proof's base64 hashes, or None if they are not a list of 32-byte hashes."""
    if not isinstance(listed, list):
        return None
    hashes = []
    for h in listed:
        try:
            raw = base64.b64decode(h, validate=True) if isinstance(h, str) else None
        except (binascii.Error, ValueError):
            return None
        if raw is None or len(raw) != merkle.HASH_SIZE:
            return None
        hashes.append(raw)
    return hashes


# ------------------------------------------------------------------------------------- the command
def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ceasefire witness",
        description=_(
            "A party's auditing witness: keeps a copy of the record, checks each new entry and a sample of "
            "the older ones against it, and cosigns the committee's newest checkpoint if the entries hash to "
            "its root and it is consistent with the last one this witness accepted; refuses (keeping the "
            "evidence) if not. Runs on the party's own machine, without a database."
        ),
        epilog=_(
            "Exit codes: 0 cosigned; 1 refused, evidence kept in DIR/evidence; 2 could not check (network, server, key file)."
        ),
    )
    p.add_argument(
        "--server", required=True, metavar="URL", help=_("the committee's server, e.g. https://jmc.example.org")
    )
    p.add_argument(
        "--key", required=True, metavar="KEYFILE", help=_("this witness's private key file (ceasefire keys generate)")
    )
    p.add_argument(
        "--state",
        required=True,
        metavar="DIR",
        help=_(
            "this witness's folder: its copy of the record, the last checkpoint accepted, the pinned log key, evidence"
        ),
    )
    p.add_argument(
        "--token-file",
        metavar="FILE",
        help=_(
            "a file holding a read-only API token of one of the party's accounts (ceasefire token create USERNAME --read-only), to read what the party may read; or set %(var)s. Without one the witness reads as the public"
        )
        % {"var": TOKEN_VARIABLE},
    )
    audit = p.add_mutually_exclusive_group()
    audit.add_argument(
        "--audit-all",
        action="store_true",
        help=_("compare every entry the copy holds with what the server serves, each round"),
    )
    audit.add_argument(
        "--sample",
        type=int,
        default=SAMPLE,
        metavar="N",
        help=_("compare about N older entries each round, at random (default %(n)d)") % {"n": SAMPLE},
    )
    p.add_argument(
        "--log-key",
        metavar="VKEY",
        help=_("the committee's published log verifier key (or a file holding it); pinned in DIR"),
    )
    p.add_argument("--every", type=float, metavar="SECONDS", help=_("keep running, one round every SECONDS"))
    p.add_argument(
        "--timeout",
        type=float,
        default=TIMEOUT,
        metavar="SECONDS",
        help=_("the most one request to the server may take, in all (default %(n)d)") % {"n": TIMEOUT},
    )
    return p


def main(argv: list[str], out=sys.stdout, err=sys.stderr) -> int:
    args = parser().parse_args(argv)

    def say(message: str) -> None:
        print(f"ceasefire witness: {message}", file=out, flush=True)

    def complain(message: str) -> None:
        print(f"ceasefire witness: {message}", file=err, flush=True)

    if args.every is not None and not args.every > 0:
        complain(_("--every %(n)s: give a number of seconds above 0") % {"n": args.every})
        return 2
    if not args.timeout > 0:
        complain(_("--timeout %(n)s: give a number of seconds above 0") % {"n": args.timeout})
        return 2
    if args.sample < 0:
        complain(_("--sample %(n)s: give a number of entries, 0 or more") % {"n": args.sample})
        return 2
    token = os.environ.get(TOKEN_VARIABLE, "").strip() or None
    if args.token_file:
        try:
            token = Path(args.token_file).read_text(encoding="utf-8").strip().splitlines()[-1].strip()
        except (OSError, UnicodeDecodeError, IndexError) as e:
            complain(
                _("--token-file %(file)s: %(error)s")
                % {"file": args.token_file, "error": getattr(e, "strerror", None) or _("no token in it")}
            )
            return 2
    try:
        key = keyfile.read(args.key)
    except FileNotFoundError:
        complain(_("--key %(file)s: no such file") % {"file": args.key})
        return 2
    except (OSError, ValueError) as e:
        complain(f"--key {e}" if str(e).startswith(str(args.key)) else f"--key {args.key}: {e}")
        return 2
    try:
        witness = Witness(
            Server(args.server, token, args.timeout),
            key,
            State(args.state),
            args.log_key,
            say=say,
            warn=complain,
            audit_all=args.audit_all,
            sample=args.sample,
        )
    except Trouble as e:
        complain(str(e))
        return e.code
    try:
        while True:
            code = _round(witness, say, complain)
            if args.every is None or code == 1:
                return code
            time.sleep(args.every)
    except KeyboardInterrupt:
        complain(_("interrupted"))
        return 130


def _round(witness: Witness, say, complain) -> int:
    try:
        outcome = witness.run()
    except Refused as e:
        complain(_("REFUSED, nothing cosigned: %(reason)s") % {"reason": e})
        if e.evidence is not None:
            complain(_("evidence kept in %(dir)s") % {"dir": e.evidence})
        return 1
    except Trouble as e:
        complain(str(e))
        return 2
    except OSError as e:  # the state folder: unwritable, full
        complain(f"--state: {e.filename or ''}: {e.strerror or e}")
        return 2
    except Exception as e:  # whatever a hostile answer provokes: nothing cosigned, one line, the next round
        said = " ".join(str(e).split())[:200]
        complain(
            _("could not check this round (nothing cosigned): unexpected %(error)s")
            % {"error": f"{type(e).__name__}: {said}" if said else type(e).__name__}
        )
        return 2
    root = base64.b64encode(outcome.root).decode()
    say(
        _("read as %(audience)s: %(audited)d older entries compared with the copy, %(copied)d new entries copied")
        % {"audience": outcome.audience or "-", "audited": outcome.audited, "copied": outcome.copied}
    )
    if outcome.again:
        say(_("checkpoint %(size)d (root %(root)s) unchanged; cosigned again") % {"size": outcome.size, "root": root})
    else:
        say(_("cosigned checkpoint %(size)d (root %(root)s)") % {"size": outcome.size, "root": root})
    say(_("the server holds cosignatures from: %(names)s") % {"names": ", ".join(outcome.cosigned_by) or "-"})
    return 0
