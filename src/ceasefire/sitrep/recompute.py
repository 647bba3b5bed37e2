"""The process behind `sitrep verify`: replays a bundle's entries into the (empty) database that
DATABASE_URL names, as `replay --check` does (record/scratch.py), then computes a report's figures
there for the audience, period, language and instant the report states.

    python -m ceasefire.sitrep.recompute EVENTS REPORT_JSON OUT_JSON
"""

import base64
import datetime as dt
import json
import os
import sys
from pathlib import Path

import django


def main(events_path: str, report_path: str, out_path: str) -> None:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import translation

    from ceasefire.record.log import project, store
    from ceasefire.record.models import Head

    from .figures import compute, parse_period

    call_command("migrate", verbosity=0, interactive=False)
    n = 0
    with transaction.atomic(), open(events_path) as f:
        for line in f:
            project(store(base64.b64decode(line)))
            n += 1
        Head.objects.filter(id=1).update(size=n)
    meta = json.loads(Path(report_path).read_text())
    as_of = dt.datetime.strptime(meta["as_of"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    with translation.override(meta["language"]):
        s = compute(meta["audience"], parse_period(meta["period"]), as_of)
    Path(out_path).write_text(json.dumps(s.figures))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
    django.setup()
    try:
        main(sys.argv[1], sys.argv[2], sys.argv[3])
    except Exception as e:  # the parent reports it
        print(f"{type(e).__name__}: {e}")
        sys.exit(1)
