"""Rebuilding the projections from the record alone, and checking that the live ones match.

`check()` replays every event into a scratch database in a separate process (so that the
projectors run exactly as they do live, on the default connection) and compares the two states
table by table; `scratch.py` is that process.
"""

import base64
import datetime as dt
import decimal
import json
import os
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from django.apps import apps
from django.db import connection, models, transaction

from . import checkpoints, log, tree
from .log import project
from .models import COPIED, Event, Head, Projection, signed_fields

PROGRESS_EVERY = 1000


def projection_models() -> list[type[models.Model]]:
    return sorted(
        (m for m in apps.get_models() if issubclass(m, Projection)),
        key=lambda m: m._meta.label,
    )


def _plain(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def _compared_fields(model) -> list:
    # A key drawn from a database sequence is not part of the state: replay may number it
    # differently (a PostgreSQL sequence advances even when a transaction rolls back).
    return [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]


def dump() -> dict[str, dict[str, list]]:
    """The state of every projection as plain JSON values, rows sorted."""
    state = {}
    for model in projection_models():
        fields = _compared_fields(model)
        rows = [[_plain(getattr(obj, f.attname)) for f in fields] for obj in model._default_manager.all().iterator()]
        rows.sort(key=lambda r: json.dumps(r, sort_keys=True, default=str))
        state[model._meta.label] = {"columns": [f.attname for f in fields], "rows": rows}
    return state


def first_difference(live: dict, replayed: dict) -> str | None:
    for label in sorted(set(live) | set(replayed)):
        a, b = live.get(label), replayed.get(label)
        if a is None or b is None:
            return f"{label}: table missing on the {'live' if a is None else 'replayed'} side"
        if len(a["rows"]) != len(b["rows"]):
            return f"{label}: {len(a['rows'])} rows live, {len(b['rows'])} replayed"
        for row_a, row_b in zip(a["rows"], b["rows"], strict=True):
            if row_a != row_b:
                cols = [
                    f"{c}: live {x!r}, replayed {y!r}"
                    for c, x, y in zip(a["columns"], row_a, row_b, strict=True)
                    if x != y
                ]
                return f"{label}: row differs ({'; '.join(cols)})"
    return None


def check_sequence() -> str | None:
    """The record itself: the head at its size, and dense sequence numbers from 0."""
    size = Head.objects.get(id=1).size
    count = Event.objects.count()
    if count != size:
        return f"record: {count} events but the head says {size}"
    if count and Event.objects.order_by("-seq").values_list("seq", flat=True)[0] != count - 1:
        return "record: sequence numbers are not dense from 0"
    return None


def check_bodies() -> tuple[str | None, str | None]:
    """One pass over the bodies: -> (the first event whose body names another seq than its own,
    the first column that differs from the body). The record signs the body, not the columns
    (models.COPIED), so a column that differs was changed in the database: pages and answers read
    the body, but a query by the column would find the wrong rows."""
    moved = column = None
    rows = Event.objects.order_by("seq").values_list("seq", *COPIED, "body").iterator(chunk_size=2000)
    for seq, *columns, body in rows:
        try:
            claimed = json.loads(bytes(body)).get("seq")
        except (ValueError, AttributeError, RecursionError):
            return f"record: event {seq}: its body is not an entry of the record", column
        if claimed != seq:
            return (
                f"record: event {seq}: its body says it is entry {claimed} (entries were moved, copied or inserted)",
                column,
            )
        if column is None:
            signed = signed_fields(body)
            for name, value in zip(COPIED, columns, strict=True):
                if value != signed[name]:
                    shown = lambda v: log.format_time(v) if isinstance(v, dt.datetime) else v  # noqa: E731
                    column = (
                        f"record: event {seq}: its {name} column says {shown(value)!r}, but its signed body says "
                        f"{shown(signed[name])!r} (the column was changed in the database)"
                    )
                    break
    return moved, column


def check_record() -> str | None:
    """Everything about the record itself, before any projection: the sequence, each body at its
    own seq, the stored Merkle tree against the bodies, the columns against the bodies, the
    checkpoints and cosignatures against the tree and the entries that record them. None, or the
    first problem, named. (A column is compared after the tree, so that a changed body is named
    as such rather than as the column that no longer matches it.)"""
    problem = check_sequence()
    if problem:
        return problem
    moved, column = check_bodies()
    return moved or tree.check() or column or checkpoints.check()


def rebuild(progress=None) -> int:
    """Replace every projection with the result of replaying the record. One transaction."""
    with transaction.atomic():
        Head.objects.select_for_update().get(id=1)
        for model in reversed(_delete_order()):
            model._default_manager.all().delete()
        n = 0
        for event in Event.objects.order_by("seq").iterator():
            project(event)
            n += 1
            if progress and n % PROGRESS_EVERY == 0:
                progress(n)
    return n


def _delete_order() -> list[type[models.Model]]:
    """Projection models with each one after the models it points to."""
    ordered, seen = [], set()

    def visit(model):
        if model in seen:
            return
        seen.add(model)
        for f in model._meta.concrete_fields:
            target = f.related_model
            if target is not None and target is not model and issubclass(target, Projection):
                visit(target)
        ordered.append(model)

    for m in projection_models():
        visit(m)
    return ordered


@dataclass
class CheckResult:
    events: int
    difference: str | None

    @property
    def ok(self) -> bool:
        return self.difference is None


def check(progress=sys.stderr) -> CheckResult:
    """Check the record itself (check_record), then replay the whole record into a
    scratch database and compare it with the live projections."""
    problem = check_record()
    count = Event.objects.count()
    if problem:
        return CheckResult(count, problem)
    with tempfile.TemporaryDirectory(prefix="ceasefire-replay-") as tmp:
        events_path, dump_path = Path(tmp, "events.jsonl"), Path(tmp, "replayed.json")
        # One snapshot for the events and the tables: the record's lock keeps writers out meanwhile.
        with transaction.atomic():
            Head.objects.select_for_update().get(id=1)
            with events_path.open("w") as f:
                for body in Event.objects.order_by("seq").values_list("body", flat=True).iterator():
                    f.write(base64.b64encode(bytes(body)).decode() + "\n")
            live = dump()
        with _scratch_database(tmp) as url:
            env = dict(os.environ, DATABASE_URL=url, CEASEFIRE_DATA_DIR=tmp, SECRET_KEY="replay-scratch")
            run = subprocess.run(
                [sys.executable, "-m", "ceasefire.record.scratch", str(events_path), str(dump_path)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=progress if progress is not None else subprocess.DEVNULL,
                text=True,
            )
            if run.returncode != 0:
                return CheckResult(count, f"replay failed in the scratch database: {run.stdout.strip()}")
        replayed = json.loads(dump_path.read_text())
    return CheckResult(count, first_difference(live, replayed))


class _scratch_database:
    """A fresh empty database beside the live one, dropped afterwards whatever happens."""

    def __init__(self, tmp: str):
        self.tmp = tmp
        self.name: str | None = None

    def __enter__(self) -> str:
        s = connection.settings_dict
        if connection.vendor == "sqlite":
            return f"sqlite:///{Path(self.tmp, 'scratch.sqlite3')}"
        if connection.vendor != "postgresql":
            raise RuntimeError(f"replay --check does not support {connection.vendor}")
        self.name = f"ceasefire_replay_{uuid.uuid4().hex[:12]}"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{self.name}"')
        auth = quote(s["USER"] or "", safe="") + (f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else "")
        options = urlencode({k: v for k, v in s.get("OPTIONS", {}).items() if isinstance(v, str)})
        url = f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{self.name}"
        return f"{url}?{options}" if options else url

    def __exit__(self, *exc):
        if self.name:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
