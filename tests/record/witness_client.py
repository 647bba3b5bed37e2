"""Shared by the auditing witness's tests (no tests of its own): the witness of record/witness.py
talking to this test's Django app through the test client instead of HTTP, so that it reads the
very database the test changes (inside the test's transaction), and one round of it as the command
runs it (exit code, what it said, what it complained)."""

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.test import Client

from ceasefire.record import note, witness


class ClientServer(witness.Server):
    """witness.Server through django.test.Client: same paths, same answers, same errors."""

    concurrent = False  # one thread: the test's transaction is this thread's connection

    def __init__(self, token: str | None = None):
        self.base, self.token, self.client = "http://testserver", token, Client()
        self.requests: list[str] = []

    def _fetch(self, method, path, params=None, body=None, limit=witness.MAX_ANSWER):
        url = witness.API + path + ("?" + urlencode(params) if params else "")
        self.requests.append(f"{method} {url}")
        headers = self._credentials(method)
        if method == "GET":
            response = self.client.get(url, headers=headers)
        else:
            response = self.client.post(url, data=body, content_type="text/plain; charset=utf-8", headers=headers)
        text = response.content.decode()
        if response.status_code >= 400:
            try:
                said = "; ".join(
                    f"{d['field']}: {d['message']}" if d.get("field") else d["message"]
                    for d in json.loads(text)["detail"]
                )
            except Exception:
                said = text[:200]
            raise witness.ServerSaid(
                response.status_code,
                f"HTTP {response.status_code}: {said}",
                witness.retry_after(response.get("Retry-After")),
            )
        if len(response.content) > limit:
            raise witness.Trouble(f"{url} answered more than {limit} bytes")
        return response.content, response.get("Content-Type", "")


@dataclass
class Round:
    code: int
    out: str
    err: str
    server: ClientServer

    @property
    def evidence(self) -> Path:
        """The folder the refusal kept its evidence in."""
        line = next(line for line in self.err.splitlines() if "evidence kept in " in line)
        return Path(line.split("evidence kept in ", 1)[1])


def audit(
    state: Path,
    skey: str,
    token: str | None = None,
    audit_all: bool = False,
    sample: int = witness.SAMPLE,
    serve=ClientServer,
) -> Round:
    """One round of the witness with signer key `skey`, as `ceasefire witness` runs it, against
    `serve(token)`: the app as it is, or a ClientServer subclass that answers otherwise."""
    out, err = [], []
    server = serve(token)
    w = witness.Witness(
        server,
        note.parse_signer_key(skey),
        witness.State(state),
        say=out.append,
        warn=err.append,
        audit_all=audit_all,
        sample=sample,
    )
    code = witness._round(w, out.append, err.append)
    return Round(code, "\n".join(out), "\n".join(err), server)


# ------------------------------------------------------------------ tampering, the guard lifted
def edit_body(seq: int, old: bytes, new: bytes) -> None:
    from ceasefire.record import guard
    from ceasefire.record.models import Event

    body = bytes(Event.objects.get(seq=seq).body)
    assert old in body, (seq, body)
    with guard.lifted():
        Event.objects.filter(seq=seq).update(body=body.replace(old, new, 1))


def delete(seq: int) -> None:
    from ceasefire.record import guard
    from ceasefire.record.models import Event

    with guard.lifted():
        Event.objects.filter(seq=seq).delete()


def swap(a: int, b: int) -> None:
    """Entries a and b change places: each row takes the other's seq."""
    from ceasefire.record import guard
    from ceasefire.record.models import Event

    with guard.lifted():
        Event.objects.filter(seq=a).update(seq=-1)
        Event.objects.filter(seq=b).update(seq=a)
        Event.objects.filter(seq=-1).update(seq=b)


def insert(seq: int, like: int) -> None:
    """A copy of entry `like` put in at `seq`, the entries from there on renumbered one up (the
    head left as it was, so the last one falls out of the record's size)."""
    from ceasefire.record import guard
    from ceasefire.record.models import Event

    with guard.lifted():
        for s in Event.objects.filter(seq__gte=seq).order_by("-seq").values_list("seq", flat=True):
            Event.objects.filter(seq=s).update(seq=s + 1)
        copy = Event.objects.get(seq=like if like < seq else like + 1)
        copy.seq = seq
        copy.save(force_insert=True)
