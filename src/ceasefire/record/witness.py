"""A party's witness: it cosigns the committee's checkpoints only while they tell one consistent story.

    ceasefire witness --server URL --key KEYFILE --state DIR [--log-key VKEY] [--every SECONDS]

Each party runs one on its own machine with its own key (`ceasefire keys generate --name NAME`,
whose verifier key the party's speaker registers in the record). On each round it:

1. fetches the newest checkpoint (`GET /api/v1/record/checkpoint`) and verifies the log's signature
   with the log key pinned in DIR (`--log-key`, or fetched from `GET /api/v1/record/log-key` on
   first use, and said so: compare it with the key the committee published);
2. compares it with the last checkpoint it accepted (DIR/checkpoint), as tlog-witness's
   add-checkpoint does: a smaller size (a rollback), the same size with another root (a fork), or a
   larger size whose consistency proof (`GET /api/v1/record/proof/consistency`) fails is REFUSED:
   nothing is cosigned, the offered note, the accepted one and the proof are kept in
   DIR/evidence/<UTC time>-<what>/, and the witness exits 1. A size-0 checkpoint must carry the
   empty tree's root;
3. stores the new checkpoint (write, fsync, rename) with DIR/lock held (fcntl.flock) from the
   moment it reads the stored one: check-and-store is atomic, even with two witnesses on one DIR;
4. cosigns it (cosignature/v1, "as of now, this is the largest consistent tree I have seen") and
   sends the cosignature (`POST /api/v1/record/checkpoint/cosignatures`). The same size with the
   same root is cosigned again, which is harmless.

Exit codes: 0 cosigned; 1 refused (evidence kept); 2 could not do its work (network, server error,
a bad key file, a refused cosignature). With `--every SECONDS` it runs round after round, rides
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
import fcntl
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import keyfile, merkle, note
from .keys import translator

_ = translator()

API = "/api/v1"
TIMEOUT = 30  # seconds for each request
MAX_ANSWER = 1 << 20  # bytes: a checkpoint or a proof is a few hundred

CHECKPOINT_FILE = "checkpoint"  # the last checkpoint accepted, as the log signed it
LOG_KEY_FILE = "log.vkey"  # the pinned log verifier key
LOCK_FILE = "lock"
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
    """The server answered with an error status (its JSON error body turned into one line)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


# ------------------------------------------------------------------------------------- the server
class Server:
    """The committee's server, reached with urllib (which honours the usual *_proxy variables)."""

    def __init__(self, url: str):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise Trouble(_("--server %(url)s: give the server's address, e.g. https://jmc.example.org") % {"url": url})
        base = url.rstrip("/")
        self.base = base[: -len(API)] if base.endswith(API) else base

    def _request(self, method: str, path: str, params: dict | None = None, body: str | None = None) -> tuple[str, str]:
        url = self.base + API + path + ("?" + urllib.parse.urlencode(params) if params else "")
        data = body.encode("utf-8") if body is not None else None
        headers = {"User-Agent": "ceasefire-witness/1", "Accept": "text/plain, application/json"}
        if data is not None:
            headers["Content-Type"] = "text/plain; charset=utf-8"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                raw = response.read(MAX_ANSWER + 1)
                kind = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            raise ServerSaid(e.code, _error_text(e)) from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", None) or e
            raise Trouble(_("cannot reach %(url)s: %(reason)s") % {"url": url, "reason": reason}) from None
        if len(raw) > MAX_ANSWER:
            raise Trouble(_("%(url)s answered more than %(n)d bytes") % {"url": url, "n": MAX_ANSWER})
        try:
            return raw.decode("utf-8"), kind
        except UnicodeDecodeError:
            raise Trouble(_("%(url)s answered something that is not UTF-8 text") % {"url": url}) from None

    def text(self, path: str, params: dict | None = None) -> str:
        return self._request("GET", path, params)[0]

    def json(self, path: str, params: dict | None = None, body: str | None = None) -> dict:
        text, kind = self._request("POST" if body is not None else "GET", path, params, body)
        try:
            answer = json.loads(text)
        except ValueError:
            raise Trouble(_("%(path)s did not answer JSON (%(kind)s)") % {"path": API + path, "kind": kind or "?"}) from None
        if not isinstance(answer, dict):
            raise Trouble(_("%(path)s did not answer a JSON object") % {"path": API + path})
        return answer


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
        with open(self.dir / LOCK_FILE, "a") as lock:
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


class Witness:
    def __init__(self, server: Server, key: note.SignerKey, state: State, log_key: str | None = None, say=print):
        if key.alg != note.COSIGNATURE_V1:
            raise Trouble(_("the key %(name)s is a log (Ed25519) key; a witness cosigns with a cosignature/v1 key (ceasefire keys generate --name NAME)") % {"name": key.name})
        self.server, self.key, self.state, self.say = server, key, state, say
        self.log_key_given = log_key

    def run(self) -> Outcome:
        """One round: fetch, check, store, cosign, send. Raises Refused or Trouble."""
        with self.state.locked():
            log = self._log_key()
            offered = self.server.text("/record/checkpoint")
            cp = self._check_signature(offered, log)
            old_note = self.state.read(CHECKPOINT_FILE)
            old = self._accepted(old_note, log)
            again = False
            if old is None:
                self.say(_("first checkpoint this witness sees: size %(size)d; nothing earlier to compare it with") % {"size": cp.size})
                self.state.write(CHECKPOINT_FILE, offered)
            elif cp.size < old.size:
                raise self._refuse(
                    "rollback",
                    _("ROLLBACK: the server offers a checkpoint of size %(new)d, smaller than size %(old)d accepted before") % {"new": cp.size, "old": old.size},
                    offered,
                    old_note,
                )
            elif cp.size == old.size:
                if cp != old:  # another root (or other extension lines): two statements of one size
                    raise self._refuse(
                        "fork",
                        _("FORK: the server offers a checkpoint of size %(size)d whose root differs from the one accepted before at that size") % {"size": cp.size},
                        offered,
                        old_note,
                    )
                again = True
            else:
                self._check_consistency(old, cp, offered, old_note)
                self.state.write(CHECKPOINT_FILE, offered)
            return self._cosign(offered, cp, log, again)

    # -- the log key
    def _log_key(self) -> note.VerifierKey:
        pinned = self.state.read(LOG_KEY_FILE)
        pinned_key = _parse_log_key(pinned.strip(), self.state.dir / LOG_KEY_FILE) if pinned is not None else None
        if self.log_key_given is not None:
            given = _parse_log_key(_vkey_argument(self.log_key_given), "--log-key")
            if pinned_key is not None and given != pinned_key:
                raise Trouble(
                    _("--log-key %(given)s is not the log key pinned in %(file)s (%(pinned)s); if the committee really changed its log key, start with a new --state folder")
                    % {"given": given, "pinned": pinned_key, "file": self.state.dir / LOG_KEY_FILE}
                )
            if pinned_key is None:
                self.state.write(LOG_KEY_FILE, f"{given}\n")
            return given
        if pinned_key is not None:
            return pinned_key
        fetched = _parse_log_key(self.server.text("/record/log-key").strip(), self.server.base + API + "/record/log-key")
        self.say(_("trusting log key %(vkey)s on first use; compare it with the committee's published key") % {"vkey": fetched})
        self.state.write(LOG_KEY_FILE, f"{fetched}\n")
        return fetched

    # -- the checks
    def _check_signature(self, offered: str, log: note.VerifierKey) -> note.Checkpoint:
        try:
            cp, _cosigners = note.verify_checkpoint(offered, log)
        except ValueError as e:
            raise self._refuse(
                "unverified",
                _("the server's checkpoint does not verify with the log key %(vkey)s: %(error)s") % {"vkey": log, "error": e},
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
                _("%(file)s does not verify with the log key %(vkey)s: %(error)s") % {"file": self.state.dir / CHECKPOINT_FILE, "vkey": log, "error": e}
            ) from None

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
                _("the server gives no consistency proof from size %(old)d to %(new)d: %(error)s") % {"old": old.size, "new": new.size, "error": e},
                offered,
                old_note,
            ) from None
        proof_text = json.dumps(answer, indent=1, sort_keys=True) + "\n"
        proof = _proof_hashes(answer, old.size, new.size)
        if proof is None or not merkle.verify_consistency(old.size, new.size, old.root, new.root, proof):
            raise self._refuse(
                "inconsistent",
                _("INCONSISTENT: the server's checkpoint of size %(new)d does not extend the one of size %(old)d accepted before (the consistency proof fails)")
                % {"old": old.size, "new": new.size},
                offered,
                old_note,
                proof_text,
            )

    def _refuse(self, what: str, message: str, offered: str, accepted: str | None, proof: str | None = None) -> Refused:
        files = {"offered.note": offered}
        if accepted is not None:
            files["accepted.note"] = accepted
        if proof is not None:
            files["consistency-proof.json"] = proof
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
                _("the server did not keep the cosignature of %(name)s (is its verifier key registered and active? GET %(url)s): %(error)s")
                % {"name": self.key.name, "url": self.server.base + API + "/mechanism/witness-keys", "error": e}
            ) from None
        held = answer.get("cosigned_by")
        return Outcome(cp.size, cp.root, held if isinstance(held, list) else [], again)


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
    if answer.get("first") != first or answer.get("second") != second or not isinstance(answer.get("hashes"), list):
        return None
    hashes = []
    for h in answer["hashes"]:
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
            "A party's witness: cosigns the committee's newest checkpoint if it is consistent with the "
            "last one this witness accepted, and refuses (keeping the evidence) if it is not. Runs on the "
            "party's own machine, without a database."
        ),
        epilog=_("Exit codes: 0 cosigned; 1 refused, evidence kept in DIR/evidence; 2 could not check (network, server, key file)."),
    )
    p.add_argument("--server", required=True, metavar="URL", help=_("the committee's server, e.g. https://jmc.example.org"))
    p.add_argument("--key", required=True, metavar="KEYFILE", help=_("this witness's private key file (ceasefire keys generate)"))
    p.add_argument("--state", required=True, metavar="DIR", help=_("this witness's folder: the last checkpoint accepted, the pinned log key, evidence"))
    p.add_argument("--log-key", metavar="VKEY", help=_("the committee's published log verifier key (or a file holding it); pinned in DIR"))
    p.add_argument("--every", type=float, metavar="SECONDS", help=_("keep running, one round every SECONDS"))
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
    try:
        key = keyfile.read(args.key)
    except FileNotFoundError:
        complain(_("--key %(file)s: no such file") % {"file": args.key})
        return 2
    except (OSError, ValueError) as e:
        complain(f"--key {e}" if str(e).startswith(str(args.key)) else f"--key {args.key}: {e}")
        return 2
    try:
        witness = Witness(Server(args.server), key, State(args.state), args.log_key, say=say)
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
    root = base64.b64encode(outcome.root).decode()
    if outcome.again:
        say(_("checkpoint %(size)d (root %(root)s) unchanged; cosigned again") % {"size": outcome.size, "root": root})
    else:
        say(_("cosigned checkpoint %(size)d (root %(root)s)") % {"size": outcome.size, "root": root})
    say(_("the server holds cosignatures from: %(names)s") % {"names": ", ".join(outcome.cosigned_by) or "-"})
    return 0
